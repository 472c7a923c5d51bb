// Shared by the `train vast` subcommands: the client, id parsing, and rows.
import { readSettings } from "../../config/settings.ts";
import { vastClient } from "../../providers/vast/connect.ts";
import type { VastClient } from "../../providers/vast/client.ts";
import type { VastInstance } from "../../providers/vast/instance.ts";
import { sshEndpoint } from "../../providers/vast/endpoint.ts";
import { formatRate } from "../../providers/vast/cost.ts";
import { describeStatus } from "../../providers/vast/status.ts";
import { rateDigits } from "../../pricing/convert.ts";
import { convertWithFetchedRates } from "../../pricing/display.ts";
import { UsageError } from "../errors.ts";

export interface VastDeps {
  client: () => VastClient;
  currency: () => string;
}

export function defaultDeps(): VastDeps {
  return {
    client: vastClient,
    currency: () => readSettings().ui.currency,
  };
}

export function parseInstanceId(text: string): number {
  if (!/^\d+$/.test(text.trim())) {
    throw new UsageError(
      `invalid instance id "${text}"`,
      "use the numeric id shown by `train vast list`",
    );
  }
  return Number(text.trim());
}

export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export function gigabytes(megabytes: number): string {
  return `${Math.round(megabytes / 1000)}GB`;
}

export function priceCell(usdPerHour: number | undefined): string {
  return usdPerHour === undefined ? "N/A" : `$${usdPerHour.toFixed(3)}`;
}

/** Extra column for a non-USD display currency. */
export function currencyHead(currency: string): string[] {
  return currency === "USD" ? [] : [`${currency}/h`];
}

/** Formats the price in a non-USD display currency, "unavailable" without fetched rates. */
export function currencyCell(
  currency: string,
  usdPerHour: number | undefined,
): string[] {
  if (currency === "USD") return [];
  if (usdPerHour === undefined) return ["N/A"];
  const converted = convertWithFetchedRates(
    usdPerHour,
    currency,
    rateDigits(currency),
  );
  return [converted ?? "unavailable"];
}

export const INSTANCE_HEAD = ["ID", "Status", "GPU", "GPUs", "VRAM", "$/h"];

export function instanceRow(
  instance: VastInstance,
  currency: string,
): string[] {
  const endpoint = sshEndpoint(instance);
  return [
    String(instance.id),
    describeStatus(instance),
    instance.gpuName || "N/A",
    String(instance.numGpus),
    gigabytes(instance.gpuRamMb),
    priceCell(instance.dphTotal),
    ...currencyCell(currency, instance.dphTotal),
    endpoint === undefined ? "-" : `${endpoint.host}:${endpoint.port}`,
    instance.label || "-",
  ];
}

export function instanceHead(currency: string): string[] {
  return [...INSTANCE_HEAD, ...currencyHead(currency), "SSH", "Label"];
}

export function rateText(usdPerHour: number, currency: string): string {
  return formatRate(usdPerHour, currency);
}
