// Choosing the route for a pair of endpoints and rejecting unsafe
// transfers before anything is copied or deleted.
import type { Endpoint } from "./endpoint.ts";
import { probeHop, type HopTarget } from "./hop.ts";
import { landingPath } from "./landing.ts";
import {
  baseName,
  copiesContents,
  locate,
  sameSide,
  sideLabel,
  trimSlashes,
  type Location,
  type Side,
} from "./location.ts";
import {
  assumeRsync,
  inspectSource,
  probeRsync,
  versionAtLeast,
  type RsyncSupport,
} from "./probe.ts";
import { excludedEverything, rejectExcludeOnFile } from "./exclude-file.ts";
import { rejectOverlap } from "./overlap.ts";
import { runScript } from "./shell.ts";
import { TransferError } from "./transfer-error.ts";

export interface PlanOptions {
  delete?: boolean;
  /** With `delete`: the most destination entries the transfer may delete. */
  maxDelete?: number;
  exclude?: string[];
  /**
   * Do not ask the remote side of a one-leg route for rsync. The leg is
   * then marked `assumed`, and its runner reports when rsync was missing.
   */
  assumeRemoteRsync?: boolean;
}

export type LegTool = "rsync" | "scp";

/** The tool and rsync flags for one copy between a local path and a local or remote path. */
export interface Leg {
  tool: LegTool;
  /** rsync flags that depend on the installed versions. */
  mkpath: boolean;
  progress: boolean;
  /**
   * Who decides on comparing times to the nanosecond (`--modify-window=-1`).
   * That needs rsync 3.1.3 or newer on the receiver and a destination file
   * system that keeps fractions. "local-check": this machine receives with
   * a new enough rsync and checks its file system. "receiver-decides": a
   * host receives and its script checks both. false: whole seconds.
   */
  nanoseconds: false | "local-check" | "receiver-decides";
  /** The remote end whose rsync was expected without asking; see assumeRsync. */
  assumed?: "sender" | "receiver";
}

export type SourceInfo = { kind: "file" } | { kind: "dir"; sample?: string };

export type Route =
  | { kind: "direct"; leg: Leg }
  | { kind: "hop"; leg: Leg; target: HopTarget }
  | { kind: "relay"; download: Leg; upload: Leg; reason: string };

export interface TransferPlan {
  source: Location;
  destination: Location;
  sourceInfo: SourceInfo;
  /**
   * One leg from this machine; for host to host either rsync on the source
   * host pushing to the destination ("hop"), or two legs through local
   * staging ("relay") with the reason why the hop was not taken.
   */
  route: Route;
  /** One file of the source and its landing path, e.g. "@gpu:/data/a.txt -> ./out/a.txt". */
  sample: string;
}

const MKPATH_VERSION: [number, number, number] = [3, 2, 3];
const PROGRESS2_VERSION: [number, number, number] = [3, 1, 0];
// rsync 3.1.3 added nanosecond comparison with a negative --modify-window.
const NANOSECOND_VERSION: [number, number, number] = [3, 1, 3];

/**
 * Resolves both endpoints, inspects the source and picks the tools. Throws
 * TransferError for storage endpoints, the same path on both sides, a
 * missing source, and `--delete` from an empty directory.
 */
export async function planTransfer(
  sourceEndpoint: Endpoint,
  destinationEndpoint: Endpoint,
  opts: PlanOptions = {},
): Promise<TransferPlan> {
  const source = locate(sourceEndpoint);
  const destination = locate(destinationEndpoint);
  rejectSamePath(source, destination);

  const assume =
    opts.assumeRemoteRsync === true &&
    (source.side.kind === "local" || destination.side.kind === "local");
  const support = (side: Side): Promise<RsyncSupport> =>
    assume && side.kind === "ssh" ? assumeRsync(side) : probeRsync(side);
  const [local, atSource, atDestination] = await Promise.all([
    probeRsync({ kind: "local" }),
    support(source.side),
    support(destination.side),
  ]);
  const sourceInfo = await inspectExisting(source);
  rejectExcludeOnFile(source.display, sourceInfo.kind, opts.exclude);
  if (sourceInfo.kind === "dir")
    await rejectOverlap(source, destination, opts.delete === true, () =>
      loginDirectory(source.side),
    );
  if (opts.delete === true)
    await rejectEmptySource(source, destination, sourceInfo, opts.exclude);

  const route =
    source.side.kind === "ssh" && destination.side.kind === "ssh"
      ? await hostToHostRoute(
          source.side,
          destination.side,
          local,
          atSource,
          atDestination,
        )
      : {
          kind: "direct" as const,
          leg: chooseLeg(
            local,
            atSource,
            atDestination,
            destination.side.kind === "local",
          ),
        };
  rejectLocalWithoutRsync(source, destination, local);
  rejectScpOptions(route, source, destination, opts);
  return {
    source,
    destination,
    sourceInfo,
    route,
    sample: describeSample(source, destination, sourceInfo),
  };
}

function rejectSamePath(source: Location, destination: Location): void {
  if (!sameSide(source.side, destination.side)) return;
  if (trimSlashes(source.path) !== trimSlashes(destination.path)) return;
  throw new TransferError(
    `Cannot transfer ${source.display} to ${destination.display}: both name the same path on ${sideLabel(source.side)}.\nTry: choose a different destination.`,
  );
}

async function inspectExisting(source: Location): Promise<SourceInfo> {
  const state = await inspectSource(source);
  if (state.kind !== "missing") return state;
  throw new TransferError(
    `Source ${source.display} not found on ${sideLabel(source.side)}; nothing was copied or deleted.\nTry: check the path (a typo, or a job that has not written it yet), then rerun.`,
  );
}

async function loginDirectory(side: Side): Promise<string | undefined> {
  const result = await runScript(side, "pwd", []);
  const dir = result.stdout.trim();
  return result.failed || !dir.startsWith("/") ? undefined : dir;
}

// With excludes, "empty" means that no file survives them, which rsync's own
// listing of the source decides.
async function rejectEmptySource(
  source: Location,
  destination: Location,
  info: SourceInfo,
  exclude: string[] = [],
): Promise<void> {
  if (info.kind !== "dir") return;
  if (info.sample !== undefined && exclude.length === 0) return;
  const excluded = info.sample !== undefined;
  if (excluded && (await includesFiles(source, exclude)) !== false) return;
  const landing = copiesContents(source.path)
    ? destination.display
    : `${destination.display.replace(/\/+$/, "")}/${baseName(source.path)}`;
  const reason = excluded
    ? excludedEverything(exclude)
    : "is an empty directory (it contains no files)";
  throw new TransferError(
    `Rejected --delete: the source ${source.display} ${reason}, so every file in ${landing} would be deleted. Nothing was copied or deleted.\nTry: check that the source path is right and the job has written its files, or run the transfer without --delete.`,
  );
}

// Prints 1 when rsync lists at least one entry other than a directory
// once the excludes apply, 0 when it lists none, and "failed" when rsync
// failed (a pipeline's status is its last command's, hence the marker).
const INCLUDES_FILES = [
  "dir=$1; shift",
  '{ rsync -r -l --list-only "$@" -- "$dir" || echo "@failed"; } |',
  "  awk '/^@failed/ { failed = 1 } /^[^d@]/ { found = 1 } END { print failed ? \"failed\" : found + 0 }'",
].join("\n");

/** Reports whether any file of the source survives the excludes; undefined when rsync could not tell. */
async function includesFiles(
  source: Location,
  exclude: string[],
): Promise<boolean | undefined> {
  const flags = exclude.map((pattern) => `--exclude=${pattern}`);
  const result = await runScript(source.side, INCLUDES_FILES, [
    source.path,
    ...flags,
  ]);
  const answer = result.stdout.trim();
  if (result.failed || answer === "failed") return undefined;
  return answer === "1";
}

// rsync needs to run on both ends of a leg, and the receiving end does
// the `--mkpath` work.
function chooseLeg(
  local: RsyncSupport,
  sender: RsyncSupport,
  receiver: RsyncSupport,
  receiverIsLocal: boolean,
): Leg {
  if (!local.available || !sender.available || !receiver.available) {
    return { tool: "scp", mkpath: false, progress: false, nanoseconds: false };
  }
  const leg: Leg = {
    tool: "rsync",
    mkpath:
      versionAtLeast(local.version, MKPATH_VERSION) &&
      versionAtLeast(receiver.version, MKPATH_VERSION),
    progress: versionAtLeast(local.version, PROGRESS2_VERSION),
    nanoseconds: receiverIsLocal ? localNanoseconds(local) : "receiver-decides",
  };
  if (receiver.assumed === true) leg.assumed = "receiver";
  else if (sender.assumed === true) leg.assumed = "sender";
  return leg;
}

function localNanoseconds(local: RsyncSupport): Leg["nanoseconds"] {
  return versionAtLeast(local.version, NANOSECOND_VERSION)
    ? "local-check"
    : false;
}

// The hop needs rsync on both hosts and a login from the source host to
// the destination, so a failed check costs one probe and then relays.
async function hostToHostRoute(
  sourceSide: Extract<Side, { kind: "ssh" }>,
  destinationSide: Extract<Side, { kind: "ssh" }>,
  local: RsyncSupport,
  atSource: RsyncSupport,
  atDestination: RsyncSupport,
): Promise<Route> {
  const relay = (reason: string): Route => ({
    kind: "relay",
    download: chooseLeg(local, atSource, local, true),
    upload: chooseLeg(local, local, atDestination, false),
    reason,
  });
  if (!atSource.available || !atDestination.available) {
    const missing = atSource.available ? destinationSide : sourceSide;
    return relay(`rsync is missing on ${sideLabel(missing)}`);
  }
  const hop = await probeHop(sourceSide, destinationSide.host);
  if (!hop.reachable) return relay(hop.reason);
  return {
    kind: "hop",
    target: hop.target,
    leg: {
      tool: "rsync",
      mkpath:
        versionAtLeast(atSource.version, MKPATH_VERSION) &&
        versionAtLeast(atDestination.version, MKPATH_VERSION),
      progress: versionAtLeast(atSource.version, PROGRESS2_VERSION),
      nanoseconds: "receiver-decides",
    },
  };
}

// The scp fallback needs a remote side, so a local copy needs rsync.
function rejectLocalWithoutRsync(
  source: Location,
  destination: Location,
  local: RsyncSupport,
): void {
  if (local.available) return;
  if (source.side.kind === "ssh" || destination.side.kind === "ssh") return;
  throw new TransferError(
    `Cannot copy ${source.display} to ${destination.display}: rsync is not installed on this machine.\nTry: install rsync (e.g. apt-get install rsync or brew install rsync), then rerun.`,
  );
}

// scp cannot delete or exclude, so those options need rsync on every leg.
function rejectScpOptions(
  route: Route,
  source: Location,
  destination: Location,
  opts: PlanOptions,
): void {
  const legs =
    route.kind === "relay" ? [route.download, route.upload] : [route.leg];
  if (legs.every((leg) => leg.tool === "rsync")) return;
  const option =
    opts.delete === true
      ? "--delete"
      : (opts.exclude ?? []).length > 0
        ? "--exclude"
        : undefined;
  if (option === undefined) return;
  throw new TransferError(
    `Cannot use ${option} for ${source.display} -> ${destination.display}: rsync is missing on ${missingSides(route, source, destination)}, and the scp fallback cannot ${option === "--delete" ? "delete files" : "exclude files"}.\nTry: install rsync there (e.g. apt-get install rsync), or run without ${option}.`,
  );
}

function missingSides(
  route: Route,
  source: Location,
  destination: Location,
): string {
  if (route.kind === "relay") {
    const names = [];
    if (route.download.tool === "scp") names.push(sideLabel(source.side));
    if (route.upload.tool === "scp") names.push(sideLabel(destination.side));
    return `${names.join(" or ")} (or locally)`;
  }
  const remote = source.side.kind === "ssh" ? source.side : destination.side;
  return remote.kind === "ssh"
    ? `${sideLabel(remote)} or locally`
    : "this machine";
}

function describeSample(
  source: Location,
  destination: Location,
  info: SourceInfo,
): string {
  const sample = info.kind === "dir" ? info.sample : undefined;
  if (info.kind === "dir" && sample === undefined)
    return `(${source.display} contains no files)`;
  const from =
    info.kind === "file"
      ? source.display
      : joinDisplay(source.display, sample ?? "");
  const to = landingPath({
    source: source.path,
    sourceKind: info.kind,
    destination: destination.path,
    sample,
  });
  const line = `${from} -> ${prefixFor(destination)}${to}`;
  // rsync puts a file inside an existing directory even without a slash.
  if (info.kind === "file" && !destination.path.endsWith("/")) {
    return `${line} (or inside ${destination.display}, if that is an existing directory)`;
  }
  return line;
}

function joinDisplay(dir: string, relative: string): string {
  return dir.endsWith("/") ? `${dir}${relative}` : `${dir}/${relative}`;
}

function prefixFor(location: Location): string {
  return location.side.kind === "ssh" ? `@${location.side.host.label}:` : "";
}
