// Opening, finding and closing the tmux sessions of a run.
import type { RunContext } from "../context.ts";
import type { SessionRecord } from "../job-state.ts";
import type { HostDriver, PaneState } from "../host-driver.ts";
import { quoteCommand } from "../../remote/quote.ts";
import { SIGNAL_NAMES } from "../step-outcome.ts";

export interface OpenedSession {
  record: SessionRecord;
  driver: HostDriver;
}

/** Opens `alias` on `hostName`, or reuses it when the run already has it. */
export async function openSession(
  ctx: RunContext,
  hostName: string,
  alias: string,
): Promise<OpenedSession> {
  const driver = await ctx.driver(hostName);
  const existing = ctx.session(alias);
  const record: SessionRecord = existing ?? {
    alias,
    host: hostName,
    tmuxName: ctx.tmuxName(alias),
    logOffset: 0,
    pending: [],
  };
  const { tmuxWidth, tmuxHeight } = ctx.settings;
  const result = await driver.openSession(
    record.tmuxName,
    ctx.state.id,
    tmuxWidth,
    tmuxHeight,
  );
  ctx.state.sessions[alias] = record;
  ctx.save();
  if (result === "created") {
    ctx.emit({
      kind: "info",
      message: `opened session @${alias}; attach: ${attachCommand(ctx, hostName, record)}`,
    });
  }
  return { record, driver };
}

/** Returns the session a step addresses, opening one named after the host when it has none. */
export async function sessionFor(
  ctx: RunContext,
  target: string,
): Promise<OpenedSession> {
  const record = ctx.session(target);
  if (record !== undefined)
    return { record, driver: await ctx.driver(record.host) };
  return openSession(ctx, target, target);
}

export function attachCommand(
  ctx: RunContext,
  hostName: string,
  record: SessionRecord,
): string {
  const tmux = [
    "tmux",
    "-L",
    ctx.settings.tmuxSocket,
    "attach",
    "-t",
    record.tmuxName,
  ];
  const host = ctx.resolveHost(hostName);
  if (host.kind === "local") return quoteCommand(tmux);
  return quoteCommand([
    "ssh",
    ...host.sshOptions,
    "-t",
    host.destination,
    quoteCommand(tmux),
  ]);
}

export function describePaneState(
  ctx: RunContext,
  record: SessionRecord,
  state: PaneState,
): string {
  const where = `session @${record.alias} on ${record.host}`;
  if (state.kind === "gone" && state.reason === "server") {
    return `the tmux server on ${record.host} is not running, so ${where} and its processes are gone; the step's result is unknown (a host that kills a user's processes at logout, such as systemd-logind with KillUserProcesses=yes, does this)`;
  }
  if (state.kind === "gone") {
    return `${where} is gone (tmux session ${record.tmuxName} was killed); the step's result is unknown`;
  }
  if (state.kind === "dead" && state.signal !== undefined) {
    const name = SIGNAL_NAMES[state.signal];
    return `the shell of ${where} was killed by signal ${state.signal}${name === undefined ? "" : ` (${name})`} before the step finished`;
  }
  if (state.kind === "dead") {
    const code =
      state.status === undefined ? "an unknown code" : `code ${state.status}`;
    return `the shell of ${where} exited with ${code} before the step finished (an \`exit\` in a step ends the session's shell)`;
  }
  void ctx;
  return `${where} is alive`;
}

/**
 * Turns a pane capture that starts at the step's typed line into the step's
 * output: drops the typed line and the shell prompt drawn after it. The last
 * line with the step's script path is the typed line, because keys typed
 * before a new shell draws its prompt are echoed twice.
 */
export function stepOutputFromCapture(capture: string, step: number): string {
  const lines = capture.replace(/\s+$/, "").split("\n");
  const marker = `/s${step}.rc; __trainsh_ch=`;
  let prompt: string | undefined;
  const typedAt = lines.findLastIndex((line) => line.includes(marker));
  if (typedAt >= 0) {
    const typed = lines[typedAt]!;
    prompt = typed.slice(0, typed.indexOf(" __trainsh_rc=")).trimEnd();
    lines.splice(0, typedAt + 1);
  }
  const last = lines[lines.length - 1];
  if (
    prompt !== undefined &&
    prompt !== "" &&
    last !== undefined &&
    last.trimEnd() === prompt
  ) {
    lines.pop();
  }
  return lines.map((line) => line.trimEnd()).join("\n");
}
