// `train vast stop ID`: stops the instance and confirms it stopped.
import { readSettings } from "../../config/settings.ts";
import { stopConfirmed } from "../../runtime/vast/start-stop.ts";
import {
  defaultDeps,
  parseInstanceId,
  rateText,
  type VastDeps,
} from "./shared.ts";

export async function stopCommand(
  idText: string,
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const id = parseInstanceId(idText);
  const budgetMs = readSettings().vast.confirm_timeout * 1000;
  const storage = await stopConfirmed(deps.client(), id, budgetMs);
  process.stderr.write(
    `stopped instance ${id}; its disk still bills ${rateText(storage, deps.currency())} until \`train vast destroy ${id}\`\n`,
  );
}
