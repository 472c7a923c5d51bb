// `train recipe check NAME`: everything that can be known without running.
import type { Command } from "commander";
import { findRecipe } from "./find.ts";
import { checkOrThrow, loadRecipe, runCheckContext } from "./load.ts";
import { collect, parseAssignments } from "./overrides.ts";

export function registerCheck(group: Command): void {
  group
    .command("check")
    .description("Validate a recipe without running it")
    .argument("<recipe>", "recipe name, path, or bundled example")
    .option("--var <NAME=VALUE>", "a variable override the run will get (repeatable)", collect, [])
    .option("--host <NAME=SPEC>", "a host override the run will get (repeatable)", collect, [])
    .action((ref: string, flags: { var: string[]; host: string[] }) => {
      const found = findRecipe(ref);
      const recipe = loadRecipe(found.path);
      checkOrThrow(recipe, runCheckContext({
        implicitHosts: false,
        hosts: parseAssignments("--host", flags.host),
        vars: parseAssignments("--var", flags.var),
      }));
      process.stdout.write(`${found.path}: ok (${recipe.steps.length} steps)\n`);
    });
}
