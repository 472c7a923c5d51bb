// `train vast list`: the account's instances.
import { listInstances } from "../../providers/vast/instances.ts";
import { renderTable } from "../../ui/table.ts";
import {
  defaultDeps,
  instanceHead,
  instanceRow,
  writeJson,
  type VastDeps,
} from "./shared.ts";

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
}
