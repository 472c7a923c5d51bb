// The one place in train that starts external processes. Everything else (ssh,
// rsync, tmux, the control channel, interactive ssh) goes through
// `runProcess` or `spawnProcess`, so timeouts, kill-on-exit, debug logging and
// redaction hold for every command.
import {
  spawn,
  type ChildProcess,
  type StdioOptions,
} from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { redact } from "../secrets/redact.ts";
import { debugStart } from "../util/debug.ts";
import { quoteCommand } from "./quote.ts";

/** Time between SIGTERM and SIGKILL when a process is stopped. */
export const KILL_GRACE_MS = 5000;

// After a process exits, a grandchild that kept its stdout or stderr open
// (for example `cmd &` in a shell) would hold `close` back forever, so the
// wait for the streams to close is bounded.
const CLOSE_AFTER_EXIT_MS = 1000;

export interface ProcessResult {
  command: string[];
  host: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  failed: boolean;
}

export interface ProcessOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Host label for messages and debug lines, "local" by default. */
  host?: string;
  stdio?: "pipe" | "inherit";
}

/** Exit status of a spawned process. */
export interface ProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: Error;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  host?: string;
  /** Node's stdio setting, three pipes by default. */
  stdio?: StdioOptions;
  /**
   * Starts the process as the leader of a new process group, so `terminate`
   * signals the whole group and also stops the commands it started.
   */
  processGroup?: boolean;
}

/** A running process started by `spawnProcess`. */
export interface SpawnedProcess {
  readonly child: ChildProcess;
  readonly command: string[];
  readonly host: string;
  /** Resolves once the process has exited and its output streams closed. */
  readonly exited: Promise<ProcessExit>;
  isRunning(): boolean;
  /** Sends SIGTERM, then SIGKILL after `graceMs`, and resolves when it exited. */
  terminate(graceMs?: number): Promise<ProcessExit>;
}

export class ProcessError extends Error {
  readonly result: ProcessResult;

  constructor(result: ProcessResult) {
    super(describeProcessFailure(result));
    this.name = "ProcessError";
    this.result = result;
  }
}

// Running processes, each with whether it leads its own process group.
const live = new Map<SpawnedProcess, boolean>();
let exitHookInstalled = false;

/**
 * Starts a long-lived process (the control channel, interactive ssh) and
 * returns its handle. The caller reads and writes `child`'s streams. The
 * process is killed when train exits, unless it has ended before.
 */
export function spawnProcess(
  argv: string[],
  opts: SpawnOptions = {},
): SpawnedProcess {
  const [file, ...args] = argv;
  if (file === undefined)
    throw new Error("spawnProcess needs a command, but argv is empty");
  installExitHook();
  const started = performance.now();
  const child = spawn(file, args, {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: opts.stdio ?? "pipe",
    detached: opts.processGroup === true,
  });
  let running = child.pid !== undefined;
  const exited = waitForExit(child, started).then((exit) => {
    running = false;
    live.delete(handle);
    return exit;
  });
  const handle: SpawnedProcess = {
    child,
    command: [...argv],
    host: opts.host ?? "local",
    exited,
    isRunning: () => running,
    terminate: (graceMs = KILL_GRACE_MS) => {
      if (!running) return exited;
      return terminate(child, opts.processGroup === true, graceMs, exited);
    },
  };
  if (running) live.set(handle, opts.processGroup === true);
  return handle;
}

function waitForExit(
  child: ChildProcess,
  started: number,
): Promise<ProcessExit> {
  return new Promise((resolve) => {
    let exit: ProcessExit | undefined;
    const finish = (): void => {
      if (exit !== undefined) resolve(exit);
    };
    child.once("error", (error) => {
      // `error` without a pid means the process never started. With a pid
      // it is a failed kill or IPC error and `exit` still follows.
      if (child.pid !== undefined) return;
      exit = { exitCode: null, signal: null, durationMs: 0, spawnError: error };
      finish();
    });
    child.once("exit", (exitCode, signal) => {
      exit = {
        exitCode,
        signal,
        durationMs: Math.round(performance.now() - started),
      };
      const timer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, CLOSE_AFTER_EXIT_MS);
      timer.unref();
      child.once("close", () => {
        clearTimeout(timer);
        finish();
      });
    });
  });
}

function terminate(
  child: ChildProcess,
  group: boolean,
  graceMs: number,
  exited: Promise<ProcessExit>,
): Promise<ProcessExit> {
  sendSignal(child, group, "SIGTERM");
  const timer = setTimeout(() => sendSignal(child, group, "SIGKILL"), graceMs);
  return exited.finally(() => clearTimeout(timer));
}

function sendSignal(
  child: ChildProcess,
  group: boolean,
  signal: NodeJS.Signals,
): void {
  if (child.pid === undefined) return;
  try {
    if (group) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // ESRCH: the process (group) is already gone, which is the goal.
  }
}

// NOTE: the `exit` event fires on a normal exit and after process.exit(),
// but not when train itself dies from an unhandled signal. A terminal's
// Ctrl-C still reaches children that share train's process group.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", killAllProcesses);
}

/** Sends SIGTERM to every process that is still running, for signal handlers. */
export function killAllProcesses(): void {
  for (const [handle, group] of live)
    sendSignal(handle.child, group, "SIGTERM");
}

/**
 * Runs a command to completion and returns its result. A non-zero exit, a
 * timeout or an abort is reported in the result, never thrown. On timeout
 * or abort the process gets SIGTERM, then SIGKILL after 5 s.
 */
export async function runProcess(
  argv: string[],
  opts: ProcessOptions = {},
): Promise<ProcessResult> {
  const host = opts.host ?? "local";
  const logEnd = debugStart(host, quoteCommand(argv));
  const started = performance.now();
  if (opts.signal?.aborted === true) {
    const result = notStartedResult(
      argv,
      host,
      "not started because the operation was aborted",
    );
    logEnd("aborted before start");
    return result;
  }
  const proc = spawnProcess(argv, {
    env: opts.env,
    cwd: opts.cwd,
    host,
    stdio: chooseStdio(opts),
  });
  const output = collectOutput(proc.child);
  writeInput(proc.child, opts.input);
  const watch = watchLimits(proc, opts);
  const exit = await proc.exited;
  watch.dispose();
  const result = buildResult(argv, host, exit, watch.timedOut(), output);
  result.durationMs = Math.round(performance.now() - started);
  logEnd(outcomeText(result));
  return result;
}

function chooseStdio(opts: ProcessOptions): StdioOptions {
  if (opts.stdio === "inherit") return "inherit";
  // Without input, stdin is /dev/null so a command that reads stdin
  // (ssh without -n does) reads EOF instead of waiting forever.
  return [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"];
}

interface CollectedOutput {
  stdout: Buffer[];
  stderr: Buffer[];
}

function collectOutput(child: ChildProcess): CollectedOutput {
  const output: CollectedOutput = { stdout: [], stderr: [] };
  child.stdout?.on("data", (chunk: Buffer) => output.stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => output.stderr.push(chunk));
  return output;
}

function writeInput(
  child: ChildProcess,
  input: string | Buffer | undefined,
): void {
  const stdin = child.stdin;
  if (stdin === null || input === undefined) return;
  // A command that exits without reading its input makes the write fail
  // with EPIPE, and its exit code is the result that matters.
  stdin.on("error", () => {});
  stdin.end(input);
}

interface LimitWatch {
  timedOut(): boolean;
  dispose(): void;
}

function watchLimits(proc: SpawnedProcess, opts: ProcessOptions): LimitWatch {
  let timedOut = false;
  const timer =
    opts.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          void proc.terminate();
        }, opts.timeoutMs);
  const onAbort = (): void => void proc.terminate();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  return {
    timedOut: () => timedOut,
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    },
  };
}

function buildResult(
  argv: string[],
  host: string,
  exit: ProcessExit,
  timedOut: boolean,
  output: CollectedOutput,
): ProcessResult {
  if (exit.spawnError !== undefined) {
    return notStartedResult(
      argv,
      host,
      spawnErrorText(argv[0] ?? "", exit.spawnError),
    );
  }
  return {
    command: [...argv],
    host,
    exitCode: exit.exitCode,
    signal: exit.signal,
    timedOut,
    durationMs: exit.durationMs,
    stdout: redact(Buffer.concat(output.stdout).toString("utf8")),
    stderr: redact(Buffer.concat(output.stderr).toString("utf8")),
    failed: timedOut || exit.signal !== null || exit.exitCode !== 0,
  };
}

// A command that cannot be started reports exit code 127, as a shell does
// for "command not found", so callers handle it like any other failure.
function notStartedResult(
  argv: string[],
  host: string,
  reason: string,
): ProcessResult {
  return {
    command: [...argv],
    host,
    exitCode: 127,
    signal: null,
    timedOut: false,
    durationMs: 0,
    stdout: "",
    stderr: redact(reason),
    failed: true,
  };
}

function spawnErrorText(file: string, error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return `${file}: command not found (spawn ENOENT)`;
  return `${file}: could not be started: ${error.message}`;
}

function outcomeText(result: ProcessResult): string {
  if (result.timedOut) return "timed out";
  if (result.signal !== null) return `killed by ${result.signal}`;
  return `exit ${result.exitCode}`;
}

/** Returns the result unchanged when the command succeeded, and throws ProcessError otherwise. */
export function requireSuccess(result: ProcessResult): ProcessResult {
  if (result.failed) throw new ProcessError(result);
  return result;
}

const STDERR_TAIL_LINES = 20;

function describeProcessFailure(result: ProcessResult): string {
  const command = redact(quoteCommand(result.command));
  let head: string;
  if (result.timedOut) {
    head = `Command timed out after ${result.durationMs} ms on ${result.host}: ${command}`;
  } else if (result.signal !== null) {
    head = `Command was killed by ${result.signal} on ${result.host}: ${command}`;
  } else {
    head = `Command failed with exit code ${result.exitCode} on ${result.host}: ${command}`;
  }
  const tail = lastLines(result.stderr, STDERR_TAIL_LINES);
  return tail === "" ? head : `${head}\n${tail}`;
}

function lastLines(text: string, count: number): string {
  const lines = text.trimEnd().split("\n");
  return redact(lines.slice(-count).join("\n"));
}

/** Reports whether an executable named `name` is on PATH (or at that path). */
export async function commandExists(name: string): Promise<boolean> {
  return commandExistsSync(name);
}

/** Reports synchronously whether `name` is on PATH, for code that builds ssh options. */
export function commandExistsSync(name: string): boolean {
  if (name === "") return false;
  if (name.includes("/")) return isExecutable(name);
  const dirs = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "");
  return dirs.some((dir) => isExecutable(join(dir, name)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
