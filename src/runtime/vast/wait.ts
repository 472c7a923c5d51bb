// `vast.wait [ID] [timeout=] [poll=] [stop_on_fail=]`: polls the instance
// until an SSH login with train's key works. Each new status is reported as
// the service gives it (loading, scheduling, ...). An exited or offline
// instance fails the step at once. A failed API read or SSH login is retried
// until the timeout, because one failure does not mean the machine is gone.
import type { VastWaitStep } from "../../recipe/ast.ts";
import { formatDuration } from "../../recipe/duration.ts";
import type { RunContext } from "../context.ts";
import { failed, sleep, succeeded, type StepOutcome } from "../step-outcome.ts";
import type { VastInstance } from "../../providers/vast/instance.ts";
import { isNotFound, showInstance } from "../../providers/vast/instances.ts";
import {
  describeEndpoint,
  sshEndpoint,
} from "../../providers/vast/endpoint.ts";
import { describeStatus, phaseOf } from "../../providers/vast/status.ts";
import { VastApiError, isAuthError } from "../../providers/vast/errors.ts";
import { ensureKeyAttached } from "./attach-key.ts";
import { probeLogin } from "./ssh-probe.ts";
import { stopConfirmed } from "./start-stop.ts";
import {
  billingText,
  instanceIdFor,
  notePrices,
  recordInstance,
} from "./records.ts";

const DEFAULT_TIMEOUT_SEC = 600;
const DEFAULT_POLL_SEC = 10;

interface WaitProgress {
  id: number;
  label: string;
  lastStatus: string;
  lastSsh?: string;
  attached: boolean;
  instance?: VastInstance;
}

export async function runVastWait(
  step: VastWaitStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const id = instanceIdFor(ctx, step.instanceId);
  const timeoutSec = step.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
  const deadline = Date.now() + timeoutSec * 1000;
  const progress: WaitProgress = {
    id,
    label: hostLabel(ctx, id),
    lastStatus: "",
    attached: false,
  };
  for (;;) {
    const outcome = await pollOnce(ctx, progress);
    if (outcome !== undefined) return finish(ctx, step, progress, outcome);
    if (Date.now() >= deadline) {
      const outcome = failed(timeoutMessage(progress, timeoutSec));
      return finish(ctx, step, progress, outcome);
    }
    await sleep((step.pollSec ?? DEFAULT_POLL_SEC) * 1000, ctx.signal);
  }
}

function hostLabel(ctx: RunContext, id: number): string {
  const picked = Object.entries(ctx.state.pickedHosts ?? {}).find(
    ([, spec]) => spec === `vast:${id}`,
  );
  return picked?.[0] ?? `vast-${id}`;
}

/** One poll: a final outcome, or undefined to keep waiting. */
async function pollOnce(
  ctx: RunContext,
  progress: WaitProgress,
): Promise<StepOutcome | undefined> {
  const instance = await readInstance(ctx, progress);
  if (instance === undefined) return undefined;
  progress.instance = instance;
  report(ctx, progress, instance);
  const phase = phaseOf(instance);
  if (phase === "exited")
    return failed(
      `instance ${progress.id} exited: ${describeStatus(instance)}`,
    );
  if (phase === "offline")
    return failed(
      `the machine of instance ${progress.id} is offline (status ${instance.actualStatus})`,
    );
  if (phase === "stopped")
    return failed(
      `instance ${progress.id} is stopped and nothing asked it to start; add vast.start before vast.wait`,
    );
  const endpoint = sshEndpoint(instance);
  if (phase !== "running" || endpoint === undefined) return undefined;
  return tryLogin(ctx, progress, instance, endpoint);
}

async function readInstance(
  ctx: RunContext,
  progress: WaitProgress,
): Promise<VastInstance | undefined> {
  try {
    return await showInstance(ctx.vastClient(), progress.id, ctx.signal);
  } catch (error) {
    if (
      isNotFound(error) ||
      !(error instanceof VastApiError) ||
      isAuthError(error)
    )
      throw error;
    ctx.emit({
      kind: "warn",
      message: `reading instance ${progress.id} failed, retrying: ${error.message}`,
    });
    return undefined;
  }
}

function report(
  ctx: RunContext,
  progress: WaitProgress,
  instance: VastInstance,
): void {
  const status = describeStatus(instance);
  if (status === progress.lastStatus) return;
  progress.lastStatus = status;
  const phase = phaseOf(instance);
  const note =
    phase === "scheduling" ? " (waiting for a free GPU on its machine)" : "";
  ctx.emit({
    kind: "info",
    message: `instance ${progress.id}: ${status}${note}`,
  });
}

async function tryLogin(
  ctx: RunContext,
  progress: WaitProgress,
  instance: VastInstance,
  endpoint: NonNullable<ReturnType<typeof sshEndpoint>>,
): Promise<StepOutcome | undefined> {
  if (ctx.settings.vast.autoAttachSshKey && !progress.attached) {
    progress.attached = true;
    await ensureKeyAttached(ctx, progress.id);
  }
  const probe = await probeLogin(ctx, progress.label, progress.id, endpoint);
  if (!probe.ok) {
    if (probe.reason !== progress.lastSsh)
      ctx.emit({
        kind: "info",
        message: `instance ${progress.id} is running; SSH login not working yet (${probe.reason})`,
      });
    progress.lastSsh = probe.reason;
    return undefined;
  }
  ctx.rememberVastHost(progress.id, probe.host);
  const record = recordInstance(ctx, progress.id, {});
  notePrices(record, instance);
  ctx.save();
  return succeeded(
    `instance ${progress.id} is ready: ssh ${describeEndpoint(endpoint)}, billing ${billingText(ctx, instance)}`,
  );
}

function timeoutMessage(progress: WaitProgress, timeoutSec: number): string {
  const within = formatDuration(timeoutSec);
  const instance = progress.instance;
  const id = progress.id;
  if (instance === undefined)
    return `instance ${id} could not be read within ${within}`;
  const phase = phaseOf(instance);
  if (phase === "running")
    return `instance ${id} is running but SSH login did not succeed within ${within} (last: ${progress.lastSsh ?? "no SSH address yet"})`;
  if (phase === "scheduling")
    return `instance ${id} got no free GPU on its machine within ${within} (status: ${describeStatus(instance)})`;
  return `instance ${id} was not ready within ${within} (status: ${describeStatus(instance)}); its disk bills storage meanwhile`;
}

async function finish(
  ctx: RunContext,
  step: VastWaitStep,
  progress: WaitProgress,
  outcome: StepOutcome,
): Promise<StepOutcome> {
  if (outcome.ok || step.stopOnFail !== true) return outcome;
  try {
    const budgetMs = ctx.settings.vast.confirmTimeoutSec * 1000;
    await stopConfirmed(ctx.vastClient(), progress.id, budgetMs);
    recordInstance(ctx, progress.id, { stoppedAt: new Date().toISOString() });
    return {
      ...outcome,
      message: `${outcome.message}; instance stopped (stop_on_fail)`,
    };
  } catch (error) {
    return {
      ...outcome,
      message: `${outcome.message}; stopping it failed: ${(error as Error).message}`,
    };
  }
}
