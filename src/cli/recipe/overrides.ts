// `--var NAME=VALUE` and `--host NAME=SPEC` flags.
import type { Recipe } from "../../recipe/ast.ts";
import { parseHostSpec } from "../../hosts/spec.ts";
import { UsageError } from "../errors.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseAssignments(
  flag: string,
  values: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    const name = eq < 0 ? value : value.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) {
      throw new UsageError(
        `invalid ${flag} "${value}": expected NAME=VALUE`,
        `for example ${flag} MODEL=llama-7b`,
      );
    }
    out[name] = value.slice(eq + 1);
  }
  return out;
}

/**
 * Rejects `--var` and `--host` names the recipe never uses, so a typo fails
 * before the run instead of silently changing nothing, and host specs that do
 * not parse. A variable counts as used when it is defined or referenced as
 * `$NAME` anywhere; `VAST_ID` is read by the vast steps.
 */
export function checkOverrideNames(
  recipe: Recipe,
  vars: Record<string, string>,
  hosts: Record<string, string>,
): void {
  const text = [
    ...recipe.definitions.map((d) => d.value),
    ...recipe.steps.map((s) => s.text),
  ].join("\n");
  for (const name of Object.keys(vars)) {
    const defined = recipe.definitions.some(
      (d) => d.kind === "var" && d.name === name,
    );
    const referenced = new RegExp(`\\$\\{?${name}\\b`).test(text);
    if (defined || referenced || name === "VAST_ID") continue;
    throw new UsageError(
      `--var ${name}: the recipe neither defines nor uses a variable "${name}"`,
      `variables in this recipe: ${namesOf(recipe, "var")}`,
    );
  }
  for (const [name, spec] of Object.entries(hosts)) {
    const defined = recipe.definitions.some(
      (d) => d.kind === "host" && d.name === name,
    );
    if (!defined && !new RegExp(`@${name}\\b`).test(text)) {
      throw new UsageError(
        `--host ${name}: the recipe defines no host "${name}"`,
        `hosts in this recipe: ${namesOf(recipe, "host")}`,
      );
    }
    try {
      parseHostSpec(spec);
    } catch (error) {
      throw new UsageError(
        `invalid --host ${name}=${spec}: ${(error as Error).message}`,
        "a host spec is user@hostname [-p PORT] [-i KEY] [-J JUMP], local, vast:ID or a hosts.toml name",
      );
    }
  }
}

function namesOf(recipe: Recipe, kind: "var" | "host"): string {
  return (
    recipe.definitions
      .filter((d) => d.kind === kind)
      .map((d) => d.name)
      .join(", ") || "none"
  );
}
