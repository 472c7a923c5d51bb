// Pre-flight facts about each side: whether rsync is there (asked once
// per host and cached), and what the source is.
import { commandExists, runProcess } from "../remote/process.ts";
import { ensureMaster, SshError } from "../remote/ssh.ts";
import { sideKey, sideLabel, type Location, type Side } from "./location.ts";
import { runScriptOrThrow } from "./shell.ts";
import { TransferError } from "./transfer-error.ts";

export interface RsyncSupport {
  available: boolean;
  /** [major, minor, patch] from `rsync --version`; [0, 0, 0] when unknown. */
  version: [number, number, number];
  /** Set when the host was not asked: rsync is expected there, version unknown. */
  assumed?: true;
}

const rsyncCache = new Map<string, Promise<RsyncSupport>>();

/** Reports whether rsync runs on the side, asking each host once per process. */
export function probeRsync(side: Side): Promise<RsyncSupport> {
  const key = sideKey(side);
  const cached = rsyncCache.get(key);
  if (cached !== undefined) return cached;
  const probe =
    side.kind === "local" ? probeLocalRsync() : probeRemoteRsync(side);
  rsyncCache.set(key, probe);
  // A failed probe (host unreachable) is asked again next time.
  probe.catch(() => rsyncCache.delete(key));
  return probe;
}

/**
 * Connects to the host and expects rsync there without asking, which saves
 * one remote command. A cached probe result is used when there is one. The
 * caller falls back to scp when the copy shows that rsync is missing.
 */
export async function assumeRsync(
  side: Extract<Side, { kind: "ssh" }>,
): Promise<RsyncSupport> {
  const cached = rsyncCache.get(sideKey(side));
  if (cached !== undefined) return cached;
  await connect(side);
  return { available: true, version: [0, 0, 0], assumed: true };
}

/** Records that rsync is missing on the side, as a copy attempt showed. */
export function recordRsyncMissing(side: Side): void {
  rsyncCache.set(
    sideKey(side),
    Promise.resolve({ available: false, version: [0, 0, 0] }),
  );
}

/** Forgets cached rsync probes; for tests that change a host's tools. */
export function clearRsyncProbes(): void {
  rsyncCache.clear();
}

async function probeLocalRsync(): Promise<RsyncSupport> {
  if (!(await commandExists("rsync")))
    return { available: false, version: [0, 0, 0] };
  const result = await runProcess(["rsync", "--version"], {
    timeoutMs: 10_000,
  });
  return {
    available: !result.failed,
    version: parseRsyncVersion(result.stdout),
  };
}

// `command -v` runs in the same non-interactive shell that later starts
// `rsync --server`, so both see the same PATH.
const REMOTE_RSYNC_PROBE =
  "command -v rsync >/dev/null 2>&1 || { echo missing; exit 0; }; rsync --version 2>&1 | head -n 1";

async function connect(side: Extract<Side, { kind: "ssh" }>): Promise<void> {
  try {
    await ensureMaster(side.host);
  } catch (error) {
    if (error instanceof SshError) {
      throw new TransferError(
        `Failed to connect for the transfer: ${error.message}`,
      );
    }
    throw error;
  }
}

async function probeRemoteRsync(
  side: Extract<Side, { kind: "ssh" }>,
): Promise<RsyncSupport> {
  await connect(side);
  const output = await runScriptOrThrow(
    side,
    REMOTE_RSYNC_PROBE,
    [],
    "look for rsync",
  );
  if (output.trim() === "missing")
    return { available: false, version: [0, 0, 0] };
  return { available: true, version: parseRsyncVersion(output) };
}

/** Parses "rsync  version 3.2.7  protocol version 31" (or openrsync's "rsync version 2.6.9 compatible"). */
export function parseRsyncVersion(text: string): [number, number, number] {
  const match = /version\s+v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (match === null) return [0, 0, 0];
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Reports whether `version` is at least `minimum`. */
export function versionAtLeast(
  version: [number, number, number],
  minimum: [number, number, number],
): boolean {
  for (let i = 0; i < 3; i++) {
    const have = version[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

export type SourceState =
  | { kind: "missing" }
  | { kind: "file" }
  /** `sample` is the first non-directory entry found, relative to the directory; absent when it has none. */
  | { kind: "dir"; sample?: string };

// Prints "missing", "file", or "dir" and then the first entry that is not
// a directory, so a tree of empty directories counts as empty.
const SOURCE_PROBE = [
  "p=$1",
  'if [ -d "$p" ]; then',
  '  printf "dir\\n"',
  '  find "$p" -mindepth 1 ! -type d 2>/dev/null | head -n 1',
  'elif [ -e "$p" ] || [ -L "$p" ]; then printf "file\\n"',
  'else printf "missing\\n"; fi',
].join("\n");

/** Finds out whether the source exists, is a file or a directory, and whether that has any files. */
export async function inspectSource(source: Location): Promise<SourceState> {
  const output = await runScriptOrThrow(
    source.side,
    SOURCE_PROBE,
    [source.path],
    `check the source ${source.display}`,
  );
  const [kind, first] = output.split("\n");
  if (kind === "missing") return { kind: "missing" };
  if (kind === "file") return { kind: "file" };
  if (kind !== "dir") {
    throw new TransferError(
      `Failed to check the source ${source.display} on ${sideLabel(source.side)}: unexpected output "${output.trim()}".\nTry: check that the host runs a POSIX shell, then rerun.`,
    );
  }
  if (first === undefined || first === "") return { kind: "dir" };
  return { kind: "dir", sample: relativeTo(source.path, first) };
}

function relativeTo(dir: string, path: string): string {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** Reports whether the location is an existing directory. */
export async function isDirectory(location: Location): Promise<boolean> {
  const output = await runScriptOrThrow(
    location.side,
    'if [ -d "$1" ]; then echo yes; else echo no; fi',
    [location.path],
    `check the destination ${location.display}`,
  );
  return output.trim() === "yes";
}
