// The check after a copy, so that "done" means the data arrived. rsync
// routes run rsync again as a dry run, which lists every file whose size or
// modification time still differs (rsync's quick check). scp routes
// compare file sizes.
import type { SourceKind } from "./landing.ts";
import type { Location } from "./location.ts";
import { parseItemized, parseStats } from "./rsync-output.ts";
import { runRsync, type RsyncJob } from "./rsync.ts";
import { compareFiles, compareTrees } from "./tree-check.ts";

export interface Verification {
  ok: boolean;
  /** One sentence for the result message. */
  summary: string;
}

/** Runs the rsync verification pass for a finished job. */
export async function verifyRsync(
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
