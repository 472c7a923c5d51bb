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
  validateEndpoint(source, line.indent);
  validateEndpoint(destination, text.indexOf(destination, arrow.start + 2));
  return { kind: "transfer", source, destination };
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
