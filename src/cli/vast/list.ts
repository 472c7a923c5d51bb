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
import { labelledJobId, listJobs } from "./job-records.ts";
import type { VastInstance } from "../../providers/vast/instance.ts";
import { describeUntracked, findUntracked } from "./local-state.ts";

export async function listCommand(
  flags: { json?: boolean },
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const instances = await listInstances(deps.client());
  if (flags.json) return writeJson(withLocalState(instances));
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

/**
 * Adds `train_local_state` to each instance for `--json`: `tracked` when a
 * local job records it, `untracked` with the job id when its `train:` label
 * names a job that does not, and absent for instances train did not rent.
 */
function withLocalState(instances: VastInstance[]): object[] {
  const untracked = new Map(
    findUntracked(instances, listJobs()).map((u) => [u.instance.id, u]),
  );
  return instances.map((instance) => {
    const lost = untracked.get(instance.id);
    if (lost !== undefined) {
      return {
        ...instance,
        train_local_state: {
          state: "untracked",
          job: lost.jobId,
          job_found: lost.jobFound,
        },
      };
    }
    const job = labelledJobId(instance.label);
    if (job === undefined) return instance;
    return { ...instance, train_local_state: { state: "tracked", job } };
  });
}
