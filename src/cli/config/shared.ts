import {
  CONFIG_KEY_NAMES,
  isConfigKey,
  type ConfigKey,
} from "../../config/schema.ts";
import { closest } from "../../recipe/suggest.ts";
import { UsageError } from "../errors.ts";

/** Returns the key when the schema has it, else a usage error with the closest name. */
export function requireConfigKey(name: string): ConfigKey {
  if (isConfigKey(name)) return name;
  const near = closest(name, CONFIG_KEY_NAMES);
  const hint = near.distance <= 3 ? ` (did you mean ${near.candidate}?)` : "";
  throw new UsageError(
    `unknown config key "${name}"${hint}`,
    "run `train config show` for every key with its allowed values",
  );
}

export function formatValue(value: unknown): string {
  return value === undefined ? "(unset)" : String(value);
}
