// Recipe problems with their position. `format()` renders one problem as
//   FILE:LINE:COL: message
//     <the offending line>
//     <caret under COL>
//     hint: <hint>
// and golden test files pin that layout byte for byte.

export interface RecipeErrorInit {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column where the problem starts. */
  column: number;
  message: string;
  /** The offending physical line as written. */
  source: string;
  hint?: string;
}

export class RecipeError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly source: string;
  readonly hint?: string;

  constructor(init: RecipeErrorInit) {
    super(init.message);
    this.name = "RecipeError";
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.source = init.source;
    if (init.hint !== undefined) this.hint = init.hint;
  }

  format(): string {
    const lines = [
      `${this.file}:${this.line}:${this.column}: ${this.message}`,
      `  ${printable(this.source)}`,
      `  ${caretLine(this.source, this.column)}`,
    ];
    if (this.hint !== undefined) lines.push(`  hint: ${this.hint}`);
    return lines.join("\n");
  }
}

// Tabs before the column are copied so the caret lines up in a terminal.
function caretLine(source: string, column: number): string {
  const prefix = source
    .slice(0, Math.max(0, column - 1))
    .replace(/[^\t]/g, " ");
  const padding = " ".repeat(Math.max(0, column - 1 - prefix.length));
  return `${prefix}${padding}^`;
}

/** Every problem found in one recipe, in source order. */
export class RecipeErrors extends Error {
  readonly errors: RecipeError[];

  constructor(errors: RecipeError[]) {
    const sorted = [...errors].sort(compareErrors);
    super(sorted.map((error) => error.format()).join("\n"));
    this.name = "RecipeErrors";
    this.errors = sorted;
  }

  format(): string {
    return this.message;
  }
}

/**
 * Shows control characters (from a binary or corrupted file) as U+FFFD, so
 * an error message cannot move the cursor or change the terminal's colours.
 * Tabs stay, since the caret line copies them.
 */
function printable(source: string): string {
  // eslint-disable-next-line no-control-regex -- control bytes are the target
  return source.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "\ufffd");
}

function compareErrors(a: RecipeError, b: RecipeError): number {
  return a.line - b.line || a.column - b.column;
}
