// `vast.pick @host [filters] [create=true image=IMAGE disk=GB]`: chooses one
// of the account's instances for a recipe host, or rents the cheapest offer
// that passes the filters when none matches and create=true.
import type { VastPickStep } from "../../recipe/ast.ts";
import type { RunContext } from "../context.ts";
import { succeeded, type StepOutcome } from "../step-outcome.ts";
import type { VastInstance } from "../../providers/vast/instance.ts";
import {
  listInstances,
  setInstanceState,
  showInstance,
} from "../../providers/vast/instances.ts";
import { phaseOf } from "../../providers/vast/status.ts";
import { runHostSpec } from "../run-hosts.ts";
import { describeInstance } from "./describe.ts";
import {
  comparePick,
  DEFAULT_PICK_LIMIT,
  describeFilters,
  instanceMatches,
  readPickOptions,
} from "./pick-filters.ts";
import { notePrices, recordInstance, VastStepError } from "./records.ts";
import { rentCheapest } from "./rent.ts";

export async function runVastPick(
  step: VastPickStep,
  ctx: RunContext,
): Promise<StepOutcome> {
  const options = readPickOptions(step, ctx);
  const given = givenInstance(ctx, step.target);
  const client = ctx.vastClient();
  if (given !== undefined) {
    const instance = await showInstance(client, given, ctx.signal);
    return usePicked(
      ctx,
      step.target,
      instance,
      "given with --host or VAST_ID",
    );
  }
  const all = await listInstances(client, ctx.signal);
  const matches = all
    .filter((instance) => instanceMatches(instance, options.filters))
    .sort(comparePick);
  if (matches.length === 0 && options.create)
    return rentCheapest(ctx, step.target, options);
  if (matches.length === 0) {
    throw new VastStepError(
      `no instance of the Vast.ai account matches ${describeFilters(options.filters)} (${all.length} instances checked)`,
      "loosen the filters, or rent one with create=true image=IMAGE",
    );
  }
  const chosen = await choose(ctx, step.target, matches, options.filters.limit);
  return usePicked(ctx, step.target, chosen, "picked");
}

/** An instance fixed before the run: `--host NAME=vast:ID`, else `VAST_ID`. */
function givenInstance(ctx: RunContext, target: string): number | undefined {
  if (target in ctx.state.hostOverrides) {
    const spec = runHostSpec(target, {
      definitions: new Map(),
      overrides: ctx.state.hostOverrides,
      implicitHosts: false,
    });
    if (spec.kind === "vast") return Number(spec.instanceId);
  }
  const variable = ctx.variables().get("VAST_ID");
  return variable !== undefined && /^\d+$/.test(variable)
    ? Number(variable)
    : undefined;
}

async function choose(
  ctx: RunContext,
  target: string,
  matches: VastInstance[],
  limit: number | undefined,
): Promise<VastInstance> {
  const chooser = ctx.deps.chooseInstance;
  const shown = matches.slice(0, limit ?? DEFAULT_PICK_LIMIT);
  if (chooser === undefined || shown.length === 1) return matches[0]!;
  const currency = ctx.settings.vast.currency;
  const picked = await chooser(
    `Vast.ai instance for @${target}`,
    shown.map((i) => ({ value: i.id, label: describeInstance(i, currency) })),
  );
  const chosen = shown.find((instance) => instance.id === picked);
  if (chosen === undefined)
    throw new VastStepError(`no instance chosen for @${target}`);
  return chosen;
}

async function usePicked(
  ctx: RunContext,
  target: string,
  instance: VastInstance,
  how: string,
): Promise<StepOutcome> {
  const id = instance.id;
  const stopped = ["stopped", "exited"].includes(phaseOf(instance));
  ctx.state.pickedHosts = { ...ctx.state.pickedHosts, [target]: `vast:${id}` };
  const record = recordInstance(ctx, id, {
    host: target,
    pickedWhileStopped: stopped,
  });
  notePrices(record, instance);
  const text = describeInstance(instance, ctx.settings.vast.currency);
  if (!stopped)
    return succeeded(`@${target} = Vast.ai instance ${text} (${how})`);
  await setInstanceState(ctx.vastClient(), id, "running");
  recordInstance(ctx, id, {
    startedByRun: true,
    startedAt: new Date().toISOString(),
  });
  return succeeded(
    `@${target} = Vast.ai instance ${text} (${how}); started it`,
  );
}
