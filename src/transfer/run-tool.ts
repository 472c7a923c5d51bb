// Runs rsync, scp or rclone with its output streamed line by line (rsync redraws
// its progress line with `\r`), so progress reaches the caller while the
// copy runs. `runProcess` only returns output at the end.
import { StringDecoder } from "node:string_decoder";
import {
  spawnProcess,
  type ProcessExit,
  type ProcessResult,
} from "../remote/process.ts";
import { quoteCommand } from "../remote/quote.ts";
import { redact } from "../secrets/redact.ts";
import { debugStart } from "../util/debug.ts";

export interface ToolRunOptions {
  /** Host label for messages and debug lines. */
  host: string;
  signal?: AbortSignal;
  /** Called for every stdout line, split at `\n` and `\r`. */
  onLine?: (line: string) => void;
  /** Called for every stderr line, split the same way. */
  onErrorLine?: (line: string) => void;
  /** The environment; the parent's by default. */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; stdin is /dev/null without it. */
  input?: string;
  /** Keep stdin open after `input` until the command exits, as a lifeline it can watch. */
  keepStdinOpen?: boolean;
}

/**
 * Runs a command to completion and returns its result, never throwing for
 * a failed command. It runs in its own process group, so an abort stops
 * the ssh that rsync or scp started as well.
 */
export async function runTool(
  argv: string[],
  opts: ToolRunOptions,
): Promise<ProcessResult> {
  const logEnd = debugStart(opts.host, quoteCommand(argv));
  if (opts.signal?.aborted === true) {
    logEnd("aborted before start");
    return abortedResult(argv, opts.host);
  }

  const proc = spawnProcess(argv, {
    host: opts.host,
    stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    processGroup: true,
    env: opts.env,
  });
  if (opts.input !== undefined) {
    // A command that exits before reading stdin makes the write fail with
    // EPIPE, and its exit status is the result that matters.
    proc.child.stdin?.on("error", () => {});
    if (opts.keepStdinOpen === true) proc.child.stdin?.write(opts.input);
    else proc.child.stdin?.end(opts.input);
  }
  const stdout = collectLines(proc.child.stdout, opts.onLine);
  const stderr = collectLines(proc.child.stderr, opts.onErrorLine);
  const onAbort = (): void => void proc.terminate();
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  const exit = await proc.exited;
  opts.signal?.removeEventListener("abort", onAbort);
  const result = buildResult(argv, opts.host, exit, stdout, stderr);
  logEnd(
    result.signal === null
      ? `exit ${result.exitCode}`
      : `killed by ${result.signal}`,
  );
  return result;
}

function buildResult(
  argv: string[],
  host: string,
  exit: ProcessExit,
  stdout: LineCollector,
  stderr: LineCollector,
): ProcessResult {
  const started = exit.spawnError === undefined;
  return {
    command: [...argv],
    host,
    // 127, as a shell reports for a command it cannot find.
    exitCode: started ? exit.exitCode : 127,
    signal: exit.signal,
    timedOut: false,
    durationMs: exit.durationMs,
    stdout: redact(stdout.text()),
    stderr: redact(stderr.text() + spawnErrorText(argv, exit.spawnError)),
    failed: !started || exit.exitCode !== 0,
  };
}

interface LineCollector {
  text(): string;
}

function collectLines(
  stream: NodeJS.ReadableStream | null,
  onLine?: (line: string) => void,
): LineCollector {
  const chunks: Buffer[] = [];
  // The decoder keeps a multibyte character that a chunk boundary splits.
  const decoder = new StringDecoder("utf8");
  let pending = "";
  stream?.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    if (onLine === undefined) return;
    const parts = (pending + decoder.write(chunk)).split(/[\r\n]/);
    pending = parts.pop() ?? "";
    for (const line of parts) if (line !== "") onLine(line);
  });
  return { text: () => Buffer.concat(chunks).toString("utf8") };
}

function spawnErrorText(argv: string[], error: Error | undefined): string {
  if (error === undefined) return "";
  return `${argv[0] ?? ""}: could not be started: ${error.message}`;
}

function abortedResult(argv: string[], host: string): ProcessResult {
  return {
    command: [...argv],
    host,
    exitCode: null,
    signal: "SIGTERM",
    timedOut: false,
    durationMs: 0,
    stdout: "",
    stderr: "not started because the transfer was aborted",
    failed: true,
  };
}
