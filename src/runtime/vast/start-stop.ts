// `vast.start [ID]` and `vast.stop [ID]`. A stop is confirmed by reading the
// instance again, and the step's message notes that the disk keeps billing
// until the instance is destroyed.
import type { VastInstanceStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import { succeeded, type StepOutcome } from "../step-outcome.ts";
import type { VastClient } from "../../providers/vast/client.ts";
import type { VastInstance } from "../../providers/vast/instance.ts";
import {
  isNotFound,
  setInstanceState,
  showInstance,
} from "../../providers/vast/instances.ts";
import {
  confirmStopped,
  describeUnconfirmed,
} from "../../providers/vast/confirm.ts";
import {
  formatBillingRate,
  formatRate,
  hourlyRates,
} from "../../providers/vast/cost.ts";
import { describeStatus } from "../../providers/vast/status.ts";
import {
  instanceIdFor,
  notePrices,
  recordInstance,
  VastStepError,
} from "./records.ts";

export async function runVastStart(
  step: VastInstanceStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const id = instanceIdFor(ctx, step.instanceId);
  const client = ctx.vastClient();
  const instance = await showInstance(client, id, ctx.signal);
  if (instance.actualStatus === "running") {
    notePrices(recordInstance(ctx, id, {}), instance);
    ctx.save();
    return succeeded(`instance ${id} is already running`);
  }
  await setInstanceState(client, id, "running");
  const record = recordInstance(ctx, id, {
    startedByRun: true,
    startedAt: new Date().toISOString(),
  });
  delete record.stoppedAt;
  notePrices(record, instance);
  ctx.save();
  return succeeded(
    `asked instance ${id} to start (was ${describeStatus(instance)}); vast.wait waits until SSH works`,
  );
}

export async function runVastStop(
  step: VastInstanceStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const id = instanceIdFor(ctx, step.instanceId);
  const budgetMs = ctx.settings.vast.confirmTimeoutSec * 1000;
  const storage = await stopConfirmed(ctx.vastClient(), id, budgetMs);
  recordInstance(ctx, id, { stoppedAt: new Date().toISOString() });
  return succeeded(
    `stopped instance ${id}; its disk still bills ${formatRate(storage, ctx.settings.vast.currency)} until \`train vast destroy ${id}\``,
  );
}

/**
 * Stops an instance and reads it back until the service reports its
 * container stopped, for at most `budgetMs`. Returns the storage $/h that
 * keeps billing. Throws a VastStepError naming what the instance may still
 * bill when the stop is not confirmed in time.
 */
export async function stopConfirmed(
  client: VastClient,
  id: number,
  budgetMs: number,
): Promise<number> {
  const before = await readForPrice(client, id);
  const billing =
    before === undefined ? "an unknown price" : formatBillingRate(before);
  const again = `run \`train vast stop ${id}\` again`;
  try {
    await setInstanceState(client, id, "stopped");
  } catch (error) {
    throw new VastStepError(
      `instance ${id} may still be billing (${billing}): the stop request failed: ${(error as Error).message}`,
      again,
    );
  }
  const result = await confirmStopped(client, id, budgetMs);
  if (!result.confirmed) {
    throw new VastStepError(
      `instance ${id} may still be billing (${billing}): Vast.ai ${describeUnconfirmed(result)} ${Math.round(budgetMs / 1000)}s after the stop request`,
      `${again}, or check \`train vast show ${id}\` (config vast.confirm_timeout sets how long to wait)`,
    );
  }
  const stopped = result.instance ?? before;
  return stopped === undefined ? 0 : (hourlyRates(stopped)?.storage ?? 0);
}

/** Reads the instance before the stop, for its price. Any failure but a 404 returns undefined. */
async function readForPrice(
  client: VastClient,
  id: number,
): Promise<VastInstance | undefined> {
  try {
    return await showInstance(client, id);
  } catch (error) {
    if (isNotFound(error)) throw error;
    return undefined;
  }
}
