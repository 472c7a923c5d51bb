// `train recipe run NAME`: check the recipe, then run it as a new job.
import { JobStore, newJobId } from "../../runtime/job-store.ts";
import { newJobState } from "../../runtime/runner.ts";
import { readSettings } from "../../config/settings.ts";
import { applyVastHosts } from "./pick-host.ts";
import { findRecipe } from "./find.ts";
import { checkOrThrow, loadRecipe, runCheckContext } from "./load.ts";
import { checkOverrideNames, parseAssignments } from "./overrides.ts";
import {
  checkStorageNames,
  parseStorageOverrides,
} from "./storage-overrides.ts";
import { concludeRun, startRun } from "./start-run.ts";

export interface RunOptions {
  recipe: string;
  vars: Record<string, string>;
  hosts: Record<string, string>;
  storages?: Record<string, string>;
  visual: boolean;
  pickHosts: string[];
}

export async function runRecipe(opts: RunOptions): Promise<void> {
  await applyVastHosts(opts);
  const found = findRecipe(opts.recipe);
  const recipe = loadRecipe(found.path);
  const storages = opts.storages ?? {};
  checkStorageNames(recipe, storages);
  checkOverrideNames(recipe, opts.vars, opts.hosts);
  checkOrThrow(
    recipe,
    runCheckContext({
      implicitHosts: false,
      hosts: opts.hosts,
      vars: opts.vars,
      storages,
    }),
  );
  const state = newJobState(newJobId(), recipe, found.name, {
    vars: opts.vars,
    hosts: opts.hosts,
    storages,
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
  flags: {
    var: string[];
    host: string[];
    storage: string[];
    pickHost: string[];
    visual: boolean;
  },
): Promise<void> {
  const visualDefault = readSettings().ui.visual;
  await runRecipe({
    recipe,
    vars: parseAssignments("--var", flags.var),
    hosts: parseAssignments("--host", flags.host),
    storages: parseStorageOverrides(flags.storage),
    visual: flags.visual && visualDefault,
    pickHosts: flags.pickHost,
  });
}
