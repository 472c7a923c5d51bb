// What an instance costs. GPU time bills only while the container runs;
// storage bills from creation until the instance is destroyed, also while
// it is stopped.
// NOTE: `dph_total` is taken to include the storage of the instance's disk,
// as the service documents for offers; the compute rate is what remains.
import type { VastInstance } from "./instance.ts";
import { rateDigits } from "../../pricing/convert.ts";
import { convertWithFetchedRates } from "../../pricing/display.ts";

/** 365 × 24 / 12, the average month. */
export const HOURS_PER_MONTH = 730;

export interface HourlyRates {
  /** $/h of GPU and machine time, billed while running. */
  compute: number;
  /** $/h of the disk, billed until the instance is destroyed. */
  storage: number;
}

export function hourlyRates(instance: VastInstance): HourlyRates | undefined {
  if (instance.dphTotal === undefined) return undefined;
  const perGbMonth = instance.storageCostPerGbMonth ?? 0;
  const storage = (perGbMonth * (instance.diskGb ?? 0)) / HOURS_PER_MONTH;
  return { compute: Math.max(0, instance.dphTotal - storage), storage };
}

/** The rate being billed now: everything while running, storage otherwise. */
export function currentRate(
  instance: VastInstance,
  rates: HourlyRates,
): number {
  const running = instance.actualStatus === "running";
  return running ? rates.compute + rates.storage : rates.storage;
}

export interface CostPeriod {
  /** When the run started (or picked) the instance, epoch ms. */
  startedAt: number;
  /** When the run stopped it, epoch ms; compute ends there. */
  stoppedAt?: number;
  now: number;
}

export interface CostBreakdown {
  computeHours: number;
  storageHours: number;
  compute: number;
  storage: number;
  total: number;
}

export function costSince(
  rates: HourlyRates,
  period: CostPeriod,
): CostBreakdown {
  const hour = 3_600_000;
  const computeEnd = period.stoppedAt ?? period.now;
  const computeHours = Math.max(0, computeEnd - period.startedAt) / hour;
  const storageHours = Math.max(0, period.now - period.startedAt) / hour;
  const compute = computeHours * rates.compute;
  const storage = storageHours * rates.storage;
  return {
    computeHours,
    storageHours,
    compute,
    storage,
    total: compute + storage,
  };
}

/**
 * Formats a USD amount, followed by the display currency when that is not
 * USD. The conversion uses fetched rates only (`train pricing rates
 * --refresh`); without them it is marked as unavailable instead of made at a
 * guessed rate.
 */
export function formatMoney(
  usd: number,
  currency: string,
  opts: { digits?: number; unit?: string } = {},
): string {
  const unit = opts.unit ?? "";
  const text = `$${usd.toFixed(opts.digits ?? 4)}${unit}`;
  const code = currency.toUpperCase();
  if (code === "USD") return text;
  const converted = convertWithFetchedRates(usd, code, rateDigits(code));
  if (converted !== undefined) return `${text} (${converted}${unit})`;
  return `${text} (${code} conversion unavailable: no fetched rate; run \`train pricing rates --refresh\`)`;
}

export function formatRate(usdPerHour: number, currency = "USD"): string {
  return formatMoney(usdPerHour, currency, { digits: 3, unit: "/h" });
}

/** Formats what the instance bills now, e.g. "$0.352/h", or "an unknown price". */
export function formatBillingRate(
  instance: VastInstance,
  currency = "USD",
): string {
  const rates = hourlyRates(instance);
  if (rates === undefined) return "an unknown price";
  return formatRate(currentRate(instance, rates), currency);
}
