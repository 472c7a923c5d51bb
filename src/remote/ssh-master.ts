// The ControlMaster connection per host: checked before a channel opens,
// started when missing, and replaced when its socket is stale or wedged.
// A stale socket (no listener) makes later calls fail, and a wedged master
// (accepts, never responds) makes them hang, because ConnectTimeout does not
// cover the hop to the local mux socket.
import {
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  unlinkSync,
} from "node:fs";
import { debugStart } from "../util/debug.ts";
import { runProcess, type ProcessResult } from "./process.ts";
import {
  classifySshFailure,
  describeSshFailure,
  type SshFailureKind,
} from "./ssh-failure.ts";
import { sshBaseOptions, type SshHost } from "./ssh-options.ts";

/** An ssh failure with its classification and the ssh command's result. */
export class SshError extends Error {
  readonly kind: SshFailureKind;
  readonly result: ProcessResult;

  constructor(kind: SshFailureKind, hostLabel: string, result: ProcessResult) {
    super(describeSshFailure(kind, hostLabel, result));
    this.name = "SshError";
    this.kind = kind;
    this.result = result;
  }
}

/** The ControlPath exists but is not a socket. train never deletes such a file. */
export class ControlPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ControlPathError";
  }
}

export interface MasterOptions {
  /** Wall-clock limit of one `ssh -O check` probe, 5 s by default. */
  probeTimeoutMs?: number;
  /** Wall-clock limit for starting the master (connect and login), 45 s by default. */
  connectTimeoutMs?: number;
}

const PROBE_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_MS = 45_000;
const pending = new Map<string, Promise<void>>();

/**
 * Makes sure a working ControlMaster runs for `host`, starting one if needed.
 * Concurrent calls for the same ControlPath share one attempt.
 */
export async function ensureMaster(
  host: SshHost,
  opts: MasterOptions = {},
): Promise<void> {
  const path = await controlPathOf(host);
  const running = pending.get(path);
  if (running !== undefined) return running;
  const attempt = ensureMasterAt(host, path, opts).finally(() =>
    pending.delete(path),
  );
  pending.set(path, attempt);
  return attempt;
}

async function ensureMasterAt(
  host: SshHost,
  path: string,
  opts: MasterOptions,
): Promise<void> {
  const state = pathState(path);
  if (state === "other") {
    throw new ControlPathError(
      `ControlPath ${path} for @${host.label} is not a socket, so ssh cannot use it for multiplexing.\nTry: move that file away (train does not delete it), then rerun.`,
    );
  }
  if (state === "socket" && (await probeOrRepair(host, path, opts))) return;
  await startMaster(host, opts);
}

/** Returns true when the master responds. Otherwise it clears the path for a new master. */
async function probeOrRepair(
  host: SshHost,
  path: string,
  opts: MasterOptions,
): Promise<boolean> {
  const timeoutMs = opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const probe = await controlCommand(host, "check", timeoutMs);
    if (!probe.failed) return true;
    if (!probe.timedOut) {
      // No listener (or a master that just exited): the socket is stale.
      removeSocket(path);
      return false;
    }
  }
  // Two timed-out probes: a busy master responds within that time, so this
  // one is wedged.
  await stopWedgedMaster(host, path, timeoutMs);
  return false;
}

async function stopWedgedMaster(
  host: SshHost,
  path: string,
  timeoutMs: number,
): Promise<void> {
  const logEnd = debugStart(
    host.label,
    `replace wedged ControlMaster at ${path}`,
  );
  await controlCommand(host, "exit", timeoutMs);
  const owners = sshProcessesListeningOn(path);
  for (const pid of owners) killQuietly(pid, "SIGKILL");
  removeSocket(path);
  logEnd(`killed ${owners.length} ssh process(es)`);
}

// `-N -f` with ControlMaster=auto: run no command, become the master unless
// one started meanwhile, and go to the background once logged in, so the
// call returns when the master accepts clients. `-M` would open a second,
// unshared connection when a master already exists. The master exits after
// ControlPersist (600 s) without clients.
async function startMaster(host: SshHost, opts: MasterOptions): Promise<void> {
  const argv = [
    "ssh",
    "-N",
    "-f",
    ...sshBaseOptions(host),
    ...host.sshOptions,
    host.destination,
  ];
  const result = await runProcess(argv, {
    host: host.label,
    timeoutMs: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
  });
  if (!result.failed) return;
  const kind = classifySshFailure(result);
  // A non-255 exit from ssh -N cannot come from a remote command.
  throw new SshError(
    kind === "remote" ? "connection-lost" : kind,
    host.label,
    result,
  );
}

/** Runs `ssh -O <command>` against the host's master. */
export function controlCommand(
  host: SshHost,
  command: "check" | "exit",
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProcessResult> {
  const argv = [
    "ssh",
    ...sshBaseOptions(host),
    ...host.sshOptions,
    "-O",
    command,
    host.destination,
  ];
  return runProcess(argv, { host: host.label, timeoutMs });
}

/** Stops the host's master if one runs, for tests and cleanup. */
export async function stopMaster(host: SshHost): Promise<void> {
  await controlCommand(host, "exit");
}

/** Returns the host's ControlPath with %C expanded, as `ssh -G` computes it. */
export async function controlPathOf(host: SshHost): Promise<string> {
  const argv = [
    "ssh",
    "-G",
    ...sshBaseOptions(host),
    ...host.sshOptions,
    host.destination,
  ];
  const result = await runProcess(argv, {
    host: host.label,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const line = result.stdout
    .split("\n")
    .find((text) => text.startsWith("controlpath "));
  if (result.failed || line === undefined) {
    throw new SshError(classifySshFailure(result), host.label, result);
  }
  return line.slice("controlpath ".length).trim();
}

function pathState(path: string): "missing" | "socket" | "other" {
  try {
    return lstatSync(path).isSocket() ? "socket" : "other";
  } catch {
    return "missing";
  }
}

// Unlinks only a socket, rechecked right before, so a regular file that
// appeared meanwhile is never removed.
function removeSocket(path: string): void {
  if (pathState(path) !== "socket") return;
  try {
    unlinkSync(path);
  } catch {
    // Already removed, perhaps by ssh itself.
  }
}

/**
 * Lists the ssh processes that hold a listening socket bound to `path`,
 * found through /proc/net/unix and /proc/PID/fd. Other programs that hold
 * it are left alone. On systems other than Linux the list is empty.
 */
function sshProcessesListeningOn(path: string): number[] {
  const inodes = socketInodes(path);
  if (inodes.size === 0) return [];
  const owners: number[] = [];
  for (const entry of safeReaddir("/proc")) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    if (readText(`/proc/${entry}/comm`).trim() !== "ssh") continue;
    const fds = safeReaddir(`/proc/${entry}/fd`);
    const holds = fds.some((fd) =>
      inodes.has(readLink(`/proc/${entry}/fd/${fd}`)),
    );
    if (holds) owners.push(Number(entry));
  }
  return owners;
}

function socketInodes(path: string): Set<string> {
  const inodes = new Set<string>();
  for (const line of readText("/proc/net/unix").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    // Columns: Num RefCount Protocol Flags Type St Inode Path
    if (fields[7] === path && fields[6] !== undefined)
      inodes.add(`socket:[${fields[6]}]`);
  }
  return inodes;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function readLink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
