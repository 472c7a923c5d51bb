// The vast.* steps. Each one talks to the Vast.ai API through the run's
// client; the instances they touch are saved in the job as soon as known.
import type {
  TransferStep,
  VastInstanceStep,
  VastPickStep,
  VastWaitStep,
} from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import type { StepOutcome } from "../step-outcome.ts";
import { parseEndpointText } from "../../transfer/endpoint.ts";
import { runVastPick } from "../vast/pick.ts";
import { runVastStart, runVastStop } from "../vast/start-stop.ts";
import { runVastWait } from "../vast/wait.ts";
import { runVastCost } from "../vast/cost.ts";

export function runVastStep(
  step: VastPickStep | VastInstanceStep | VastWaitStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  switch (step.kind) {
    case "vast.pick":
      return runVastPick(step, ctx);
    case "vast.start":
      return runVastStart(step, ctx);
    case "vast.stop":
      return runVastStop(step, ctx);
    case "vast.wait":
      return runVastWait(step, ctx);
    case "vast.cost":
      return runVastCost(step, ctx);
  }
}

/**
 * Looks up the SSH address of each Vast.ai host a transfer names, since a
 * transfer may be the first step that uses a `vast:ID` host.
 */
export async function prepareTransferHosts(
  step: TransferStep,
  ctx: RunContext,
): Promise<void> {
  for (const text of [step.source, step.destination]) {
    const ref = parseEndpointText(ctx.expand(text)).ref;
    if (ref === undefined || ctx.isStorageName(ref)) continue;
    const host = ctx.session(ref)?.host ?? ref;
    if (ctx.isHostName(host)) await ctx.prepareHost(host);
  }
}
