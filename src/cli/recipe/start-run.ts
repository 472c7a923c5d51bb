// Shared by `recipe run`, `recipe resume` and `exec`: wires the runner to the
// job store, a view and Ctrl-C, and turns the result into an exit code.
import type { Recipe } from "../../recipe/ast.ts";
import { readSettings } from "../../config/settings.ts";
import { ConnectionPool } from "../../remote/pool.ts";
import { secretsProvider, redactingSecrets } from "../../secrets/provider.ts";
import { RunContext } from "../../runtime/context.ts";
import type { EventSink, RunEvent } from "../../runtime/events.ts";
import type { JobState } from "../../runtime/job-state.ts";
import { JobStore } from "../../runtime/job-store.ts";
import { runJob, type RunResult } from "../../runtime/runner.ts";
import { LiveView } from "../../ui/live-view.ts";
import { PlainView, QuietView } from "../../ui/plain-view.ts";
import { attachCommand } from "../../runtime/steps/sessions.ts";
import { ExitCode, SilentError } from "../errors.ts";
import { redact } from "../../secrets/redact.ts";
import { vastClient } from "../../providers/vast/connect.ts";
import type { VastClient } from "../../providers/vast/client.ts";
import { chooseInstanceOnTerminal } from "./choose-instance.ts";

export interface StartOptions {
  recipe: Recipe;
  state: JobState;
  visual: boolean;
  implicitHosts: boolean;
  resume: boolean;
  /** Show only warnings and failures (for `train exec`). */
  quiet?: boolean;
  /** Runs after a completed run, while the hosts' channels are still open. */
  afterCompleted?: (ctx: RunContext) => Promise<void>;
  /** Called with each event after it is stored and shown. */
  onEvent?: (event: RunEvent) => void;
}

export interface StartedRun {
  result: RunResult;
  ctx: RunContext;
}

function makeView(opts: StartOptions): EventSink {
  if (opts.quiet) return new QuietView();
  if (opts.visual && process.stderr.isTTY) {
    return new LiveView(opts.recipe.steps.map((step) => step.text));
  }
  return new PlainView();
}

/** Runs the job until it completes, fails or is interrupted by Ctrl-C. */
export async function startRun(opts: StartOptions): Promise<StartedRun> {
  const settings = readSettings();
  const store = new JobStore();
  const pool = new ConnectionPool();
  const view = makeView(opts);
  const events: EventSink = {
    emit(event) {
      store.appendEvent(opts.state.id, event);
      view.emit(event);
      opts.onEvent?.(event);
    },
  };
  const unlock = store.lock(opts.state.id);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(
        "\ndetaching: the remote work keeps running (Ctrl-C again to quit at once)\n",
      );
      controller.abort();
    } else {
      process.exit(ExitCode.interrupted);
    }
  };
  process.on("SIGINT", onSigint);
  const ctx = new RunContext({
    recipe: opts.recipe,
    state: opts.state,
    store,
    pool,
    events,
    secrets: redactingSecrets(secretsProvider()),
    signal: controller.signal,
    settings: {
      executeTimeoutSec: 600,
      waitTimeoutSec: 600,
      tmuxSocket: process.env.TRAINSH_TMUX_SOCKET || "trainsh",
      tmuxWidth: settings.tmux.width,
      tmuxHeight: settings.tmux.height,
      webhookUrl: settings.notifications.webhook_url,
      implicitHosts: opts.implicitHosts,
      vast: {
        autoAttachSshKey: settings.vast.auto_attach_ssh_key,
        onFailure: settings.vast.on_failure,
        sshKeyPath: settings.defaults.ssh_key_path,
        currency: settings.ui.currency,
        confirmTimeoutSec: settings.vast.confirm_timeout,
      },
    },
    vast: lazyVastClient(),
    chooseInstance: chooseInstanceOnTerminal(view),
  });
  try {
    const result = await runJob(ctx, { resume: opts.resume });
    if (result.status === "completed") await opts.afterCompleted?.(ctx);
    return { result, ctx };
  } finally {
    process.off("SIGINT", onSigint);
    unlock();
    await pool.closeAll();
  }
}

function lazyVastClient(): () => VastClient {
  let client: VastClient | undefined;
  return () => (client ??= vastClient());
}

/** Prints what to do next and throws SilentError for a run that did not complete. */
export function concludeRun({ result, ctx }: StartedRun): void {
  const id = ctx.state.id;
  if (result.status === "completed") return;
  if (result.status === "interrupted") {
    const step =
      result.step === undefined ? undefined : ctx.state.steps[result.step];
    const session =
      step?.session === undefined ? undefined : ctx.session(step.session);
    if (session !== undefined) {
      process.stderr.write(
        `step ${result.step! + 1} is still running on @${session.host}\n` +
          `  attach: ${attachCommand(ctx, session.host, session)}\n`,
      );
    }
    process.stderr.write(`  resume: train recipe resume ${id}\n`);
    throw new SilentError(ExitCode.interrupted);
  }
  process.stderr.write(redact(`${result.message}\n`));
  process.stderr.write(
    `  logs: train recipe logs ${id}\n  retry from the failed step: train recipe resume ${id}\n`,
  );
  throw new SilentError(ExitCode.failed);
}
