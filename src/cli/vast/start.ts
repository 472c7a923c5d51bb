// `train vast start ID`: requests that a stopped instance run again.
import { setInstanceState } from "../../providers/vast/instances.ts";
import { defaultDeps, parseInstanceId, type VastDeps } from "./shared.ts";

export async function startCommand(
  idText: string,
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const id = parseInstanceId(idText);
  await setInstanceState(deps.client(), id, "running");
  process.stderr.write(
    `asked instance ${id} to start; it bills GPU time once running (check: train vast show ${id})\n`,
  );
}
