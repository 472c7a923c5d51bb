// Terminal output as lines of text: escape sequences removed, `\r` redraws
// collapsed to what the terminal finally shows.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte escapes.
/* eslint-disable no-control-regex -- matching control bytes is the point here */
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Returns one raw terminal line (without `\n`) as the terminal displays it. */
export function cleanLine(raw: string): string {
  const text = raw.replace(ESCAPES, "").replace(/\r+$/, "");
  const lastReturn = text.lastIndexOf("\r");
  const shown = lastReturn >= 0 ? text.slice(lastReturn + 1) : text;
  return shown.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}

/** Feeds raw log bytes and reports the first complete line matching a regex. */
export class LineMatcher {
  private partial = "";
  private readonly decoder = new TextDecoder("utf-8");

  constructor(private readonly regex: RegExp) {}

  /** Returns the first matching complete line in `chunk`, if any. */
  push(chunk: Uint8Array): string | undefined {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const raw of lines) {
      const line = cleanLine(raw);
      if (this.regex.test(line)) return line;
    }
    return undefined;
  }

  /** Tests the last unterminated line, for a session that has ended. */
  flush(): string | undefined {
    const line = cleanLine(this.partial);
    this.partial = "";
    return this.regex.test(line) ? line : undefined;
  }
}
