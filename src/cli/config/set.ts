import { CONFIG_KEYS, parseConfigValue } from "../../config/schema.ts";
import { setConfigValue } from "../../config/config-file.ts";
import { paths } from "../../config/paths.ts";
import { UsageError } from "../errors.ts";
import { requireConfigKey } from "./shared.ts";

export async function setCommand(name: string, text: string): Promise<void> {
  const key = requireConfigKey(name);
  const parsed = parseConfigValue(CONFIG_KEYS[key], text);
  if ("problem" in parsed) {
    throw new UsageError(
      `invalid value "${text}" for ${key}: ${parsed.problem}`,
      `run \`train config show\` to see each key's current value`,
    );
  }
  setConfigValue(key, parsed.value);
  process.stderr.write(
    `set ${key} = ${String(parsed.value)} in ${paths.config()}\n`,
  );
}
