// `train recipe run NAME`: check the recipe, then run it as a new job.
import { JobStore, newJobId } from "../../runtime/job-store.ts";
import { newJobState } from "../../runtime/runner.ts";
import { readSettings } from "../../config/settings.ts";
import { UsageError } from "../errors.ts";
import { findRecipe } from "./find.ts";
import { checkOrThrow, loadRecipe, runCheckContext } from "./load.ts";
import { parseAssignments } from "./overrides.ts";
import { concludeRun, startRun } from "./start-run.ts";

export interface RunOptions {
  recipe: string;
  vars: Record<string, string>;
  hosts: Record<string, string>;
  visual: boolean;
  pickHosts: string[];
}

export async function runRecipe(opts: RunOptions): Promise<void> {
  if (opts.pickHosts.length > 0) {
    throw new UsageError(
      "--pick-host needs Vast.ai support, which is not in this version",
      "pass the instance's SSH address with --host NAME=user@host -p PORT",
    );
  }
  const found = findRecipe(opts.recipe);
  const recipe = loadRecipe(found.path);
  checkOrThrow(
    recipe,
    runCheckContext({
      implicitHosts: false,
      hosts: opts.hosts,
      vars: opts.vars,
    }),
  );
  const state = newJobState(newJobId(), recipe, found.name, {
    vars: opts.vars,
    hosts: opts.hosts,
  });
  new JobStore().save(state);
  concludeRun(
    await startRun({
      recipe,
      state,
      visual: opts.visual,
      implicitHosts: false,
      resume: false,
    }),
  );
}

export async function runCommand(
  recipe: string,
  flags: { var: string[]; host: string[]; pickHost: string[]; visual: boolean },
): Promise<void> {
  const visualDefault = readSettings().ui.visual;
  await runRecipe({
    recipe,
    vars: parseAssignments("--var", flags.var),
    hosts: parseAssignments("--host", flags.host),
    visual: flags.visual && visualDefault,
    pickHosts: flags.pickHost,
  });
}
