// The step loop. Each step's record is saved before it starts and after it
// ends. An execute step is also saved once it has been sent, so a runner
// killed at any point can be resumed without running a step twice.
import type { ExecuteStep, Recipe, Step } from "../recipe/ast.ts";
import type { RunContext } from "./context.ts";
import type { JobState, StepRecord } from "./job-state.ts";
import type { RunStatus } from "./events.ts";
import { createHash } from "node:crypto";
import { failed, InterruptedError, type StepOutcome } from "./step-outcome.ts";
import { runExecute, awaitForeground } from "./steps/execute.ts";
import { reviveSessions } from "./steps/sessions.ts";
import { runWait } from "./steps/wait.ts";
import { runTmuxClose, runTmuxOpen } from "./steps/tmux.ts";
import { runNotify } from "./steps/notify.ts";
import { runSleep } from "./steps/sleep.ts";
import { runTransfer } from "./steps/transfer.ts";
import { prepareTransferHosts, runVastStep } from "./steps/vast.ts";
import { settleVastInstances } from "./vast/settle.ts";
import { redact } from "../secrets/redact.ts";

/** Lines of a finished step's output shown in the run's view. */
const OUTPUT_TAIL_LINES = 20;

export interface RunResult {
  status: RunStatus;
  message: string;
  /** 0-based index of the step that failed or was in flight when interrupted. */
  step?: number;
}

export function recipeFingerprint(recipe: Recipe): string {
  const text = recipe.steps.map((step) => step.text).join("\n");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function newJobState(
  id: string,
  recipe: Recipe,
  recipeName: string,
  overrides: {
    vars: Record<string, string>;
    hosts: Record<string, string>;
    storages?: Record<string, string>;
  },
): JobState & { fingerprint: string } {
  const now = new Date().toISOString();
  return {
    version: 1,
    id,
    recipePath: recipe.file,
    recipeName,
    status: "running",
    createdAt: now,
    updatedAt: now,
    pid: process.pid,
    varOverrides: overrides.vars,
    hostOverrides: overrides.hosts,
    storageOverrides: overrides.storages ?? {},
    runtimeVars: {},
    currentStep: 0,
    totalSteps: recipe.steps.length,
    steps: recipe.steps.map((): StepRecord => ({ status: "pending" })),
    sessions: {},
    fingerprint: recipeFingerprint(recipe),
  };
}

async function dispatch(step: Step, ctx: RunContext): Promise<StepOutcome> {
  switch (step.kind) {
    case "execute":
      return runExecute(step, ctx);
    case "wait":
      return runWait(step, ctx);
    case "transfer":
      await prepareTransferHosts(step, ctx);
      return runTransfer(step, ctx);
    case "tmux.open":
      return runTmuxOpen(step, ctx);
    case "tmux.close":
      return runTmuxClose(step, ctx);
    case "notify":
      return runNotify(step, ctx);
    case "sleep":
      return runSleep(step, ctx);
    case "vast.pick":
    case "vast.start":
    case "vast.stop":
    case "vast.wait":
    case "vast.cost":
      return runVastStep(step, ctx);
  }
}

/**
 * Continues an execute step that a previous runner sent: its status file
 * decides. Finished → its result; running → wait for it; never started → send.
 */
async function resumeExecute(
  step: ExecuteStep,
  ctx: RunContext,
  record: StepRecord,
): Promise<StepOutcome> {
  const session =
    record.session === undefined ? undefined : ctx.session(record.session);
  if (session === undefined) return runExecute(step, ctx);
  const driver = await ctx.driver(session.host);
  const reply = await driver.await(
    session.tmuxName,
    ctx.state.id,
    [step.index],
    1,
  );
  const started =
    reply.kind !== "running" ||
    (await driver.hasStarted(ctx.state.id, step.index));
  if (!started && record.status === "sending") return runExecute(step, ctx);
  if (step.background) {
    if (!session.pending.includes(step.index)) session.pending.push(step.index);
    return {
      ok: true,
      message: `already started in the background on @${session.alias}`,
    };
  }
  ctx.emit({
    kind: "info",
    message: `step ${step.index + 1} was already sent; taking its result`,
  });
  return awaitForeground(step, ctx, session, driver, reply);
}

function isInFlight(step: Step, record: StepRecord): step is ExecuteStep {
  return (
    step.kind === "execute" &&
    (record.status === "sending" || record.status === "sent")
  );
}

async function runStep(
  step: Step,
  ctx: RunContext,
  resume: boolean,
): Promise<StepOutcome> {
  const record = ctx.state.steps[step.index]!;
  const inFlight = resume && isInFlight(step, record);
  if (!inFlight || record.startedAt === undefined)
    record.startedAt = new Date().toISOString();
  if (!inFlight) record.status = "pending";
  // A new execute step saves its record itself just before it is sent, so a
  // save here would only repeat that write on the hot path.
  if (step.kind !== "execute" || inFlight) ctx.save();
  try {
    return inFlight
      ? await resumeExecute(step, ctx, record)
      : await dispatch(step, ctx);
  } catch (error) {
    if (error instanceof InterruptedError || ctx.signal.aborted)
      throw new InterruptedError();
    const hint = (error as { hint?: string }).hint;
    return failed((error as Error).message, {
      output: hint === undefined ? undefined : `hint: ${hint}`,
    });
  }
}

function recordOutcome(
  ctx: RunContext,
  step: Step,
  outcome: StepOutcome,
): void {
  const record = ctx.state.steps[step.index]!;
  const ended = new Date();
  record.status = outcome.ok ? "done" : "failed";
  record.endedAt = ended.toISOString();
  record.durationMs =
    ended.getTime() - Date.parse(record.startedAt ?? record.endedAt);
  record.message = redact(outcome.message);
  if (outcome.exitCode !== undefined) record.exitCode = outcome.exitCode;
  if (outcome.output !== undefined && outcome.output !== "") {
    ctx.deps.store.writeStepLog(
      ctx.state.id,
      step.index,
      outcome.output + "\n",
    );
  }
  ctx.save();
  ctx.emit({
    kind: "step-end",
    step: step.index,
    ok: outcome.ok,
    message: record.message,
    durationMs: record.durationMs,
  });
  if (outcome.output) {
    const tail = outcome.output.split("\n").slice(-OUTPUT_TAIL_LINES);
    ctx.emit({
      kind: "step-output",
      step: step.index,
      lines: tail,
      final: true,
    });
  }
}

export async function runJob(
  ctx: RunContext,
  opts: { resume: boolean },
): Promise<RunResult> {
  const { state } = ctx;
  const steps = ctx.deps.recipe.steps;
  const started = Date.now();
  state.status = "running";
  state.pid = process.pid;
  delete state.error;
  ctx.save();
  ctx.emit({
    kind: "run-start",
    jobId: state.id,
    recipe: state.recipeName,
    resumed: opts.resume,
    total: steps.length,
  });
  if (opts.resume) await reviveSessions(ctx);
  for (const step of steps) {
    const record = state.steps[step.index]!;
    if (record.status === "done" || record.status === "skipped") {
      if (opts.resume)
        ctx.emit({
          kind: "step-skip",
          step: step.index,
          reason: "already completed",
        });
      continue;
    }
    state.currentStep = step.index;
    ctx.emit({
      kind: "step-start",
      step: step.index,
      total: steps.length,
      text: step.text,
    });
    let outcome: StepOutcome;
    try {
      outcome = await runStep(step, ctx, opts.resume);
    } catch (error) {
      if (!(error instanceof InterruptedError)) throw error;
      return finishRun(
        ctx,
        started,
        "interrupted",
        `interrupted during step ${step.index + 1}`,
        step.index,
      );
    }
    recordOutcome(ctx, step, outcome);
    if (!outcome.ok) {
      const message = `step ${step.index + 1} failed: ${redact(outcome.message)}`;
      return finishRun(ctx, started, "failed", message, step.index);
    }
  }
  state.currentStep = steps.length;
  return finishRun(
    ctx,
    started,
    "completed",
    `${steps.length} steps completed`,
  );
}

async function finishRun(
  ctx: RunContext,
  started: number,
  status: RunStatus,
  message: string,
  step?: number,
): Promise<RunResult> {
  ctx.state.status = status;
  if (status === "failed") ctx.state.error = message;
  ctx.save();
  await settleVastInstances(ctx, status);
  ctx.emit({
    kind: "run-end",
    status,
    message,
    durationMs: Date.now() - started,
  });
  return { status, message, step };
}
