// `recipe run --pick-host NAME` and `--host NAME=vast:ID`: choose a running
// Vast.ai instance for a host before the run starts, and give the run its id
// as `VAST_ID` unless `--var VAST_ID` sets one.
import { vastClient } from "../../providers/vast/connect.ts";
import { listInstances } from "../../providers/vast/instances.ts";
import { readSettings } from "../../config/settings.ts";
import { comparePick } from "../../runtime/vast/pick-filters.ts";
import { describeInstance } from "../../runtime/vast/describe.ts";
import { askChoice, canPrompt } from "../../ui/prompt.ts";
import { CommandError, UsageError } from "../errors.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface HostChoices {
  hosts: Record<string, string>;
  vars: Record<string, string>;
  pickHosts: string[];
}

export async function applyVastHosts(opts: HostChoices): Promise<void> {
  for (const name of opts.pickHosts) {
    if (!NAME.test(name))
      throw new UsageError(
        `invalid --pick-host "${name}": expected a host name`,
      );
    opts.hosts[name] = `vast:${await pickRunning(name)}`;
  }
  const vastHost = Object.values(opts.hosts).find((spec) =>
    /^vast:\d+$/.test(spec.trim()),
  );
  if (vastHost !== undefined && opts.vars.VAST_ID === undefined)
    opts.vars.VAST_ID = vastHost.trim().slice("vast:".length);
}

/**
 * Picks among the running instances: on a terminal by asking, otherwise the
 * cheapest one by $/h, then the lowest id.
 */
async function pickRunning(name: string): Promise<number> {
  const all = await listInstances(vastClient());
  const running = all
    .filter((i) => i.actualStatus === "running")
    .sort(comparePick);
  const first = running[0];
  if (first === undefined) {
    throw new CommandError(
      `no running Vast.ai instance to pick for @${name} (${all.length} instances in the account)`,
      "start one with `train vast start ID`, or rent one in the recipe with vast.pick ... create=true",
    );
  }
  const currency = readSettings().ui.currency;
  if (!canPrompt() || running.length === 1) {
    process.stderr.write(
      `picked for @${name}: ${describeInstance(first, currency)} (the cheapest running instance)\n`,
    );
    return first.id;
  }
  const options = running.map((i) => ({
    value: String(i.id),
    label: describeInstance(i, currency),
  }));
  return Number(await askChoice(`Vast.ai instance for @${name}`, options));
}
