import { removeHostEntry } from "../../hosts/hosts-file.ts";
import { confirmOrYes } from "../../ui/prompt.ts";
import { addressOf, requireHostEntry } from "./shared.ts";

export interface RemoveOptions {
  yes?: boolean;
}

export async function removeCommand(
  name: string,
  opts: RemoveOptions,
): Promise<void> {
  const entry = requireHostEntry(name);
  await confirmOrYes(`Remove host ${name} (${addressOf(entry)})?`, opts.yes);
  removeHostEntry(name);
  process.stderr.write(`removed host ${name}\n`);
}
