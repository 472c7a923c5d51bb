// Conversion between currencies through one rate table, and money text.
// A code the table lacks is an error, never a rate of 1.
import { readPricingFile } from "./pricing-file.ts";
import { BUILT_IN_RATES, knownCodes, type RateTable } from "./rates.ts";

export class UnknownCurrencyError extends Error {
  constructor(
    readonly code: string,
    readonly table: RateTable,
  ) {
    super(
      `unknown currency "${code}": the ${tableLabel(table)} has no rate for it`,
    );
    this.name = "UnknownCurrencyError";
  }

  get hint(): string {
    return `known codes: ${knownCodes(this.table).join(", ")}; \`train pricing rates --refresh\` fetches the full list`;
  }
}

/** Returns the cached fetched table, else the built-in one. */
export function currentRateTable(): RateTable {
  const cached = readPricingFile().exchangeRates;
  if (cached === undefined) return BUILT_IN_RATES;
  return { ...cached, source: "fetched" };
}

/** Returns the cached fetched table, or undefined when nothing was fetched. */
export function fetchedRateTable(): RateTable | undefined {
  const table = currentRateTable();
  return table.source === "fetched" ? table : undefined;
}

export function rateOf(table: RateTable, code: string): number {
  const rate = table.rates[code.toUpperCase()];
  if (rate === undefined) throw new UnknownCurrencyError(code, table);
  return rate;
}

export function convert(
  amount: number,
  from: string,
  to: string,
  table: RateTable,
): number {
  return (amount / rateOf(table, from)) * rateOf(table, to);
}

/**
 * Formats an amount with the currency's symbol. `digits` defaults to the
 * currency's usual minor units (2 for EUR, 0 for JPY).
 */
export function formatAmount(
  amount: number,
  code: string,
  digits?: number,
): string {
  const options: Intl.NumberFormatOptions = {
    style: "currency",
    currency: code.toUpperCase(),
  };
  if (digits !== undefined) {
    options.minimumFractionDigits = digits;
    options.maximumFractionDigits = digits;
  }
  return new Intl.NumberFormat("en-US", options).format(amount);
}

/** Extra fraction digits for small amounts such as hourly prices. */
export function rateDigits(code: string): number {
  const usual =
    new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: code.toUpperCase(),
    }).resolvedOptions().maximumFractionDigits ?? 2;
  return usual + 2;
}

/** Names the table for messages, e.g. "rate table fetched 2026-12-04T10:00:00.000Z". */
export function tableLabel(table: RateTable): string {
  if (table.source === "built-in")
    return "built-in rate table (approximate, never fetched)";
  return `rate table fetched ${table.fetchedAt ?? "at an unknown time"}`;
}

/** Returns how long ago the table was fetched, e.g. "3h 12m", or undefined for the built-in one. */
export function tableAge(
  table: RateTable,
  now = Date.now(),
): string | undefined {
  if (table.fetchedAt === undefined) return undefined;
  const minutes = Math.max(
    0,
    Math.floor((now - Date.parse(table.fetchedAt)) / 60_000),
  );
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
