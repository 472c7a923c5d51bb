// `--storage NAME=SPEC`: fills a recipe's `storage NAME = placeholder` (or
// replaces its spec) for one run.
import type { Recipe } from "../../recipe/ast.ts";
import { LineIssue } from "../../recipe/line-issue.ts";
import { validateStorageSpec } from "../../recipe/specs.ts";
import { UsageError } from "../errors.ts";
import { parseAssignments } from "./overrides.ts";

/** Parses the flags and checks each spec's form; throws UsageError. */
export function parseStorageOverrides(
  values: string[],
): Record<string, string> {
  const storages = parseAssignments("--storage", values);
  for (const [name, spec] of Object.entries(storages)) {
    try {
      validateStorageSpec(spec);
    } catch (error) {
      if (!(error instanceof LineIssue)) throw error;
      throw new UsageError(
        `invalid --storage ${name}=${spec}: ${error.message}`,
        "a storage spec is r2:bucket, b2:bucket, s3:bucket, gdrive:folder, local:/path or a storages.toml name",
      );
    }
    if (spec === "placeholder") {
      throw new UsageError(
        `--storage ${name}=placeholder fills nothing`,
        `give a spec such as --storage ${name}=r2:my-bucket`,
      );
    }
  }
  return storages;
}

/** Rejects overrides for names that the recipe does not define as storages. */
export function checkStorageNames(
  recipe: Recipe,
  storages: Record<string, string>,
): void {
  const defined = new Set(
    recipe.definitions.filter((d) => d.kind === "storage").map((d) => d.name),
  );
  for (const name of Object.keys(storages)) {
    if (defined.has(name)) continue;
    const known = [...defined].join(", ") || "none";
    throw new UsageError(
      `--storage ${name}: the recipe defines no storage "${name}"`,
      `storages in this recipe: ${known}`,
    );
  }
}
