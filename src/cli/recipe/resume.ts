// `train recipe resume [JOB]`: continue an interrupted or failed job. Finished
// steps are skipped, an in-flight step's result is taken from its status file
// on the host, and a failed step is run again.
import { existsSync } from "node:fs";
import type { Recipe } from "../../recipe/ast.ts";
import { JobStore } from "../../runtime/job-store.ts";
import type { JobState } from "../../runtime/job-state.ts";
import { CommandError } from "../errors.ts";
import { displayStatus } from "./jobs-view.ts";
import { loadRecipe, parseRecipeText } from "./load.ts";
import { concludeRun, startRun } from "./start-run.ts";

function pickJob(store: JobStore, ref: string | undefined): JobState {
  if (ref !== undefined) return store.resolve(ref);
  const job = store
    .list()
    .find((state) => ["interrupted", "failed"].includes(displayStatus(state)));
  if (job === undefined) {
    throw new CommandError(
      "no interrupted or failed job to resume",
      "list jobs with `train recipe jobs`",
    );
  }
  return job;
}

function reloadRecipe(job: JobState): Recipe {
  if (job.source !== undefined)
    return parseRecipeText(job.source, job.recipePath);
  if (!existsSync(job.recipePath)) {
    throw new CommandError(
      `recipe file of job ${job.id} is gone: ${job.recipePath}`,
    );
  }
  const recipe = loadRecipe(job.recipePath);
  // Steps that already ran must still be the same steps, or their recorded
  // results would be credited to different commands.
  const finished = job.steps.filter((s) => s.status !== "pending").length;
  if (recipe.steps.length !== job.totalSteps && finished > 0) {
    throw new CommandError(
      `${job.recipePath} has ${recipe.steps.length} steps now, but job ${job.id} was started with ${job.totalSteps}`,
      "start a new run with `train recipe run` instead",
    );
  }
  return recipe;
}

export async function resumeCommand(
  ref: string | undefined,
  flags: { visual: boolean },
): Promise<void> {
  const store = new JobStore();
  const job = pickJob(store, ref);
  const status = displayStatus(job);
  if (status === "completed")
    throw new CommandError(`job ${job.id} already completed`);
  if (status === "running") {
    throw new CommandError(
      `job ${job.id} is still being run by process ${job.pid}`,
      "stop that runner first (Ctrl-C)",
    );
  }
  const recipe = reloadRecipe(job);
  concludeRun(
    await startRun({
      recipe,
      state: job,
      visual: flags.visual,
      implicitHosts: job.source !== undefined,
      resume: true,
    }),
  );
}
