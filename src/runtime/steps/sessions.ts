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

/** A capture this long without the typed line in it was cut at the top. */
const TRUNCATION_HINT_LINES = 1000;

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
  } else if (lines.length >= TRUNCATION_HINT_LINES) {
    // The typed line scrolled out of the captured window: the step printed
    // more than the capture keeps.
    lines.unshift(
      `[… earlier output of this step was not kept; train keeps the last lines only]`,
    );
  }
  // A pane whose shell died ends with tmux's own notice and blank lines.
  while (
    lines.length > 0 &&
    /^(Pane is dead \(|\s*$)/.test(lines[lines.length - 1]!)
  ) {
    lines.pop();
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

/**
 * Before a resume, replaces each session whose shell died or whose tmux
 * server went away with a fresh one, so the failed step can run again there.
 * Sessions that a step in flight still uses are left for that step to judge.
 */
export async function reviveSessions(ctx: RunContext): Promise<void> {
  const busy = new Set(
    ctx.state.steps
      .filter((step) => step.status === "sending" || step.status === "sent")
      .map((step) => step.session),
  );
  for (const record of Object.values(ctx.state.sessions)) {
    if (busy.has(record.alias) || record.pending.length > 0) continue;
    try {
      await reviveSession(ctx, record);
    } catch (error) {
      // The step that uses the session reports an unreachable host itself.
      ctx.emit({
        kind: "warn",
        message: `could not check session @${record.alias}: ${(error as Error).message}`,
      });
    }
  }
}

async function reviveSession(
  ctx: RunContext,
  record: SessionRecord,
): Promise<void> {
  const driver = await ctx.driver(record.host);
  const state = await driver.paneState(ctx.state.id, record.tmuxName);
  if (state.kind === "alive") return;
  await driver.closeSession(ctx.state.id, record.tmuxName);
  delete ctx.state.sessions[record.alias];
  await openSession(ctx, record.host, record.alias);
  ctx.emit({
    kind: "warn",
    message: `session @${record.alias} had ended, so it was opened again; shell state such as the working directory and exported variables starts fresh`,
  });
}
