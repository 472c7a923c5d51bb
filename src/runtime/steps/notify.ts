import type { NotifyStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import { deliverNotification } from "../notifier.ts";
import { succeeded, type StepOutcome } from "../step-outcome.ts";

/** A failed desktop or webhook delivery is a warning: a notice never fails a run. */
export async function runNotify(
  step: NotifyStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const message = ctx.expand(step.message);
  ctx.emit({ kind: "notify", message });
  const result = await deliverNotification(message, {
    webhookUrl: ctx.settings.webhookUrl,
    jobId: ctx.state.id,
  });
  if (result.webhook !== undefined && !result.webhook.ok) {
    ctx.emit({
      kind: "warn",
      message: `webhook delivery failed: ${result.webhook.detail}`,
    });
  }
  const channels = [
    "stderr",
    result.desktop ? "desktop" : undefined,
    result.webhook?.ok ? "webhook" : undefined,
  ];
  return succeeded(`notified (${channels.filter(Boolean).join(", ")})`);
}
