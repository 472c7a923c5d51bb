// `@host > command [&]`: the command goes to a 0600 step script on the host,
// one short line typed into the session's pane sources it, and the status
// file it leaves is the step's result.
import type { ExecuteStep } from "../../recipe/ast.ts";
import { formatDuration } from "../../recipe/duration.ts";
import type { RunContext } from "../context.ts";
import type { AwaitReply, HostDriver, PaneState } from "../host-driver.ts";
import type { SessionRecord } from "../job-state.ts";
import {
  describeExit,
  failed,
  InterruptedError,
  succeeded,
  type StepOutcome,
} from "../step-outcome.ts";
import {
  describePaneState,
  sessionFor,
  stepOutputFromCapture,
} from "./sessions.ts";
import { isRetriable, withRetries } from "./retry.ts";
import { quote } from "../../remote/quote.ts";

/** Seconds the send request itself waits for a quick step to finish. */
const FIRST_WAIT_POLLS = 2;
/** Seconds each later wait request lasts; bounds how stale a live view gets. */
const WAIT_POLLS = 3;
/** A step whose start marker is missing this long after typing never started. */
const START_GRACE_MS = 10_000;
const OUTPUT_LINES = 2000;

export async function runExecute(
  step: ExecuteStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const { record, driver } = await sessionFor(ctx, step.target);
  const stepRecord = ctx.state.steps[step.index]!;
  const expanded = ctx.expandCommand(step.command);
  const command = withSecretVariables(expanded.command, expanded.secrets);
  stepRecord.status = "sending";
  stepRecord.session = record.alias;
  stepRecord.background = step.background;
  ctx.save();

  let reply: Awaited<ReturnType<HostDriver["send"]>>;
  try {
    reply = await driver.send({
      session: record.tmuxName,
      jobId: ctx.state.id,
      step: step.index,
      pending: record.pending,
      command,
      awaitPolls: step.background ? 0 : FIRST_WAIT_POLLS,
      captureLines: OUTPUT_LINES,
      recordLogOffset: ctx.hasPatternWaits,
    });
  } catch (error) {
    if (!isRetriable(error)) throw error;
    // The keys may or may not have reached the pane. Sending again could run
    // the step twice, so wait for it as a sent step; its start marker decides.
    ctx.emit({
      kind: "warn",
      message: `lost the connection while sending step ${step.index + 1}: ${(error as Error).message}`,
    });
    return awaitForeground(step, ctx, record, driver, undefined, {
      sendUncertain: true,
    });
  }
  if (reply.send.kind === "busy") {
    return failed(
      `session @${record.alias} is still running step ${reply.send.step + 1} in the background, so this step cannot start there`,
      {
        output: `wait for it with \`wait @${record.alias} idle\`, or open a second session with \`tmux.open @${record.host} as NAME\``,
      },
    );
  }
  if (reply.send.kind === "pane") {
    return failed(describePaneState(ctx, record, reply.send.state), {
      exitCode: paneExitCode(reply.send.state),
    });
  }

  record.logOffset = reply.send.logOffset;
  stepRecord.status = "sent";
  if (step.background) {
    record.pending.push(step.index);
    ctx.save();
    return succeeded(`started in the background on @${record.alias}`);
  }
  // A step that already finished in the same request is saved with its
  // outcome next, so only a step still running needs the "sent" record now.
  if (reply.await?.kind !== "done") ctx.save();
  return awaitForeground(step, ctx, record, driver, reply.await);
}

/**
 * Waits for a sent foreground step until it finishes, its pane dies, or its
 * timeout passes. Also used by resume, with no first reply.
 */
export async function awaitForeground(
  step: ExecuteStep,
  ctx: RunContext,
  record: SessionRecord,
  driver: HostDriver,
  first: AwaitReply | undefined,
  opts: { sendUncertain?: boolean } = {},
): Promise<StepOutcome> {
  const stepRecord = ctx.state.steps[step.index]!;
  const startedAt = Date.parse(
    stepRecord.startedAt ?? new Date().toISOString(),
  );
  const timeoutSec = step.timeoutSec ?? ctx.settings.executeTimeoutSec;
  const deadline = startedAt + timeoutSec * 1000;
  let reply = first;
  let startChecked = false;
  for (;;) {
    if (reply?.kind === "done") return finish(step, ctx, record, driver, reply);
    if (reply?.kind === "pane") {
      const output = await captureOutput(ctx, record, driver, step.index);
      return failed(describePaneState(ctx, record, reply.state), {
        output,
        exitCode: paneExitCode(reply.state),
      });
    }
    if (ctx.signal.aborted) throw new InterruptedError();
    const remaining = deadline - Date.now();
    if (remaining <= 0) return timeOut(step, ctx, record, driver, timeoutSec);
    if (!startChecked && Date.now() - startedAt > START_GRACE_MS) {
      startChecked = true;
      const started = await withRetries(
        ctx,
        `checking step ${step.index + 1} on @${record.host}`,
        () => driver.hasStarted(ctx.state.id, step.index),
        { host: record.host },
      );
      if (!started && opts.sendUncertain) {
        return failed(
          `step ${step.index + 1} never started on @${record.alias}: the connection dropped while it was being sent`,
          {
            output: `send it again with \`train recipe resume ${ctx.state.id}\``,
          },
        );
      }
      if (!started) {
        return failed(
          `the step was typed into session @${record.alias} but did not start within ${START_GRACE_MS / 1000}s; a program in the pane is probably reading the keyboard`,
        );
      }
    }
    await streamTail(ctx, record, driver, step.index);
    const polls = Math.max(
      1,
      Math.min(WAIT_POLLS, Math.ceil(remaining / 1000)),
    );
    reply = await withRetries(
      ctx,
      `waiting for step ${step.index + 1} on @${record.host}`,
      () =>
        driver.await(
          record.tmuxName,
          ctx.state.id,
          [step.index],
          polls,
          OUTPUT_LINES,
        ),
      { host: record.host },
    );
  }
}

async function finish(
  step: ExecuteStep,
  ctx: RunContext,
  record: SessionRecord,
  driver: HostDriver,
  reply: AwaitReply & { kind: "done" },
): Promise<StepOutcome> {
  const code = reply.codes.get(step.index) ?? -1;
  const output =
    reply.capture === undefined
      ? await captureOutput(ctx, record, driver, step.index)
      : stepOutputFromCapture(reply.capture, step.index);
  if (code === 0) return succeeded("exit code 0", { exitCode: 0, output });
  return failed(
    `command failed with ${describeExit(code)} on @${record.alias}`,
    {
      exitCode: code,
      output,
    },
  );
}

async function timeOut(
  step: ExecuteStep,
  ctx: RunContext,
  record: SessionRecord,
  driver: HostDriver,
  timeoutSec: number,
): Promise<StepOutcome> {
  await driver.interrupt(record.tmuxName);
  // Give the interrupted command a moment to return to the prompt, so the
  // status file (usually 130) is collected and the session can be reused.
  const after = await driver.await(
    record.tmuxName,
    ctx.state.id,
    [step.index],
    5,
  );
  const output = await captureOutput(ctx, record, driver, step.index);
  const code = after.kind === "done" ? after.codes.get(step.index) : undefined;
  const stopped =
    code === undefined
      ? "it is still running after Ctrl-C"
      : `interrupted, ${describeExit(code)}`;
  return failed(
    `timed out after ${formatDuration(timeoutSec)} on @${record.alias} (${stopped})`,
    {
      exitCode: code,
      output,
    },
  );
}

async function captureOutput(
  ctx: RunContext,
  record: SessionRecord,
  driver: HostDriver,
  step: number,
): Promise<string> {
  try {
    const capture = await driver.capture(record.tmuxName, OUTPUT_LINES);
    return stepOutputFromCapture(capture, step);
  } catch {
    // The output is a convenience; a lost session is reported by the caller.
    void ctx;
    return "";
  }
}

/** Sends the last lines of a running step to the live view. */
async function streamTail(
  ctx: RunContext,
  record: SessionRecord,
  driver: HostDriver,
  step: number,
): Promise<void> {
  try {
    const capture = await driver.capture(record.tmuxName, 8);
    const lines = stepOutputFromCapture(capture, step)
      .split("\n")
      .filter((l) => l !== "");
    if (lines.length > 0) ctx.emit({ kind: "step-output", step, lines });
  } catch {
    // A failed preview must not fail the step; the wait below reports real loss.
  }
}

/**
 * Wraps a command that uses secrets: assigns each value to the shell variable
 * its references name, then unsets them after the command and returns the
 * command's status, so the values do not linger in the pane's shell.
 */
export function withSecretVariables(
  command: string,
  secrets: string[],
): string {
  if (secrets.length === 0) return command;
  const names = secrets.map((_, index) => `__trainsh_secret_${index}`);
  const assignments = secrets.map(
    (value, index) => `${names[index]}=${quote(value)}`,
  );
  return [
    ...assignments,
    command,
    `__trainsh_st=$?; unset ${names.join(" ")}; return "$__trainsh_st"`,
  ].join("\n");
}

/** Returns the exit status a dead pane's shell ended with, as a shell reports it. */
function paneExitCode(state: PaneState): number | undefined {
  if (state.kind !== "dead") return undefined;
  if (state.signal !== undefined) return 128 + state.signal;
  return state.status;
}
