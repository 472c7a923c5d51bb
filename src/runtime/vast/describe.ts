// One-line descriptions of instances and offers for step messages and choices.
import type { VastInstance } from "../../providers/vast/instance.ts";
import type { VastOffer } from "../../providers/vast/offers.ts";
import { formatRate } from "../../providers/vast/cost.ts";
import { describeStatus } from "../../providers/vast/status.ts";

function gpuText(name: string, count: number, ramMb: number): string {
  const gb = Math.round(ramMb / 1000);
  return `${count}x ${name || "unknown GPU"} ${gb}GB`;
}

export function describeInstance(
  instance: VastInstance,
  currency = "USD",
): string {
  const price =
    instance.dphTotal === undefined
      ? "price unknown"
      : formatRate(instance.dphTotal, currency);
  const gpus = gpuText(instance.gpuName, instance.numGpus, instance.gpuRamMb);
  return `${instance.id}: ${gpus}, ${price}, ${describeStatus(instance)}`;
}

export function describeOffer(offer: VastOffer, currency = "USD"): string {
  const gpus = gpuText(offer.gpuName, offer.numGpus, offer.gpuRamMb);
  return `offer ${offer.id}: ${gpus}, ${formatRate(offer.dphTotal, currency)}`;
}
