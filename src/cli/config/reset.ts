import { CONFIG_KEY_NAMES } from "../../config/schema.ts";
import { resetConfig } from "../../config/config-file.ts";
import { confirmOrYes } from "../../ui/prompt.ts";
import { requireConfigKey } from "./shared.ts";

export interface ResetOptions {
  yes?: boolean;
}

/** Resets one key, or every key, to its default by removing it from the file. */
export async function resetCommand(
  name: string | undefined,
  opts: ResetOptions,
): Promise<void> {
  const keys = name === undefined ? CONFIG_KEY_NAMES : [requireConfigKey(name)];
  const what = name === undefined ? "every setting" : name;
  await confirmOrYes(`Reset ${what} to the default?`, opts.yes);
  resetConfig(keys);
  process.stderr.write(`reset ${what} to the default\n`);
}
