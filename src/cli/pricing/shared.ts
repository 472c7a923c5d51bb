// Shared by the `train pricing` subcommands: where rates came from, in words.
import { tableAge, tableLabel } from "../../pricing/convert.ts";
import type { RateTable } from "../../pricing/rates.ts";

export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Describes the rate table and its age in one line, for stderr under a price view. */
export function sourceLine(table: RateTable, now = Date.now()): string {
  if (table.source === "built-in") {
    return `rates: ${tableLabel(table)}; run \`train pricing rates --refresh\` to fetch current ones\n`;
  }
  return `rates: fetched ${table.fetchedAt} (${tableAge(table, now)} ago) from ${table.url}\n`;
}

/** Returns the table's source fields for --json output. */
export function sourceJson(table: RateTable, now = Date.now()) {
  const ageSeconds =
    table.fetchedAt === undefined
      ? undefined
      : Math.round((now - Date.parse(table.fetchedAt)) / 1000);
  return {
    source: table.source,
    fetchedAt: table.fetchedAt,
    ageSeconds,
    url: table.url,
  };
}

export function currencyName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "currency" }).of(code) ?? code;
  } catch {
    return code;
  }
}
