// Rows shared by `recipe jobs`, `recipe status` and `recipe logs`.
import type { JobState } from "../../runtime/job-state.ts";
import { formatMs } from "../../ui/format.ts";

export function jobRow(state: JobState): string[] {
  const step =
    state.status === "completed"
      ? `${state.totalSteps}/${state.totalSteps}`
      : `${state.currentStep + 1}/${state.totalSteps}`;
  const ms = Date.parse(state.updatedAt) - Date.parse(state.createdAt);
  return [
    state.id,
    state.recipeName,
    displayStatus(state),
    step,
    state.updatedAt.replace("T", " ").slice(0, 19),
    formatMs(ms),
  ];
}

export const JOB_HEAD = [
  "ID",
  "Recipe",
  "Status",
  "Step",
  "Updated",
  "Duration",
];

/** A job recorded as running whose runner process is gone was killed: show it as such. */
export function displayStatus(state: JobState): string {
  if (state.status !== "running") return state.status;
  return isAlive(state.pid) ? "running" : "interrupted";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
