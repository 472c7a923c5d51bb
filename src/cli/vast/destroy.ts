// `train vast destroy ID [--yes]`: deletes the instance and its disk, after
// a confirmation, and reports it destroyed only once the service no longer
// lists it. Until then the local job records keep the instance.
import { readSettings } from "../../config/settings.ts";
import {
  destroyInstance,
  isNotFound,
  showInstance,
} from "../../providers/vast/instances.ts";
import {
  confirmGone,
  describeUnconfirmed,
} from "../../providers/vast/confirm.ts";
import { formatBillingRate } from "../../providers/vast/cost.ts";
import { confirmOrYes } from "../../ui/prompt.ts";
import { CommandError } from "../errors.ts";
import { markDestroyed } from "./job-records.ts";
import { defaultDeps, parseInstanceId, type VastDeps } from "./shared.ts";

export async function destroyCommand(
  idText: string,
  flags: { yes?: boolean },
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const id = parseInstanceId(idText);
  const client = deps.client();
  const instance = await showInstance(client, id);
  await confirmOrYes(
    `Destroy instance ${id}? Its disk and everything on it are deleted.`,
    flags.yes,
  );
  const rate = formatBillingRate(instance, deps.currency());
  const again = `run \`train vast destroy ${id}\` again`;
  try {
    await destroyInstance(client, id);
  } catch (error) {
    // A retried request whose first attempt succeeded finds it gone.
    if (!isNotFound(error)) {
      throw new CommandError(
        `instance ${id} may still be billing (${rate}): the destroy request failed: ${(error as Error).message}`,
        again,
      );
    }
  }
  const budgetSec = readSettings().vast.confirm_timeout;
  const result = await confirmGone(client, id, budgetSec * 1000);
  if (!result.confirmed) {
    throw new CommandError(
      `instance ${id} may still be billing (${rate}): Vast.ai ${describeUnconfirmed(result)} ${budgetSec}s after the destroy request`,
      `${again}, or check \`train vast show ${id}\` (config vast.confirm_timeout sets how long to wait)`,
    );
  }
  markDestroyed(id);
  process.stderr.write(`destroyed instance ${id}; it no longer bills\n`);
}
