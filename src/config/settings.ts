// Reads `config.toml` against the key table in schema.ts: every known key is
// checked, missing keys take their defaults, and the first invalid value is
// an error naming the file, the line and the allowed values.
import { readFileSync } from "node:fs";
import { paths } from "./paths.ts";
import { readToml, ConfigFileError } from "./toml-file.ts";
import { locateKey } from "./toml-locate.ts";
import {
  CONFIG_KEYS,
  CONFIG_KEY_NAMES,
  valueProblem,
  type ConfigKey,
  type ConfigValue,
  type Settings,
} from "./schema.ts";

export type { Settings } from "./schema.ts";

export interface ResolvedValue {
  key: ConfigKey;
  value: ConfigValue | undefined;
  source: "file" | "default";
}

/** Splits `vast.api_url` into its table and key. */
export function splitKey(key: string): [string, string] {
  const dot = key.indexOf(".");
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** Reads every schema key with its value and where the value came from. */
export function readConfigValues(file = paths.config()): ResolvedValue[] {
  const raw = readToml(file);
  return CONFIG_KEY_NAMES.map((key) => {
    const [section, field] = splitKey(key);
    const table = raw[section];
    if (table !== undefined && !isTable(table)) {
      throw invalid(file, section, undefined, `\`${section}\` must be a table`);
    }
    const value = table?.[field];
    if (value === undefined) {
      return { key, value: CONFIG_KEYS[key].default, source: "default" };
    }
    const problem = valueProblem(CONFIG_KEYS[key], value);
    if (problem !== undefined) {
      throw invalid(
        file,
        section,
        field,
        `${key}: ${problem}, got ${show(value)}`,
      );
    }
    return { key, value: value as ConfigValue, source: "file" };
  });
}

/** Returns the settings object with every key filled in. */
export function readSettings(file = paths.config()): Settings {
  const nested: Record<string, Record<string, ConfigValue | undefined>> = {};
  for (const { key, value } of readConfigValues(file)) {
    const [section, field] = splitKey(key);
    nested[section] ??= {};
    nested[section][field] = value;
  }
  return nested as unknown as Settings;
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(
  file: string,
  section: string,
  field: string | undefined,
  message: string,
): ConfigFileError {
  let line: number | undefined;
  try {
    line = locateKey(readFileSync(file, "utf8"), { table: section }, field);
  } catch {
    line = undefined;
  }
  return new ConfigFileError(file, message, line);
}

function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}
