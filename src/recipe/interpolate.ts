// Run-time interpolation of `$NAME`, `${NAME}` and `${secret:NAME}`. Only
// defined variables expand; every other `$` form (`$HOME`, `$1`, `$$`,
// `$(cmd)`, `${x:-y}`) is left for the shell.

import type { Recipe } from "./ast.ts";
import { registerSecret } from "../secrets/redact.ts";

export interface InterpolationScope {
  vars: ReadonlyMap<string, string>;
  secret(name: string): string | undefined;
}

export interface Interpolated {
  text: string;
  /** The secret values substituted into `text`, for redaction. */
  secrets: string[];
}

export interface Reference {
  kind: "variable" | "secret";
  name: string;
  /** Offset of the `$` in the scanned text. */
  offset: number;
}

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterpolationError";
  }
}

// `\$` and `$$` come first so that neither `\$NAME` nor `$$NAME` expands.
const REFERENCE =
  /\\\$|\$\$|\$\{secret:([^}]*)\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands references in `text`. Variable values are expanded in turn, and a
 * cycle is an error; secret values are inserted as they are, never re-scanned.
 * Each secret value is also registered for redaction.
 */
export function interpolate(
  text: string,
  scope: InterpolationScope,
): Interpolated {
  const secrets: string[] = [];
  const expanded = expand(text, { scope, secrets, cache: new Map() }, []);
  for (const value of secrets) registerSecret(value);
  return { text: expanded, secrets };
}

interface Expansion {
  scope: InterpolationScope;
  secrets: string[];
  cache: Map<string, string>;
}

function expand(text: string, expansion: Expansion, stack: string[]): string {
  return text.replace(
    REFERENCE,
    (match, secret?: string, braced?: string, bare?: string) => {
      if (secret !== undefined) return resolveSecret(secret, expansion);

      const name = braced ?? bare;
      if (name === undefined || !expansion.scope.vars.has(name)) return match;
      return resolveVariable(name, expansion, stack);
    },
  );
}

function resolveVariable(
  name: string,
  expansion: Expansion,
  stack: string[],
): string {
  const cached = expansion.cache.get(name);
  if (cached !== undefined) return cached;
  if (stack.includes(name)) {
    const cycle = [...stack.slice(stack.indexOf(name)), name].join(" -> ");
    throw new InterpolationError(
      `variables refer to each other in a cycle: ${cycle}: define one of them without the reference`,
    );
  }

  const raw = expansion.scope.vars.get(name) as string;
  const value = expand(raw, expansion, [...stack, name]);
  expansion.cache.set(name, value);
  return value;
}

function resolveSecret(name: string, expansion: Expansion): string {
  if (!SECRET_NAME.test(name)) {
    throw new InterpolationError(
      `invalid secret reference "\${secret:${name}}": write \${secret:NAME} with letters, digits and _`,
    );
  }
  const value = expansion.scope.secret(name);
  if (value === undefined)
    throw new InterpolationError(missingSecretMessage(name));

  expansion.secrets.push(value);
  return value;
}

export function missingSecretMessage(name: string): string {
  return `secret "${name}" is not set: run "train secrets set ${name}" or set the environment variable ${name}`;
}

/** Lists the references in `text` in order, skipping `\$` and `$$`. */
export function findReferences(text: string): Reference[] {
  const found: Reference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const [, secret, braced, bare] = match;
    const offset = match.index;
    if (secret !== undefined)
      found.push({ kind: "secret", name: secret, offset });
    const name = braced ?? bare;
    if (name !== undefined) found.push({ kind: "variable", name, offset });
  }
  return found;
}

/** Names referenced as `$NAME` or `${NAME}` in `text`, each once, in order. */
export function referencedVariables(text: string): string[] {
  return uniqueNames(findReferences(text), "variable");
}

/** Names referenced as `${secret:NAME}` anywhere in the recipe, each once, in order. */
export function referencedSecrets(recipe: Recipe): string[] {
  const texts = [
    ...recipe.definitions.map((definition) => definition.value),
    ...recipe.steps.map((step) => step.text),
  ];
  return uniqueNames(texts.flatMap(findReferences), "secret");
}

function uniqueNames(
  references: Reference[],
  kind: Reference["kind"],
): string[] {
  const names = references.filter((reference) => reference.kind === kind);
  return [...new Set(names.map((reference) => reference.name))];
}
