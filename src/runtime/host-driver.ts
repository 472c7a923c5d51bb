// Drives the tmux server of one host through its control channel: probe,
// open and close sessions, send a step, wait for steps, read output.
import type { Channel } from "../remote/channel.ts";
import type { ResolvedHost } from "../hosts/spec.ts";
import { quote } from "../remote/quote.ts";
import * as scripts from "../remote/tmux-scripts.ts";
import { MIN_TMUX_VERSION, parseTmuxVersion } from "../remote/tmux-version.ts";
import { paths } from "../config/paths.ts";

export class HostSetupError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "HostSetupError";
  }
}

const POSIX_SHELLS = new Set([
  "bash",
  "zsh",
  "sh",
  "dash",
  "ksh",
  "mksh",
  "ash",
]);

export type PaneState =
  | { kind: "alive" }
  | { kind: "dead"; status?: number; signal?: number }
  /** `server`: no tmux server on the host; `session`: the session was killed. */
  | { kind: "gone"; reason?: "server" | "session" };

export type SendReply =
  | { kind: "sent"; logOffset: number }
  | { kind: "busy"; step: number }
  | { kind: "pane"; state: PaneState };

export type AwaitReply =
  /** `capture` is the pane text, when the wait asked for it. */
  | { kind: "done"; codes: Map<number, number>; capture?: string }
  | { kind: "running" }
  | { kind: "pane"; state: PaneState };

function parsePaneState(line: string): PaneState | undefined {
  if (line === "gone") return { kind: "gone" };
  if (line === "gone-server") return { kind: "gone", reason: "server" };
  if (line === "gone-session") return { kind: "gone", reason: "session" };
  if (line === "alive") return { kind: "alive" };
  const match = /^dead=(\d*)/.exec(line);
  if (match === null) return undefined;
  if (match[1] === "") return { kind: "dead" };
  // The wrapper records the shell's status as a shell reports it: 128 + N
  // for a shell killed by signal N.
  const code = Number(match[1]);
  if (code > 128 && code < 160) return { kind: "dead", signal: code - 128 };
  return { kind: "dead", status: code };
}

export class HostDriver {
  private constructor(
    readonly label: string,
    readonly channel: Channel,
    readonly layout: scripts.HostLayout,
    readonly home: string,
    /** The interactive shell panes run, e.g. `/bin/bash -l`. */
    readonly shellCommand: string,
    /** Name of the shell panes run. */
    readonly shell: string,
  ) {}

  /** Probes the host: state dir, tmux presence and version, login shell. */
  static async connect(
    host: ResolvedHost,
    channel: Channel,
    socket: string,
  ): Promise<HostDriver> {
    const stateExpr =
      host.kind === "local" ? quote(paths.localState()) : '"$HOME/.trainsh"';
    const reply = await channel.run(scripts.probeScript(stateExpr), {
      timeoutMs: 30_000,
    });
    const fields = new Map<string, string>();
    for (const line of reply.stdout.toString("utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
    }
    if (reply.exitCode !== 0 || !fields.has("state")) {
      throw new HostSetupError(
        `failed to prepare ${host.label}: ${reply.stderr.trim() || `exit code ${reply.exitCode}`}`,
      );
    }
    checkTmux(host.label, fields.get("tmux") ?? "missing");
    const shell = (fields.get("shell") ?? "/bin/sh").split("/").pop() ?? "sh";
    const loginShell = fields.get("shell") ?? "/bin/sh";
    const shellCommand = POSIX_SHELLS.has(shell)
      ? `${loginShell} -l`
      : fields.get("bash") === "yes"
        ? "bash -l"
        : "sh -l";
    const layout = { stateDir: fields.get("state")!, socket };
    const paneShell = shellCommand.split(" ")[0]!.split("/").pop()!;
    return new HostDriver(
      host.label,
      channel,
      layout,
      fields.get("home") ?? "",
      shellCommand,
      paneShell,
    );
  }

  /** Runs a script; returns its status lines and the pane text after CAPTURE_MARK. */
  private async request(
    script: string,
    timeoutMs = 30_000,
  ): Promise<{ lines: string[]; capture?: string }> {
    const reply = await this.channel.run(script, { timeoutMs });
    if (reply.exitCode !== 0) {
      const detail = reply.stderr.trim() || `exit code ${reply.exitCode}`;
      throw new HostSetupError(
        `tmux request failed on ${this.label}: ${detail}`,
      );
    }
    const text = reply.stdout.toString("utf8");
    const mark = text.indexOf(`${scripts.CAPTURE_MARK}\n`);
    const head = mark < 0 ? text : text.slice(0, mark);
    const capture =
      mark < 0 ? undefined : text.slice(mark + scripts.CAPTURE_MARK.length + 1);
    return { lines: head.split("\n").filter((l) => l !== ""), capture };
  }

  private async requestLines(
    script: string,
    timeoutMs?: number,
  ): Promise<string[]> {
    return (await this.request(script, timeoutMs)).lines;
  }

  async openSession(
    session: string,
    jobId: string,
    width: number,
    height: number,
  ) {
    const lines = await this.requestLines(
      scripts.openSessionScript(this.layout, {
        session,
        jobId,
        width,
        height,
        shellCommand: this.shellCommand,
        shell: this.shell,
      }),
    );
    return lines[0] === "exists" ? "exists" : "created";
  }

  async closeSession(jobId: string, session: string): Promise<void> {
    await this.requestLines(
      scripts.closeSessionScript(this.layout, jobId, session),
    );
  }

  stepFiles(jobId: string, step: number): scripts.StepFiles {
    return scripts.stepFiles(this.layout, jobId, step);
  }

  /**
   * Writes the step script and types its line into the pane, in one request.
   * With `awaitPolls` > 0 the same request then waits up to that many seconds
   * for the step to finish, and returns its pane text when it did.
   */
  async send(
    opts: scripts.SendOptions & {
      command: string;
      awaitPolls: number;
      captureLines: number;
    },
  ): Promise<{ send: SendReply; await?: AwaitReply }> {
    const files = this.stepFiles(opts.jobId, opts.step);
    const parts = [
      scripts.writeFileSnippet(
        files.script,
        scripts.stepScriptBody(files, opts.command),
        0o600,
      ),
      scripts.sendScript(this.layout, opts),
    ];
    if (opts.awaitPolls > 0) {
      parts.push(
        scripts.awaitScript(this.layout, {
          session: opts.session,
          jobId: opts.jobId,
          steps: [opts.step],
          polls: opts.awaitPolls,
          captureLines: opts.captureLines,
        }),
      );
    }
    const { lines, capture } = await this.request(
      parts.join("\n"),
      (opts.awaitPolls + 30) * 1000,
    );
    if (lines[0] === "pane 1") {
      return {
        send: {
          kind: "pane",
          state: await this.paneState(opts.jobId, opts.session),
        },
      };
    }
    const rest = lines[0]?.startsWith("pane ") ? lines.slice(1) : lines;
    const send = parseSendReply(rest[0] ?? "");
    if (send.kind === "pane" && send.state.kind === "gone") {
      return {
        send: {
          kind: "pane",
          state: await this.paneState(opts.jobId, opts.session),
        },
      };
    }
    if (send.kind !== "sent" || opts.awaitPolls === 0) return { send };
    return { send, await: parseAwaitReply(rest[1] ?? "", capture) };
  }

  async await(
    session: string,
    jobId: string,
    steps: number[],
    polls: number,
    captureLines?: number,
  ): Promise<AwaitReply> {
    const script = scripts.awaitScript(this.layout, {
      session,
      jobId,
      steps,
      polls,
      captureLines,
    });
    const { lines, capture } = await this.request(script, (polls + 30) * 1000);
    return parseAwaitReply(lines[0] ?? "", capture);
  }

  async paneState(jobId: string, session: string): Promise<PaneState> {
    const lines = await this.requestLines(
      scripts.paneStateSnippet(this.layout, jobId, session),
    );
    return parsePaneState(lines[0] ?? "gone") ?? { kind: "gone" };
  }

  async hasStarted(jobId: string, step: number): Promise<boolean> {
    const lines = await this.requestLines(
      scripts.startedScript(this.stepFiles(jobId, step)),
    );
    return lines[0] === "started";
  }

  async interrupt(session: string): Promise<void> {
    await this.requestLines(scripts.interruptScript(this.layout, session));
  }

  /** Returns the screen and up to `maxLines` lines of history; empty if the session is gone. */
  async capture(session: string, maxLines: number): Promise<string> {
    const script = scripts.captureScript(this.layout, session, maxLines);
    const reply = await this.channel.run(script, { timeoutMs: 30_000 });
    return reply.exitCode === 0 ? reply.stdout.toString("utf8") : "";
  }

  /** Raw session-log bytes from `offset`, at most `limit`. */
  async readLog(
    jobId: string,
    session: string,
    offset: number,
    limit: number,
  ): Promise<Buffer> {
    const script = scripts.readLogScript(
      this.layout,
      jobId,
      session,
      offset,
      limit,
    );
    const reply = await this.channel.run(script, { timeoutMs: 30_000 });
    return reply.stdout;
  }

  async test(script: string): Promise<boolean> {
    const reply = await this.channel.run(script, { timeoutMs: 30_000 });
    return reply.exitCode === 0;
  }
}

function checkTmux(label: string, reported: string): void {
  if (reported === "missing") {
    throw new HostSetupError(
      `tmux is not installed on ${label}`,
      "install it there (for example `apt-get install -y tmux`) and run again",
    );
  }
  const version = parseTmuxVersion(reported);
  if (version !== undefined && version < MIN_TMUX_VERSION) {
    throw new HostSetupError(
      `${reported.trim()} on ${label} is older than the required tmux 3.0`,
      "upgrade tmux on that host and run again",
    );
  }
}

function parseSendReply(line: string): SendReply {
  const sent = /^sent (\d+)/.exec(line);
  if (sent !== null) return { kind: "sent", logOffset: Number(sent[1]) };
  const busy = /^busy (\d+)/.exec(line);
  if (busy !== null) return { kind: "busy", step: Number(busy[1]) };
  return { kind: "pane", state: parsePaneState(line) ?? { kind: "gone" } };
}

function parseAwaitReply(line: string, capture?: string): AwaitReply {
  if (line === "running" || line === "") return { kind: "running" };
  if (line.startsWith("done")) {
    const codes = new Map<number, number>();
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const [step, code] = pair.split("=");
      if (step !== undefined && code !== undefined)
        codes.set(Number(step), Number(code));
    }
    return { kind: "done", codes, capture };
  }
  return { kind: "pane", state: parsePaneState(line) ?? { kind: "gone" } };
}
