import { JobStore } from "../../runtime/job-store.ts";
import type { JobState } from "../../runtime/job-state.ts";
import { renderTable } from "../../ui/table.ts";
import { JOB_HEAD, displayStatus, jobRow } from "./jobs-view.ts";
import { describeVastRecords } from "./vast-lines.ts";

function describeJob(job: JobState, socket: string): string {
  const lines = [
    `Job: ${job.id}`,
    `Recipe: ${job.recipeName} (${job.recipePath})`,
    `Status: ${displayStatus(job)}`,
    `Step: ${Math.min(job.currentStep + 1, job.totalSteps)}/${job.totalSteps}`,
    `Started: ${job.createdAt}`,
    `Updated: ${job.updatedAt}`,
  ];
  if (job.error) lines.push(`Error: ${job.error}`);
  const sessions = Object.values(job.sessions);
  if (sessions.length > 0) lines.push("Sessions:");
  for (const s of sessions) {
    const pending =
      s.pending.length > 0
        ? `, background steps ${s.pending.map((n) => n + 1).join(", ")}`
        : "";
    lines.push(
      `  @${s.alias} on ${s.host}: tmux -L ${socket} attach -t ${s.tmuxName}${pending}`,
    );
  }
  lines.push(...describeVastRecords(job));
  return lines.join("\n") + "\n";
}

export async function statusCommand(
  ref: string | undefined,
  flags: { all?: boolean; json?: boolean },
): Promise<void> {
  const store = new JobStore();
  const socket = process.env.TRAINSH_TMUX_SOCKET || "trainsh";
  if (ref !== undefined) {
    const job = store.resolve(ref);
    process.stdout.write(
      flags.json
        ? JSON.stringify(job, null, 2) + "\n"
        : describeJob(job, socket),
    );
    return;
  }
  const jobs = store
    .list()
    .filter(
      (job) =>
        flags.all || ["running", "interrupted"].includes(displayStatus(job)),
    );
  if (flags.json) {
    process.stdout.write(JSON.stringify(jobs, null, 2) + "\n");
    return;
  }
  if (jobs.length === 0) {
    process.stderr.write(
      flags.all
        ? "no jobs yet\n"
        : "no running jobs; --all includes finished ones\n",
    );
    return;
  }
  process.stdout.write(renderTable(JOB_HEAD, jobs.map(jobRow)));
}
