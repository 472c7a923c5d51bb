// The framed request/response protocol of the control channel. Requests are
// shell code written to a long-lived `/bin/sh`. Responses come back on its
// stdout between marker lines that carry a random per-channel token:
//
//   @@TSH-<token> BEGIN <id>\n <stdout> [\n@@TSH-<token> ERR <id>\n <stderr>] \n@@TSH-<token> END <id> <rc>\n
//
// The framing uses only shell builtins (printf, [, eval), so a request costs
// one fork for its subshell, plus one `cat` when it wrote to stderr.
import { randomBytes } from "node:crypto";
import { quote } from "./quote.ts";

export function newToken(): string {
  return randomBytes(8).toString("hex");
}

function marker(token: string): string {
  return `@@TSH-${token}`;
}

/**
 * Returns the code that prepares the shell: a private temp file for each
 * request's stderr, removed when the shell exits, then the READY line.
 */
export function initScript(token: string): string {
  return [
    `__tsh_err=$(mktemp "\${TMPDIR:-/tmp}/trainsh-channel.XXXXXX") || exit 97`,
    `trap 'rm -f "$__tsh_err"' EXIT`,
    `trap 'exit 129' HUP`,
    `trap 'exit 143' TERM`,
    `printf '%s READY\\n' '${marker(token)}'`,
    "",
  ].join("\n");
}

/**
 * Wraps a script into one request. The script runs through `eval` of a
 * single-quoted word inside a subshell, so a syntax error, `exit` or `cd`
 * in it stays inside the subshell and cannot desynchronize the channel.
 */
export function requestScript(
  token: string,
  id: number,
  script: string,
): string {
  const mark = marker(token);
  return [
    `printf '%s BEGIN ${id}\\n' '${mark}'`,
    `( eval ${quote(script)} ) </dev/null 2>"$__tsh_err"`,
    "__tsh_rc=$?",
    `if [ -s "$__tsh_err" ]; then printf '\\n%s ERR ${id}\\n' '${mark}'; cat "$__tsh_err"; fi`,
    `printf '\\n%s END ${id} %s\\n' '${mark}' "$__tsh_rc"`,
    "",
  ].join("\n");
}

export interface Response {
  id: number;
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** A growable byte buffer that copies each chunk once (amortized). */
class ByteQueue {
  private bytes = Buffer.alloc(64 * 1024);
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (this.size + chunk.length > this.bytes.length) {
      const grown = Buffer.alloc(
        Math.max(this.bytes.length * 2, this.size + chunk.length),
      );
      this.bytes.copy(grown, 0, 0, this.size);
      this.bytes = grown;
    }
    chunk.copy(this.bytes, this.size);
    this.size += chunk.length;
  }

  indexOf(needle: Buffer, from: number): number {
    return this.bytes.subarray(0, this.size).indexOf(needle, from);
  }

  /** Removes and returns the first `count` bytes. */
  take(count: number): Buffer {
    const taken = Buffer.from(this.bytes.subarray(0, count));
    this.bytes.copyWithin(0, count, this.size);
    this.size -= count;
    return taken;
  }
}

type ParserState =
  | { phase: "starting" }
  | { phase: "between" }
  | { phase: "stdout"; id: number }
  | { phase: "stderr"; id: number; stdout: Buffer };

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

/**
 * Splits the shell's stdout into the READY event and responses. Bytes
 * before READY (login banners, rc-file output) and between responses are
 * dropped.
 */
export class ResponseParser {
  private readonly queue = new ByteQueue();
  private state: ParserState = { phase: "starting" };
  // Where the next marker search starts, so a large output is not rescanned.
  private searchFrom = 0;
  private readonly ready: Buffer;
  private readonly beginPrefix: Buffer;
  private readonly lineMarker: Buffer;

  constructor(
    token: string,
    private readonly onReady: () => void,
    private readonly onResponse: (response: Response) => void,
  ) {
    this.ready = Buffer.from(`${marker(token)} READY\n`);
    this.beginPrefix = Buffer.from(`${marker(token)} BEGIN `);
    this.lineMarker = Buffer.from(`\n${marker(token)} `);
  }

  /** Consumes a chunk of stdout and throws ProtocolError on a malformed frame. */
  push(chunk: Buffer): void {
    this.queue.push(chunk);
    while (this.step()) {
      // Each step consumes one frame part, until more input is needed.
    }
  }

  private step(): boolean {
    switch (this.state.phase) {
      case "starting":
        return this.readReady();
      case "between":
        return this.readBegin();
      case "stdout":
      case "stderr":
        return this.readSection();
    }
  }

  private readReady(): boolean {
    const at = this.find(this.ready);
    if (at === -1) return false;
    this.consume(at + this.ready.length);
    this.state = { phase: "between" };
    this.onReady();
    return true;
  }

  private readBegin(): boolean {
    const at = this.find(this.beginPrefix);
    if (at === -1) return false;
    const lineEnd = this.queue.indexOf(Buffer.from("\n"), at);
    if (lineEnd === -1) return false;
    const line = this.consume(lineEnd + 1)
      .subarray(at)
      .toString("latin1");
    const id = Number(line.slice(this.beginPrefix.length).trim());
    if (!Number.isInteger(id))
      throw new ProtocolError(`malformed BEGIN line ${JSON.stringify(line)}`);
    this.state = { phase: "stdout", id };
    return true;
  }

  /** Reads up to the next `\n@@TSH-token ...\n` line: ERR starts stderr, END finishes. */
  private readSection(): boolean {
    const state = this.state;
    if (state.phase !== "stdout" && state.phase !== "stderr") return false;
    const at = this.find(this.lineMarker);
    if (at === -1) return false;
    const lineEnd = this.queue.indexOf(Buffer.from("\n"), at + 1);
    if (lineEnd === -1) return false;

    const body = this.queue.take(at);
    const line = this.consume(lineEnd + 1 - at)
      .toString("latin1")
      .slice(this.lineMarker.length, -1);
    const [word, id, exitCode] = line.split(" ");
    const sameId = Number(id) === state.id;

    if (state.phase === "stdout" && word === "ERR" && sameId) {
      this.state = { phase: "stderr", id: state.id, stdout: body };
      return true;
    }
    if (word === "END" && sameId && /^[0-9]+$/.test(exitCode ?? "")) {
      const stdout = state.phase === "stdout" ? body : state.stdout;
      const stderr = state.phase === "stderr" ? body : Buffer.alloc(0);
      this.state = { phase: "between" };
      this.onResponse({
        id: state.id,
        exitCode: Number(exitCode),
        stdout,
        stderr,
      });
      return true;
    }
    throw new ProtocolError(
      `unexpected marker line ${JSON.stringify(line)} in response ${state.id}`,
    );
  }

  /** Finds `needle` from the saved search position and remembers how far it looked. */
  private find(needle: Buffer): number {
    const at = this.queue.indexOf(needle, this.searchFrom);
    if (at === -1)
      this.searchFrom = Math.max(0, this.queue.length - needle.length + 1);
    return at;
  }

  private consume(count: number): Buffer {
    this.searchFrom = 0;
    return this.queue.take(count);
  }
}
