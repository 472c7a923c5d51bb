// What an instance's status fields mean for someone waiting on it.
import type { VastInstance } from "./instance.ts";

export type InstancePhase =
  /** Being placed, pulling its image or starting: keep waiting. */
  | "pending"
  /** Asked to run, but no GPU on its machine is free yet. */
  | "scheduling"
  | "running"
  | "stopped"
  /** The container ended and will not come back by itself. */
  | "exited"
  /** The machine lost contact with the service. */
  | "offline"
  /** A status this version does not know; shown as is. */
  | "unrecognized";

const PENDING = new Set(["created", "loading", "rebooting", "restarting"]);
const OFFLINE = new Set(["offline", "unknown"]);

export function phaseOf(instance: VastInstance): InstancePhase {
  const actual = instance.actualStatus;
  if (actual === null || PENDING.has(actual)) return "pending";
  if (actual === "running") return "running";
  if (actual === "exited") return "exited";
  if (OFFLINE.has(actual)) return "offline";
  if (actual === "stopped" || actual === "frozen") {
    const wantsRunning = instance.intendedStatus === "running";
    return wantsRunning ? "scheduling" : "stopped";
  }
  return "unrecognized";
}

/** The status as the user reads it, e.g. "loading (pulling image)". */
export function describeStatus(instance: VastInstance): string {
  const phase = phaseOf(instance);
  const name =
    phase === "pending"
      ? (instance.actualStatus ?? "provisioning")
      : phase === "unrecognized"
        ? (instance.actualStatus ?? "unknown")
        : phase;
  const message = instance.statusMessage;
  return message === "" ? name : `${name} (${message})`;
}

/** Whether GPU time is billed: only while the container runs. */
export function isBillingCompute(instance: VastInstance): boolean {
  return instance.actualStatus === "running";
}
