// `train exec '<dsl>'`: run recipe lines directly. `@name` may be any host
// (a hosts.toml entry, an ssh alias, `local`) without a `host` definition.
// Each command's output goes to stdout, and a failed command's exit code
// becomes train's.
import { readFileSync } from "node:fs";
import { JobStore, newJobId } from "../runtime/job-store.ts";
import { newJobState } from "../runtime/runner.ts";
import { SilentError, UsageError } from "./errors.ts";
import {
  checkOrThrow,
  parseRecipeText,
  runCheckContext,
} from "./recipe/load.ts";
import { startRun, type StartedRun } from "./recipe/start-run.ts";
import type { RunContext } from "../runtime/context.ts";

/** Closes the sessions exec opened itself, unless a background step still runs there. */
async function closeSessions(ctx: RunContext): Promise<void> {
  for (const record of Object.values(ctx.state.sessions)) {
    if (record.pending.length > 0) continue;
    const driver = await ctx.driver(record.host);
    await driver.closeSession(ctx.state.id, record.tmuxName);
    delete ctx.state.sessions[record.alias];
  }
  ctx.save();
}

function printOutputs(run: StartedRun, store: JobStore): void {
  for (const step of run.ctx.deps.recipe.steps) {
    if (step.kind !== "execute") continue;
    const log = store.stepLogPath(run.ctx.state.id, step.index);
    if (log !== undefined) process.stdout.write(readFileSync(log));
  }
}

export async function execDsl(text: string, visual: boolean): Promise<void> {
  const recipe = parseRecipeText(text, "<exec>");
  if (recipe.steps.length === 0)
    throw new UsageError("nothing to run: the text has no steps");
  checkOrThrow(recipe, runCheckContext({ implicitHosts: true }));
  const store = new JobStore();
  const state = {
    ...newJobState(newJobId(), recipe, "exec", { vars: {}, hosts: {} }),
    source: text,
  };
  store.save(state);
  const run = await startRun({
    recipe,
    state,
    visual,
    implicitHosts: true,
    resume: false,
    quiet: !visual,
    afterCompleted: closeSessions,
  });
  printOutputs(run, store);
  if (run.result.status === "completed") return;
  if (run.result.status === "interrupted") throw new SilentError(130);
  const failedStep =
    run.result.step === undefined ? undefined : state.steps[run.result.step];
  const code = failedStep?.exitCode;
  process.stderr.write(`${run.result.message}\n`);
  if (code !== undefined && code > 0 && code < 256) throw new SilentError(code);
  throw new SilentError();
}

export async function execCommand(
  dsl: string,
  flags: { visual?: boolean },
): Promise<void> {
  if (dsl.trim() === "")
    throw new UsageError("nothing to run: the text is empty");
  await execDsl(dsl, flags.visual === true);
}
