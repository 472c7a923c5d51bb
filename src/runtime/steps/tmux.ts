// `tmux.open @host [as NAME]` and `tmux.close @name`.
import type { TmuxCloseStep, TmuxOpenStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import { failed, succeeded, type StepOutcome } from "../step-outcome.ts";
import { openSession } from "./sessions.ts";

export async function runTmuxOpen(
  step: TmuxOpenStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const alias = step.session ?? step.target;
  const { record } = await openSession(ctx, step.target, alias);
  return succeeded(
    `session @${alias} is open on ${step.target} (tmux ${record.tmuxName})`,
  );
}

/**
 * Saves the session's whole pane text into the job's folder, then kills the
 * session, so the last lines of a run survive the close.
 */
export async function runTmuxClose(
  step: TmuxCloseStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const record = ctx.session(step.target);
  if (record === undefined) {
    return failed(`no open session @${step.target} in this run`, {
      output: "open it first with `tmux.open`",
    });
  }
  const driver = await ctx.driver(record.host);
  const text = await driver.capture(record.tmuxName, 100_000);
  ctx.deps.store.writeSessionLog(ctx.state.id, record.alias, text);
  await driver.closeSession(ctx.state.id, record.tmuxName);
  delete ctx.state.sessions[record.alias];
  ctx.save();
  const left = record.pending.length;
  const note =
    left === 0
      ? ""
      : ` (${left} background step${left === 1 ? "" : "s"} ended with it)`;
  return succeeded(`closed session @${record.alias}${note}`);
}
