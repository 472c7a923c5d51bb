// `SRC -> DST`, where each side is `@name:path`, `@name` or a local path.

import type { TransferStep } from "./ast.ts";
import { parseTarget } from "./execute.ts";
import { LineIssue } from "./line-issue.ts";
import type { LogicalLine } from "./source-lines.ts";
import { splitWords, type Token } from "./tokens.ts";

type TransferBody = Pick<TransferStep, "kind" | "source" | "destination">;

export function parseTransfer(line: LogicalLine): TransferBody {
  const text = line.joined;
  const words = splitWords(text, line.indent);
  const backward = words.find((word) => word.value === "<-");
  if (backward !== undefined) rejectBackward(text, backward, line.indent);

  const arrows = words.filter((word) => word.value === "->");
  const arrow = arrows[0] as Token;
  if (arrows[1] !== undefined) {
    throw new LineIssue(
      arrows[1].start,
      'more than one "->" in a transfer',
      "copy one source to one destination per line",
    );
  }

  const source = text.slice(line.indent, arrow.start).trim();
  const destination = text.slice(arrow.start + 2).trim();
  if (source === "") {
    throw new LineIssue(
      arrow.start,
      'missing source before "->"',
      "write SRC -> DST, such as @gpu:/out -> ./out",
    );
  }
  if (destination === "") {
    throw new LineIssue(
      text.trimEnd().length,
      'missing destination after "->"',
      "write SRC -> DST, such as @gpu:/out -> ./out",
    );
  }
  const destinationStart = text.indexOf(destination, arrow.start + 2);
  rejectFlags(source, line.indent);
  rejectFlags(destination, destinationStart);
  validateEndpoint(source, line.indent);
  validateEndpoint(destination, destinationStart);
  return { kind: "transfer", source, destination };
}

// A path may contain spaces, so `-> /out --delete` would copy into a
// directory named "out --delete". Transfer lines take no options.
function rejectFlags(endpoint: string, start: number): void {
  const flag = findFlag(endpoint);
  if (flag === undefined) return;
  throw new LineIssue(
    start + flag.index,
    `"${flag.text}" would become part of the path: transfer lines take no options`,
    `for ${flag.text}, run \`train transfer SRC DST ${flag.text}\` outside the recipe; a path that really contains "${flag.text}" as a word needs another name`,
  );
}

/** Finds a word that looks like a long option (`--delete`, `--max-delete=5`) in endpoint text. */
export function findFlag(
  endpoint: string,
): { text: string; index: number } | undefined {
  const match = /(^|\s)(--[a-z][a-z0-9-]*)(?=\s|=|$)/.exec(endpoint);
  if (match === null) return undefined;
  const text = match[2] ?? "";
  return { text, index: match.index + (match[1] ?? "").length };
}

function rejectBackward(text: string, arrow: Token, indent: number): never {
  const left = text.slice(indent, arrow.start).trim();
  const right = text.slice(arrow.start + 2).trim();
  throw new LineIssue(
    arrow.start,
    '"<-" transfers are not supported',
    `write SRC -> DST: ${right} -> ${left}`,
  );
}

function validateEndpoint(endpoint: string, start: number): void {
  if (!endpoint.startsWith("@")) return;

  const colon = endpoint.indexOf(":");
  const name = colon === -1 ? endpoint : endpoint.slice(0, colon);
  parseTarget(
    { value: name, raw: name, start, quoted: false },
    "host or storage",
  );
}
