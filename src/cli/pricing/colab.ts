// `train pricing colab [--subscription NAME:PRICE[:CUR[:UNITS]]] [--gpu NAME:UNITS]`:
// what a Colab GPU hour costs under the subscription, in the display currency.
import {
  colabPrices,
  parseSubscription,
  SUBSCRIPTION_EXAMPLE,
} from "../../pricing/colab.ts";
import {
  currentRateTable,
  formatAmount,
  rateOf,
} from "../../pricing/convert.ts";
import { displayMoney } from "../../pricing/display.ts";
import {
  readPricingFile,
  updatePricingFile,
} from "../../pricing/pricing-file.ts";
import { renderTable } from "../../ui/table.ts";
import { UsageError } from "../errors.ts";
import { sourceJson, sourceLine, writeJson } from "./shared.ts";

export interface ColabFlags {
  subscription?: string;
  gpu: string[];
  json?: boolean;
}

export async function colabCommand(flags: ColabFlags): Promise<void> {
  if (flags.subscription !== undefined) saveSubscription(flags.subscription);
  if (flags.gpu.length > 0) saveGpuUnits(flags.gpu);
  const money = displayMoney();
  const prices = colabPrices(readPricingFile(), money.table);
  if (flags.json === true) {
    writeJson({
      currency: money.currency,
      ...prices,
      ...sourceJson(money.table),
    });
    return;
  }
  const { subscription } = prices;
  const note = prices.isDefault
    ? " (default; set yours with --subscription)"
    : "";
  process.stdout.write(
    `Subscription: ${subscription.name}${note}\n` +
      `Price: ${formatAmount(subscription.price, subscription.currency)} for ${subscription.units} compute units\n` +
      `Per unit: ${money.formatRate(prices.pricePerUnitUsd)}\n\n`,
  );
  const rows = prices.gpus.map((gpu) => [
    gpu.gpu,
    gpu.unitsPerHour.toFixed(2),
    money.formatRate(gpu.usdPerHour),
  ]);
  process.stdout.write(
    renderTable(["GPU", "Units/h", `${money.currency}/h`], rows),
  );
  process.stderr.write(sourceLine(money.table));
}

function saveSubscription(text: string): void {
  const parsed = parseSubscription(text);
  if ("problem" in parsed) {
    throw new UsageError(
      `invalid --subscription "${text}": ${parsed.problem}`,
      `for example --subscription ${SUBSCRIPTION_EXAMPLE}`,
    );
  }
  // Fails on a currency the rate table lacks before anything is saved.
  rateOf(currentRateTable(), parsed.subscription.currency);
  updatePricingFile((data) => {
    data.colab = { ...data.colab, subscription: parsed.subscription };
  });
  process.stderr.write(
    `saved Colab subscription ${parsed.subscription.name}\n`,
  );
}

function saveGpuUnits(specs: string[]): void {
  const units: Record<string, number> = {};
  for (const spec of specs) {
    const match = /^([A-Za-z0-9_-]+):([0-9]+(?:\.[0-9]+)?)$/.exec(spec);
    if (match === null || Number(match[2]) <= 0) {
      throw new UsageError(
        `invalid --gpu "${spec}": expected NAME:UNITS_PER_HOUR`,
        "for example --gpu T4:1.84",
      );
    }
    units[match[1] ?? ""] = Number(match[2]);
  }
  updatePricingFile((data) => {
    const gpuUnitsPerHour = { ...data.colab?.gpuUnitsPerHour, ...units };
    data.colab = { ...data.colab, gpuUnitsPerHour };
  });
}
