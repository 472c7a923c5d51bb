// `train vast reboot ID`: restarts the container without giving up the machine.
import { rebootInstance } from "../../providers/vast/instances.ts";
import { defaultDeps, parseInstanceId, type VastDeps } from "./shared.ts";

export async function rebootCommand(
  idText: string,
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const id = parseInstanceId(idText);
  await rebootInstance(deps.client(), id);
  process.stderr.write(`instance ${id} is rebooting\n`);
}
