// One rsync run between a local path and a local or remote path.
import type { ProcessResult } from "../remote/process.ts";
import { quote, quoteCommand } from "../remote/quote.ts";
import {
  classifySshFailure,
  describeSshFailure,
  sshArgv,
  sshCommandForRsync,
  type SshHost,
} from "../remote/ssh.ts";
import { deleteLimitReached } from "./delete-limit.ts";
import { hopSshArgv, type HopTarget } from "./hop.ts";
import type { Location } from "./location.ts";
import { parseProgressLine, type TransferProgress } from "./rsync-output.ts";
import { runTool } from "./run-tool.ts";

/**
 * Partly received files wait in this directory (inside each destination
 * directory) instead of under their final name, and a rerun resumes them.
 * rsync excludes it from transfers and from `--delete`.
 */
export const PARTIAL_DIR = ".rsync-partial";

export interface RsyncJob {
  source: Location;
  destination: Location;
  delete: boolean;
  /** With `delete`: passed as `--max-delete`, so rsync stops deleting there. */
  maxDelete?: number;
  exclude: string[];
  bwlimitKBps?: number;
  /** Pass `--mkpath`: local rsync and the receiving rsync are 3.2.3 or newer. */
  mkpath: boolean;
  /** Pass `--info=progress2`: the rsync that runs the job is 3.1.0 or newer. */
  progress: boolean;
  /**
   * true: pass `--modify-window=-1`; "receiver-decides": the remote
   * receiver's script decides; unset or false: whole seconds, rsync's default.
   */
  nanoseconds?: boolean | "receiver-decides";
  /**
   * Run rsync on the source's host, which pushes to the destination over
   * its own ssh. Both locations stay ssh locations for messages.
   */
  hop?: { runOn: SshHost; target: HopTarget };
  /**
   * A directory that the remote receiver creates right before its rsync
   * starts, in the same remote command, in place of `--mkpath`.
   */
  mkdirFirst?: string;
}

export type RsyncMode = "copy" | "dry-run";

/**
 * Builds the rsync argv. `-rlt` copies the tree, symlinks and times but not
 * owner, group or permission bits. Setting those fails with exit 23 on NFS
 * or FUSE mounts and rarely means anything on another machine. New files
 * still get the source's permissions masked by the receiver's umask. `-s` sends paths
 * through the rsync protocol instead of the remote shell, so spaces,
 * quotes and `$` stay literal and a destination is never globbed.
 */
export function rsyncArgv(job: RsyncJob, mode: RsyncMode): string[] {
  const argv = [
    "rsync",
    "-rlt",
    `--partial-dir=${PARTIAL_DIR}`,
    "--no-human-readable",
  ];
  if (job.mkpath) argv.push("--mkpath");
  // A sender older than 3.1.0 sends no nanoseconds, so the receiver compares
  // zeros with the zeros it stored and still skips unchanged files.
  if (job.nanoseconds === true) argv.push("--modify-window=-1");
  const rsyncPath = remoteRsyncPath(job);
  if (rsyncPath !== undefined) argv.push(`--rsync-path=${rsyncPath}`);
  const host = remoteHost(job);
  if (job.hop !== undefined)
    argv.push("-s", "-e", hopSshArgv(job.hop.target).join(" "));
  else if (host !== undefined) argv.push("-s", "-e", sshCommandForRsync(host));
  if (job.delete) argv.push("--delete");
  // A dry run lists every deletion, so the limit is checked against all.
  if (job.delete && job.maxDelete !== undefined && mode === "copy")
    argv.push(`--max-delete=${job.maxDelete}`);
  for (const pattern of job.exclude) argv.push(`--exclude=${pattern}`);
  if (job.bwlimitKBps !== undefined) argv.push(`--bwlimit=${job.bwlimitKBps}`);
  if (mode === "dry-run")
    argv.push("--dry-run", "--itemize-changes", "--stats");
  else argv.push(...(job.progress ? ["--info=progress2"] : []), "--stats");
  if (job.hop !== undefined) {
    const target = bracketIpv6(job.hop.target.destination);
    argv.push("--", job.source.path, `${target}:${job.destination.path}`);
    return argv;
  }
  argv.push(
    "--",
    rsyncOperand(job.source, true),
    rsyncOperand(job.destination, false),
  );
  return argv;
}

// The remote receiver's own script, run as `sh -c SCRIPT trainsh MKDIR
// PROBE` with the server arguments after them. It creates MKDIR when set
// (in place of --mkpath), then adds --modify-window=-1 only when the
// host's rsync is 3.1.3 or newer and a file created next to PROBE (its
// nearest existing directory) gets a time with a fraction. An older rsync
// reads a negative window as "every time differs", and a file system that
// keeps whole seconds (FAT, ext2 with small inodes, many FUSE mounts) would
// make every file differ, so neither gets the flag. Without `stat -c`
// (BusyBox, BSD) the fraction is unknown and the flag is left out.
// One line, so that the dry-run plan shows the command on one line.
const RECEIVER_SCRIPT = [
  "mk=$1; d=$2; shift 2;",
  'if [ -n "$mk" ]; then mkdir -p -- "$mk" || exit 1; fi;',
  'while [ ! -d "$d" ]; do case $d in */*) d=${d%/*}; d=${d:-/};; *) d=.;; esac; done;',
  'case $(rsync --version 2>/dev/null) in *"version 3.1."[3-9]*|*"version 3."[2-9]*|*"version 3."[1-9][0-9]*|*"version "[4-9]*)',
  'f="$d/.trainsh-mtime.$$";',
  'if : > "$f" 2>/dev/null; then t=$(stat -c %y "$f" 2>/dev/null); rm -f "$f";',
  'case $t in *.000000000*) ;; *.[0-9]*) exec rsync --modify-window=-1 "$@";; esac;',
  "fi;;",
  "esac;",
  'exec rsync "$@"',
].join(" ");

function remoteRsyncPath(job: RsyncJob): string | undefined {
  const mkdir = job.mkdirFirst;
  if (job.nanoseconds !== "receiver-decides") {
    return mkdir === undefined
      ? undefined
      : `mkdir -p -- ${quote(mkdir)} && rsync`;
  }
  return `sh -c ${quote(RECEIVER_SCRIPT)} trainsh ${quote(mkdir ?? "")} ${quote(job.destination.path)}`;
}

function remoteHost(job: RsyncJob) {
  if (job.source.side.kind === "ssh") return job.source.side.host;
  if (job.destination.side.kind === "ssh") return job.destination.side.host;
  return undefined;
}

/**
 * Formats one rsync operand. The remote rsync still expands `*`, `?` and
 * `[` in a source path even with `-s`, so they are backslash-escaped.
 */
export function rsyncOperand(location: Location, isSource: boolean): string {
  if (location.side.kind === "local") return location.path;
  const path = isSource
    ? location.path.replace(/[*?[]/g, "\\$&")
    : location.path;
  // NOTE: a remote source name that contains both a backslash and a
  // wildcard character is rejected by rsync ("unrequested file-list name").
  return `${bracketIpv6(location.side.host.destination)}:${path}`;
}

/** Wraps an IPv6 address in brackets, as rsync and scp need before `:path`. */
export function bracketIpv6(destination: string): string {
  const at = destination.lastIndexOf("@");
  const user = destination.slice(0, at + 1);
  const address = destination.slice(at + 1);
  if (!address.includes(":") || address.startsWith("[")) return destination;
  return `${user}[${address}]`;
}

export interface RsyncRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

/** Runs rsync for the job and returns the process result. */
export function runRsync(
  job: RsyncJob,
  mode: RsyncMode,
  opts: RsyncRunOptions = {},
): Promise<ProcessResult> {
  const host = remoteHost(job);
  const onProgress = opts.onProgress;
  const argv = rsyncArgv(job, mode);
  const hop = job.hop?.runOn;
  return runTool(hop === undefined ? argv : sshArgv(hop, quoteCommand(argv)), {
    host: host?.label ?? "local",
    signal: opts.signal,
    onLine:
      onProgress === undefined
        ? undefined
        : (line) => {
            const progress = parseProgressLine(line);
            if (progress !== undefined) onProgress(progress);
          },
  });
}

/**
 * Reports whether rsync failed because the remote shell found no rsync:
 * the shell exits 127 with "not found", which local rsync passes on as
 * exit 12 (protocol stream) or 127.
 */
export function showsRemoteRsyncMissing(result: ProcessResult): boolean {
  if (result.exitCode !== 12 && result.exitCode !== 127) return false;
  return /rsync: (?:command )?not found|rsync: No such file or directory/.test(
    result.stderr,
  );
}

export interface RsyncVerdict {
  ok: boolean;
  /** Set when rsync finished with a problem that leaves the data intact. */
  warning?: string;
  /** Set when the transfer failed: what happened and what to do next. */
  failure?: string;
}

// Exit codes from rsync(1): 10 socket I/O, 12 protocol data stream (the
// connection dropped), 30 data timeout, 35 daemon timeout, 255 ssh itself.
const CONNECTION_EXIT_CODES = new Set([10, 12, 30, 35, 255]);
// 25: "the --max-delete limit stopped deletions".
const DELETE_LIMIT_EXIT_CODE = 25;
// 20 is rsync's own "received SIGINT, SIGTERM or SIGHUP".
const SIGNAL_EXIT_CODE = 20;
const RESUME_HINT =
  "Files already copied are kept, and partly copied ones wait in .rsync-partial, so rerunning the same transfer resumes them.";

/** Turns rsync's exit status into success, a warning, or a failure message; `aborted` when the caller's signal fired. */
export function judgeRsyncResult(
  job: RsyncJob,
  result: ProcessResult,
  aborted = false,
): RsyncVerdict {
  const route = `${job.source.display} to ${job.destination.display}`;
  // An abort stops rsync's whole process group, so rsync may report the
  // lost ssh (exit 255) or a broken pipe instead of the signal.
  if (
    aborted ||
    result.signal !== null ||
    result.exitCode === SIGNAL_EXIT_CODE
  ) {
    return {
      ok: false,
      failure: `The transfer of ${route} was interrupted.\n${RESUME_HINT}`,
    };
  }
  const code = result.exitCode ?? -1;
  if (code === 0) return { ok: true };
  if (code === 24) {
    return {
      ok: true,
      warning:
        "some source files vanished while rsync ran (rsync exit 24): they were deleted or renamed during the transfer and were not copied",
    };
  }
  if (code === 23) return judgePartial(route, result);
  if (code === DELETE_LIMIT_EXIT_CODE) {
    return {
      ok: false,
      failure: deleteLimitReached(
        "rsync",
        route,
        job.maxDelete,
        tail(result.stderr),
      ),
    };
  }
  if (CONNECTION_EXIT_CODES.has(code))
    return judgeConnection(job, route, result);
  return {
    ok: false,
    failure: `rsync failed with exit code ${code} copying ${route}:\n${tail(result.stderr)}\nTry: fix the cause above, then rerun.`,
  };
}

// Failures to set attributes (times on a FUSE mount, ownership on NFS)
// leave the data itself intact, and the check after the copy covers it.
const ATTRIBUTE_ERROR =
  /^rsync: (?:\[[^\]]*\] )?(?:chown|chgrp|chmod|lchown|failed to set (?:times|permissions)|rsync_xal_set|set_acl)/;

function judgePartial(route: string, result: ProcessResult): RsyncVerdict {
  const errors = result.stderr
    .split("\n")
    .filter(
      (line) => line.startsWith("rsync: ") && !line.startsWith("rsync: error"),
    );
  if (errors.length > 0 && errors.every((line) => ATTRIBUTE_ERROR.test(line))) {
    return {
      ok: true,
      warning: `rsync could not set some file attributes (exit 23); the data was copied:\n${errors.slice(0, 5).join("\n")}`,
    };
  }
  const listed =
    errors.length > 0 ? errors.slice(0, 5).join("\n") : tail(result.stderr);
  return {
    ok: false,
    failure: `rsync could not transfer some files of ${route} (exit 23, partial transfer):\n${listed}\nTry: fix the cause above (permissions, free space, a wrong path), then rerun. ${RESUME_HINT}`,
  };
}

function judgeConnection(
  job: RsyncJob,
  route: string,
  result: ProcessResult,
): RsyncVerdict {
  // NOTE: for a hop job this names the source host, even when the lost
  // connection was the source host's own ssh to the destination.
  const host = remoteHost(job);
  if (host === undefined) {
    return {
      ok: false,
      failure: `rsync lost its connection copying ${route} (exit ${result.exitCode}):\n${tail(result.stderr)}`,
    };
  }
  const kind = classifySshFailure({ ...result, exitCode: 255 });
  const described = describeSshFailure(
    kind === "remote" ? "connection-lost" : kind,
    host.label,
    result,
  );
  return {
    ok: false,
    failure: `The transfer of ${route} failed (rsync exit ${result.exitCode}). ${described}\n${RESUME_HINT}`,
  };
}

function tail(text: string): string {
  const lines = text
    .trim()
    .split("\n")
    .filter((line) => line !== "");
  return lines.slice(-5).join("\n");
}
