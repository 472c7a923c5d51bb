// `@NAME [timeout=DUR] > command [&]`. The command is everything after the
// first `>` word, so it may itself contain `>`, `->`, `&&` and quotes.

import { findHeredocs, type HeredocWord } from "./heredoc.ts";
import { LineIssue } from "./line-issue.ts";
import { TARGET_NAME } from "./names.ts";
import { parseDurationOption, rejectRepeat, splitKeyValue } from "./options.ts";
import type { LogicalLine } from "./source-lines.ts";
import { splitWords, type Token } from "./tokens.ts";

export interface ParsedExecute {
  target: string;
  /** The command before any heredoc body. A `\` + newline stays in it, so the shell joins those lines itself. */
  command: string;
  background: boolean;
  timeoutSec?: number;
  heredocs: HeredocWord[];
}

/** Parses an `@NAME` word; `role` names what it refers to in messages ("host", "session"). */
export function parseTarget(token: Token, role: string): string {
  const name = token.value.slice(1);
  if (name === "") {
    throw new LineIssue(
      token.start,
      `missing ${role} name after "@"`,
      `write @gpu`,
    );
  }
  if (!TARGET_NAME.test(name)) {
    throw new LineIssue(
      token.start,
      `invalid ${role} name "${name}"`,
      "use letters, digits, _, - and ., starting with a letter, digit or _",
    );
  }
  return name;
}

export function parseExecute(
  line: LogicalLine,
  separator: Token,
): ParsedExecute {
  const words = splitWords(line.joined.slice(0, separator.start), line.indent);
  const target = parseTarget(words[0] as Token, "host");
  const timeoutSec = parseExecuteOptions(words.slice(1), target);

  const parsed = splitBackground(line.raw.slice(separator.start + 1));
  if (parsed.command === "") {
    throw new LineIssue(
      separator.start,
      `empty command after "@${target} >"`,
      `write @${target} > command`,
    );
  }

  const commandStart = line.raw.indexOf(parsed.command, separator.start + 1);
  const heredocs = findHeredocs(parsed.command).map((heredoc) => ({
    ...heredoc,
    offset: heredoc.offset + commandStart,
  }));
  const result: ParsedExecute = { target, ...parsed, heredocs };
  if (timeoutSec !== undefined) result.timeoutSec = timeoutSec;
  return result;
}

function parseExecuteOptions(
  words: Token[],
  target: string,
): number | undefined {
  const seen = new Set<string>();
  let timeoutSec: number | undefined;
  for (const word of words) {
    const option = splitKeyValue(word);
    if (option === undefined) {
      throw new LineIssue(
        word.start,
        `unexpected "${word.value}" between @${target} and ">"`,
        `write @${target} [timeout=DURATION] > command`,
      );
    }
    if (option.key !== "timeout") {
      throw new LineIssue(
        word.start,
        `unknown option "${option.key}" for an execute step`,
        "the only option is timeout=DURATION, such as timeout=2h",
      );
    }
    rejectRepeat(seen, option);
    timeoutSec = parseDurationOption(option);
  }
  return timeoutSec;
}

// A final ` &` marks a background step, which the runner does not wait for.
// The marker is removed, so the shell runs the command in its pane's foreground.
function splitBackground(text: string): {
  command: string;
  background: boolean;
} {
  const command = text.trim();
  if (command === "&") return { command: "", background: true };
  if (/\s&$/.test(command)) {
    return { command: command.slice(0, -1).trimEnd(), background: true };
  }
  return { command, background: false };
}
