// Money in the display currency (config `ui.currency`), the one setting
// every price view reads. Amounts are kept in USD and converted only here.
import { readSettings } from "../config/settings.ts";
import {
  convert,
  currentRateTable,
  fetchedRateTable,
  formatAmount,
  rateDigits,
  UnknownCurrencyError,
} from "./convert.ts";
import type { RateTable } from "./rates.ts";

export function displayCurrency(): string {
  return readSettings().ui.currency;
}

export interface DisplayMoney {
  currency: string;
  table: RateTable;
  /** Formats a USD amount in the display currency. */
  format(usd: number, digits?: number): string;
  /** Formats a USD hourly price in the display currency, with extra digits. */
  formatRate(usd: number): string;
}

/** Returns the display currency with the table that converts it, and throws when the table lacks it. */
export function displayMoney(
  currency = displayCurrency(),
  table = currentRateTable(),
): DisplayMoney {
  if (table.rates[currency] === undefined)
    throw new UnknownCurrencyError(currency, table);
  const format = (usd: number, digits?: number) =>
    formatAmount(convert(usd, "USD", currency, table), currency, digits);
  return {
    currency,
    table,
    format,
    formatRate: (usd) => format(usd, rateDigits(currency)),
  };
}

/**
 * Formats a USD amount in `currency` with fetched rates only, for views
 * that show USD first. Returns undefined when no fetched table has the code
 * or pricing.json cannot be read, so the caller marks the conversion as
 * unavailable.
 */
export function convertWithFetchedRates(
  usd: number,
  currency: string,
  digits?: number,
): string | undefined {
  let table: RateTable | undefined;
  try {
    table = fetchedRateTable();
  } catch {
    return undefined;
  }
  if (table?.rates[currency] === undefined) return undefined;
  return formatAmount(convert(usd, "USD", currency, table), currency, digits);
}
