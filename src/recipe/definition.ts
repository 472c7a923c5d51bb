// `var NAME = value`, `host NAME = spec` and `storage NAME = spec`.

import type { DefinitionKind } from "./ast.ts";
import { LineIssue } from "./line-issue.ts";
import { DEFINITION_NAME, NAME_RULE } from "./names.ts";
import type { LogicalLine } from "./source-lines.ts";
import { validateHostSpec, validateStorageSpec } from "./specs.ts";

export interface ParsedDefinition {
  kind: DefinitionKind;
  name: string;
  value: string;
  /** Offset of the name, where duplicate and ordering errors point. */
  nameStart: number;
}

const HEADER = /^(\s*)(var|host|storage)(\s*)([^\s=]*)\s*(=?)\s*/;
const EXAMPLES: Record<DefinitionKind, string> = {
  var: "var MODEL = llama-7b",
  host: "host gpu = root@1.2.3.4 -p 22",
  storage: "storage out = r2:my-bucket",
};

export function isDefinition(text: string): boolean {
  return /^\s*(var|host|storage)(\s|$)/.test(text);
}

export function parseDefinition(line: LogicalLine): ParsedDefinition {
  const text = line.joined;
  const match = HEADER.exec(text) as RegExpExecArray;
  const kind = match[2] as DefinitionKind;
  const name = match[4] as string;
  const nameStart =
    (match[1] as string).length + kind.length + (match[3] as string).length;
  const valueStart = match[0].length;
  const example = EXAMPLES[kind];

  if (name === "") {
    throw new LineIssue(
      nameStart,
      `missing name after "${kind}"`,
      `write ${example}`,
    );
  }
  if (!DEFINITION_NAME.test(name)) {
    throw new LineIssue(nameStart, `invalid ${kind} name "${name}"`, NAME_RULE);
  }
  if (match[5] === "") {
    throw new LineIssue(
      valueStart,
      `missing "=" after ${kind} ${name}`,
      `write ${example}`,
    );
  }

  // Continued lines join with one space, as they would in a shell word list.
  const value = line.raw
    .slice(valueStart)
    .replace(/[ \t]*\\\n[ \t]*/g, " ")
    .trim();
  if (value === "") {
    throw new LineIssue(
      valueStart,
      `missing value for ${kind} ${name}`,
      `write ${example}`,
    );
  }
  if (kind === "host") validateHostSpec(text, valueStart);
  if (kind === "storage") validateStorageSpec(text, valueStart);
  return { kind, name, value, nameStart };
}
