// The check after a copy, so that "done" means the data arrived. rsync
// checks every file it sends against a whole-file checksum on the
// receiving side, so after a clean exit what is left to rule out is a
// source that changed while rsync read it. A single local file is stamped
// before and after the copy, which costs no remote round trip. Anything
// else gets a second rsync pass as a dry run, which lists every file whose
// size or modification time still differs (to the nanosecond where the
// receiver's rsync compares them). scp routes compare file sizes.
import type { SourceKind } from "./landing.ts";
import type { Location } from "./location.ts";
import { parseItemized, parseStats, type RsyncStats } from "./rsync-output.ts";
import { runRsync, type RsyncJob } from "./rsync.ts";
import {
  describeStamp,
  sameStamp,
  stampFile,
  type FileStamp,
} from "./source-stamp.ts";
import { compareFiles, compareTrees } from "./tree-check.ts";

export interface Verification {
  ok: boolean;
  /** One sentence for the result message. */
  summary: string;
  /** Set when the data checks out but something deserves a mention. */
  warning?: string;
}

/**
 * Stamps the source before the copy when it is one local file that rsync
 * reads on this machine with no excludes, else returns undefined: those
 * jobs are verified by a second pass.
 */
export async function stampLocalSource(
  job: RsyncJob,
  kind: SourceKind,
): Promise<FileStamp | undefined> {
  const local = job.source.side.kind === "local" && job.hop === undefined;
  if (!local || kind !== "file" || job.exclude.length > 0) return undefined;
  const stamp = await stampFile(job.source.path);
  return stamp === "missing" ? undefined : stamp;
}

/**
 * Verifies a finished rsync job: by stamping the source file again when it
 * was stamped before the copy, else by a second rsync pass. `copyStats`
 * are the copy's own `--stats`.
 */
export async function verifyRsync(
  job: RsyncJob,
  before: FileStamp | undefined,
  copyStats: RsyncStats | undefined,
  signal?: AbortSignal,
): Promise<Verification> {
  if (before !== undefined && copyStats !== undefined)
    return verifyUnchangedFile(job, before, copyStats);
  return verifySecondPass(job, signal);
}

async function verifyUnchangedFile(
  job: RsyncJob,
  before: FileStamp,
  copyStats: RsyncStats,
): Promise<Verification> {
  const after = await stampFile(job.source.path);
  const copied = countText(copyStats.regularFiles, copyStats.totalSize);
  if (after === "missing") {
    return {
      ok: true,
      summary: `verified ${copied}: rsync checked it against a whole-file checksum`,
      warning: `the source ${job.source.display} was removed after rsync read it; the copy has the file as it was`,
    };
  }
  if (after === undefined) {
    return {
      ok: false,
      summary: `verification failed: the source ${job.source.display} could not be read again after the copy`,
    };
  }
  if (!sameStamp(before, after)) {
    return {
      ok: false,
      summary: `verification failed: the source changed during the copy (it was ${describeStamp(before)}, now ${describeStamp(after)}), so the destination may hold an older version`,
    };
  }
  return {
    ok: true,
    summary: `verified ${copied}: rsync checked it against a whole-file checksum, and the source did not change during the copy`,
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
