// Reconciling the account's instances with the local jobs. Renting labels an
// instance `train:<job id>`, so an instance with that label whose job is
// missing here, or whose job does not record it, was rented by a run whose
// local state was lost (a deleted folder, another machine). Nothing else
// would point at such an instance while it bills.
import type { VastInstance } from "../../providers/vast/instance.ts";
import type { JobState } from "../../runtime/job-state.ts";
import { formatBillingRate } from "../../providers/vast/cost.ts";
import { describeStatus } from "../../providers/vast/status.ts";
import { labelledJobId } from "./job-records.ts";

export interface UntrackedInstance {
  instance: VastInstance;
  jobId: string;
  /** Whether the job exists locally but has no record of the instance. */
  jobFound: boolean;
}

export function findUntracked(
  instances: VastInstance[],
  jobs: JobState[],
): UntrackedInstance[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const untracked: UntrackedInstance[] = [];
  for (const instance of instances) {
    const jobId = labelledJobId(instance.label);
    if (jobId === undefined) continue;
    const job = byId.get(jobId);
    const recorded = (job?.vastInstances ?? []).some(
      (r) => r.instanceId === instance.id && r.destroyedAt === undefined,
    );
    if (!recorded) untracked.push({ instance, jobId, jobFound: !!job });
  }
  return untracked;
}

/** Lines for stderr: each untracked instance, its billing and what to do. */
export function describeUntracked(
  untracked: UntrackedInstance[],
  currency: string,
): string[] {
  const lines: string[] = [];
  for (const { instance, jobId, jobFound } of untracked) {
    const id = instance.id;
    const why = jobFound
      ? `job ${jobId} does not record it`
      : `no local job ${jobId}`;
    lines.push(
      `${id} (label ${instance.label}) — not in local state (${why}), ${describeStatus(instance)}, ${formatBillingRate(instance, currency)}`,
      `    adopt: train recipe run RECIPE --host NAME=vast:${id}`,
      `    destroy: train vast destroy ${id}`,
    );
  }
  return lines;
}
