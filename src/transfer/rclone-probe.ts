// Whether rclone runs on a side, asked once per host and process.
import { commandExists, runProcess } from "../remote/process.ts";
import { sideKey, type Side } from "./location.ts";
import { runScriptOrThrow } from "./shell.ts";

export interface RcloneSupport {
  available: boolean;
  /** The first line of `rclone version`, e.g. "rclone v1.60.1-DEV". */
  version?: string;
}

const cache = new Map<string, Promise<RcloneSupport>>();

const HOST_PROBE =
  "command -v rclone >/dev/null 2>&1 || { echo missing; exit 0; }; rclone version 2>&1 | head -n 1";

/** Reports whether rclone runs on the side. */
export function probeRclone(side: Side): Promise<RcloneSupport> {
  const key = sideKey(side);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const probe = side.kind === "local" ? probeLocal() : probeHost(side);
  cache.set(key, probe);
  probe.catch(() => cache.delete(key));
  return probe;
}

/** Forgets cached rclone probes; for tests that change a host's tools. */
export function clearRcloneProbes(): void {
  cache.clear();
}

async function probeLocal(): Promise<RcloneSupport> {
  if (!(await commandExists("rclone"))) return { available: false };
  const result = await runProcess(["rclone", "version"], { timeoutMs: 10_000 });
  return {
    available: !result.failed,
    version: result.stdout.split("\n")[0]?.trim(),
  };
}

async function probeHost(
  side: Extract<Side, { kind: "ssh" }>,
): Promise<RcloneSupport> {
  const output = (
    await runScriptOrThrow(side, HOST_PROBE, [], "look for rclone")
  ).trim();
  if (output === "missing") return { available: false };
  return { available: true, version: output.split("\n")[0] };
}
