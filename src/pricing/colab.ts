// Colab pricing: a subscription buys compute units, and each GPU type uses
// a number of units per hour, so a GPU hour costs units/h × price per unit.
import { convert } from "./convert.ts";
import type { ColabSubscription, PricingFile } from "./pricing-file.ts";
import { isCurrencyCode, type RateTable } from "./rates.ts";

export const DEFAULT_SUBSCRIPTION: ColabSubscription = {
  name: "Colab Pro",
  price: 9.99,
  currency: "USD",
  units: 100,
};

// NOTE: estimates of the units per hour Colab showed for each runtime;
// Colab changes them without notice and shows the current figure in the
// notebook's resources panel.
export const DEFAULT_GPU_UNITS: Record<string, number> = {
  T4: 1.84,
  L4: 4.82,
  A100: 11.77,
};

export const SUBSCRIPTION_EXAMPLE = "'Colab Pro:9.99:USD:100'";

/** Parses `NAME:PRICE[:CURRENCY[:UNITS]]`; returns the subscription or the problem. */
export function parseSubscription(
  text: string,
): { subscription: ColabSubscription } | { problem: string } {
  const parts = text.split(":");
  if (parts.length < 2 || parts.length > 4)
    return { problem: "expected NAME:PRICE[:CURRENCY[:UNITS]]" };
  const [name = "", priceText = "", currencyText, unitsText] = parts;
  if (name.trim() === "") return { problem: "the name is empty" };
  const price = positiveNumber(priceText);
  if (price === undefined)
    return { problem: `price "${priceText}" is not a positive number` };
  const currency = (currencyText ?? "USD").toUpperCase();
  if (!isCurrencyCode(currency))
    return { problem: `currency "${currencyText}" is not a three-letter code` };
  const units =
    unitsText === undefined
      ? DEFAULT_SUBSCRIPTION.units
      : positiveNumber(unitsText);
  if (units === undefined)
    return { problem: `units "${unitsText}" is not a positive number` };
  return { subscription: { name: name.trim(), price, currency, units } };
}

function positiveNumber(text: string): number | undefined {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text.trim())) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

export interface ColabPrices {
  subscription: ColabSubscription;
  /** Whether the subscription is the default one rather than the user's. */
  isDefault: boolean;
  pricePerUnitUsd: number;
  gpus: { gpu: string; unitsPerHour: number; usdPerHour: number }[];
}

/** Computes the price per unit and per GPU hour in USD. */
export function colabPrices(file: PricingFile, table: RateTable): ColabPrices {
  const subscription = file.colab?.subscription ?? DEFAULT_SUBSCRIPTION;
  const priceUsd = convert(
    subscription.price,
    subscription.currency,
    "USD",
    table,
  );
  const pricePerUnitUsd = priceUsd / subscription.units;
  const units = { ...DEFAULT_GPU_UNITS, ...file.colab?.gpuUnitsPerHour };
  const gpus = Object.entries(units).map(([gpu, unitsPerHour]) => ({
    gpu,
    unitsPerHour,
    usdPerHour: unitsPerHour * pricePerUnitUsd,
  }));
  return {
    subscription,
    isDefault: file.colab?.subscription === undefined,
    pricePerUnitUsd,
    gpus,
  };
}
