// Resuming a single-file download from a bucket. The download is written
// by one stream into staging, so a cut leaves a prefix of the object
// there. A rerun appends the rest with `rclone cat --offset`, compares
// MD5 sums when the bucket has one, restores the object's modification
// time, and lets the usual rename move the file into place.
import type { ProcessResult } from "../remote/process.ts";
import {
  endDisplay,
  inspectEnd,
  operandOf,
  type ListContext,
  type RcloneEnd,
} from "./bucket-end.ts";
import type { RcloneCopy } from "./rclone-copy.ts";
import { bwlimitFlags, runRclone, STATS_FLAGS } from "./rclone-run.ts";

export type ResumeOutcome =
  /** Nothing to resume: run the whole download. */
  | { kind: "none" }
  /** The staged file is complete; `note` goes into the result message. */
  | { kind: "resumed"; note: string }
  /** The resume failed; `result` is set when an rclone command failed. */
  | { kind: "failed"; message: string; result?: ProcessResult };

/**
 * Appends the missing bytes to a partial staged download. Returns "none"
 * when there is no partial file smaller than the object.
 */
export async function resumeDownload(
  copy: RcloneCopy,
  staged: RcloneEnd,
): Promise<ResumeOutcome> {
  if (copy.sourceState.kind !== "file") return { kind: "none" };
  const total = copy.sourceState.size;
  const ctx: ListContext = {
    runner: copy.runner,
    remotes: copy.remotes,
    exclude: [],
    signal: copy.signal,
  };
  const partial = await inspectEnd(staged, ctx);
  if (partial.kind !== "file" || partial.size === 0 || partial.size >= total)
    return { kind: "none" };

  const appended = await runRclone({
    runner: copy.runner,
    remotes: copy.remotes,
    args: [
      "cat",
      ...STATS_FLAGS,
      ...bwlimitFlags(copy.bwlimitKBps),
      "--offset",
      `${partial.size}`,
      "--",
      operandOf(copy.source),
    ],
    signal: copy.signal,
    onProgress: copy.onProgress,
    appendTo: operandOf(staged),
  });
  if (appended.failed)
    return {
      kind: "failed",
      message: `resuming at ${partial.size} bytes failed`,
      result: appended,
    };
  const landed = await inspectEnd(staged, ctx);
  if (landed.kind === "file" && landed.size > total) {
    await rclone(copy, ["deletefile", "--", operandOf(staged)]);
    return {
      kind: "failed",
      message: `the partial download of ${endDisplay(copy.source)} grew past the object's ${total} bytes while it was resumed, so another copy was probably still writing it. It was removed; rerun once that copy has stopped`,
    };
  }
  if (landed.kind !== "file" || landed.size !== total)
    return {
      kind: "failed",
      message: `the resumed download of ${endDisplay(copy.source)} has ${landed.kind === "file" ? landed.size : 0} of ${total} bytes; rerun to continue it`,
    };

  const hashes = await compareMd5(copy, staged);
  if (hashes === "differ") {
    await rclone(copy, ["deletefile", "--", operandOf(staged)]);
    return {
      kind: "failed",
      message: `the resumed file's MD5 differs from ${endDisplay(copy.source)}, so the partial download was not a prefix of the object. It was removed; rerun to download it from the start`,
    };
  }
  const modTime = touchTime(copy.sourceState.modTime);
  if (modTime !== undefined)
    await rclone(copy, [
      "touch",
      "--no-create",
      "--timestamp",
      modTime,
      "--",
      operandOf(staged),
    ]);
  const checked =
    hashes === "match"
      ? "its MD5 matches the source"
      : "the bucket has no MD5 for it, so only its size was compared";
  return {
    kind: "resumed",
    note: `resumed a partial download at ${partial.size} of ${total} bytes, and ${checked}`,
  };
}

async function compareMd5(
  copy: RcloneCopy,
  staged: RcloneEnd,
): Promise<"match" | "differ" | "unknown"> {
  const [source, local] = await Promise.all(
    [copy.source, staged].map(async (end) => {
      const result = await rclone(copy, ["md5sum", "--", operandOf(end)]);
      const hash = result.stdout.trim().split(/\s+/)[0] ?? "";
      return !result.failed && /^[0-9a-f]{32}$/.test(hash) ? hash : undefined;
    }),
  );
  if (source === undefined || local === undefined) return "unknown";
  return source === local ? "match" : "differ";
}

// lsjson prints RFC 3339 times; `rclone touch --timestamp` takes UTC
// without a zone, with up to nine fraction digits.
function touchTime(modTime: string | undefined): string | undefined {
  const match =
    /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?)(Z|[+-]00:00)$/.exec(
      modTime ?? "",
    );
  return match?.[1];
}

function rclone(copy: RcloneCopy, args: string[]): Promise<ProcessResult> {
  return runRclone({
    runner: copy.runner,
    remotes: copy.remotes,
    args,
    signal: copy.signal,
  });
}
