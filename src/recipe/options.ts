// `key=value` words and the values shared by several step kinds.

import { parseDuration, DurationError } from "./duration.ts";
import { LineIssue } from "./line-issue.ts";
import { VARIABLE_VALUE } from "./names.ts";
import type { Token } from "./tokens.ts";

export interface KeyValue {
  key: string;
  value: string;
  /** Offset of the value in the scanned text. */
  valueStart: number;
}

/** Splits a `key=value` word; returns undefined for a word without `=`. */
export function splitKeyValue(token: Token): KeyValue | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(token.raw);
  if (match === null) return undefined;

  const key = match[1] as string;
  return {
    key,
    value: token.value.slice(key.length + 1),
    valueStart: token.start + key.length + 1,
  };
}

/** Requires a non-empty value, naming the key and an example when it is missing. */
export function requireValue(option: KeyValue, example: string): string {
  if (option.value !== "") return option.value;
  throw new LineIssue(
    option.valueStart,
    `missing value after "${option.key}="`,
    `write ${option.key}=${example}`,
  );
}

/** Parses a positive duration option such as `timeout=2h` into seconds. */
export function parseDurationOption(option: KeyValue): number {
  const text = requireValue(option, "5m");
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    throw new LineIssue(option.valueStart, error.message);
  }
  if (seconds <= 0) {
    throw new LineIssue(
      option.valueStart,
      `${option.key} must be greater than 0, got "${text}"`,
      "use a duration above zero, such as 30s or 5m",
    );
  }
  return seconds;
}

/** Validates a TCP port: 1-65535, or a `$NAME` reference resolved at run time. */
export function validatePort(text: string, offset: number): void {
  if (VARIABLE_VALUE.test(text)) return;

  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (port >= 1 && port <= 65535) return;
  throw new LineIssue(
    offset,
    `invalid port "${text}": use a number from 1 to 65535`,
  );
}

/** Rejects a key given twice on one line. */
export function rejectRepeat(seen: Set<string>, option: KeyValue): void {
  if (seen.has(option.key)) {
    const start = option.valueStart - option.key.length - 1;
    throw new LineIssue(start, `option "${option.key}" is given twice`);
  }
  seen.add(option.key);
}
