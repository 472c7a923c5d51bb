// Transfers with a bucket on at least one side, all through rclone. rclone
// runs on this machine, or on the host when a host is the other side and
// has rclone. A host without rclone (or a remote defined only in this
// machine's rclone config) gets its data relayed through local staging.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import type { SecretsProvider } from "../secrets/provider.ts";
import type { RcloneRemote } from "../storage/rclone-remote.ts";
import {
  endDisplay,
  endPath,
  inspectEnd,
  isDirectoryEnd,
  listFiles,
  withPath,
  type EndState,
  type ListContext,
  type RcloneEnd,
} from "./bucket-end.ts";
import { excludedEverything, rejectExcludeOnFile } from "./exclude-file.ts";
import { rejectNesting } from "./overlap.ts";
import {
  deleteLimitLine,
  deletionLine,
  overDeleteLimit,
  relayDeleteLimitLine,
} from "./delete-limit.ts";
import { describeEndpoint, type Endpoint } from "./endpoint.ts";
import { landingPath, landingRoot } from "./landing.ts";
import {
  baseName,
  copiesContents,
  locate,
  sideLabel,
  trimSlashes,
  type Side,
} from "./location.ts";
import { quoteCommand } from "../remote/quote.ts";
import { copyCommands, runRcloneCopy, type RcloneCopy } from "./rclone-copy.ts";
import { probeRclone } from "./rclone-probe.ts";
import {
  isBucketEndpoint,
  remotesFor,
  type BucketEndpoint,
} from "./storage-endpoint.ts";
import type { TransferOptions, TransferResult } from "./transfer.ts";
import { TransferError } from "./transfer-error.ts";

type Copier = (
  source: Endpoint,
  destination: Endpoint,
  opts: TransferOptions,
) => Promise<TransferResult>;

/** Copies between two endpoints of which at least one is a bucket. */
export async function transferWithBucket(
  source: Endpoint,
  destination: Endpoint,
  opts: TransferOptions & { secrets: SecretsProvider },
  copier: Copier,
): Promise<TransferResult> {
  const buckets = [source, destination].filter(isBucketEndpoint);
  const remotes = remotesFor(buckets, opts.secrets);
  const ends = [source, destination].map((endpoint) =>
    toEnd(endpoint, buckets, remotes),
  );
  const [from, to] = ends as [RcloneEnd, RcloneEnd];
  rejectSamePath(from, to);

  const runner = await chooseRunner(ends, remotes);
  if (runner === "relay")
    return relayThroughLocal(source, destination, opts, copier);
  const ctx: ListContext = {
    runner,
    remotes,
    exclude: opts.exclude ?? [],
    signal: opts.signal,
  };
  const state = await inspectSource(from, ctx, opts);
  rejectExcludeOnFile(endDisplay(from), state.kind, opts.exclude);
  if (state.kind === "dir") rejectBucketNesting(from, to, opts.delete === true);
  const target = await landingTarget(from, state, to, ctx);
  const copy: RcloneCopy = {
    runner,
    remotes,
    source: from,
    sourceState: state,
    target,
    delete: opts.delete === true,
    maxDelete: opts.maxDelete,
    exclude: opts.exclude ?? [],
    signal: opts.signal,
    onProgress: opts.onProgress,
    bwlimitKBps: opts.bwlimitKBps,
  };
  const plan = planLines(copy, to, runner);
  if (opts.dryRun === true) {
    plan.push(...(await dryRunLines(copy, ctx)));
    return {
      ok: true,
      message: "Dry run: nothing was copied or deleted.",
      tool: "none",
      plan,
    };
  }
  if (copy.delete && copy.maxDelete !== undefined) {
    const { deletions } = await pendingChanges(copy, ctx);
    const rejected = overDeleteLimit(
      deletions,
      copy.maxDelete,
      describeEndpoint(destination),
    );
    if (rejected !== undefined)
      return { ok: false, message: rejected, tool: "rclone", plan };
  }
  const outcome = await runRcloneCopy(copy);
  return { ...outcome, tool: "rclone", plan };
}

function toEnd(
  endpoint: Endpoint,
  buckets: BucketEndpoint[],
  remotes: RcloneRemote[],
): RcloneEnd {
  if (endpoint.kind !== "storage")
    return { kind: "fs", location: locate(endpoint) };
  const remote = remotes[
    buckets.indexOf(endpoint as BucketEndpoint)
  ] as RcloneRemote;
  rejectBucketlessRoot(endpoint, remote);
  return {
    kind: "bucket",
    remote,
    // The root of a bucket is a directory; "" would read as a file name.
    path: endpoint.path === "" ? "/" : endpoint.path,
    display: describeEndpoint(endpoint),
  };
}

// A storage without a bucket takes the bucket from the path's first
// component, so its root names no bucket at all.
function rejectBucketlessRoot(endpoint: Endpoint, remote: RcloneRemote): void {
  const storage = remote.storage;
  if (storage.type === "gdrive") return;
  if (storage.bucket !== undefined && storage.bucket !== "") return;
  if (endpoint.path.replace(/^\/+|\/+$/g, "") !== "") return;
  throw new TransferError(
    `Cannot use ${describeEndpoint(endpoint)}: storage "${storage.name}" has no bucket, so the first component of the path names the bucket, and this path has none.\nTry: @${storage.name}:BUCKET/path, or set a bucket with train storage add ${storage.name} --force ... --bucket BUCKET.`,
  );
}

function rejectSamePath(from: RcloneEnd, to: RcloneEnd): void {
  if (!sameBucket(from, to)) return;
  if (bucketKey(endPath(from)) !== bucketKey(endPath(to))) return;
  throw new TransferError(
    `Cannot transfer ${endDisplay(from)} to ${endDisplay(to)}: both name the same path in the same bucket.\nTry: choose a different destination.`,
  );
}

function sameBucket(from: RcloneEnd, to: RcloneEnd): boolean {
  if (from.kind !== "bucket" || to.kind !== "bucket") return false;
  if (from.remote.name !== to.remote.name) return false;
  return (
    from.remote.storage === to.remote.storage ||
    JSON.stringify(from.remote.storage) === JSON.stringify(to.remote.storage)
  );
}

// A path in a bucket without leading or trailing slashes; "" is the root.
function bucketKey(path: string): string {
  return posix
    .normalize(trimSlashes(path.replace(/^\/+/, "")) || ".")
    .replace(/^\.$/, "");
}

// The checks of overlap.ts for two paths in one bucket.
function rejectBucketNesting(
  from: RcloneEnd,
  to: RcloneEnd,
  deleting: boolean,
): void {
  if (!sameBucket(from, to)) return;
  const landing = landingRoot({
    source: endPath(from) || ".",
    sourceKind: "dir",
    destination: endPath(to) || ".",
  });
  rejectNesting(bucketKey(endPath(from)), bucketKey(landing), deleting, {
    source: endDisplay(from),
    destination: endDisplay(to),
    where: "in the same bucket",
  });
}

async function chooseRunner(
  ends: RcloneEnd[],
  remotes: RcloneRemote[],
): Promise<Side | "relay"> {
  const hostEnd = ends.find(
    (end) => end.kind === "fs" && end.location.side.kind === "ssh",
  );
  if (hostEnd !== undefined && hostEnd.kind === "fs") {
    const side = hostEnd.location.side;
    const portable = remotes.every((remote) => remote.portable);
    if (portable && (await probeRclone(side)).available) return side;
    return "relay";
  }
  if (!(await probeRclone({ kind: "local" })).available) {
    throw new TransferError(
      "Cannot copy to or from a bucket: rclone is not installed on this machine.\nTry: install rclone (apt-get install rclone, brew install rclone, or https://rclone.org/install/), then rerun.",
    );
  }
  return { kind: "local" };
}

async function inspectSource(
  from: RcloneEnd,
  ctx: ListContext,
  opts: TransferOptions,
): Promise<Exclude<EndState, { kind: "missing" }>> {
  const state = await inspectEnd(from, ctx);
  const where =
    from.kind === "bucket"
      ? ""
      : ` on ${sideLabel(from.kind === "fs" ? from.location.side : { kind: "local" })}`;
  if (state.kind === "missing") {
    throw new TransferError(
      `Source ${endDisplay(from)} not found${where}; nothing was copied or deleted.\nTry: check the path (a typo, or a job that has not written it yet), then rerun.`,
    );
  }
  if (state.kind === "dir" && state.files.size === 0) {
    if (opts.delete === true) {
      // The listing already leaves out excluded files.
      const exclude = opts.exclude ?? [];
      const reason =
        exclude.length > 0
          ? `${excludedEverything(exclude)}, or does not exist`
          : "is empty or does not exist (it contains no files)";
      throw new TransferError(
        `Rejected --delete: the source ${endDisplay(from)} ${reason}, so every file at the destination would be deleted. Nothing was copied or deleted.\nTry: check that the source path is right and the job has written its files, or run the transfer without --delete.`,
      );
    }
    if (from.kind === "bucket") {
      throw new TransferError(
        `Source ${endDisplay(from)} has no files (a bucket path that does not exist lists as empty); nothing was copied.\nTry: check the path with train storage test ${from.remote.storage.name}, then rerun.`,
      );
    }
  }
  return state;
}

async function landingTarget(
  from: RcloneEnd,
  state: EndState,
  to: RcloneEnd,
  ctx: ListContext,
): Promise<RcloneEnd> {
  const kind = state.kind === "file" ? "file" : "dir";
  const destination = endPath(to);
  const needsDirCheck = kind === "file" && !destination.endsWith("/");
  const root = landingRoot({
    source: endPath(from),
    sourceKind: kind,
    destination,
    destinationIsDir: needsDirCheck ? await isDirectoryEnd(to, ctx) : undefined,
  });
  return withPath(to, root);
}

function planLines(copy: RcloneCopy, to: RcloneEnd, runner: Side): string[] {
  const kind = copy.sourceState.kind === "file" ? "file" : "directory";
  const where =
    runner.kind === "local" ? "on this machine" : `on ${sideLabel(runner)}`;
  return [
    `tool: rclone (${where})`,
    `source: ${endDisplay(copy.source)} (${kind})`,
    `destination: ${endDisplay(to)}`,
    `sample: ${sampleLine(copy, to)}`,
    ...copyCommands(copy).map(
      (args) => `command: ${quoteCommand(["rclone", ...args])}`,
    ),
  ];
}

function sampleLine(copy: RcloneCopy, to: RcloneEnd): string {
  const state = copy.sourceState;
  if (state.kind === "file")
    return `${endDisplay(copy.source)} -> ${displayAt(to, endPath(copy.target))}`;
  const sample = [...state.files.keys()][0];
  if (sample === undefined)
    return `(${endDisplay(copy.source)} contains no files)`;
  const landed = landingPath({
    source: endPath(copy.source),
    sourceKind: "dir",
    destination: endPath(to),
    sample,
  });
  const from = endDisplay(copy.source).replace(/\/?$/, "/");
  return `${from}${sample} -> ${displayAt(to, landed)}`;
}

function displayAt(end: RcloneEnd, path: string): string {
  if (end.kind === "bucket")
    return `@${end.display.slice(1).split(":")[0]}:${path}`;
  const side = end.location.side;
  return side.kind === "local" ? path : `@${side.host.label}:${path}`;
}

interface PendingChanges {
  /** Source files whose size differs at the destination, or that are missing there. */
  changed: [string, number][];
  /** Destination files that --delete would remove. */
  deletions: string[];
}

// The counts compare names and sizes, as the verification does; rclone may
// also copy a file whose modification time alone differs.
async function pendingChanges(
  copy: RcloneCopy,
  ctx: ListContext,
): Promise<PendingChanges> {
  const state = copy.sourceState;
  const source =
    state.kind === "file" ? new Map([["", state.size]]) : state.files;
  const landed =
    state.kind === "file"
      ? await fileAt(copy.target, ctx)
      : await listFiles(copy.target, ctx);
  const changed = [...source].filter(
    ([path, size]) => landed.get(path) !== size,
  );
  const deletions =
    copy.delete && state.kind !== "file"
      ? [...landed.keys()].filter((path) => !source.has(path))
      : [];
  return { changed, deletions };
}

async function dryRunLines(
  copy: RcloneCopy,
  ctx: ListContext,
): Promise<string[]> {
  const { changed, deletions } = await pendingChanges(copy, ctx);
  const bytes = changed.reduce((sum, [, size]) => sum + size, 0);
  const lines = [
    `would copy: ${changed.length} ${changed.length === 1 ? "file" : "files"}, ${bytes} bytes`,
  ];
  lines.push(deletionLine(deletions));
  const limit = deleteLimitLine(deletions.length, copy.maxDelete);
  if (copy.delete && limit !== undefined) lines.push(limit);
  return lines;
}

async function fileAt(
  end: RcloneEnd,
  ctx: ListContext,
): Promise<Map<string, number>> {
  const state = await inspectEnd(end, ctx);
  return state.kind === "file" ? new Map([["", state.size]]) : new Map();
}

/**
 * Host to bucket or bucket to host without rclone on the host: copy into
 * fresh local staging with the same slash rule, then from staging to the
 * destination. Staging is removed afterwards, even on failure.
 */
async function relayThroughLocal(
  source: Endpoint,
  destination: Endpoint,
  opts: TransferOptions,
  copier: Copier,
): Promise<TransferResult> {
  // rclone stages a download beside its destination, so the staging
  // directory sits inside a directory of its own that is removed whole.
  const root = await mkdtemp(join(tmpdir(), "trainsh-relay-"));
  const staging = join(root, "data");
  try {
    await mkdir(staging);
    // With --delete, a dry run of the download applies the empty-source
    // check to the real source before anything is staged, for dry runs too.
    if (opts.delete === true)
      await withDestinationNamed(staging, destination, () =>
        copier(
          source,
          { kind: "local", path: `${staging}/` },
          { ...opts, dryRun: true },
        ),
      );
    const down = await copier(
      source,
      { kind: "local", path: `${staging}/` },
      { ...opts, delete: false },
    );
    if (opts.dryRun === true) {
      // The download's own plan deletes nothing, because staging starts empty.
      const downLines = down.plan.filter(
        (line) => !line.startsWith("would delete:"),
      );
      const deleteLines =
        opts.delete === true
          ? [
              `would delete at ${describeEndpoint(destination)}: known only after the download (files there that the source lacks)`,
              relayDeleteLimitLine(opts.maxDelete),
            ]
          : [];
      return {
        ...down,
        plan: [
          `relay: through local staging ${staging}/, then to ${describeEndpoint(destination)}`,
          ...downLines.map((line) => `  ${line}`),
          ...deleteLines.filter((line) => line !== undefined),
        ],
      };
    }
    if (!down.ok)
      return {
        ...down,
        message: `Copy to local staging failed: ${down.message}`,
      };
    const path = copiesContents(source.path)
      ? `${staging}/`
      : join(staging, baseName(source.path) || ".");
    const up = await copier({ kind: "local", path }, destination, opts);
    const tool = "rclone-relay" as const;
    if (!up.ok)
      return {
        ...up,
        tool,
        message: `Copy from local staging failed: ${up.message}`,
      };
    return {
      ...up,
      tool,
      message: `Relayed through this machine.\n${down.message}\n${up.message}`,
      plan: [...down.plan, ...up.plan],
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// A rejection of the staged download names the staging directory, which
// the real deletions would not touch; the message names the destination.
async function withDestinationNamed<T>(
  staging: string,
  destination: Endpoint,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof TransferError)) throw error;
    const named = error.message
      .split(`${staging}/`)
      .join(describeEndpoint(destination));
    throw new TransferError(named);
  }
}
