// The job's record of the Vast.ai instances a run uses, and how steps find
// the instance they act on: the step's own id, else the instance the run
// picked or started last, else the `VAST_ID` variable.
import type { RunContext } from "../context.ts";
import type { VastRecord } from "../job-state.ts";
import type { VastInstance } from "../../providers/vast/instance.ts";
import { currentRate, hourlyRates } from "../../providers/vast/cost.ts";
import { formatRate } from "../../providers/vast/cost.ts";

export class VastStepError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "VastStepError";
  }
}

export function vastRecords(ctx: RunContext): VastRecord[] {
  ctx.state.vastInstances ??= [];
  return ctx.state.vastInstances;
}

export function findRecord(
  ctx: RunContext,
  instanceId: number,
): VastRecord | undefined {
  return vastRecords(ctx).find((r) => r.instanceId === instanceId);
}

/** Adds or updates the record of an instance and saves the job at once. */
export function recordInstance(
  ctx: RunContext,
  instanceId: number,
  patch: Partial<VastRecord>,
): VastRecord {
  let record = findRecord(ctx, instanceId);
  if (record === undefined) {
    record = {
      instanceId,
      createdByRun: false,
      startedByRun: false,
      pickedWhileStopped: false,
      startedAt: new Date().toISOString(),
    };
    vastRecords(ctx).push(record);
  }
  Object.assign(record, patch);
  ctx.state.runtimeVars.VAST_ID = String(instanceId);
  ctx.save();
  return record;
}

/** Copies the instance's current prices into its record. */
export function notePrices(record: VastRecord, instance: VastInstance): void {
  const rates = hourlyRates(instance);
  if (rates === undefined) return;
  record.dphTotal = rates.compute + rates.storage;
  record.storagePerHour = rates.storage;
}

/** The instance a step acts on, or a failure naming the ways to give one. */
export function instanceIdFor(ctx: RunContext, written?: string): number {
  const text =
    written !== undefined
      ? ctx.expand(written)
      : (vastRecords(ctx).at(-1)?.instanceId.toString() ??
        ctx.variables().get("VAST_ID"));
  if (text === undefined || text === "") {
    throw new VastStepError(
      "no Vast.ai instance to act on",
      "give its id (vast.wait 12345), run vast.pick @HOST first, or pass --var VAST_ID=12345",
    );
  }
  if (!/^\d+$/.test(text.trim())) {
    throw new VastStepError(
      `"${text}" is not a Vast.ai instance id`,
      "use the numeric id shown by `train vast list`",
    );
  }
  return Number(text.trim());
}

/** "$0.352/h" for what the instance bills now. */
export function billingText(ctx: RunContext, instance: VastInstance): string {
  const rates = hourlyRates(instance);
  if (rates === undefined) return "an unknown price";
  return formatRate(currentRate(instance, rates), ctx.settings.vast.currency);
}
