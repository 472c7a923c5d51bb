// `wait @NAME "pattern" | file=PATH | port=PORT | idle [timeout=DUR]`.

import type { WaitCondition, WaitStep } from "./ast.ts";
import { parseTarget } from "./execute.ts";
import { LineIssue } from "./line-issue.ts";
import { containsVariable } from "./names.ts";
import {
  parseDurationOption,
  rejectRepeat,
  requireValue,
  splitKeyValue,
  type KeyValue,
} from "./options.ts";
import { validatePort } from "./options.ts";
import type { Token } from "./tokens.ts";

const USAGE =
  'wait @host "pattern" | file=PATH | port=PORT | idle [timeout=DURATION]';

type WaitBody = Pick<WaitStep, "kind" | "target" | "condition" | "timeoutSec">;

interface FoundCondition {
  condition: WaitCondition;
  label: string;
  start: number;
}

/** Parses the words after `wait`; `end` is the line length, where a missing word is reported. */
export function parseWait(args: Token[], end: number): WaitBody {
  const first = args[0];
  if (first === undefined || !first.raw.startsWith("@")) {
    throw new LineIssue(
      first?.start ?? end,
      "missing host for wait",
      `write ${USAGE}`,
    );
  }
  const target = parseTarget(first, "host");
  const found: FoundCondition[] = [];
  const seen = new Set<string>();
  let timeoutSec: number | undefined;

  for (const token of args.slice(1)) {
    const option = splitKeyValue(token);
    if (option?.key === "timeout") {
      rejectRepeat(seen, option);
      timeoutSec = parseDurationOption(option);
    } else {
      found.push(readCondition(token, option));
    }
  }

  const condition = pickCondition(found, end);
  const body: WaitBody = { kind: "wait", target, condition };
  if (timeoutSec !== undefined) body.timeoutSec = timeoutSec;
  return body;
}

function readCondition(
  token: Token,
  option: KeyValue | undefined,
): FoundCondition {
  const start = token.start;
  if (token.quoted)
    return { condition: readPattern(token), label: "a pattern", start };
  if (token.raw === "idle")
    return { condition: { kind: "idle" }, label: "idle", start };
  if (option?.key === "file") {
    const path = requireValue(option, "/workspace/done.txt");
    return { condition: { kind: "file", path }, label: "file=", start };
  }
  if (option?.key === "port") {
    const port = requireValue(option, "8080");
    validatePort(port, option.valueStart);
    return { condition: { kind: "port", port }, label: "port=", start };
  }
  if (option !== undefined) {
    throw new LineIssue(
      start,
      `unknown wait option "${option.key}"`,
      "wait takes file=, port=, timeout= or the word idle",
    );
  }
  throw new LineIssue(
    start,
    `unexpected "${token.raw}" in wait`,
    `write ${USAGE}`,
  );
}

// Patterns with `$NAME` are checked at run time, after interpolation.
function readPattern(token: Token): WaitCondition {
  const pattern = token.value;
  if (pattern === "") {
    throw new LineIssue(
      token.start,
      "empty wait pattern",
      'write a regular expression such as "epoch \\d+ done"',
    );
  }
  if (!containsVariable(pattern)) {
    try {
      new RegExp(pattern);
    } catch (error) {
      const reason = (error as Error).message.split(": ").pop() ?? "";
      throw new LineIssue(
        token.start,
        `invalid regular expression "${pattern}": ${reason}`,
        "the pattern is a JavaScript regular expression; escape special characters such as ( [ * with \\",
      );
    }
  }
  return { kind: "pattern", pattern };
}

function pickCondition(found: FoundCondition[], end: number): WaitCondition {
  const [first, second] = found;
  if (first === undefined) {
    throw new LineIssue(end, "missing wait condition", `write ${USAGE}`);
  }
  if (second !== undefined) {
    throw new LineIssue(
      second.start,
      `wait takes one condition, but this line has ${first.label} and ${second.label}`,
      "use one wait line per condition",
    );
  }
  return first.condition;
}
