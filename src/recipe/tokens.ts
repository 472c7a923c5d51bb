// Splitting of control lines into words. Quotes group text. Inside `"..."`, a
// `\"` is a literal quote and every other backslash is kept, so a regular
// expression such as `"step \d+"` arrives unchanged. `'...'` takes no escapes.

import { LineIssue } from "./line-issue.ts";

export interface Token {
  /** The word with its quotes removed. */
  value: string;
  /** The word as written. */
  raw: string;
  /** Offset of the word in the scanned text. */
  start: number;
  /** Whether the word begins with a quote. */
  quoted: boolean;
}

const BLANK = /\s/;

/** Splits `text` from `offset` on whitespace, honoring quotes. */
export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  let index = offset;
  while (index < text.length) {
    if (BLANK.test(text[index] as string)) {
      index++;
      continue;
    }
    const token = readToken(text, index);
    tokens.push(token);
    index = token.start + token.raw.length;
  }
  return tokens;
}

function readToken(text: string, start: number): Token {
  let value = "";
  let index = start;
  while (index < text.length && !BLANK.test(text[index] as string)) {
    const char = text[index] as string;
    if (char === '"' || char === "'") {
      const quoted = readQuoted(text, index);
      value += quoted.value;
      index = quoted.end;
      continue;
    }
    value += char;
    index++;
  }
  const raw = text.slice(start, index);
  const quoted = raw.startsWith('"') || raw.startsWith("'");
  return { value, raw, start, quoted };
}

function readQuoted(
  text: string,
  open: number,
): { value: string; end: number } {
  const quote = text[open] as string;
  let value = "";
  let index = open + 1;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === quote) return { value, end: index + 1 };

    const next = text[index + 1];
    if (quote === '"' && char === "\\" && (next === '"' || next === "\\")) {
      value += next === '"' ? '"' : "\\\\";
      index += 2;
      continue;
    }
    value += char;
    index++;
  }
  throw new LineIssue(
    open,
    `unterminated ${quote} quote`,
    `add the closing ${quote}`,
  );
}

/** Splits plain whitespace-separated words with their offsets; quotes have no meaning here. */
export function splitWords(text: string, offset = 0): Token[] {
  const words: Token[] = [];
  const pattern = /\S+/g;
  pattern.lastIndex = offset;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    words.push({
      value: match[0],
      raw: match[0],
      start: match.index,
      quoted: false,
    });
  }
  return words;
}
