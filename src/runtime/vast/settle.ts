// What happens to the run's Vast.ai instances when the run ends. An instance
// the run rented, started, or picked while stopped is stopped when the run
// fails, unless config vast.on_failure is `keep`. Ctrl-C detaches: the work
// on the instance keeps running, so the instance is left running and the run
// prints what it bills and how to stop it. Every instance left running is
// printed with its hourly price.
import type { RunContext } from "../context.ts";
import type { RunStatus } from "../events.ts";
import type { VastRecord } from "../job-state.ts";
import { formatRate } from "../../providers/vast/cost.ts";
import { stopConfirmed } from "./start-stop.ts";
import { vastRecords, VastStepError } from "./records.ts";
import { savePanesBeforeStop } from "./save-panes.ts";

export function isOwnedByRun(record: VastRecord): boolean {
  return (
    record.createdByRun || record.startedByRun || record.pickedWhileStopped
  );
}

function rateOf(ctx: RunContext, record: VastRecord): string {
  if (record.dphTotal === undefined) return "an unknown price";
  return formatRate(record.dphTotal, ctx.settings.vast.currency);
}

export async function settleVastInstances(
  ctx: RunContext,
  status: RunStatus,
): Promise<void> {
  const running = vastRecords(ctx).filter((r) => r.stoppedAt === undefined);
  for (const record of running) {
    if (status === "failed" && isOwnedByRun(record))
      await stopAfterFailure(ctx, record);
    else if (status !== "completed" || isOwnedByRun(record))
      reportRunning(ctx, record, status);
  }
}

async function stopAfterFailure(
  ctx: RunContext,
  record: VastRecord,
): Promise<void> {
  const id = record.instanceId;
  if (ctx.settings.vast.onFailure === "keep") {
    ctx.emit({
      kind: "warn",
      message: `Vast.ai instance ${id} is left running at ${rateOf(ctx, record)} because config vast.on_failure is keep; stop it: train vast stop ${id}`,
    });
    return;
  }
  await savePanesBeforeStop(ctx, id);
  try {
    const budgetMs = ctx.settings.vast.confirmTimeoutSec * 1000;
    const storage = await stopConfirmed(ctx.vastClient(), id, budgetMs);
    record.stoppedAt = new Date().toISOString();
    ctx.save();
    ctx.emit({
      kind: "info",
      message: `stopped Vast.ai instance ${id}, which this run started, because the run failed; its disk still bills ${formatRate(storage, ctx.settings.vast.currency)} until \`train vast destroy ${id}\``,
    });
  } catch (error) {
    // The record keeps no stoppedAt, so `recipe status` still lists the
    // instance as running with the command to stop it.
    const message = (error as Error).message;
    const detail =
      error instanceof VastStepError
        ? `${message}; ${error.hint ?? `run \`train vast stop ${id}\``}`
        : `${message}\nIt may still be billing ${rateOf(ctx, record)}; stop it: train vast stop ${id}`;
    ctx.emit({
      kind: "warn",
      message: `failed to stop Vast.ai instance ${id} after the run failed: ${detail}`,
    });
  }
}

function reportRunning(
  ctx: RunContext,
  record: VastRecord,
  status: RunStatus,
): void {
  const id = record.instanceId;
  const why =
    status === "interrupted"
      ? "keeps running so the detached work can go on"
      : isOwnedByRun(record)
        ? "was started by this run and is still running"
        : "was not started by this run, so it was left running";
  ctx.emit({
    kind: "warn",
    message: `Vast.ai instance ${id} ${why}, billing ${rateOf(ctx, record)}; stop it: train vast stop ${id}`,
  });
}
