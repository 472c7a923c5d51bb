import { readFileSync } from "node:fs";
import { JobStore } from "../../runtime/job-store.ts";
import type { JobState } from "../../runtime/job-state.ts";
import { formatMs } from "../../ui/format.ts";
import { renderTable } from "../../ui/table.ts";
import { CommandError, UsageError } from "../errors.ts";
import { JOB_HEAD, displayStatus, jobRow } from "./jobs-view.ts";

function describeSteps(store: JobStore, job: JobState, only?: number): string {
  const out = [`Job ${job.id}: ${job.recipeName}, ${displayStatus(job)}`, ""];
  job.steps.forEach((step, index) => {
    if (only !== undefined && index !== only) return;
    const mark = {
      done: "OK",
      failed: "FAIL",
      pending: "..",
      sending: "SENT",
      sent: "SENT",
      skipped: "SKIP",
    }[step.status];
    const took =
      step.durationMs === undefined ? "" : ` (${formatMs(step.durationMs)})`;
    out.push(
      `${String(index + 1).padStart(3)}. [${mark}]${took} ${step.message ?? ""}`,
    );
    const log = store.stepLogPath(job.id, index);
    if (log === undefined) return;
    const lines = readFileSync(log, "utf8").replace(/\n$/, "").split("\n");
    const shown =
      only !== undefined
        ? lines
        : step.status === "failed"
          ? lines.slice(-20)
          : [];
    for (const line of shown) out.push(`       │ ${line}`);
    if (only === undefined && shown.length === 0)
      out.push(`       output: ${log}`);
  });
  return out.join("\n") + "\n";
}

export async function logsCommand(
  ref: string | undefined,
  flags: { last?: boolean; step?: string },
): Promise<void> {
  const store = new JobStore();
  const jobs = store.list();
  if (ref === undefined && !flags.last) {
    if (jobs.length === 0)
      throw new CommandError(
        "no jobs yet",
        "start one with `train recipe run NAME`",
      );
    process.stdout.write(renderTable(JOB_HEAD, jobs.slice(0, 20).map(jobRow)));
    return;
  }
  const job = ref === undefined ? jobs[0] : store.resolve(ref);
  if (job === undefined)
    throw new CommandError(
      "no jobs yet",
      "start one with `train recipe run NAME`",
    );
  const step = flags.step === undefined ? undefined : Number(flags.step) - 1;
  if (
    step !== undefined &&
    !(Number.isInteger(step) && step >= 0 && step < job.totalSteps)
  ) {
    throw new UsageError(
      `invalid --step "${flags.step}": job ${job.id} has steps 1 to ${job.totalSteps}`,
    );
  }
  process.stdout.write(describeSteps(store, job, step));
}
