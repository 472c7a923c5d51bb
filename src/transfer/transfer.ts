// The transfer engine's entry point: plan the route, then copy (or only
// describe the copy for --dry-run).
import { describeEndpoint, type Endpoint } from "./endpoint.ts";
import { planLeg, runLeg, type LegEnds, type LegOutcome } from "./leg.ts";
import { sideLabel, type Side } from "./location.ts";
import { recordRsyncMissing } from "./probe.ts";
import { planTransfer, type TransferPlan } from "./plan.ts";
import { planRelay, runRelay } from "./relay.ts";
import { transferWithBucket } from "./bucket-transfer.ts";
import { flattenStorage, isBucketEndpoint } from "./storage-endpoint.ts";
import {
  redactingSecrets,
  secretsProvider,
  type SecretsProvider,
} from "../secrets/provider.ts";

import { TransferError } from "./transfer-error.ts";

export { TransferError };

export interface TransferOptions {
  /** Delete destination files that the source lacks; rejected for an empty or missing source. */
  delete?: boolean;
  /** With `delete`: reject the transfer before copying when it would delete more entries than this. */
  maxDelete?: number;
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
  /** "rsync-hop": rsync ran on the source host and pushed to the destination host. */
  tool:
    | "rsync"
    | "scp"
    | "rsync-hop"
    | "rsync-relay"
    | "rclone"
    | "rclone-relay"
    | "none";
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
  rejectDotDotSource(sourceEndpoint);
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
  if (opts.dryRun === true) {
    const plan = await planTransfer(source, destination, opts);
    const lines = headerLines(plan, toolOf(plan));
    lines.push(...(await routeLines(plan, opts)));
    return {
      ok: true,
      message: `Dry run: nothing was copied or deleted.`,
      tool: "none",
      plan: lines,
    };
  }
  // scp cannot delete or exclude, so with those options the plan probes
  // for rsync first and rejects the transfer before anything runs.
  const assumeRemoteRsync =
    opts.delete !== true && (opts.exclude ?? []).length === 0;
  let plan = await planTransfer(source, destination, {
    ...opts,
    assumeRemoteRsync,
  });
  let outcome = await runRoute(plan, opts);
  if (outcome.rsyncMissing === true) {
    recordRsyncMissing(remoteSide(plan));
    plan = await planTransfer(source, destination, opts);
    outcome = await runRoute(plan, opts);
  }
  const tool = toolOf(plan);
  const result: LegOutcome = { ...outcome };
  delete result.rsyncMissing;
  return { ...result, tool, plan: headerLines(plan, tool) };
}

// rsync's slash rule has no clear landing for "dir/.." (rsync itself
// rejects the file list it gets back from a host), and a relay would stage
// it at STAGING/.., outside its staging directory.
function rejectDotDotSource(source: Endpoint): void {
  if (source.path.replace(/\/+$/, "").split("/").at(-1) !== "..") return;
  throw new TransferError(
    `Cannot transfer ${describeEndpoint(source)}: the source path ends in "..".\nTry: name the directory itself, such as /workspace rather than /workspace/ckpt/.., with a trailing / to copy its contents.`,
  );
}

function remoteSide(plan: TransferPlan): Side {
  return plan.source.side.kind === "ssh"
    ? plan.source.side
    : plan.destination.side;
}

function toolOf(plan: TransferPlan): TransferResult["tool"] {
  if (plan.route.kind === "direct") return plan.route.leg.tool;
  if (plan.route.kind === "hop") return "rsync-hop";
  const rsyncOnly =
    plan.route.download.tool === "rsync" && plan.route.upload.tool === "rsync";
  return rsyncOnly ? "rsync-relay" : "scp";
}

function headerLines(
  plan: TransferPlan,
  tool: TransferResult["tool"],
): string[] {
  const kind = plan.sourceInfo.kind === "dir" ? "directory" : "file";
  const lines = [
    `tool: ${tool} (${sideLabel(plan.source.side)} -> ${sideLabel(plan.destination.side)})`,
  ];
  const route = routeLine(plan);
  if (route !== undefined) lines.push(route);
  lines.push(
    `source: ${plan.source.display} (${kind})`,
    `destination: ${plan.destination.display}`,
    `sample: ${plan.sample}`,
  );
  return lines;
}

function routeLine(plan: TransferPlan): string | undefined {
  const from = sideLabel(plan.source.side);
  const to = sideLabel(plan.destination.side);
  if (plan.route.kind === "hop")
    return `route: direct, rsync runs on ${from} and pushes to ${to} over ${from}'s own ssh`;
  if (plan.route.kind === "relay")
    return `route: relayed through this machine, because ${plan.route.reason}`;
  return undefined;
}

function routeLines(
  plan: TransferPlan,
  opts: TransferOptions,
): Promise<string[]> {
  const ends = legEnds(plan);
  if (plan.route.kind !== "relay") return planLeg(ends, plan.route.leg, opts);
  return planRelay(
    { ...ends, download: plan.route.download, upload: plan.route.upload },
    opts,
  );
}

async function runRoute(
  plan: TransferPlan,
  opts: TransferOptions,
): Promise<LegOutcome> {
  const ends = legEnds(plan);
  if (plan.route.kind === "direct") return runLeg(ends, plan.route.leg, opts);
  if (plan.route.kind === "hop") {
    const outcome = await runLeg(ends, plan.route.leg, opts);
    const runOn = sideLabel(plan.source.side);
    return {
      ...outcome,
      message: `Copied directly: rsync ran on ${runOn}.\n${outcome.message}`,
    };
  }
  return runRelay(
    { ...ends, download: plan.route.download, upload: plan.route.upload },
    opts,
  );
}

function legEnds(plan: TransferPlan): LegEnds {
  const ends: LegEnds = {
    source: plan.source,
    destination: plan.destination,
    sourceInfo: plan.sourceInfo,
  };
  if (plan.route.kind === "hop" && plan.source.side.kind === "ssh")
    ends.hop = { runOn: plan.source.side.host, target: plan.route.target };
  return ends;
}
