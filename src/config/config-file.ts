// Changes to `config.toml`. Each change re-reads the file, edits one key and
// writes the whole file atomically, so keys train does not know are kept.
// NOTE: comments in the file are lost on a write, because smol-toml
// parses TOML into plain values.
import { paths } from "./paths.ts";
import { readToml, writeToml, ConfigFileError } from "./toml-file.ts";
import type { ConfigKey, ConfigValue } from "./schema.ts";
import { isTable, readConfigValues, splitKey } from "./settings.ts";

export function setConfigValue(
  key: ConfigKey,
  value: ConfigValue,
  file = paths.config(),
): void {
  readConfigValues(file);
  const raw = readToml(file);
  const [section, field] = splitKey(key);
  const table = raw[section] ?? {};
  if (!isTable(table)) {
    throw new ConfigFileError(file, `\`${section}\` must be a table`);
  }
  table[field] = value;
  raw[section] = table;
  writeToml(file, raw);
}

/** Removes the given keys from the file (all schema keys when none are given). */
export function resetConfig(keys: ConfigKey[], file = paths.config()): void {
  const raw = readToml(file);
  for (const key of keys) {
    const [section, field] = splitKey(key);
    const table = raw[section];
    if (!isTable(table)) continue;
    delete table[field];
    if (Object.keys(table).length === 0) delete raw[section];
  }
  writeToml(file, raw);
}
