// One rclone copy and its check. Objects in a bucket appear only once an
// upload completes, so uploads go straight to their final names. rclone
// 1.60 writes a download under its final name while it runs, so downloads
// go to a staging directory beside the destination first and are renamed
// into place by `rclone move` only after the whole copy succeeded.
import { posix } from "node:path";
import type { ProcessResult } from "../remote/process.ts";
import type { RcloneRemote } from "../storage/rclone-remote.ts";
import {
  endDisplay,
  endPath,
  inspectEnd,
  listFiles,
  operandOf,
  withPath,
  type EndState,
  type ListContext,
  type RcloneEnd,
} from "./bucket-end.ts";
import { deleteLimitReached } from "./delete-limit.ts";
import type { LegOutcome } from "./leg.ts";
import type { Side } from "./location.ts";
import {
  classifyRcloneError,
  describeCause,
  duplicateNames,
  errorLines,
} from "./rclone-output.ts";
import { resumeDownload, type ResumeOutcome } from "./rclone-resume.ts";
import { bwlimitFlags, runRclone, STATS_FLAGS } from "./rclone-run.ts";
import type { TransferProgress } from "./rsync-output.ts";
import { countText } from "./verify.ts";

/** The directory beside a filesystem destination where downloads wait until they are complete. */
export const STAGING_PREFIX = ".trainsh-partial-";

export interface RcloneCopy {
  runner: Side;
  remotes: RcloneRemote[];
  source: RcloneEnd;
  sourceState: Exclude<EndState, { kind: "missing" }>;
  /** The landing place of the source itself: the directory for a directory source, the file path for a file. */
  target: RcloneEnd;
  delete: boolean;
  /** With `delete`: passed as rclone's `--max-delete`. */
  maxDelete?: number;
  exclude: string[];
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** rclone `--bwlimit` in KiB per second; for tests of interrupted copies. */
  bwlimitKBps?: number;
}

/** Returns the rclone commands that the copy runs, in order, for plans and dry runs. */
export function copyCommands(copy: RcloneCopy): string[][] {
  const src = operandOf(copy.source);
  const filters = copy.exclude.flatMap((pattern) => ["--exclude", pattern]);
  const file = copy.sourceState.kind === "file";
  const limit =
    copy.maxDelete === undefined ? [] : ["--max-delete", `${copy.maxDelete}`];
  if (copy.target.kind === "bucket") {
    if (file) return [["copyto", "--", src, operandOf(copy.target)]];
    if (copy.delete)
      return [
        ["sync", ...filters, ...limit, "--", src, operandOf(copy.target)],
      ];
    return [["copy", ...filters, "--", src, operandOf(copy.target)]];
  }
  const target = operandOf(copy.target);
  const stage = operandOf(stagingEnd(copy.target));
  if (file) {
    const staged = `${stage}/${posix.basename(target)}`;
    // One stream writes the file in order, so a cut leaves a prefix that
    // a rerun resumes (rclone-resume.ts). Parallel streams would leave holes.
    return [
      ["copyto", "--multi-thread-streams", "0", "--", src, staged],
      ["moveto", "--", staged, target],
      ["rmdir", "--", stage],
    ];
  }
  const commands = [
    ["mkdir", "--", stage],
    ["copy", ...filters, "--compare-dest", target, "--", src, stage],
    // --delete-empty-src-dirs also removes the staging directory itself,
    // unless nothing was copied into it; `rmdirs` removes it then.
    ["move", "--delete-empty-src-dirs", "--", stage, target],
    ["rmdirs", "--retries", "1", "--", stage],
  ];
  if (copy.delete)
    commands.push(["sync", ...filters, ...limit, "--", src, target]);
  return commands;
}

function resumeStaged(copy: RcloneCopy): Promise<ResumeOutcome> {
  const download =
    copy.sourceState.kind === "file" &&
    copy.source.kind === "bucket" &&
    copy.target.kind === "fs";
  if (!download) return Promise.resolve({ kind: "none" });
  const name = posix.basename(endPath(copy.target));
  const stage = stagingEnd(copy.target);
  return resumeDownload(
    copy,
    withPath(stage, posix.join(endPath(stage), name)),
  );
}

// NOTE: staging sits beside the destination because rclone 1.60 cannot
// move files from a directory inside the destination into it, so the
// destination's parent must be writable and a mount point is staged on
// its parent's file system.
function stagingDenied(
  copy: RcloneCopy,
  route: string,
  stage: string,
): LegOutcome {
  return {
    ok: false,
    message: `Copying ${route} with rclone failed before anything was copied: downloads wait in ${stage} beside the destination until they are whole, and creating it was denied.\nTry: download into a directory whose parent you can write, such as ${endDisplay(copy.target).replace(/\/*$/, "")}/data/.`,
  };
}

function stagingEnd(target: RcloneEnd): RcloneEnd {
  const path = endPath(target).replace(/\/+$/, "") || ".";
  const parent = posix.dirname(path);
  const name = posix.basename(path);
  return withPath(target, posix.join(parent, `${STAGING_PREFIX}${name}`));
}

/** Copies, then checks that every source file has its size at the destination. */
export async function runRcloneCopy(copy: RcloneCopy): Promise<LegOutcome> {
  const route = `${endDisplay(copy.source)} to ${endDisplay(copy.target)}`;
  let commands = copyCommands(copy);
  const resumed = await resumeStaged(copy);
  if (resumed.kind === "failed") {
    if (resumed.result !== undefined)
      return failure(copy, route, resumed.result);
    return {
      ok: false,
      message: `Copying ${route} with rclone failed: ${resumed.message}.`,
    };
  }
  // A resumed file skips the download and goes straight to the rename.
  if (resumed.kind === "resumed") commands = commands.slice(1);
  let stderr = "";
  for (const args of commands) {
    const isCopy = ["copy", "copyto", "sync"].includes(args[0] ?? "");
    const flags = isCopy
      ? [...STATS_FLAGS, ...bwlimitFlags(copy.bwlimitKBps)]
      : [];
    const result = await runRclone({
      runner: copy.runner,
      remotes: copy.remotes,
      args: [args[0] ?? "", ...flags, ...args.slice(1)],
      signal: copy.signal,
      onProgress: isCopy ? copy.onProgress : undefined,
    });
    stderr += result.stderr;
    // The staging directory is usually gone by then ("directory not found").
    const cleanup = args[0] === "rmdirs" && !copy.signal?.aborted;
    if (
      result.failed &&
      args[0] === "mkdir" &&
      /permission denied/i.test(result.stderr)
    )
      return stagingDenied(copy, route, args.at(-1) ?? "");
    if (result.failed && !cleanup) return failure(copy, route, result);
  }
  const check = await verifyCopy(copy);
  if (!check.ok)
    return {
      ok: false,
      message: `Copied ${route} with rclone, but ${check.summary}.\nTry: rerun the transfer.`,
      exitCode: 0,
    };
  const bytes = totalBytes(copy.sourceState);
  const note = resumed.kind === "resumed" ? `; it ${resumed.note}` : "";
  return {
    ok: true,
    message: `Copied ${route} with rclone${note}; ${check.summary}.${duplicateWarning(stderr, copy.source)}`,
    bytes,
    exitCode: 0,
  };
}

function totalBytes(state: RcloneCopy["sourceState"]): number {
  if (state.kind === "file") return state.size;
  let sum = 0;
  for (const size of state.files.values()) sum += size;
  return sum;
}

const RESUME_TEXT =
  "Finished files are kept and partly copied ones never reach their final name, so rerunning the same transfer skips what is done and copies the rest.";

function failure(
  copy: RcloneCopy,
  route: string,
  result: ProcessResult,
): LegOutcome {
  const exitCode = result.exitCode ?? undefined;
  if (copy.signal?.aborted === true || result.signal !== null) {
    return {
      ok: false,
      message: `The transfer of ${route} was interrupted. ${RESUME_TEXT}`,
      exitCode,
    };
  }
  if (copy.runner.kind === "ssh" && result.exitCode === 255) {
    return {
      ok: false,
      message: `The connection to @${copy.runner.host.label} was lost while rclone copied ${route} there (ssh exit 255). ${RESUME_TEXT}`,
      exitCode,
    };
  }
  if (result.stderr.includes("--max-delete threshold reached")) {
    return {
      ok: false,
      message: deleteLimitReached(
        "rclone",
        route,
        copy.maxDelete,
        errorLines(result.stderr).slice(-3).join("\n"),
      ),
      exitCode,
    };
  }
  const cause = classifyRcloneError(result.stderr);
  const storage = bucketStorage(copy);
  const lines = errorLines(result.stderr).slice(-5).join("\n");
  return {
    ok: false,
    message: `rclone failed with exit code ${result.exitCode ?? "none"} copying ${route}:\n${lines}\n${describeCause(cause, storage)}`,
    exitCode,
  };
}

function bucketStorage(copy: RcloneCopy): { name: string; type: string } {
  const end = copy.source.kind === "bucket" ? copy.source : copy.target;
  return end.kind === "bucket" ? end.remote.storage : { name: "?", type: "?" };
}

interface CopyCheck {
  ok: boolean;
  summary: string;
}

/** Compares the destination's listing with the source's: same files, same sizes. */
export async function verifyCopy(copy: RcloneCopy): Promise<CopyCheck> {
  const ctx: ListContext = {
    runner: copy.runner,
    remotes: copy.remotes,
    exclude: copy.exclude,
    signal: copy.signal,
  };
  if (copy.sourceState.kind === "file") {
    const landed = await inspectEnd(copy.target, ctx);
    if (landed.kind !== "file" || landed.size !== copy.sourceState.size) {
      const found =
        landed.kind === "file" ? `${landed.size} bytes` : landed.kind;
      return {
        ok: false,
        summary: `verification failed: ${endDisplay(copy.target)} is ${found}, the source has ${copy.sourceState.size} bytes`,
      };
    }
    return {
      ok: true,
      summary: `verified ${countText(1, landed.size)}: the size matches, and rclone checked the checksum where the backend has one`,
    };
  }
  const landed = await listFiles(copy.target, ctx);
  const problem = compareListings(copy.sourceState.files, landed, copy.delete);
  if (problem !== undefined)
    return { ok: false, summary: `verification failed: ${problem}` };
  return {
    ok: true,
    summary: `verified ${countText(copy.sourceState.files.size, totalBytes(copy.sourceState))}: every file has the source's size, and rclone checked checksums where the backend has them`,
  };
}

/** Describes the first difference between two listings, or returns undefined when they match. */
export function compareListings(
  source: Map<string, number>,
  landed: Map<string, number>,
  exact: boolean,
): string | undefined {
  for (const [path, size] of source) {
    const found = landed.get(path);
    if (found === undefined) return `${path} is missing at the destination`;
    if (found !== size)
      return `${path} has ${found} bytes at the destination but ${size} at the source`;
  }
  if (!exact) return undefined;
  for (const path of landed.keys()) {
    if (!source.has(path))
      return `${path} is still at the destination although --delete should have removed it`;
  }
  return undefined;
}

function duplicateWarning(stderr: string, source: RcloneEnd): string {
  const names = duplicateNames(stderr);
  if (names.length === 0) return "";
  const count =
    names.length === 1 ? "1 name appears" : `${names.length} names appear`;
  return `\nWarning: ${count} twice in ${endDisplay(source)}, and only one copy of each was transferred: ${names.slice(0, 5).join(", ")}. Run \`rclone dedupe\` on the source to resolve them.`;
}
