// The recipe parser: one loop over physical lines, driven by a small state
// machine. Every line is a comment, part of a definition or a step, or an
// error. Parsing goes on after an error, so one run lists every problem.

import type {
  Definition,
  ExecuteStep,
  Recipe,
  SourcePos,
  Step,
} from "./ast.ts";
import { classifyLine, parseStepLine, type StepBody } from "./classify.ts";
import { parseDefinition } from "./definition.ts";
import { RecipeError, RecipeErrors } from "./errors.ts";
import { parseExecute, type ParsedExecute } from "./execute.ts";
import { isTerminator, type HeredocWord } from "./heredoc.ts";
import { LineIssue } from "./line-issue.ts";
import {
  endsWithContinuation,
  LogicalLine,
  splitPhysicalLines,
  type PhysicalLine,
} from "./source-lines.ts";

interface HeredocDraft {
  header: LogicalLine;
  execute: ParsedExecute;
  /** Terminators still expected, in the order the shell reads the bodies. */
  pending: HeredocWord[];
  body: PhysicalLine[];
}

type State =
  | { name: "between-lines" }
  | { name: "continued"; lines: PhysicalLine[] }
  | { name: "heredoc-body"; draft: HeredocDraft };

/** Parses recipe text; throws RecipeErrors listing every problem found. */
export function parseRecipe(text: string, file: string): Recipe {
  return new RecipeParser(file).parse(text);
}

class RecipeParser {
  private state: State = { name: "between-lines" };
  private readonly recipe: Recipe;
  private readonly errors: RecipeError[] = [];
  private readonly definedAt = new Map<string, number>();
  private firstStepLine: number | undefined;

  constructor(private readonly file: string) {
    this.recipe = { file, definitions: [], steps: [] };
  }

  parse(text: string): Recipe {
    for (const line of splitPhysicalLines(text)) {
      switch (this.state.name) {
        case "between-lines":
          if (!isComment(line.text)) this.collect([line]);
          break;
        case "continued":
          this.collect([...this.state.lines, line]);
          break;
        case "heredoc-body":
          this.readBody(this.state.draft, line);
          break;
      }
    }
    this.reportUnfinished();
    if (this.errors.length > 0) throw new RecipeErrors(this.errors);
    return this.recipe;
  }

  private collect(lines: PhysicalLine[]): void {
    const last = lines[lines.length - 1] as PhysicalLine;
    if (endsWithContinuation(last.text)) {
      this.state = { name: "continued", lines };
      return;
    }
    this.state = { name: "between-lines" };
    const line = new LogicalLine(lines);
    try {
      this.handleLine(line);
    } catch (error) {
      if (!(error instanceof LineIssue)) throw error;
      this.report(line, error.offset, error.message, error.hint);
    }
  }

  private handleLine(line: LogicalLine): void {
    const lineClass = classifyLine(line);
    if (lineClass.kind === "definition") return this.addDefinition(line);

    this.firstStepLine ??= line.first.number;
    if (lineClass.kind === "execute") {
      return this.startExecute(line, parseExecute(line, lineClass.separator));
    }
    this.addStep(line, parseStepLine(line, lineClass));
  }

  private addDefinition(line: LogicalLine): void {
    const parsed = parseDefinition(line);
    const earlier = this.definedAt.get(parsed.name);
    if (earlier !== undefined) {
      throw new LineIssue(
        parsed.nameStart,
        `"${parsed.name}" is already defined on line ${earlier}`,
        "use another name, because var, host and storage share one set of names",
      );
    }
    this.definedAt.set(parsed.name, line.first.number);
    if (this.firstStepLine !== undefined) {
      throw new LineIssue(
        line.indent,
        `${parsed.kind} ${parsed.name} is defined after the first step on line ${this.firstStepLine}`,
        "move every var, host and storage line above the steps",
      );
    }
    const { kind, name, value } = parsed;
    const definition: Definition = {
      kind,
      name,
      value,
      pos: this.position(line),
      text: this.sourceText(line),
    };
    this.recipe.definitions.push(definition);
  }

  private startExecute(line: LogicalLine, execute: ParsedExecute): void {
    if (execute.heredocs.length === 0)
      return this.addExecute(line, execute, []);

    const draft = {
      header: line,
      execute,
      pending: [...execute.heredocs],
      body: [],
    };
    this.state = { name: "heredoc-body", draft };
  }

  private readBody(draft: HeredocDraft, line: PhysicalLine): void {
    draft.body.push(line);
    if (!isTerminator(line.text, draft.pending[0] as HeredocWord)) return;

    draft.pending.shift();
    if (draft.pending.length > 0) return;
    this.state = { name: "between-lines" };
    this.addExecute(draft.header, draft.execute, draft.body);
  }

  // Heredoc bodies are appended after the command line exactly as written,
  // except that a CRLF line ending reads as LF.
  private addExecute(
    line: LogicalLine,
    execute: ParsedExecute,
    body: PhysicalLine[],
  ): void {
    const bodyText = body.map((bodyLine) => `\n${bodyLine.text}`).join("");
    const step: Omit<ExecuteStep, "index" | "pos" | "text"> = {
      kind: "execute",
      target: execute.target,
      command: execute.command + bodyText,
      background: execute.background,
    };
    if (execute.timeoutSec !== undefined) step.timeoutSec = execute.timeoutSec;
    this.addStep(line, step, bodyText);
  }

  private addStep(line: LogicalLine, body: StepBody, bodyText = ""): void {
    const text = this.sourceText(line) + bodyText;
    const index = this.recipe.steps.length;
    const step = { ...body, index, pos: this.position(line), text } as Step;
    this.recipe.steps.push(step);
  }

  private reportUnfinished(): void {
    const state = this.state;
    switch (state.name) {
      case "between-lines":
        return;
      case "continued": {
        const line = new LogicalLine(state.lines);
        const message =
          'the last line ends with "\\", which continues it past the end of the file';
        return this.report(
          line,
          line.raw.length - 1,
          message,
          'remove the final "\\" or add the missing line',
        );
      }
      case "heredoc-body": {
        const heredoc = state.draft.pending[0] as HeredocWord;
        const message = `missing heredoc terminator "${heredoc.word}"`;
        const hint = `end the heredoc with a line that contains only ${heredoc.word}${heredoc.stripTabs ? ", after any tabs" : ""}`;
        return this.report(state.draft.header, heredoc.offset, message, hint);
      }
    }
  }

  private report(
    line: LogicalLine,
    offset: number,
    message: string,
    hint?: string,
  ): void {
    const location = line.locate(offset);
    const init = { file: this.file, ...location, message };
    this.errors.push(
      new RecipeError(hint === undefined ? init : { ...init, hint }),
    );
  }

  private position(line: LogicalLine): SourcePos {
    return {
      file: this.file,
      line: line.first.number,
      column: line.indent + 1,
    };
  }

  private sourceText(line: LogicalLine): string {
    return line.raw.slice(line.indent).trimEnd();
  }
}

function isComment(text: string): boolean {
  const trimmed = text.trimStart();
  return trimmed === "" || trimmed.startsWith("#");
}
