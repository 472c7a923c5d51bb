// `train vast list`: the account's instances, and on stderr the ones train
// rented that no local job records.
import { listInstances } from "../../providers/vast/instances.ts";
import { renderTable } from "../../ui/table.ts";
import {
  defaultDeps,
  instanceHead,
  instanceRow,
  writeJson,
  type VastDeps,
} from "./shared.ts";
import { listJobs } from "./job-records.ts";
import { describeUntracked, findUntracked } from "./local-state.ts";

export async function listCommand(
  flags: { json?: boolean },
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const instances = await listInstances(deps.client());
  if (flags.json) return writeJson(instances);
  if (instances.length === 0) {
    process.stderr.write("no instances in this Vast.ai account\n");
    return;
  }
  const currency = deps.currency();
  const rows = instances.map((i) => instanceRow(i, currency));
  process.stdout.write(renderTable(instanceHead(currency), rows));
  const untracked = findUntracked(instances, listJobs());
  if (untracked.length === 0) return;
  const subject =
    untracked.length === 1
      ? "1 instance labelled by train is"
      : `${untracked.length} instances labelled by train are`;
  const lines = describeUntracked(untracked, currency);
  process.stderr.write(
    `${subject} not in local state and may be billing:\n${lines.join("\n")}\n`,
  );
}
