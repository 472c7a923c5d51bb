// `vast.cost [ID]`: what the instance has cost since the run rented, started
// or picked it: compute while running plus storage, in the display currency.
import type { VastInstanceStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import { succeeded, type StepOutcome } from "../step-outcome.ts";
import { showInstance } from "../../providers/vast/instances.ts";
import {
  costSince,
  formatMoney,
  hourlyRates,
} from "../../providers/vast/cost.ts";
import { formatMs } from "../../ui/format.ts";
import {
  findRecord,
  instanceIdFor,
  notePrices,
  VastStepError,
} from "./records.ts";
import { billingText } from "./records.ts";

export async function runVastCost(
  step: VastInstanceStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const id = instanceIdFor(ctx, step.instanceId);
  const instance = await showInstance(ctx.vastClient(), id, ctx.signal);
  const rates = hourlyRates(instance);
  if (rates === undefined)
    throw new VastStepError(`the Vast.ai API gave no price for instance ${id}`);
  const record = findRecord(ctx, id);
  const currency = ctx.settings.vast.currency;
  if (record === undefined) {
    return succeeded(
      `instance ${id} was not picked or started by this run, so no cost since then is known; it bills ${billingText(ctx, instance)} now`,
    );
  }
  notePrices(record, instance);
  ctx.save();
  const startedAt = Date.parse(record.startedAt);
  const stoppedAt =
    record.stoppedAt === undefined ? undefined : Date.parse(record.stoppedAt);
  const cost = costSince(rates, { startedAt, stoppedAt, now: Date.now() });
  const money = (usd: number) => formatMoney(usd, "USD");
  const since = formatMs(Date.now() - startedAt);
  return succeeded(
    `instance ${id} since ${record.startedAt.slice(11, 19)} UTC (${since}): compute ${money(cost.compute)} + storage ${money(cost.storage)} = ${formatMoney(cost.total, currency)}`,
  );
}
