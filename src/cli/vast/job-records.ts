// The local jobs' records of Vast.ai instances, as `train vast` commands see
// them: which job labelled an instance, and marking an instance destroyed.
import { JobStore } from "../../runtime/job-store.ts";
import type { JobState } from "../../runtime/job-state.ts";

/**
 * Returns the job id in a label that train gave a rented instance, `train:<job id>`
 * with the 8 hex digits of `newJobId`; undefined for any other label.
 */
export function labelledJobId(label: string): string | undefined {
  const match = /^train:([0-9a-f]{8})$/.exec(label.trim());
  return match?.[1];
}

export function listJobs(store = new JobStore()): JobState[] {
  return store.list();
}

/**
 * Marks the instance destroyed in every job that records it. A job
 * whose runner is saving at the same moment may overwrite the note, which
 * only loses the note: the instance is gone either way.
 */
export function markDestroyed(
  instanceId: number,
  store = new JobStore(),
): void {
  const now = new Date().toISOString();
  for (const job of store.list()) {
    const records = job.vastInstances ?? [];
    const record = records.find((r) => r.instanceId === instanceId);
    if (record === undefined || record.destroyedAt !== undefined) continue;
    record.destroyedAt = now;
    store.save(job);
  }
}
