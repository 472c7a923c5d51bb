// The transfer engine's entry point: plan the route, then copy (or only
// describe the copy for --dry-run).
import type { Endpoint } from "./endpoint.ts";
import { planLeg, runLeg, type LegOutcome } from "./leg.ts";
import { sideLabel } from "./location.ts";
import { planTransfer, type TransferPlan } from "./plan.ts";
import { planRelay, runRelay } from "./relay.ts";
import { transferWithBucket } from "./bucket-transfer.ts";
import { flattenStorage, isBucketEndpoint } from "./storage-endpoint.ts";
import {
  redactingSecrets,
  secretsProvider,
  type SecretsProvider,
} from "../secrets/provider.ts";

export { TransferError } from "./transfer-error.ts";

export interface TransferOptions {
  /** Delete destination files that the source lacks; rejected for an empty or missing source. */
  delete?: boolean;
  /** rsync `--exclude` patterns; they also keep matching destination files from `--delete`. */
  exclude?: string[];
  /** Plan only: change nothing and return the plan lines. */
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: {
    bytes: number;
    rate?: string;
    eta?: string;
    percent?: number;
  }) => void;
  /** `--bwlimit` in KiB per second for rsync and rclone; for tests of interrupted copies. Ignored by scp. */
  bwlimitKBps?: number;
  /** The source of bucket credentials; the secrets interface by default. */
  secrets?: SecretsProvider;
}

export interface TransferResult {
  ok: boolean;
  message: string;
  tool: "rsync" | "scp" | "rsync-relay" | "rclone" | "rclone-relay" | "none";
  bytes?: number;
  exitCode?: number;
  /** Human-readable lines describing the route, for --dry-run. */
  plan: string[];
}

/**
 * Copies `source` to `destination` with rsync's trailing-slash rule, with
 * rsync between paths and hosts and with rclone when a bucket is involved.
 * Throws TransferError when the transfer is rejected before anything was
 * copied; a copy that fails midway returns `ok: false` with the reason.
 */
export async function transfer(
  sourceEndpoint: Endpoint,
  destinationEndpoint: Endpoint,
  opts: TransferOptions = {},
): Promise<TransferResult> {
  const source = flattenStorage(sourceEndpoint);
  const destination = flattenStorage(destinationEndpoint);
  if (isBucketEndpoint(source) || isBucketEndpoint(destination)) {
    const secrets = opts.secrets ?? redactingSecrets(secretsProvider());
    return transferWithBucket(
      source,
      destination,
      { ...opts, secrets },
      transfer,
    );
  }
  const plan = await planTransfer(source, destination, opts);
  const tool = toolOf(plan);
  const lines = headerLines(plan, tool);
  if (opts.dryRun === true) {
    lines.push(...(await routeLines(plan, opts)));
    return {
      ok: true,
      message: `Dry run: nothing was copied or deleted.`,
      tool: "none",
      plan: lines,
    };
  }
  const outcome = await runRoute(plan, opts);
  return { ...outcome, tool, plan: lines };
}

function toolOf(plan: TransferPlan): TransferResult["tool"] {
  if (plan.route.kind === "direct") return plan.route.leg.tool;
  const rsyncOnly =
    plan.route.download.tool === "rsync" && plan.route.upload.tool === "rsync";
  return rsyncOnly ? "rsync-relay" : "scp";
}

function headerLines(
  plan: TransferPlan,
  tool: TransferResult["tool"],
): string[] {
  const kind = plan.sourceInfo.kind === "dir" ? "directory" : "file";
  return [
    `tool: ${tool} (${sideLabel(plan.source.side)} -> ${sideLabel(plan.destination.side)})`,
    `source: ${plan.source.display} (${kind})`,
    `destination: ${plan.destination.display}`,
    `sample: ${plan.sample}`,
  ];
}

function routeLines(
  plan: TransferPlan,
  opts: TransferOptions,
): Promise<string[]> {
  const ends = {
    source: plan.source,
    destination: plan.destination,
    sourceInfo: plan.sourceInfo,
  };
  if (plan.route.kind === "direct") return planLeg(ends, plan.route.leg, opts);
  return planRelay(
    { ...ends, download: plan.route.download, upload: plan.route.upload },
    opts,
  );
}

function runRoute(
  plan: TransferPlan,
  opts: TransferOptions,
): Promise<LegOutcome> {
  const ends = {
    source: plan.source,
    destination: plan.destination,
    sourceInfo: plan.sourceInfo,
  };
  if (plan.route.kind === "direct") return runLeg(ends, plan.route.leg, opts);
  return runRelay(
    { ...ends, download: plan.route.download, upload: plan.route.upload },
    opts,
  );
}
