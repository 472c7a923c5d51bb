// The current bill of each Vast.ai instance per hour, with the storage part
// kept apart because storage bills also while an instance is stopped.
import {
  currentRate,
  hourlyRates,
  HOURS_PER_MONTH,
} from "../providers/vast/cost.ts";
import type { VastInstance } from "../providers/vast/instance.ts";

export { HOURS_PER_MONTH };
export const HOURS_PER_DAY = 24;

export interface InstanceCost {
  id: number;
  status: string;
  gpu: string;
  numGpus: number;
  /** USD per hour billed now: everything while running, storage otherwise. */
  usdPerHour: number;
  /** The storage part of usdPerHour. */
  storageUsdPerHour: number;
}

export interface CostTotals {
  usdPerHour: number;
  storageUsdPerHour: number;
}

/** Computes the cost of each instance with a price, and lists the ids of those without one. */
export function instanceCosts(instances: VastInstance[]): {
  costs: InstanceCost[];
  unpriced: number[];
} {
  const costs: InstanceCost[] = [];
  const unpriced: number[] = [];
  for (const instance of instances) {
    const rates = hourlyRates(instance);
    if (rates === undefined) {
      unpriced.push(instance.id);
      continue;
    }
    costs.push({
      id: instance.id,
      status: instance.actualStatus ?? "pending",
      gpu: instance.gpuName || "N/A",
      numGpus: instance.numGpus,
      usdPerHour: currentRate(instance, rates),
      storageUsdPerHour: rates.storage,
    });
  }
  return { costs, unpriced };
}

export function totalCost(costs: InstanceCost[]): CostTotals {
  return costs.reduce(
    (sum, cost) => ({
      usdPerHour: sum.usdPerHour + cost.usdPerHour,
      storageUsdPerHour: sum.storageUsdPerHour + cost.storageUsdPerHour,
    }),
    { usdPerHour: 0, storageUsdPerHour: 0 },
  );
}
