// One persistent control channel per host: a plain `/bin/sh` (no rc files)
// that stays open over the multiplexed ssh connection, or locally, and runs
// requests one at a time. A request costs one round trip on the open
// connection instead of a new ssh process and a new remote login shell.
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import type { ResolvedHost } from "../hosts/spec.ts";
import { debugStart } from "../util/debug.ts";
import { ChannelError } from "./channel-error.ts";
import { ShellSession, type ChannelResult } from "./channel-session.ts";
import { heredoc } from "./heredoc.ts";
import { quote } from "./quote.ts";

export { ChannelError, type ChannelErrorKind } from "./channel-error.ts";
export type { ChannelResult } from "./channel-session.ts";

export interface Channel {
  /** The host's label, as in `@gpu1`. */
  readonly host: string;
  /**
   * Runs shell code in a subshell of the channel's shell, with stdin from
   * /dev/null and the login directory as working directory. Resolves with
   * the exit code for any exit. It rejects with ChannelError only when the
   * channel failed, timed out (default 120 s) or the signal aborted.
   */
  run(
    script: string,
    opts?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ChannelResult>;
  /**
   * Writes `content` to `path` on the host through the channel's stdin,
   * never argv: parent directories are created (mode 0700), then the file
   * is written to a temp name and renamed, with `mode` (default 0o600).
   * A leading `~/` means the home directory. Rejects with ChannelError, or
   * Error when the host could not write the file.
   */
  writeFile(path: string, content: string, mode?: number): Promise<void>;
  /** Lets the requests already made finish, then ends the shell. Later requests reject. */
  close(): Promise<void>;
}

// Long enough for any control request, because a step's own command runs in tmux,
// not in the channel, and waits are built from short polls.
const DEFAULT_TIMEOUT_MS = 120_000;

/** Opens a control channel to `host` and resolves once its shell is ready. */
export async function openChannel(host: ResolvedHost): Promise<Channel> {
  const channel = new ShellChannel(host);
  await channel.connect();
  return channel;
}

class ShellChannel implements Channel {
  readonly host: string;
  private session: ShellSession | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly target: ResolvedHost) {
    this.host = target.label;
  }

  /** Returns the live session, starting a new one after a failure. */
  async connect(): Promise<ShellSession> {
    if (this.session?.isAlive() === true) return this.session;
    this.session = undefined;
    this.session = await ShellSession.start(this.target);
    return this.session;
  }

  run(
    script: string,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ChannelResult> {
    if (this.closed) {
      return Promise.reject(
        new ChannelError(
          "protocol",
          this.host,
          `The control channel to @${this.host} is closed.\nTry: open a new channel (ConnectionPool.channel).`,
        ),
      );
    }
    return this.enqueue(() =>
      this.runNow(script, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal),
    );
  }

  async writeFile(path: string, content: string, mode = 0o600): Promise<void> {
    const logEnd = debugStart(
      this.host,
      `channel write ${path} (${Buffer.byteLength(content)} bytes)`,
    );
    const result = await this.run(writeFileScript(path, content, mode));
    logEnd(`exit ${result.exitCode}`);
    if (result.exitCode !== 0) {
      throw new Error(
        `Writing ${path} on @${this.host} failed with exit code ${result.exitCode}: ${result.stderr.trim()}\nTry: check that the directory is writable and the disk is not full on @${this.host}.`,
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.session?.close();
    this.session = undefined;
  }

  /** Runs tasks one after another, whatever the previous one's outcome. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(
    script: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ChannelResult> {
    const logEnd = debugStart(this.host, `channel: ${summarize(script)}`);
    const session = await this.connect();
    try {
      const result = await session.request(script, timeoutMs, signal);
      logEnd(`exit ${result.exitCode}`);
      return result;
    } catch (error) {
      logEnd(
        error instanceof ChannelError
          ? `channel error (${error.kind})`
          : "failed",
      );
      this.session = undefined;
      session.kill();
      throw error;
    }
  }
}

function summarize(script: string): string {
  const firstLine = script.trimStart().split("\n")[0] ?? "";
  const more = script.trim().includes("\n") ? " ..." : "";
  return firstLine.length > 120
    ? `${firstLine.slice(0, 120)}...`
    : `${firstLine}${more}`;
}

/**
 * Builds the script for `writeFile`. The content travels in a quoted
 * heredoc, which always ends with a newline. Content that ends with one is
 * sent without it. Other content gets a `.` sentinel instead: command
 * substitution strips trailing newlines, and removing the sentinel
 * afterwards restores them exactly (that path costs one more fork).
 */
export function writeFileScript(
  path: string,
  content: string,
  mode: number,
): string {
  checkWritable(path, content, mode);
  const target = pathWord(path);
  const dir = pathWord(posix.dirname(path));
  const lines = [
    "umask 077",
    `[ -d ${dir} ] || mkdir -p -- ${dir} || exit 1`,
    `__tsh_tmp=${target}.trainsh-tmp.${randomBytes(6).toString("hex")}`,
    ...writeContentLines(content),
  ];
  if (mode !== 0o600) {
    lines.push(`chmod ${mode.toString(8)} "$__tsh_tmp" || exit 1`);
  }
  lines.push(
    `mv -f -- "$__tsh_tmp" ${target} || { rm -f "$__tsh_tmp"; exit 1; }`,
  );
  return lines.join("\n");
}

/** Returns the lines that write `content` to "$__tsh_tmp", byte for byte. */
function writeContentLines(content: string): string[] {
  if (content.endsWith("\n")) {
    const body = heredoc(content.slice(0, -1));
    return [`cat > "$__tsh_tmp" ${body.operator} || exit 1`, body.body];
  }
  const body = heredoc(`${content}.`);
  return [
    `__tsh_body=$(cat ${body.operator}`,
    body.body,
    ")",
    '__tsh_body="${__tsh_body%.}"',
    `printf '%s' "$__tsh_body" > "$__tsh_tmp" || exit 1`,
  ];
}

function checkWritable(path: string, content: string, mode: number): void {
  if (content.includes("\0")) {
    throw new Error(
      `Cannot write ${path}: the content contains a NUL byte, which a shell cannot carry.\nTry: encode binary content (e.g. base64) before writing it.`,
    );
  }
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new Error(
      `Cannot write ${path}: mode ${mode} is not a file mode.\nTry: pass a mode such as 0o600.`,
    );
  }
}

/** Quotes a path for the shell, turning a leading `~/` into "$HOME"/. */
function pathWord(path: string): string {
  if (path === "~") return '"$HOME"';
  if (path.startsWith("~/")) return `"$HOME"/${quote(path.slice(2))}`;
  return quote(path);
}
