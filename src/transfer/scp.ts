// The fallback route when rsync is missing on one side: scp into a hidden
// staging directory next to the landing place, then a move into place.
// scp writes straight to the final name, so without the staging directory
// an interrupted copy would leave a truncated file that looks complete.
import { posix } from "node:path";
import type { ProcessResult } from "../remote/process.ts";
import {
  classifySshFailure,
  describeSshFailure,
  sshBaseOptions,
} from "../remote/ssh.ts";
import { landingRoot, type SourceKind } from "./landing.ts";
import {
  baseName,
  copiesContents,
  sideLabel,
  trimSlashes,
  type Location,
  type Side,
} from "./location.ts";
import { isDirectory } from "./probe.ts";
import { bracketIpv6 } from "./rsync.ts";
import { runTool } from "./run-tool.ts";
import { scpOptionsFromSsh } from "./scp-options.ts";
import { runScript, runScriptOrThrow } from "./shell.ts";

export interface ScpJob {
  source: Location;
  destination: Location;
  sourceKind: SourceKind;
  signal?: AbortSignal;
}

export interface ScpOutcome {
  ok: boolean;
  message: string;
  /** The path the source itself landed at: the destination, or a path inside it. */
  landed: Location;
  exitCode?: number;
}

// Creates the landing directory and a staging directory inside it, on the
// same file system, so the final move is a rename.
const MAKE_STAGING = 'mkdir -p -- "$1" && mktemp -d "$1/.trainsh-scp-XXXXXX"';

// Moves everything from staging ($1) into the landing directory ($2),
// merging with directories that exist there, then removes staging.
const MERGE_STAGING = [
  'cd "$1" || exit 1',
  `find . -mindepth 1 -type d -exec sh -c 'for x do mkdir -p "$0/$x" || exit 1; done' "$2" {} + &&`,
  `find . ! -type d -exec sh -c 'for x do mv -f "$x" "$0/$x" || exit 1; done' "$2" {} + &&`,
  'cd / && rm -rf "$1"',
].join("\n");

const LIST_ENTRIES = 'find "$1" -mindepth 1 -maxdepth 1 -print0';

/**
 * Copies with scp, following the same trailing-slash rule as rsync.
 * NOTE: scp -r follows symlinks, so a link arrives as a copy of its
 * target, where rsync -l would copy the link itself.
 */
export async function copyWithScp(job: ScpJob): Promise<ScpOutcome> {
  const { source, destination } = job;
  const root = await landingRootOf(job);
  const contents = job.sourceKind === "dir" && copiesContents(source.path);
  const landingDir = contents ? root : posix.dirname(root);
  const landed = {
    ...destination,
    path: root,
    display: describeAt(destination, root),
  };

  const stagingOutput = await runScriptOrThrow(
    destination.side,
    MAKE_STAGING,
    [landingDir],
    `create ${landingDir}`,
  );
  const staging = stagingOutput.trim();
  const target = contents ? `${staging}/` : `${staging}/${baseName(root)}`;
  const result = await copyIntoStaging(job, contents, target).catch(
    async (error: unknown) => {
      await removeStaging(destination.side, staging);
      throw error;
    },
  );
  if (result !== undefined && result.failed) {
    await removeStaging(destination.side, staging);
    return {
      ok: false,
      message: describeScpFailure(job, result),
      landed,
      exitCode: result.exitCode ?? undefined,
    };
  }
  await runScriptOrThrow(
    destination.side,
    MERGE_STAGING,
    [staging, landingDir],
    `move the copied files into ${landingDir}`,
  );
  return { ok: true, message: "", landed, exitCode: 0 };
}

// Returns undefined when a contents copy finds nothing to copy.
async function copyIntoStaging(
  job: ScpJob,
  contents: boolean,
  target: string,
): Promise<ProcessResult | undefined> {
  const sources = contents
    ? await listEntries(job.source)
    : [trimSlashes(job.source.path)];
  if (sources.length === 0) return undefined;
  return runScp(job, sources, target);
}

async function removeStaging(side: Side, staging: string): Promise<void> {
  await runScript(side, 'rm -rf "$1"', [staging]);
}

async function landingRootOf(job: ScpJob): Promise<string> {
  const needsDirCheck =
    job.sourceKind === "file" && !job.destination.path.endsWith("/");
  return landingRoot({
    source: job.source.path,
    sourceKind: job.sourceKind,
    destination: job.destination.path,
    destinationIsDir: needsDirCheck
      ? await isDirectory(job.destination)
      : undefined,
  });
}

async function listEntries(source: Location): Promise<string[]> {
  const output = await runScriptOrThrow(
    source.side,
    LIST_ENTRIES,
    [source.path],
    `list ${source.display}`,
  );
  return output.split("\0").filter((entry) => entry !== "");
}

function runScp(
  job: ScpJob,
  sources: string[],
  target: string,
): Promise<ProcessResult> {
  const host =
    job.source.side.kind === "ssh"
      ? job.source.side.host
      : remoteOf(job.destination.side);
  const argv = [
    "scp",
    "-r",
    "-p",
    ...scpOptionsFromSsh([...sshBaseOptions(host), ...host.sshOptions]),
    ...sources.map((path) => scpOperand(job.source.side, path, true)),
    scpOperand(job.destination.side, target, false),
  ];
  return runTool(argv, { host: host.label, signal: job.signal });
}

function remoteOf(side: Side) {
  if (side.kind === "local")
    throw new Error("scp needs one remote side, but both sides are local");
  return side.host;
}

/**
 * Formats an scp operand. OpenSSH 9 scp uses the SFTP protocol, which
 * takes remote paths literally except for glob patterns in sources, so
 * `\`, `*`, `?`, `[` and `]` are backslash-escaped there.
 */
function scpOperand(side: Side, path: string, isSource: boolean): string {
  if (side.kind === "local") return path;
  // NOTE: OpenSSH before 9.0 (or scp -O) runs remote paths through the
  // remote shell instead, where names with spaces would need shell quoting.
  const escaped = isSource ? path.replace(/[\\*?[\]]/g, "\\$&") : path;
  return `${bracketIpv6(side.host.destination)}:${escaped}`;
}

function describeAt(location: Location, path: string): string {
  if (location.side.kind === "local") return path;
  return `@${location.side.host.label}:${path}`;
}

function describeScpFailure(job: ScpJob, result: ProcessResult): string {
  const route = `${job.source.display} to ${job.destination.display}`;
  if (result.signal !== null || job.signal?.aborted === true) {
    return `The scp transfer of ${route} was interrupted; nothing was moved into place.\nTry: rerun the transfer (scp cannot resume, so it starts over).`;
  }
  const remote =
    job.source.side.kind === "ssh" ? job.source.side : job.destination.side;
  if (remote.kind === "ssh") {
    // scp exits 1 or 255 when ssh fails, so only ssh's own messages count.
    const kind = classifySshFailure({ ...result, exitCode: 255 });
    if (kind !== "remote")
      return `The scp transfer of ${route} failed. ${describeSshFailure(kind, remote.host.label, result)}`;
  }
  const detail = result.stderr.trim().split("\n").slice(-5).join("\n");
  return `scp failed with exit code ${result.exitCode ?? "none"} copying ${route} (via ${sideLabel(remote)}):\n${detail}\nTry: fix the cause above, then rerun; nothing was moved into place.`;
}
