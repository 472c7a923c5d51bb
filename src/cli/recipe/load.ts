// Reads, parses and checks a recipe before anything runs. Any problem is a
// UsageError (exit 2) that lists every error found.
import { readFileSync } from "node:fs";
import type { Recipe } from "../../recipe/ast.ts";
import { parseRecipe } from "../../recipe/parse.ts";
import { checkRecipe, type CheckContext } from "../../recipe/check.ts";
import { RecipeErrors } from "../../recipe/errors.ts";
import { UsageError } from "../errors.ts";
import { secretsProvider } from "../../secrets/provider.ts";
import { readHostsFile } from "../../hosts/hosts-file.ts";
import { resolveCredentials } from "../../storage/credentials.ts";
import { resolveStorageSpec } from "../../storage/resolve-spec.ts";
import { isBucketStorage } from "../../storage/storage.ts";

export class RecipeInvalidError extends UsageError {
  constructor(readonly details: string) {
    super(details);
    this.name = "RecipeInvalidError";
  }
}

export function parseRecipeText(text: string, file: string): Recipe {
  try {
    return parseRecipe(text, file);
  } catch (error) {
    if (error instanceof RecipeErrors)
      throw new RecipeInvalidError(error.format());
    throw error;
  }
}

export function loadRecipe(path: string): Recipe {
  return parseRecipeText(readFileSync(path, "utf8"), path);
}

export function checkOrThrow(recipe: Recipe, ctx: CheckContext): void {
  const errors = checkRecipe(recipe, ctx);
  if (errors.length > 0)
    throw new RecipeInvalidError(new RecipeErrors(errors).format());
}

/** Builds a run's check context: secrets from the provider, hosts.toml names, the run's overrides. */
export function runCheckContext(opts: {
  implicitHosts: boolean;
  hosts?: Record<string, string>;
  vars?: Record<string, string>;
  storages?: Record<string, string>;
}): CheckContext {
  return {
    implicitHosts: opts.implicitHosts,
    secret: (name) => secretsProvider().get(name),
    knownHosts: new Set(readHostsFile().map((entry) => entry.name)),
    overriddenHosts: new Set(Object.keys(opts.hosts ?? {})),
    overriddenStorages: new Set(Object.keys(opts.storages ?? {})),
    overriddenVars: new Set(Object.keys(opts.vars ?? {})),
    storageProblem: (name, spec) =>
      storageProblem(name, opts.storages?.[name] ?? spec),
  };
}

// Resolves the storage and its credentials as the transfer would.
function storageProblem(
  name: string,
  spec: string,
): [string, string] | undefined {
  try {
    const storage = resolveStorageSpec(name, spec);
    if (isBucketStorage(storage))
      resolveCredentials(storage, secretsProvider());
    return undefined;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const expected = [
      "StorageResolutionError",
      "MissingCredentialError",
      "StorageConfigError",
    ];
    if (!expected.includes(error.name)) throw error;
    const [problem = "", ...rest] = error.message.split("\nTry: ");
    return [problem, rest.join(" ") || "fix the storage, then rerun"];
  }
}
