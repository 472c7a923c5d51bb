// Host to host through this machine: download into a fresh local staging
// directory, upload from it, then remove it. The staging copy needs as
// much free space under os.tmpdir() as the source takes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  runLeg,
  planLeg,
  type LegEnds,
  type LegOptions,
  type LegOutcome,
} from "./leg.ts";
import { relayDeleteLimitLine } from "./delete-limit.ts";
import { baseName, copiesContents, type Location } from "./location.ts";
import type { Leg, SourceInfo } from "./plan.ts";

export interface RelayPlan {
  source: Location;
  destination: Location;
  sourceInfo: SourceInfo;
  download: Leg;
  upload: Leg;
}

/**
 * Copies through staging. The staging directory is removed afterwards
 * even on failure, so a rerun after an interruption downloads again.
 */
export async function runRelay(
  plan: RelayPlan,
  opts: LegOptions,
): Promise<LegOutcome> {
  const staging = await mkdtemp(join(tmpdir(), "trainsh-relay-"));
  try {
    const [down, up] = legsThrough(plan, staging);
    // The download has nothing to delete, because staging starts empty.
    const downloaded = await runLeg(down, plan.download, {
      ...opts,
      delete: false,
    });
    if (!downloaded.ok)
      return {
        ...downloaded,
        message: `Download to local staging failed: ${downloaded.message}`,
      };

    const uploaded = await runLeg(up, plan.upload, opts);
    if (!uploaded.ok)
      return {
        ...uploaded,
        message: `Upload from local staging failed: ${uploaded.message}`,
      };
    return {
      ...uploaded,
      message: `Relayed through this machine.\n${downloaded.message}\n${uploaded.message}`,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Lists the plan lines of both legs; the upload's effect is known only after a real download. */
export async function planRelay(
  plan: RelayPlan,
  opts: LegOptions,
): Promise<string[]> {
  const staging = join(tmpdir(), "trainsh-relay-XXXXXX");
  const [down, up] = legsThrough(plan, staging);
  const lines = [
    `step 1: ${plan.download.tool} from ${plan.source.display} into local staging ${staging}/`,
  ];
  lines.push(
    ...(await planLeg(down, plan.download, { ...opts, delete: false })).map(
      (line) => `  ${line}`,
    ),
  );
  lines.push(
    `step 2: ${plan.upload.tool} from local staging to ${plan.destination.display}, then staging is removed`,
  );
  lines.push(`  from: ${up.source.path}`, `  to: ${plan.destination.display}`);
  if (opts.delete === true) {
    lines.push(
      "  would delete: known only after the download (files at the destination that the source lacks)",
    );
    const limit = relayDeleteLimitLine(opts.maxDelete);
    if (limit !== undefined) lines.push(`  ${limit}`);
  }
  return lines;
}

// Downloading SOURCE into STAGING/ follows the same slash rule as the
// whole transfer, so uploading STAGING/NAME (or STAGING/ for contents)
// lands exactly where a direct copy would.
function legsThrough(plan: RelayPlan, staging: string): [LegEnds, LegEnds] {
  const stagingDir: Location = {
    side: { kind: "local" },
    path: `${staging}/`,
    display: `local staging ${staging}/`,
  };
  const contents =
    plan.sourceInfo.kind === "dir" && copiesContents(plan.source.path);
  const stagedPath = contents
    ? `${staging}/`
    : join(staging, baseName(plan.source.path));
  const staged: Location = {
    side: { kind: "local" },
    path: stagedPath,
    display: `${plan.source.display} (staged at ${stagedPath})`,
  };
  return [
    {
      source: plan.source,
      destination: stagingDir,
      sourceInfo: plan.sourceInfo,
    },
    {
      source: staged,
      destination: plan.destination,
      sourceInfo: plan.sourceInfo,
    },
  ];
}
