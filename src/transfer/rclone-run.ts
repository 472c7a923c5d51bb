// Runs rclone on this machine or on a host with the generated remotes.
// Locally the remotes travel as RCLONE_CONFIG_<NAME>_* environment
// variables. On a host they travel as a config file that a small script
// reads from ssh's stdin into a 0600 temp file and removes when rclone
// ends. Credentials are never in argv either way.
import type { ProcessResult } from "../remote/process.ts";
import { quoteCommand } from "../remote/quote.ts";
import { sshArgv } from "../remote/ssh.ts";
import {
  remoteConfigText,
  remoteEnv,
  type RcloneRemote,
} from "../storage/rclone-remote.ts";
import type { Side } from "./location.ts";
import { progressOf } from "./rclone-output.ts";
import type { TransferProgress } from "./rsync-output.ts";
import { runTool } from "./run-tool.ts";

export interface RcloneCall {
  /** The machine that runs rclone. */
  runner: Side;
  remotes: RcloneRemote[];
  /** The arguments after `rclone`, starting with the command, e.g. ["copy", "--", SRC, DST]. */
  args: string[];
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** A path on the runner that rclone's stdout is appended to, for `rclone cat`. */
  appendTo?: string;
}

// $1 is a file that rclone's stdout is appended to, or "-" for stdout.
// The config arrives on stdin and ends at CONFIG_END. stdin then stays
// open for as long as train runs the command. When it ends (train stopped
// the command, or the connection was lost), the watcher stops rclone, so
// no rclone is left writing into a partial file that a rerun resumes. The
// watcher reads the original stdin through fd 3, because an asynchronous
// command's own stdin is /dev/null. `trap ... EXIT` also runs when the
// script ends because of a signal.
const CONFIG_END = "@@trainsh-end-of-config";
const HOST_SCRIPT = [
  "out=$1; shift",
  "umask 077",
  'f=$(mktemp "${TMPDIR:-/tmp}/trainsh-rclone.XXXXXX") || exit 1',
  "pid=",
  'stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; exit "$1"; }',
  "trap 'rm -f \"$f\"' EXIT",
  "trap 'stop 129' HUP",
  "trap 'stop 130' INT",
  "trap 'stop 143' TERM",
  `while IFS= read -r line; do [ "$line" = ${CONFIG_END} ] && break; printf '%s\\n' "$line"; done > "$f"`,
  "exec 3<&0",
  'if [ "$out" = - ]; then rclone --config "$f" "$@" </dev/null & else rclone --config "$f" "$@" </dev/null >> "$out" & fi',
  "pid=$!",
  '{ while read -r _; do :; done; kill "$pid" 2>/dev/null; } <&3 &',
  "watch=$!",
  'wait "$pid"; rc=$?',
  'kill "$watch" 2>/dev/null',
  'exit "$rc"',
].join("\n");

// The same redirect on this machine, where no config file is needed.
const LOCAL_APPEND_SCRIPT = 'out=$1; shift; exec rclone "$@" >> "$out"';

/** Flags for a copying command: JSON log lines with the stats once a second, for progress. */
export const STATS_FLAGS = [
  "--use-json-log",
  "--stats",
  "1s",
  "--stats-log-level",
  "NOTICE",
];

/** Returns rclone's `--bwlimit` flags for a limit in KiB per second, if any. */
export function bwlimitFlags(kibPerSecond: number | undefined): string[] {
  return kibPerSecond === undefined ? [] : ["--bwlimit", `${kibPerSecond}k`];
}

/** Runs one rclone command and returns its result, never throwing for a failed run. */
export function runRclone(call: RcloneCall): Promise<ProcessResult> {
  // Flags go right after the command, because everything after "--" is a path.
  const [verb = "", ...rest] = call.args;
  const local = call.runner.kind === "local";
  const flags = [
    ...backendFlags(call.remotes),
    ...(local ? caCertFlags() : []),
  ];
  const args = [verb, ...flags, ...rest];
  const onProgress = call.onProgress;
  const onErrorLine =
    onProgress === undefined
      ? undefined
      : (line: string) => {
          const progress = progressOf(line);
          if (progress !== undefined) onProgress(progress);
        };
  if (call.runner.kind === "local") {
    const argv =
      call.appendTo === undefined
        ? ["rclone", ...args]
        : ["sh", "-c", LOCAL_APPEND_SCRIPT, "sh", call.appendTo, ...args];
    return runTool(argv, {
      host: "local",
      signal: call.signal,
      env: localEnv(call.remotes),
      onErrorLine,
    });
  }
  const out = call.appendTo ?? "-";
  const script = quoteCommand(["sh", "-c", HOST_SCRIPT, "sh", out, ...args]);
  return runTool(sshArgv(call.runner.host, script), {
    host: call.runner.host.label,
    signal: call.signal,
    input: `${remoteConfigText(call.remotes)}\n${CONFIG_END}\n`,
    keepStdinOpen: true,
    onErrorLine,
  });
}

// --fast-list lists a bucket with one recursive listing instead of one
// request per directory: fewer requests, and s3rver's per-directory
// listing misses a directory that only contains directories.
// --contimeout 15s: an endpoint that is down costs each attempt 15 s
// instead of rclone's default minute. With the default retries, a transfer
// to a stopped S3 server took over 6 minutes to report it.
function backendFlags(remotes: RcloneRemote[]): string[] {
  const flags =
    remotes.length > 0 ? ["--fast-list", "--contimeout", "15s"] : [];
  return [...new Set([...flags, ...remotes.flatMap((remote) => remote.flags)])];
}

/**
 * Builds the environment for a local rclone. rclone 1.60 fails on any S3
 * remote while AWS_CA_BUNDLE is set ("LoadCustomCABundleError"), so the
 * variable is removed and its file passed as --ca-cert instead.
 * RCLONE_CONFIG=/dev/null keeps the user's own config out unless a remote
 * points into it (a Drive through the user's rclone remote).
 */
export function localEnv(remotes: RcloneRemote[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AWS_CA_BUNDLE;
  if (remotes.every((remote) => remote.portable))
    env.RCLONE_CONFIG = "/dev/null";
  for (const remote of remotes) Object.assign(env, remoteEnv(remote));
  return env;
}

function caCertFlags(): string[] {
  const bundle = process.env.AWS_CA_BUNDLE;
  return bundle === undefined || bundle === "" ? [] : ["--ca-cert", bundle];
}
