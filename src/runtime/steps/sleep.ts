import type { SleepStep } from "../../recipe/ast.ts";
import { formatDuration } from "../../recipe/duration.ts";
import type { RunContext } from "../context.ts";
import { sleep, succeeded, type StepOutcome } from "../step-outcome.ts";

export async function runSleep(
  step: SleepStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  // On resume the sleep continues from when it started, not from zero.
  const startedAt = Date.parse(
    ctx.state.steps[step.index]?.startedAt ?? new Date().toISOString(),
  );
  const remaining = startedAt + step.seconds * 1000 - Date.now();
  if (remaining > 0) await sleep(remaining, ctx.signal);
  return succeeded(`slept ${formatDuration(step.seconds)}`);
}
