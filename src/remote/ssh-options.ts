// The ssh command line that every ssh, rsync and scp call shares: one
// multiplexed master per host (ControlMaster), keepalives, a connect timeout
// and no prompts. The user's ~/.ssh/config is always read, so aliases and
// ProxyJump work. `-F` is added only when TRAINSH_SSH_CONFIG names a file.
import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import type { ResolvedHost } from "../hosts/spec.ts";
import { quote } from "./quote.ts";

export type SshHost = Extract<ResolvedHost, { kind: "ssh" }>;

// Linux limits a unix socket path to 107 bytes. ssh replaces %C with a
// 40-character hash and first binds the master at "PATH.<16 random chars>"
// (OpenSSH mux.c). train appends "-" and an 8-character hash of the host's
// options, so the directory may use 107 - 1 - 40 - 9 - 17 bytes.
const MAX_CONTROL_DIR_BYTES = 40;

/**
 * Returns a short hash of the host's own options. OpenSSH 9.2's %C hashes
 * only the local host, remote host, port and user (ssh_config(5)), not the
 * key, so without it a spec with a wrong `-i` would reuse a master that
 * another key opened.
 */
function optionsTag(host: SshHost): string {
  const text = [host.destination, ...host.sshOptions].join("\0");
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** Returns the options that go with a host's own options in every ssh argv. */
export function sshBaseOptions(host: SshHost): string[] {
  const options: string[] = [];
  const config = process.env.TRAINSH_SSH_CONFIG;
  if (config !== undefined && config !== "") options.push("-F", config);
  options.push(
    "-o",
    "ControlMaster=auto",
    "-o",
    `ControlPath=${controlDir()}/%C-${optionsTag(host)}`,
    "-o",
    "ControlPersist=600",
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "ServerAliveCountMax=3",
    "-o",
    "ConnectTimeout=15",
    "-o",
    "BatchMode=yes",
  );
  return options;
}

/**
 * Builds the argv for ssh to `host`. `remoteCommand` is ONE string, already
 * quoted for the remote shell, because ssh joins its arguments with spaces
 * and the remote login shell splits them again.
 *
 * ssh uses the first value it reads for an option, so the base options win
 * over the same option in `host.sshOptions` and in ssh_config.
 */
export function sshArgv(host: SshHost, remoteCommand?: string): string[] {
  // ssh keeps the first value it reads for an option, so the host's own
  // options come first and win over train's defaults.
  const argv = [
    "ssh",
    ...host.sshOptions,
    ...sshBaseOptions(host),
    host.destination,
  ];
  if (remoteCommand !== undefined) argv.push(remoteCommand);
  return argv;
}

/**
 * Returns the value for `rsync -e` that runs ssh with the same options. rsync
 * splits that value itself: single quotes group a word, a doubled quote
 * inside them is a literal quote, and backslashes are not special.
 */
export function sshCommandForRsync(host: SshHost): string {
  return ["ssh", ...host.sshOptions, ...sshBaseOptions(host)]
    .map(quoteForRsync)
    .join(" ");
}

function quoteForRsync(arg: string): string {
  const shellQuoted = quote(arg);
  if (shellQuoted === arg) return arg;
  return `'${arg.replaceAll("'", "''")}'`;
}

/**
 * Returns the directory for ControlMaster sockets, creating it with mode
 * 0700. TRAINSH_CONTROL_DIR overrides the default /tmp/trainsh-cm-UID.
 */
export function controlDir(): string {
  const dir = process.env.TRAINSH_CONTROL_DIR || defaultControlDir();
  if (Buffer.byteLength(dir) > MAX_CONTROL_DIR_BYTES) {
    throw new Error(
      `ControlPath directory ${dir} is too long for a unix socket path (at most ${MAX_CONTROL_DIR_BYTES} bytes).\nTry: set TRAINSH_CONTROL_DIR to a shorter directory, such as /tmp/trainsh-cm.`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir);
  return dir;
}

// /tmp is used even where os.tmpdir() is longer (macOS: /var/folders/...),
// because socket paths must stay short.
function defaultControlDir(): string {
  const base = process.platform === "darwin" ? "/tmp" : tmpdir();
  const root = Buffer.byteLength(base) > 20 ? "/tmp" : base;
  return `${root}/trainsh-cm-${process.getuid?.() ?? "user"}`;
}

// Another user who can create the directory first could read or replace
// the sockets, so it must be ours, a real directory and closed to others.
function checkPrivateDir(dir: string): void {
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  const ours = uid === undefined || stat.uid === uid;
  if (!stat.isDirectory() || !ours || (stat.mode & 0o077) !== 0) {
    throw new Error(
      `ControlPath directory ${dir} is not a private directory owned by this user (it must be a directory with mode 0700).\nTry: remove it, or set TRAINSH_CONTROL_DIR to another directory.`,
    );
  }
}
