// `train recipe run NAME`: check the recipe, then run it as a new job.
import type { Command } from "commander";
import { JobStore, newJobId } from "../../runtime/job-store.ts";
import { newJobState } from "../../runtime/runner.ts";
import { readSettings } from "../../config/settings.ts";
import { UsageError } from "../errors.ts";
import { findRecipe } from "./find.ts";
import { checkOrThrow, loadRecipe, runCheckContext } from "./load.ts";
import { collect, parseAssignments } from "./overrides.ts";
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
  checkOrThrow(recipe, runCheckContext({ implicitHosts: false, hosts: opts.hosts, vars: opts.vars }));
  const state = newJobState(newJobId(), recipe, found.name, { vars: opts.vars, hosts: opts.hosts });
  new JobStore().save(state);
  concludeRun(await startRun({ recipe, state, visual: opts.visual, implicitHosts: false, resume: false }));
}

export function registerRun(group: Command): void {
  group
    .command("run")
    .description("Run a recipe as a new job")
    .argument("<recipe>", "recipe name, path, or bundled example")
    .option("--var <NAME=VALUE>", "override a variable (repeatable)", collect, [])
    .option("--host <NAME=SPEC>", "override a host, e.g. gpu=root@203.0.113.7 -p 2222 (repeatable)", collect, [])
    .option("--pick-host <NAME>", "pick a Vast.ai instance for a host (repeatable)", collect, [])
    .option("--no-visual", "print plain timestamped lines instead of the live view")
    .action(async (recipe: string, flags: { var: string[]; host: string[]; pickHost: string[]; visual: boolean }) => {
      const visualDefault = readSettings().ui.visual;
      await runRecipe({
        recipe,
        vars: parseAssignments("--var", flags.var),
        hosts: parseAssignments("--host", flags.host),
        visual: flags.visual && visualDefault,
        pickHosts: flags.pickHost,
      });
    });
}
