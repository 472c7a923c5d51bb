// `vast.start [ID]` and `vast.stop [ID]`. A stop is confirmed by reading the
// instance again, and the step's message notes that the disk keeps billing
// until the instance is destroyed.
import type { VastInstanceStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import { succeeded, type StepOutcome } from "../step-outcome.ts";
import type { VastClient } from "../../providers/vast/client.ts";
import {
  setInstanceState,
  showInstance,
} from "../../providers/vast/instances.ts";
import { formatRate, hourlyRates } from "../../providers/vast/cost.ts";
import { describeStatus } from "../../providers/vast/status.ts";
import { instanceIdFor, notePrices, recordInstance } from "./records.ts";

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
  const storage = await stopConfirmed(ctx.vastClient(), id);
  recordInstance(ctx, id, { stoppedAt: new Date().toISOString() });
  return succeeded(
    `stopped instance ${id}; its disk still bills ${formatRate(storage, ctx.settings.vast.currency)} until \`train vast destroy ${id}\``,
  );
}

/**
 * Stops an instance and reads it back until the service reports it stopped.
 * Returns the storage $/h that keeps billing.
 */
export async function stopConfirmed(
  client: VastClient,
  id: number,
): Promise<number> {
  await setInstanceState(client, id, "stopped");
  const instance = await showInstance(client, id);
  const stopped =
    instance.intendedStatus === "stopped" ||
    ["stopped", "exited"].includes(instance.actualStatus ?? "");
  if (!stopped) {
    throw new Error(
      `instance ${id} still reports ${describeStatus(instance)} after the stop request; it may still be billing.\nTry: train vast stop ${id}`,
    );
  }
  return hourlyRates(instance)?.storage ?? 0;
}
