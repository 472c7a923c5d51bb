import { CONFIG_KEYS, allowedValues } from "../../config/schema.ts";
import { readConfigValues } from "../../config/settings.ts";
import { paths } from "../../config/paths.ts";
import { renderTable } from "../../ui/table.ts";
import { formatValue } from "./shared.ts";

export interface ShowOptions {
  json?: boolean;
}

export async function showCommand(opts: ShowOptions): Promise<void> {
  const rows = readConfigValues().map(({ key, value, source }) => {
    const definition = CONFIG_KEYS[key];
    return {
      key,
      value: value ?? null,
      source,
      default: definition.default ?? null,
      allowed: allowedValues(definition),
      description: definition.description,
    };
  });
  if (opts.json === true) {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return;
  }
  process.stdout.write(
    renderTable(
      ["Key", "Value", "Source", "Description"],
      rows.map((row) => [
        row.key,
        formatValue(row.value ?? undefined),
        row.source,
        row.description,
      ]),
    ),
  );
  process.stderr.write(`file: ${paths.config()}\n`);
}
