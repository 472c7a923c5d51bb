// Classification of a logical line and dispatch to the parser of its kind.
// Execute is recognized before transfer, so `@h > cp a -> b` stays a command.

import type { Step } from "./ast.ts";
import {
  parseNotify,
  parseSleep,
  parseTmuxClose,
  parseTmuxOpen,
  type CommandArgs,
} from "./control.ts";
import { isDefinition } from "./definition.ts";
import { LineIssue } from "./line-issue.ts";
import { TARGET_NAME } from "./names.ts";
import type { LogicalLine } from "./source-lines.ts";
import { closest } from "./suggest.ts";
import { splitWords, tokenize, type Token } from "./tokens.ts";
import { parseTransfer } from "./transfer.ts";
import { parseVastInstance, parseVastPick, parseVastWait } from "./vast.ts";
import { parseWait } from "./wait.ts";

type Distribute<T> = T extends unknown
  ? Omit<T, "index" | "pos" | "text">
  : never;

/** A step without its index, position and source text. */
export type StepBody = Distribute<Step>;

export type LineClass =
  | { kind: "definition" }
  | { kind: "execute"; separator: Token }
  | { kind: "transfer" }
  | { kind: "command"; name: string };

const COMMANDS: Record<string, (args: CommandArgs) => StepBody> = {
  wait: ({ args, end }) => parseWait(args, end),
  "tmux.open": parseTmuxOpen,
  "tmux.close": parseTmuxClose,
  notify: parseNotify,
  sleep: parseSleep,
  "vast.pick": parseVastPick,
  "vast.start": (args) => parseVastInstance("vast.start", args),
  "vast.stop": (args) => parseVastInstance("vast.stop", args),
  "vast.cost": (args) => parseVastInstance("vast.cost", args),
  "vast.wait": parseVastWait,
};

const KNOWN_WORDS = [...Object.keys(COMMANDS), "var", "host", "storage"];

/** Classifies a logical line; throws LineIssue for a line that is no known kind. */
export function classifyLine(line: LogicalLine): LineClass {
  if (isDefinition(line.joined)) return { kind: "definition" };

  const words = splitWords(line.joined, line.indent);
  const first = words[0] as Token;
  if (first.value.startsWith("@")) return classifyTargetLine(first, words);
  // Commands come before transfers so that `wait @h "a -> b"` stays a wait.
  if (Object.hasOwn(COMMANDS, first.value)) {
    return { kind: "command", name: first.value };
  }
  if (words.some((word) => word.value === "->" || word.value === "<-")) {
    return { kind: "transfer" };
  }
  return rejectUnknown(line, words);
}

function classifyTargetLine(first: Token, words: Token[]): LineClass {
  for (const word of words.slice(1)) {
    if (word.value === ">") return { kind: "execute", separator: word };
    if (word.value === "->" || word.value === "<-") return { kind: "transfer" };
  }
  if (first.value.includes(":")) {
    throw new LineIssue(
      first.start,
      `missing "->" after ${first.value}`,
      `write ${first.value} -> DESTINATION`,
    );
  }
  throw new LineIssue(
    first.start,
    `missing ">" between ${first.value} and the command`,
    `write ${first.value} > command`,
  );
}

function rejectUnknown(line: LogicalLine, words: Token[]): never {
  const first = words[0] as Token;
  const guess = closest(first.value, KNOWN_WORDS);
  const limit = first.value.length >= 5 ? 2 : 1;
  if (first.value.includes(".") || guess.distance <= limit) {
    throw new LineIssue(
      first.start,
      `unknown command "${first.value}"`,
      `did you mean ${guess.candidate}?`,
    );
  }

  const text = line.joined.slice(line.indent).trimEnd();
  const arrow = words.findIndex((word) => word.value === ">");
  if (arrow > 0 && TARGET_NAME.test(first.value)) {
    throw new LineIssue(
      first.start,
      `missing "@" before host "${first.value}"`,
      `write @${text}`,
    );
  }
  throw new LineIssue(
    first.start,
    "unrecognized line: expected a comment, a definition or a step",
    `to run it as a shell command, write @host > ${text}`,
  );
}

/** Parses a transfer or command line into its step body. */
export function parseStepLine(
  line: LogicalLine,
  lineClass: LineClass,
): StepBody {
  if (lineClass.kind === "transfer") return parseTransfer(line);
  if (lineClass.kind !== "command") {
    throw new Error(`parseStepLine cannot parse a ${lineClass.kind} line`);
  }

  const text = line.joined;
  const command = splitWords(text, line.indent)[0] as Token;
  const restStart = command.start + command.raw.length;
  const rest = text.slice(restStart).trim();
  const args = lineClass.name === "notify" ? [] : tokenize(text, restStart);
  const end = text.trimEnd().length;
  const parse = COMMANDS[lineClass.name] as (args: CommandArgs) => StepBody;
  return parse({
    command,
    text,
    args,
    rest,
    restStart: text.indexOf(rest, restStart),
    end,
  });
}
