// `train vast destroy ID [--yes]`: deletes the instance and its disk, after
// a confirmation, and reports it destroyed only once the service no longer
// lists it.
import type { VastClient } from "../../providers/vast/client.ts";
import {
  destroyInstance,
  isNotFound,
  showInstance,
} from "../../providers/vast/instances.ts";
import { confirmOrYes } from "../../ui/prompt.ts";
import { CommandError } from "../errors.ts";
import { defaultDeps, parseInstanceId, type VastDeps } from "./shared.ts";

const CONFIRM_READS = 5;
const CONFIRM_GAP_MS = 1000;

async function isGone(client: VastClient, id: number): Promise<boolean> {
  try {
    await showInstance(client, id);
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

async function confirmGone(client: VastClient, id: number): Promise<void> {
  for (let read = 0; read < CONFIRM_READS; read++) {
    if (await isGone(client, id)) return;
    await new Promise((resolve) => setTimeout(resolve, CONFIRM_GAP_MS));
  }
  throw new CommandError(
    `instance ${id} is still listed after the destroy request; it may still be billing`,
    `run \`train vast destroy ${id}\` again, or check \`train vast show ${id}\``,
  );
}

export async function destroyCommand(
  idText: string,
  flags: { yes?: boolean },
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const id = parseInstanceId(idText);
  const client = deps.client();
  await showInstance(client, id);
  await confirmOrYes(
    `Destroy instance ${id}? Its disk and everything on it are deleted.`,
    flags.yes,
  );
  try {
    await destroyInstance(client, id);
  } catch (error) {
    // A retried request whose first attempt succeeded finds it gone.
    if (!isNotFound(error)) throw error;
  }
  await confirmGone(client, id);
  process.stderr.write(`destroyed instance ${id}; it no longer bills\n`);
}
