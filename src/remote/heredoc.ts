// Quoted heredocs for carrying arbitrary text to a shell: `<<'DELIM'` turns
// off every expansion, so the text arrives byte for byte. The delimiter is
// random and checked against the text, because a text line equal to it
// would end the heredoc early and run the rest as commands.
import { randomBytes } from "node:crypto";

export interface Heredoc {
  delimiter: string;
  /** The redirection to write after the command, e.g. `<<'TSH_EOF_1a2b'`. */
  operator: string;
  /** The lines after the command line: the text, a newline, the delimiter line. */
  body: string;
}

/** Builds a heredoc that delivers `text` followed by one newline. */
export function heredoc(text: string): Heredoc {
  const lines = new Set(text.split("\n"));
  let delimiter = newDelimiter();
  while (lines.has(delimiter)) delimiter = newDelimiter();
  return {
    delimiter,
    operator: `<<'${delimiter}'`,
    body: `${text}\n${delimiter}`,
  };
}

function newDelimiter(): string {
  return `TSH_EOF_${randomBytes(8).toString("hex")}`;
}
