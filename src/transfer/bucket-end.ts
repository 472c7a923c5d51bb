// One end of a transfer that rclone handles: a path in a bucket storage, or
// a path on the filesystem of the machine where rclone runs. Listing goes
// through `rclone lsjson`, so it works the same on every backend.
import { posix } from "node:path";
import { rclonePath, type RcloneRemote } from "../storage/rclone-remote.ts";
import type { Location, Side } from "./location.ts";
import { errorLines } from "./rclone-output.ts";
import { runRclone } from "./rclone-run.ts";
import { TransferError } from "./transfer-error.ts";

export type RcloneEnd =
  | {
      kind: "bucket";
      remote: RcloneRemote;
      /** The path inside the storage, as written after `@name:`. */
      path: string;
      display: string;
    }
  | { kind: "fs"; location: Location };

/** Returns the end's path in the form the trailing-slash rule works on. */
export function endPath(end: RcloneEnd): string {
  return end.kind === "bucket" ? end.path : end.location.path;
}

export function endDisplay(end: RcloneEnd): string {
  return end.kind === "bucket" ? end.display : end.location.display;
}

/** Returns the same end at another path, for landing roots and staging. */
export function withPath(end: RcloneEnd, path: string): RcloneEnd {
  if (end.kind === "bucket") return { ...end, path };
  return { kind: "fs", location: { ...end.location, path } };
}

/**
 * Formats the end as an rclone operand. A relative host path gets "./" so
 * that rclone never reads "name:rest" as a remote.
 */
export function operandOf(end: RcloneEnd): string {
  if (end.kind === "bucket") return rclonePath(end.remote, end.path);
  const path = end.location.path;
  return path.startsWith("/") ? path : `./${path}`;
}

export interface ListContext {
  runner: Side;
  remotes: RcloneRemote[];
  exclude: string[];
  signal?: AbortSignal;
}

export type EndState =
  | { kind: "missing" }
  /** `modTime` is the RFC 3339 time that `rclone lsjson --stat` prints. */
  | { kind: "file"; size: number; modTime?: string }
  /** Every regular file under the directory, relative to it, with its size. */
  | { kind: "dir"; files: Map<string, number> };

interface ListedEntry {
  Path: string;
  Size: number;
  IsDir: boolean;
  ModTime?: string;
}

/**
 * Inspects an end. A bucket has no real directories, so a prefix with no
 * objects is reported as a directory without files, never as missing.
 */
export async function inspectEnd(
  end: RcloneEnd,
  ctx: ListContext,
): Promise<EndState> {
  const stat = await lsjson(end, ["--stat"], ctx);
  if (stat === "missing") return { kind: "missing" };
  const entry = stat as unknown as ListedEntry;
  if (!entry.IsDir)
    return { kind: "file", size: entry.Size, modTime: entry.ModTime };
  return { kind: "dir", files: await listFiles(end, ctx) };
}

/** Lists the regular files under a directory end, relative to it, with their sizes. */
export async function listFiles(
  end: RcloneEnd,
  ctx: ListContext,
): Promise<Map<string, number>> {
  const excludes = ctx.exclude.flatMap((pattern) => ["--exclude", pattern]);
  const listed = await lsjson(
    end,
    ["-R", "--files-only", "--no-mimetype", "--no-modtime", ...excludes],
    ctx,
  );
  const files = new Map<string, number>();
  if (listed === "missing") return files;
  for (const entry of listed as ListedEntry[])
    files.set(entry.Path, entry.Size);
  return files;
}

/** Reports whether a bucket prefix has objects, or a filesystem path is a directory. */
export async function isDirectoryEnd(
  end: RcloneEnd,
  ctx: ListContext,
): Promise<boolean> {
  const stat = await lsjson(end, ["--stat"], ctx);
  if (end.kind === "fs")
    return stat !== "missing" && (stat as unknown as ListedEntry).IsDir;
  // A listing of an object's own path returns that object, so a stat
  // first separates an existing object from a prefix.
  if (stat !== "missing" && !(stat as unknown as ListedEntry).IsDir)
    return false;
  const listed = await lsjson(
    end,
    ["--max-depth", "1", "--no-mimetype", "--no-modtime"],
    ctx,
  );
  return listed !== "missing" && (listed as ListedEntry[]).length > 0;
}

// rclone exits with 3 for "directory not found" and 4 for "file not found".
const NOT_FOUND_CODES = new Set([3, 4]);

async function lsjson(
  end: RcloneEnd,
  flags: string[],
  ctx: ListContext,
): Promise<unknown[] | Record<string, unknown> | "missing"> {
  const result = await runRclone({
    runner: ctx.runner,
    remotes: ctx.remotes,
    // Listings fail fast: an unreachable endpoint is reported in seconds,
    // before a copy (which keeps rclone's retries) starts.
    args: [
      "lsjson",
      "--low-level-retries",
      "2",
      "--retries",
      "1",
      ...flags,
      "--",
      operandOf(end),
    ],
    signal: ctx.signal,
  });
  if (!result.failed) return JSON.parse(result.stdout) as unknown[];
  if (NOT_FOUND_CODES.has(result.exitCode ?? -1)) return "missing";
  const detail = errorLines(result.stderr).slice(-3).join("\n");
  const status =
    result.signal === null
      ? `exit ${result.exitCode}`
      : `killed by ${result.signal}`;
  const next =
    end.kind === "bucket"
      ? `check access with train storage test ${end.remote.storage.name}`
      : "check that the path is readable";
  throw new TransferError(
    `Failed to list ${endDisplay(end)} with rclone (${status}): ${detail}\nTry: ${next}, then rerun.`,
  );
}

/** Returns the name of the end's last path component. */
export function endBaseName(end: RcloneEnd): string {
  return posix.basename(endPath(end).replace(/\/+$/, ""));
}
