// Checks of `$NAME` and `${secret:NAME}` references, and the mapping from an
// offset in a definition's or step's text back to a line and column.

import type { Definition, Recipe, SourcePos } from "./ast.ts";
import { RecipeError } from "./errors.ts";
import { findReferences, missingSecretMessage } from "./interpolate.ts";

export interface Problem {
  /** Offset in the step's or definition's text. */
  offset: number;
  message: string;
  hint?: string;
}

/** Reports host and storage specs that use a variable that is neither defined nor overridden. */
export function checkSpecVariables(
  recipe: Recipe,
  isVariable: (name: string) => boolean,
): RecipeError[] {
  const errors: RecipeError[] = [];
  for (const definition of recipe.definitions) {
    if (definition.kind === "var") continue;

    const text = definitionText(definition);
    const valueStart = text.length - definition.value.length;
    for (const { kind, name, offset } of findReferences(definition.value)) {
      if (kind !== "variable" || isVariable(name)) continue;
      errors.push(
        locateProblem(definition.pos, text, {
          offset: valueStart + offset,
          message: `${definition.kind} ${definition.name} uses undefined variable $${name}`,
          hint: `define it above with "var ${name} = ..." or pass --var ${name}=VALUE`,
        }),
      );
    }
  }
  return errors;
}

/** Reports each missing secret once, at its first reference. */
export function checkSecrets(
  recipe: Recipe,
  secret: (name: string) => string | undefined,
): RecipeError[] {
  const errors: RecipeError[] = [];
  const reported = new Set<string>();
  const sources = [
    ...recipe.definitions.map((d) => ({ pos: d.pos, text: definitionText(d) })),
    ...recipe.steps.map((step) => ({ pos: step.pos, text: step.text })),
  ];
  for (const { pos, text } of sources) {
    for (const { kind, name, offset } of findReferences(text)) {
      if (kind !== "secret" || reported.has(name)) continue;
      if (secret(name) !== undefined) continue;

      reported.add(name);
      errors.push(
        locateProblem(pos, text, {
          offset,
          message: missingSecretMessage(name),
        }),
      );
    }
  }
  return errors;
}

/**
 * Builds the error for a problem in a step's or definition's text. The text
 * starts at `pos.column`, so the first line is padded back to that column.
 */
export function locateProblem(
  pos: SourcePos,
  text: string,
  problem: Problem,
): RecipeError {
  const before = text.slice(0, problem.offset);
  const lineIndex = before.split("\n").length - 1;
  const lineStart = before.lastIndexOf("\n") + 1;
  const indent = lineIndex === 0 ? pos.column - 1 : 0;
  const lineText = text.split("\n")[lineIndex] as string;
  const init = {
    file: pos.file,
    line: pos.line + lineIndex,
    column: indent + problem.offset - lineStart + 1,
    message: problem.message,
    source: " ".repeat(indent) + lineText,
  };
  if (problem.hint === undefined) return new RecipeError(init);
  return new RecipeError({ ...init, hint: problem.hint });
}

function definitionText(definition: Definition): string {
  const { kind, name, value } = definition;
  return definition.text ?? `${kind} ${name} = ${value}`;
}
