// Physical and logical lines of a recipe. A logical line is one or more
// physical lines: a line continued with `\`, and for execute steps the body of
// a heredoc.

export interface PhysicalLine {
  /** 1-based line number. */
  number: number;
  text: string;
}

export interface Location {
  line: number;
  column: number;
  source: string;
}

/** Splits recipe text into physical lines; CRLF reads as LF, because a shell would run a stray `\r` as part of the command. */
export function splitPhysicalLines(text: string): PhysicalLine[] {
  const parts = text.split("\n");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts.map((part, index) => ({
    number: index + 1,
    text: part.endsWith("\r") ? part.slice(0, -1) : part,
  }));
}

/** Reports whether a line ends in an unescaped backslash, which continues it. */
export function endsWithContinuation(text: string): boolean {
  const match = /\\+$/.exec(text);
  return match !== null && match[0].length % 2 === 1;
}

export class LogicalLine {
  readonly lines: PhysicalLine[];
  /** The physical lines joined with `\n`, exactly as written. */
  readonly raw: string;
  /** `raw` with each `\`+newline replaced by two spaces, so offsets still match `raw`. */
  readonly joined: string;

  constructor(lines: PhysicalLine[]) {
    this.lines = lines;
    this.raw = lines.map((line) => line.text).join("\n");
    this.joined = this.raw.replace(/\\\n/g, "  ");
  }

  get first(): PhysicalLine {
    return this.lines[0] as PhysicalLine;
  }

  /** Offset of the first non-blank character. */
  get indent(): number {
    return this.raw.length - this.raw.trimStart().length;
  }

  /** Maps an offset in `raw` to the physical line and 1-based column. */
  locate(offset: number): Location {
    let start = 0;
    for (const line of this.lines) {
      const end = start + line.text.length;
      if (offset <= end) {
        return {
          line: line.number,
          column: offset - start + 1,
          source: line.text,
        };
      }
      start = end + 1;
    }
    const last = this.lines[this.lines.length - 1] as PhysicalLine;
    return {
      line: last.number,
      column: last.text.length + 1,
      source: last.text,
    };
  }
}
