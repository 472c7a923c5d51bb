// Finds a recipe by path, in the user's `recipes/` folder, or among the
// examples bundled with train, in that order.
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { paths } from "../../config/paths.ts";
import { CommandError } from "../errors.ts";

/** The `examples/` folder of the installed package (dist/ or src/cli/recipe/ in a checkout). */
export function examplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "examples");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate))
      return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), "..", "examples");
}

export interface FoundRecipe {
  path: string;
  name: string;
  source: "path" | "user" | "bundled";
}

function withExtension(name: string): string {
  return name.endsWith(".recipe") ? name : `${name}.recipe`;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

export function findRecipe(ref: string): FoundRecipe {
  const name = basename(ref).replace(/\.recipe$/, "");
  if (isFile(ref)) return { path: resolve(ref), name, source: "path" };
  const user = join(paths.recipes(), withExtension(ref));
  if (isFile(user)) return { path: user, name, source: "user" };
  const bundled = join(
    examplesDir(),
    withExtension(ref.replace(/^examples\//, "")),
  );
  if (isFile(bundled)) return { path: bundled, name, source: "bundled" };
  throw new CommandError(
    `recipe not found: ${ref}`,
    `looked for the path, ${user} and the bundled examples; list them with \`train recipe list\``,
  );
}

export function listRecipes(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".recipe"))
    .map((file) => file.replace(/\.recipe$/, ""))
    .sort();
}
