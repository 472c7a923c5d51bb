// `train recipe check NAME`: everything that can be known without running.
import { findRecipe } from "./find.ts";
import { checkOrThrow, loadRecipe, runCheckContext } from "./load.ts";
import { parseAssignments } from "./overrides.ts";
import {
  checkStorageNames,
  parseStorageOverrides,
} from "./storage-overrides.ts";

export async function checkCommand(
  ref: string,
  flags: { var: string[]; host: string[]; storage: string[] },
): Promise<void> {
  const found = findRecipe(ref);
  const recipe = loadRecipe(found.path);
  const storages = parseStorageOverrides(flags.storage);
  checkStorageNames(recipe, storages);
  checkOrThrow(
    recipe,
    runCheckContext({
      implicitHosts: false,
      hosts: parseAssignments("--host", flags.host),
      vars: parseAssignments("--var", flags.var),
      storages,
    }),
  );
  process.stdout.write(`${found.path}: ok (${recipe.steps.length} steps)\n`);
}
