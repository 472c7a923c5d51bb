// `train pricing vast`: what each of the account's instances bills now, per
// hour, day and month in the display currency, with the storage part apart.
import { vastClient } from "../../providers/vast/connect.ts";
import type { VastClient } from "../../providers/vast/client.ts";
import { listInstances } from "../../providers/vast/instances.ts";
import { displayMoney, type DisplayMoney } from "../../pricing/display.ts";
import {
  HOURS_PER_DAY,
  HOURS_PER_MONTH,
  instanceCosts,
  totalCost,
  type CostTotals,
} from "../../pricing/vast.ts";
import { renderTable } from "../../ui/table.ts";
import { sourceJson, sourceLine, writeJson } from "./shared.ts";

export async function vastCommand(
  flags: { json?: boolean },
  client: () => VastClient = vastClient,
): Promise<void> {
  const money = displayMoney();
  const instances = await listInstances(client());
  const { costs, unpriced } = instanceCosts(instances);
  const total = totalCost(costs);

  if (flags.json === true) {
    writeJson({
      currency: money.currency,
      instances: costs,
      unpriced,
      total,
      ...sourceJson(money.table),
    });
    return;
  }
  if (instances.length === 0) {
    process.stderr.write("no instances in this Vast.ai account\n");
    return;
  }

  const rows = costs.map((cost) => [
    String(cost.id),
    cost.status,
    cost.gpu,
    String(cost.numGpus),
    ...periodCells(cost, money),
  ]);
  rows.push(["total", "", "", "", ...periodCells(total, money)]);
  process.stdout.write(renderTable(head(money.currency), rows));
  if (unpriced.length > 0)
    process.stderr.write(
      `no price from the API for instances ${unpriced.join(", ")}\n`,
    );
  process.stderr.write(
    "a stopped instance bills only its storage, until it is destroyed\n",
  );
  process.stderr.write(sourceLine(money.table));
}

function head(currency: string): string[] {
  return [
    "ID",
    "Status",
    "GPU",
    "GPUs",
    "$/h",
    `${currency}/h`,
    `${currency}/day`,
    `${currency}/month`,
    `Storage ${currency}/month`,
  ];
}

function periodCells(cost: CostTotals, money: DisplayMoney): string[] {
  return [
    `$${cost.usdPerHour.toFixed(3)}`,
    money.formatRate(cost.usdPerHour),
    money.format(cost.usdPerHour * HOURS_PER_DAY),
    money.format(cost.usdPerHour * HOURS_PER_MONTH),
    money.format(cost.storageUsdPerHour * HOURS_PER_MONTH),
  ];
}
