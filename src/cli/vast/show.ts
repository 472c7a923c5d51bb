// `train vast show ID`: one instance in detail, with what it bills.
import type { VastInstance } from "../../providers/vast/instance.ts";
import { showInstance } from "../../providers/vast/instances.ts";
import { hourlyRates } from "../../providers/vast/cost.ts";
import {
  describeEndpoint,
  sshEndpoints,
} from "../../providers/vast/endpoint.ts";
import { describeStatus, phaseOf } from "../../providers/vast/status.ts";
import {
  defaultDeps,
  gigabytes,
  parseInstanceId,
  rateText,
  writeJson,
  type VastDeps,
} from "./shared.ts";

function priceLines(instance: VastInstance, currency: string): string[] {
  const rates = hourlyRates(instance);
  if (rates === undefined) return ["Price: unknown"];
  const lines = [
    `Price: ${rateText(rates.compute + rates.storage, currency)} while running (storage ${rateText(rates.storage, currency)})`,
  ];
  if (phaseOf(instance) !== "running") {
    lines.push(
      `Billing now: storage ${rateText(rates.storage, currency)}; stopped instances keep billing storage, destroy to stop all charges`,
    );
  }
  return lines;
}

function detail(instance: VastInstance, currency: string): string {
  const ssh = sshEndpoints(instance).map((e) => `SSH: ${describeEndpoint(e)}`);
  const lines = [
    `Instance: ${instance.id}`,
    `Status: ${describeStatus(instance)}`,
    `GPU: ${instance.numGpus}x ${instance.gpuName || "N/A"} ${gigabytes(instance.gpuRamMb)}`,
    ...priceLines(instance, currency),
    `Disk: ${instance.diskGb ?? "N/A"} GB`,
    ...(ssh.length > 0 ? ssh : ["SSH: no address yet"]),
    `Image: ${instance.image || "N/A"}`,
    `Label: ${instance.label || "-"}`,
    `Location: ${instance.geolocation || "N/A"}`,
  ];
  return lines.join("\n") + "\n";
}

export async function showCommand(
  idText: string,
  flags: { json?: boolean },
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const instance = await showInstance(deps.client(), parseInstanceId(idText));
  if (flags.json) return writeJson(instance);
  process.stdout.write(detail(instance, deps.currency()));
}
