// The check after a copy, so that "done" means the data arrived. rsync
// checks every file it sends against a whole-file checksum on the
// receiving side, so after a clean exit what is left to rule out is a
// source that changed while rsync read it. A local source is listed
// before and after the copy, which costs no remote round trip; a remote
// source gets a second rsync pass as a dry run, which lists every file
// whose size or modification time still differs (rsync's quick check).
// scp routes compare file sizes.
import type { SourceKind } from "./landing.ts";
import type { Location } from "./location.ts";
import { parseItemized, parseStats, type RsyncStats } from "./rsync-output.ts";
import { runRsync, type RsyncJob } from "./rsync.ts";
import {
  firstChange,
  listSource,
  type SourceListing,
} from "./source-listing.ts";
import { compareFiles, compareTrees } from "./tree-check.ts";

export interface Verification {
  ok: boolean;
  /** One sentence for the result message. */
  summary: string;
}

/**
 * Lists the source before the copy when rsync reads it on this machine,
 * and returns undefined when the source is remote or rsync runs on a host
 * (those jobs are verified by a second pass).
 */
export async function listLocalSource(
  job: RsyncJob,
): Promise<SourceListing | undefined> {
  if (job.source.side.kind !== "local" || job.hop !== undefined)
    return undefined;
  return listSource(job.source.path, job.exclude);
}

/**
 * Verifies a finished rsync job: by comparing the source with its listing
 * from before the copy when there is one, else by a second rsync pass.
 * `copyStats` are the copy's own `--stats`.
 */
export async function verifyRsync(
  job: RsyncJob,
  before: SourceListing | undefined,
  copyStats: RsyncStats | undefined,
  signal?: AbortSignal,
): Promise<Verification> {
  if (before !== undefined && copyStats !== undefined)
    return verifyUnchangedSource(job, before, copyStats);
  return verifySecondPass(job, signal);
}

async function verifyUnchangedSource(
  job: RsyncJob,
  before: SourceListing,
  copyStats: RsyncStats,
): Promise<Verification> {
  const after = await listLocalSource(job);
  if (after === undefined) {
    return {
      ok: false,
      summary: `verification failed: the source ${job.source.display} could not be listed again after the copy`,
    };
  }
  const change = firstChange(before, after);
  if (change !== undefined) {
    return {
      ok: false,
      summary: `verification failed: the source changed during the copy (${change}), so the destination may hold an older version`,
    };
  }
  return {
    ok: true,
    summary: `verified ${countText(copyStats.regularFiles, copyStats.totalSize)}: rsync checked each file it sent against a whole-file checksum, and no source file changed in size or modification time during the copy`,
  };
}

async function verifySecondPass(
  job: RsyncJob,
  signal?: AbortSignal,
): Promise<Verification> {
  const result = await runRsync(job, "dry-run", { signal });
  const stats = parseStats(result.stdout);
  if (result.failed || stats === undefined) {
    return {
      ok: false,
      summary: `the verification pass failed (rsync exit ${result.exitCode ?? "none"}): ${result.stderr.trim().split("\n").slice(-2).join(" ")}`,
    };
  }
  const pending = parseItemized(result.stdout);
  if (stats.filesTransferred > 0 || pending.deletions.length > 0) {
    const example = pending.files[0] ?? pending.deletions[0] ?? "";
    return {
      ok: false,
      summary: `verification failed: ${stats.filesTransferred} file(s) still differ from the source in size or modification time (first: ${example}); the source may have changed during the copy`,
    };
  }
  return {
    ok: true,
    summary: `verified ${countText(stats.regularFiles, stats.totalSize)}: a second rsync pass found no file that differs in size or modification time`,
  };
}

/** Compares sizes after an scp copy; `landed` is where the source itself ended up. */
export async function verifyCopy(
  source: Location,
  kind: SourceKind,
  landed: Location,
): Promise<Verification> {
  const check =
    kind === "file"
      ? await compareFiles(source, landed)
      : await compareTrees(source, landed);
  if (!check.ok)
    return {
      ok: false,
      summary: `verification failed: ${check.problem ?? "sizes differ"}`,
    };
  return {
    ok: true,
    summary: `verified ${countText(check.files, check.bytes)}: every file has the source's size`,
  };
}

export function countText(files: number, bytes: number): string {
  return `${files} ${files === 1 ? "file" : "files"}, ${bytes} bytes`;
}
