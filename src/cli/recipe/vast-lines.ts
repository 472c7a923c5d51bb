// The Vast.ai instances of a job in `recipe status`, with how to stop them.
import type { JobState, VastRecord } from "../../runtime/job-state.ts";
import { formatRate } from "../../providers/vast/cost.ts";

function origin(record: VastRecord): string {
  if (record.createdByRun) return "rented by this run";
  if (record.startedByRun) return "started by this run";
  return "picked by this run, already running";
}

function describeRecord(record: VastRecord): string[] {
  const id = record.instanceId;
  const host = record.host === undefined ? "" : ` for @${record.host}`;
  const price =
    record.dphTotal === undefined ? "" : `, ${formatRate(record.dphTotal)}`;
  const head = `  ${id}${host}: ${origin(record)} at ${record.startedAt}${price}`;
  if (record.destroyedAt !== undefined)
    return [`${head}; destroyed at ${record.destroyedAt}`];
  if (record.stoppedAt !== undefined) {
    return [
      `${head}; stopped at ${record.stoppedAt}`,
      `    its disk bills until destroyed: train vast destroy ${id}`,
    ];
  }
  return [head, `    stop: train vast stop ${id}`];
}

export function describeVastRecords(job: JobState): string[] {
  const records = job.vastInstances ?? [];
  if (records.length === 0) return [];
  return ["Vast.ai instances:", ...records.flatMap(describeRecord)];
}
