import { JobStore } from "../../runtime/job-store.ts";
import { renderTable } from "../../ui/table.ts";
import { JOB_HEAD, displayStatus, jobRow } from "./jobs-view.ts";

const DEFAULT_LIMIT = 20;

export async function jobsCommand(flags: {
  all?: boolean;
  json?: boolean;
}): Promise<void> {
  const all = new JobStore().list();
  const jobs = flags.all ? all : all.slice(0, DEFAULT_LIMIT);
  if (flags.json) {
    const out = jobs.map((job) => ({ ...job, status: displayStatus(job) }));
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
    return;
  }
  if (jobs.length === 0) {
    process.stderr.write(
      "no jobs yet; start one with `train recipe run NAME`\n",
    );
    return;
  }
  process.stdout.write(renderTable(JOB_HEAD, jobs.map(jobRow)));
  if (!flags.all && all.length > jobs.length) {
    process.stderr.write(
      `showing ${jobs.length} of ${all.length} jobs; --all shows every one\n`,
    );
  }
}
