// One copy between a local path and a local or remote path, with rsync or
// the scp fallback, including its verification and its dry-run plan.
import { posix } from "node:path";
import { quoteCommand } from "../remote/quote.ts";
import type { Location } from "./location.ts";
import type { Leg, PlanOptions, SourceInfo } from "./plan.ts";
import {
  parseItemized,
  parseStats,
  type TransferProgress,
} from "./rsync-output.ts";
import {
  judgeRsyncResult,
  runRsync,
  rsyncArgv,
  rsyncOperand,
  showsRemoteRsyncMissing,
  type RsyncJob,
} from "./rsync.ts";
import {
  deleteLimitLine,
  deletionLine,
  overDeleteLimit,
} from "./delete-limit.ts";
import { copyWithScp } from "./scp.ts";
import { keepsFractions } from "./time-precision.ts";
import { runScriptOrThrow } from "./shell.ts";
import {
  countText,
  stampLocalSource,
  verifyCopy,
  verifyRsync,
} from "./verify.ts";

export interface LegOptions extends PlanOptions {
  bwlimitKBps?: number;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

export interface LegOutcome {
  ok: boolean;
  message: string;
  /** Set when an assumed rsync turned out to be missing; nothing was copied. */
  rsyncMissing?: boolean;
  bytes?: number;
  exitCode?: number;
}

export interface LegEnds {
  source: Location;
  destination: Location;
  sourceInfo: SourceInfo;
  /** Set when rsync runs on the source host and pushes to the destination. */
  hop?: RsyncJob["hop"];
}

/** Copies one leg, verifies it, and describes the outcome. */
export function runLeg(
  ends: LegEnds,
  leg: Leg,
  opts: LegOptions,
): Promise<LegOutcome> {
  return leg.tool === "rsync"
    ? runRsyncLeg(ends, leg, opts)
    : runScpLeg(ends, opts);
}

function rsyncJob(ends: LegEnds, leg: Leg, opts: LegOptions): RsyncJob {
  return {
    source: ends.source,
    destination: ends.destination,
    delete: opts.delete === true,
    maxDelete: opts.maxDelete,
    exclude: opts.exclude ?? [],
    bwlimitKBps: opts.bwlimitKBps,
    mkpath: leg.mkpath,
    progress: leg.progress,
    nanoseconds:
      leg.nanoseconds === "local-check"
        ? keepsFractions(ends.destination.path)
        : leg.nanoseconds,
    hop: ends.hop,
  };
}

async function runRsyncLeg(
  ends: LegEnds,
  leg: Leg,
  opts: LegOptions,
): Promise<LegOutcome> {
  const job = rsyncJob(ends, leg, opts);
  if (leg.assumed === "receiver" && !job.mkpath)
    job.mkdirFirst = parentDir(ends.destination.path);
  const [before] = await Promise.all([
    stampLocalSource(job, ends.sourceInfo.kind),
    leg.assumed !== "receiver" && !job.mkpath
      ? makeParentDirs(ends.destination)
      : undefined,
  ]);

  const rejected = await checkDeleteLimit(job, opts.signal);
  if (rejected !== undefined) return { ok: false, message: rejected };

  const result = await runRsync(job, "copy", opts);
  if (leg.assumed !== undefined && showsRemoteRsyncMissing(result)) {
    return {
      ok: false,
      rsyncMissing: true,
      message: `rsync is missing on the remote side: ${result.stderr.trim()}`,
      exitCode: result.exitCode ?? undefined,
    };
  }
  const verdict = judgeRsyncResult(job, result, opts.signal?.aborted);
  const exitCode = result.exitCode ?? undefined;
  if (!verdict.ok)
    return { ok: false, message: verdict.failure ?? "rsync failed", exitCode };

  const copyStats = parseStats(result.stdout);
  const bytes = copyStats?.transferredSize;
  const check = await verifyRsync(job, before, copyStats, opts.signal);
  const route = `${ends.source.display} to ${ends.destination.display}`;
  if (!check.ok) {
    return {
      ok: false,
      message: `Copied ${route} with rsync, but ${check.summary}.\nTry: rerun the transfer once the source no longer changes.`,
      bytes,
      exitCode,
    };
  }
  const warning = [verdict.warning, check.warning]
    .filter((text) => text !== undefined)
    .map((text) => `\nWarning: ${text}`)
    .join("");
  return {
    ok: true,
    message: `Copied ${route} with rsync (${bytes ?? 0} bytes of file data sent); ${check.summary}.${warning}`,
    bytes,
    exitCode,
  };
}

// With --max-delete, a dry run counts the deletions first. When the dry
// run itself fails, the copy runs and reports the cause, and rsync's own
// --max-delete still stops deletions at the limit.
async function checkDeleteLimit(
  job: RsyncJob,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (!job.delete || job.maxDelete === undefined) return undefined;
  const result = await runRsync(job, "dry-run", { signal });
  if (result.failed || parseStats(result.stdout) === undefined)
    return undefined;
  const { deletions } = parseItemized(result.stdout);
  return overDeleteLimit(deletions, job.maxDelete, job.destination.display);
}

// Without --mkpath (rsync older than 3.2.3 on either end), rsync creates
// only the last component of the destination, so the parents come first.
async function makeParentDirs(destination: Location): Promise<void> {
  const dir = parentDir(destination.path);
  await runScriptOrThrow(
    destination.side,
    'mkdir -p -- "$1"',
    [dir],
    `create ${dir}`,
  );
}

function parentDir(path: string): string {
  return path.endsWith("/") ? path : posix.dirname(path);
}

async function runScpLeg(ends: LegEnds, opts: LegOptions): Promise<LegOutcome> {
  const outcome = await copyWithScp({
    source: ends.source,
    destination: ends.destination,
    sourceKind: ends.sourceInfo.kind,
    signal: opts.signal,
  });
  if (!outcome.ok)
    return { ok: false, message: outcome.message, exitCode: outcome.exitCode };

  const check = await verifyCopy(
    ends.source,
    ends.sourceInfo.kind,
    outcome.landed,
  );
  const route = `${ends.source.display} to ${ends.destination.display}`;
  if (!check.ok) {
    return {
      ok: false,
      message: `Copied ${route} with scp, but ${check.summary}.\nTry: rerun the transfer.`,
      exitCode: 0,
    };
  }
  return {
    ok: true,
    message: `Copied ${route} with scp (rsync is missing on one side); ${check.summary}.`,
    exitCode: 0,
  };
}

/** Describes what the leg would do, running `rsync --dry-run` for rsync legs. */
export async function planLeg(
  ends: LegEnds,
  leg: Leg,
  opts: LegOptions,
): Promise<string[]> {
  const lines = [
    `from: ${resolvedText(ends.source, leg, true)}`,
    `to: ${resolvedText(ends.destination, leg, false)}`,
  ];
  if (leg.tool === "scp") {
    lines.push(
      "command: scp -r -p with the host's ssh options, into a hidden .trainsh-scp-* directory, then moved into place",
    );
    return lines;
  }
  const job = rsyncJob(ends, leg, opts);
  const runsOn =
    ends.hop === undefined ? "" : ` (runs on @${ends.hop.runOn.label})`;
  lines.push(`command${runsOn}: ${quoteCommand(rsyncArgv(job, "copy"))}`);
  const result = await runRsync(job, "dry-run", { signal: opts.signal });
  const stats = parseStats(result.stdout);
  if (result.failed || stats === undefined) {
    lines.push(
      `rsync --dry-run failed (exit ${result.exitCode ?? "none"}): ${result.stderr.trim().split("\n").slice(-2).join(" ")}`,
    );
    return lines;
  }
  lines.push(
    `would copy: ${countText(stats.filesTransferred, stats.transferredSize)}`,
  );
  const { deletions } = parseItemized(result.stdout);
  lines.push(deletionLine(deletions));
  const limit = deleteLimitLine(deletions.length, job.maxDelete);
  if (job.delete && limit !== undefined) lines.push(limit);
  return lines;
}

// "@gpu:/data (root@10.0.0.5:/data)": the endpoint and the operand the tool gets.
function resolvedText(location: Location, leg: Leg, isSource: boolean): string {
  const operand =
    leg.tool === "rsync" ? rsyncOperand(location, isSource) : location.path;
  return operand === location.display
    ? operand
    : `${location.display} (${operand})`;
}
