// Before a failed run stops an instance, the pane text of every session open
// on it is saved into the job's folder. Stopping the container ends those
// sessions, and the last lines of a crash are often only in the pane.
import type { RunContext } from "../context.ts";

/** Lines of pane history saved, as `tmux.close` saves. */
const PANE_HISTORY_LINES = 100_000;
/** Lines of each saved pane shown in the failure summary. */
const SUMMARY_LINES = 20;

export async function savePanesBeforeStop(
  ctx: RunContext,
  instanceId: number,
): Promise<void> {
  const sessions = Object.values(ctx.state.sessions).filter(
    (record) => ctx.vastInstanceOf(record.host) === instanceId,
  );
  for (const record of sessions) {
    try {
      const driver = await ctx.driver(record.host);
      const text = await driver.capture(record.tmuxName, PANE_HISTORY_LINES);
      const file = ctx.deps.store.writeSessionLog(
        ctx.state.id,
        record.alias,
        text,
      );
      const tail = lastLines(text, SUMMARY_LINES);
      ctx.emit({
        kind: "info",
        message: `saved the pane text of session @${record.alias} to ${file} before stopping instance ${instanceId}; its last ${tail.length} lines:`,
      });
      ctx.emit({
        kind: "step-output",
        step: ctx.state.currentStep,
        lines: tail,
        final: true,
      });
    } catch (error) {
      ctx.emit({
        kind: "warn",
        message: `failed to save the pane text of session @${record.alias} before stopping instance ${instanceId}: ${(error as Error).message}`,
      });
    }
  }
}

/** Returns the last `count` lines, without the blank lines below a pane's content. */
function lastLines(text: string, count: number): string[] {
  const lines = text.replace(/\s+$/, "").split("\n");
  return lines.slice(-count).map((line) => line.trimEnd());
}
