// `wait @target "pattern" | file=PATH | port=N | idle`, each bounded by its
// timeout and each polling in short requests, so a dropped connection or a
// suspended laptop costs one poll, not the wait.
import type { WaitStep } from "../../recipe/ast.ts";
import { formatDuration } from "../../recipe/duration.ts";
import { fileExistsScript, portOpenScript } from "../../remote/tmux-scripts.ts";
import type { RunContext } from "../context.ts";
import type { SessionRecord } from "../job-state.ts";
import type { HostDriver } from "../host-driver.ts";
import {
  describeExit,
  failed,
  InterruptedError,
  sleep,
  succeeded,
  type StepOutcome,
} from "../step-outcome.ts";
import { describePaneState, sessionFor } from "./sessions.ts";
import { withRetries } from "./retry.ts";
import { LineMatcher } from "../terminal-text.ts";

const POLL_MS = 1000;
/** Bytes of session log read per pattern poll. */
const LOG_CHUNK = 1 << 20;

interface WaitTarget {
  ctx: RunContext;
  step: WaitStep;
  deadline: number;
  timeoutSec: number;
}

export async function runWait(
  step: WaitStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const timeoutSec = step.timeoutSec ?? ctx.settings.waitTimeoutSec;
  const startedAt = Date.parse(
    ctx.state.steps[step.index]?.startedAt ?? new Date().toISOString(),
  );
  const target: WaitTarget = {
    ctx,
    step,
    deadline: startedAt + timeoutSec * 1000,
    timeoutSec,
  };
  const condition = step.condition;
  switch (condition.kind) {
    case "pattern":
      return waitPattern(target, ctx.expand(condition.pattern));
    case "file":
      return waitFile(target, ctx.expand(condition.path));
    case "port":
      return waitPort(target, ctx.expand(condition.port));
    case "idle":
      return waitIdle(target);
  }
}

function timedOut(target: WaitTarget, what: string): StepOutcome {
  return failed(
    `timed out after ${formatDuration(target.timeoutSec)} waiting for ${what} on @${target.step.target}`,
  );
}

/** Polls `check` until it returns an outcome or the deadline passes. */
async function poll(
  target: WaitTarget,
  what: string,
  check: () => Promise<StepOutcome | undefined>,
): Promise<StepOutcome> {
  for (;;) {
    if (target.ctx.signal.aborted) throw new InterruptedError();
    const outcome = await withRetries(
      target.ctx,
      `waiting for ${what} on @${target.step.target}`,
      check,
      {
        host:
          target.ctx.session(target.step.target)?.host ?? target.step.target,
      },
    );
    if (outcome !== undefined) return outcome;
    const remaining = target.deadline - Date.now();
    if (remaining <= 0) return timedOut(target, what);
    await sleep(Math.min(POLL_MS, remaining), target.ctx.signal);
  }
}

async function hostDriver(target: WaitTarget): Promise<HostDriver> {
  const record = target.ctx.session(target.step.target);
  return target.ctx.driver(record?.host ?? target.step.target);
}

async function waitFile(
  target: WaitTarget,
  path: string,
): Promise<StepOutcome> {
  const driver = await hostDriver(target);
  const script = fileExistsScript(path);
  return poll(target, `file ${path}`, async () =>
    (await driver.test(script)) ? succeeded(`file ${path} exists`) : undefined,
  );
}

async function waitPort(
  target: WaitTarget,
  text: string,
): Promise<StepOutcome> {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return failed(`invalid port "${text}": use a number from 1 to 65535`);
  }
  const driver = await hostDriver(target);
  const script = portOpenScript(port);
  return poll(target, `port ${port}`, async () =>
    (await driver.test(script))
      ? succeeded(`port ${port} is listening`)
      : undefined,
  );
}

async function waitPattern(
  target: WaitTarget,
  pattern: string,
): Promise<StepOutcome> {
  const { record, driver } = await sessionFor(target.ctx, target.step.target);
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return failed(`invalid pattern /${pattern}/: ${(error as Error).message}`);
  }
  const matcher = new LineMatcher(regex);
  let offset = record.logOffset;
  const jobId = target.ctx.state.id;
  return poll(target, `/${pattern}/`, async () => {
    const chunk = await driver.readLog(
      jobId,
      record.tmuxName,
      offset,
      LOG_CHUNK,
    );
    offset += chunk.length;
    const line = matcher.push(chunk);
    if (line !== undefined) return succeeded(`matched: ${line.slice(0, 200)}`);
    if (chunk.length === LOG_CHUNK) return undefined;
    const state = await driver.paneState(jobId, record.tmuxName);
    if (state.kind === "alive") return undefined;
    const rest = matcher.flush();
    if (rest !== undefined) return succeeded(`matched: ${rest.slice(0, 200)}`);
    return failed(
      `${describePaneState(target.ctx, record, state)}; /${pattern}/ never appeared`,
    );
  });
}

/**
 * Idle: every step sent to the session has finished. Background steps that
 * failed are reported here, since nothing else waited for them.
 */
async function waitIdle(target: WaitTarget): Promise<StepOutcome> {
  const ctx = target.ctx;
  const record = ctx.session(target.step.target);
  if (record === undefined)
    return succeeded(
      `no session on @${target.step.target}, nothing to wait for`,
    );
  const driver = await ctx.driver(record.host);
  const steps = [...record.pending];
  if (steps.length === 0) return succeeded(`session @${record.alias} is idle`);
  for (;;) {
    if (ctx.signal.aborted) throw new InterruptedError();
    const remaining = target.deadline - Date.now();
    if (remaining <= 0) return timedOut(target, "idle");
    const polls = Math.max(1, Math.min(3, Math.ceil(remaining / 1000)));
    const reply = await withRetries(
      ctx,
      `waiting for @${record.alias} to be idle`,
      () => driver.await(record.tmuxName, ctx.state.id, steps, polls),
      { host: record.host },
    );
    if (reply.kind === "pane")
      return failed(describePaneState(ctx, record, reply.state));
    if (reply.kind === "done")
      return collectBackground(ctx, record, reply.codes);
  }
}

function collectBackground(
  ctx: RunContext,
  record: SessionRecord,
  codes: Map<number, number>,
): StepOutcome {
  record.pending = record.pending.filter((step) => !codes.has(step));
  const failures: string[] = [];
  for (const [step, code] of codes) {
    const stepRecord = ctx.state.steps[step];
    if (stepRecord !== undefined) stepRecord.exitCode = code;
    if (code !== 0)
      failures.push(`step ${step + 1} failed with ${describeExit(code)}`);
  }
  ctx.save();
  if (failures.length === 0)
    return succeeded(`session @${record.alias} is idle`, { exitCode: 0 });
  const first = [...codes.values()].find((code) => code !== 0);
  return failed(`background ${failures.join("; ")} on @${record.alias}`, {
    exitCode: first,
  });
}
