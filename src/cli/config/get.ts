import { readConfigValues } from "../../config/settings.ts";
import { CommandError } from "../errors.ts";
import { requireConfigKey } from "./shared.ts";

/** Prints one value on stdout, for scripts: `train config get tmux.width`. */
export async function getCommand(name: string): Promise<void> {
  const key = requireConfigKey(name);
  const entry = readConfigValues().find((item) => item.key === key);
  if (entry?.value === undefined) {
    throw new CommandError(
      `${key} is not set and has no default`,
      `set it with \`train config set ${key} VALUE\``,
    );
  }
  process.stdout.write(`${String(entry.value)}\n`);
}
