// One running shell behind a channel: the `/bin/sh` process (local, or
// remote through ssh), its response parser and the request in flight. A
// session that failed stays failed, and the channel starts a new one.
import { homedir } from "node:os";
import type { ResolvedHost } from "../hosts/spec.ts";
import { redact } from "../secrets/redact.ts";
import { debugStart } from "../util/debug.ts";
import { ChannelError } from "./channel-error.ts";
import {
  initScript,
  newToken,
  ProtocolError,
  requestScript,
  ResponseParser,
  type Response,
} from "./channel-protocol.ts";
import {
  KILL_GRACE_MS,
  spawnProcess,
  type ProcessResult,
  type SpawnedProcess,
} from "./process.ts";
import { classifySshFailure, describeSshFailure } from "./ssh-failure.ts";
import { ensureMaster, SshError } from "./ssh-master.ts";
import { sshArgv } from "./ssh-options.ts";

export interface ChannelResult {
  exitCode: number;
  /** The script's stdout, byte for byte (not redacted). */
  stdout: Buffer;
  /** The script's stderr, decoded as UTF-8 and redacted. */
  stderr: string;
  durationMs: number;
}

// Covers ssh's ConnectTimeout (15 s) plus login and the remote rc files.
const START_TIMEOUT_MS = 45_000;
const STDERR_TAIL_BYTES = 4096;
const CLOSE_WAIT_MS = 5000;

interface InFlight {
  id: number;
  started: number;
  resolve: (result: ChannelResult) => void;
  reject: (error: ChannelError) => void;
}

export class ShellSession {
  private readonly token = newToken();
  private readonly parser: ResponseParser;
  private proc: SpawnedProcess | undefined;
  private failure: ChannelError | undefined;
  private inFlight: InFlight | undefined;
  private nextId = 1;
  private stderrTail = "";
  private readyWaiter:
    { resolve: () => void; reject: (error: ChannelError) => void } | undefined;

  private constructor(private readonly host: ResolvedHost) {
    this.parser = new ResponseParser(
      this.token,
      () => this.readyWaiter?.resolve(),
      (response) => this.settle(response),
    );
  }

  /** Starts the shell and resolves once it printed READY. */
  static async start(host: ResolvedHost): Promise<ShellSession> {
    if (host.kind === "ssh") await ensureMasterForChannel(host);
    const session = new ShellSession(host);
    await session.launch();
    return session;
  }

  isAlive(): boolean {
    return this.failure === undefined && this.proc?.isRunning() === true;
  }

  private launch(): Promise<void> {
    const logEnd = debugStart(this.host.label, "open control channel");
    const ready = new Promise<void>((resolve, reject) => {
      this.readyWaiter = { resolve, reject };
    });
    const proc = this.spawnShell();
    this.proc = proc;
    proc.child.stdout?.on("data", (chunk: Buffer) => this.onStdout(chunk));
    proc.child.stderr?.on("data", (chunk: Buffer) => this.onStderr(chunk));
    proc.child.stdin?.on("error", () => {
      // EPIPE after the shell died. The exit handler reports it.
    });
    void proc.exited.then((exit) =>
      this.onExit(exit.exitCode, exit.signal, exit.durationMs),
    );
    proc.child.stdin?.write(initScript(this.token));
    const timer = setTimeout(() => {
      this.fail(
        new ChannelError(
          "timeout",
          this.host.label,
          this.startTimeoutMessage(),
        ),
      );
    }, START_TIMEOUT_MS);
    return ready.then(
      () => {
        clearTimeout(timer);
        this.readyWaiter = undefined;
        logEnd("ready");
      },
      (error: unknown) => {
        clearTimeout(timer);
        logEnd("failed");
        throw error;
      },
    );
  }

  // A new process group keeps a terminal Ctrl-C away from the channel, so
  // train can still use it while it handles the interrupt. The channel is
  // stopped explicitly, and by the exit hook in process.ts.
  private spawnShell(): SpawnedProcess {
    if (this.host.kind === "local") {
      // Start in the home directory, as an ssh login does, so relative
      // paths mean the same locally and remotely.
      return spawnProcess(["/bin/sh"], {
        host: this.host.label,
        cwd: homedir(),
        processGroup: true,
      });
    }
    // The login shell runs its rc files once, then is replaced by a plain sh.
    const argv = sshArgv(this.host, "exec /bin/sh");
    return spawnProcess(argv, { host: this.host.label, processGroup: true });
  }

  /** Sends one request and resolves with its response. */
  request(
    script: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ChannelResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (signal?.aborted === true) return Promise.reject(this.abortError());
    const id = this.nextId++;
    return new Promise<ChannelResult>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(this.timeoutError(timeoutMs)),
        timeoutMs,
      );
      const onAbort = (): void => this.fail(this.abortError());
      signal?.addEventListener("abort", onAbort, { once: true });
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      this.inFlight = {
        id,
        started: performance.now(),
        resolve: (result) => (cleanup(), resolve(result)),
        reject: (error) => (cleanup(), reject(error)),
      };
      this.proc?.child.stdin?.write(requestScript(this.token, id, script));
    });
  }

  private onStdout(chunk: Buffer): void {
    try {
      this.parser.push(chunk);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.fail(
        new ChannelError(
          "protocol",
          this.host.label,
          `The control channel to @${this.host.label} sent a malformed response: ${error.message}.\nTry: rerun. If it happens again, run with TRAINSH_DEBUG=1 and report the output.`,
        ),
      );
    }
  }

  private onStderr(chunk: Buffer): void {
    this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(
      -STDERR_TAIL_BYTES,
    );
  }

  private settle(response: Response): void {
    const inFlight = this.inFlight;
    if (inFlight === undefined || inFlight.id !== response.id) return;
    this.inFlight = undefined;
    inFlight.resolve({
      exitCode: response.exitCode,
      stdout: response.stdout,
      stderr: redact(response.stderr.toString("utf8")),
      durationMs: Math.round(performance.now() - inFlight.started),
    });
  }

  private onExit(
    exitCode: number | null,
    signal: NodeJS.Signals | null,
    durationMs: number,
  ): void {
    if (this.failure !== undefined) return;
    const result = this.exitResult(exitCode, signal, durationMs);
    if (this.readyWaiter !== undefined) {
      this.fail(this.startFailure(result));
      return;
    }
    this.fail(
      new ChannelError(
        "connection-lost",
        this.host.label,
        this.lostMessage(result),
      ),
    );
  }

  /** Marks the session failed, rejects whatever waits on it and stops the shell. */
  private fail(error: ChannelError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.readyWaiter?.reject(error);
    this.readyWaiter = undefined;
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    inFlight?.reject(error);
    void this.proc?.terminate(KILL_GRACE_MS);
  }

  /** Stops the shell at once. A request in flight fails with "connection-lost". */
  kill(): void {
    if (this.failure === undefined && this.proc?.isRunning() === true) {
      this.fail(
        new ChannelError(
          "connection-lost",
          this.host.label,
          `The control channel to @${this.host.label} was stopped.`,
        ),
      );
    }
  }

  /** Ends the shell's input so it exits after the request in flight, and kills it after 5 s. */
  async close(): Promise<void> {
    const proc = this.proc;
    if (proc === undefined || !proc.isRunning()) return;
    proc.child.stdin?.end();
    const timer = setTimeout(
      () => void proc.terminate(KILL_GRACE_MS),
      CLOSE_WAIT_MS,
    );
    await proc.exited;
    clearTimeout(timer);
  }

  /** Returns the PID of the local process behind the session (sh or ssh), for tests. */
  pid(): number | undefined {
    return this.proc?.child.pid;
  }

  private exitResult(
    exitCode: number | null,
    signal: NodeJS.Signals | null,
    durationMs: number,
  ): ProcessResult {
    return {
      command: this.proc?.command ?? [],
      host: this.host.label,
      exitCode,
      signal,
      timedOut: false,
      durationMs,
      stdout: "",
      stderr: redact(this.stderrTail),
      failed: true,
    };
  }

  private startFailure(result: ProcessResult): ChannelError {
    const label = this.host.label;
    if (this.host.kind === "local") {
      const ending = result.signal ?? `exit ${result.exitCode}`;
      const message = `The local control shell /bin/sh exited before it was ready (${ending}): ${lastLine(result.stderr)}\nTry: check that /bin/sh and mktemp work on this machine.`;
      return new ChannelError("protocol", label, message);
    }
    const classified = classifySshFailure(result);
    // The shell itself exiting early is no remote command's exit code.
    const kind = classified === "remote" ? "connection-lost" : classified;
    return new ChannelError(
      kind,
      label,
      describeSshFailure(kind, label, result),
    );
  }

  private lostMessage(result: ProcessResult): string {
    const ending =
      result.signal !== null
        ? `killed by ${result.signal}`
        : `exit ${result.exitCode}`;
    const detail = lastLine(result.stderr);
    return `The control channel to @${this.host.label} was lost (${ending})${detail === "" ? "" : `: ${detail}`}.\nTry: check the network and that the host is still running. The next request reconnects.`;
  }

  private timeoutError(timeoutMs: number): ChannelError {
    return new ChannelError(
      "timeout",
      this.host.label,
      `A control channel request to @${this.host.label} timed out after ${timeoutMs} ms.\nTry: check that the host responds to ssh, or raise the timeout. The next request reconnects.`,
    );
  }

  private startTimeoutMessage(): string {
    return `Opening the control channel to @${this.host.label} timed out after ${START_TIMEOUT_MS} ms${this.stderrTail === "" ? "" : `: ${lastLine(redact(this.stderrTail))}`}.\nTry: check that the host is up and that a login there does not wait for input.`;
  }

  private abortError(): ChannelError {
    return new ChannelError(
      "aborted",
      this.host.label,
      `A control channel request to @${this.host.label} was aborted.`,
    );
  }
}

async function ensureMasterForChannel(
  host: Extract<ResolvedHost, { kind: "ssh" }>,
): Promise<void> {
  try {
    await ensureMaster(host);
  } catch (error) {
    if (error instanceof SshError)
      throw new ChannelError(error.kind, host.label, error.message);
    if (error instanceof Error)
      throw new ChannelError("protocol", host.label, error.message);
    throw error;
  }
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1)?.trim() ?? "";
}
