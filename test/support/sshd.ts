// A throwaway OpenSSH server on 127.0.0.1 for tests: its own host key,
// client key, known_hosts and config under a temp dir, on a free port.
// Tested with OpenSSH 9.2p1 (Debian 12), running as root.
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from "node:fs/promises";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess, requireSuccess } from "../../src/remote/process.ts";

const SSHD = "/usr/sbin/sshd";
const LOOPBACK = "127.0.0.1";
const BIND_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 10_000;

export interface TestSshd {
  port: number;
  host: typeof LOOPBACK;
  user: "root";
  /** Client private key that authorized_keys accepts. */
  keyPath: string;
  knownHostsPath: string;
  /** An ssh_config with `Host <alias>` describing this server. */
  sshConfigPath: string;
  alias: string;
  /** A host spec for recipes, with the key, port and strict known_hosts checking. */
  hostSpec: string;
  dir: string;
  logPath: string;
  /** Stops sshd, its connections and the tmux servers it started, then removes `dir`. */
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Port to bind instead of a free one. A bind failure is then not retried. */
  port?: number;
}

interface ServerState {
  dir: string;
  port: number;
  keyPath: string;
  knownHostsPath: string;
  pidPath: string;
  logPath: string;
}

/** Starts a fresh sshd and returns once a key login through it works. */
export async function startSshd(opts: SshdOptions = {}): Promise<TestSshd> {
  await mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), "trainsh-sshd-"));
  const keyPath = join(dir, "id_ed25519");
  await generateKey(keyPath);
  await writeFile(
    join(dir, "authorized_keys"),
    await readFile(`${keyPath}.pub`),
  );
  await generateKey(join(dir, "host_ed25519"));
  const state = await listen(dir, keyPath, "host_ed25519", opts.port);
  await writeKnownHosts(state, "host_ed25519");
  await waitForLoginOrHalt(state);
  return describe(state);
}

/**
 * Stops `previous` and starts a second sshd in its dir on the same port with
 * a new host key, so the recorded known_hosts entry no longer matches.
 */
export async function restartWithNewHostKey(
  previous: TestSshd,
): Promise<TestSshd> {
  await haltDaemon(previous.dir);
  await generateKey(join(previous.dir, "host2_ed25519"));
  const state = await listen(
    previous.dir,
    previous.keyPath,
    "host2_ed25519",
    previous.port,
  );
  return describe(state);
}

/** Creates a client key that the server does not accept and returns its path. */
export async function generateUnauthorizedKey(sshd: TestSshd): Promise<string> {
  const path = join(sshd.dir, `wrong_${Date.now()}_ed25519`);
  await generateKey(path);
  return path;
}

/** Builds a host spec for `sshd`, optionally with another key or port. */
export function hostSpecFor(
  sshd: Pick<TestSshd, "port" | "keyPath" | "knownHostsPath">,
  override: { keyPath?: string; port?: number } = {},
): string {
  return [
    `root@${LOOPBACK}`,
    `-p ${override.port ?? sshd.port}`,
    `-i ${override.keyPath ?? sshd.keyPath}`,
    `-o UserKnownHostsFile=${sshd.knownHostsPath}`,
    "-o StrictHostKeyChecking=yes",
    "-o IdentitiesOnly=yes",
  ].join(" ");
}

/** Returns a loopback TCP port that nothing listened on a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port =
        typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function generateKey(path: string): Promise<void> {
  requireSuccess(
    await runProcess([
      "ssh-keygen",
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "trainsh-test",
      "-f",
      path,
    ]),
  );
}

// A free port can be taken between the probe and sshd's bind, so a bind
// failure is retried on another port.
async function listen(
  dir: string,
  keyPath: string,
  hostKey: string,
  fixedPort: number | undefined,
): Promise<ServerState> {
  let lastError = "";
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
    const port = fixedPort ?? (await freePort());
    const state = stateFor(dir, port, keyPath);
    await writeFile(join(dir, "sshd_config"), sshdConfig(state, hostKey));
    const result = await runProcess(
      [SSHD, "-f", join(dir, "sshd_config"), "-E", state.logPath],
      { timeoutMs: 10_000 },
    );
    if (!result.failed) return state;
    lastError = `${result.stderr}${await readLog(state.logPath)}`;
    if (fixedPort !== undefined) break;
  }
  throw new Error(
    `sshd did not start in ${dir}:\n${lastError}\nTry: run ${SSHD} -t -f ${join(dir, "sshd_config")}`,
  );
}

function stateFor(dir: string, port: number, keyPath: string): ServerState {
  return {
    dir,
    port,
    keyPath,
    knownHostsPath: join(dir, "known_hosts"),
    pidPath: join(dir, "sshd.pid"),
    logPath: join(dir, "sshd.log"),
  };
}

// StrictModes is off because the keys live under /tmp, which StrictModes
// rejects. UsePAM is off because PAM needs a full system setup.
function sshdConfig(state: ServerState, hostKey: string): string {
  return [
    `Port ${state.port}`,
    `ListenAddress ${LOOPBACK}`,
    `HostKey ${join(state.dir, hostKey)}`,
    `PidFile ${state.pidPath}`,
    `AuthorizedKeysFile ${join(state.dir, "authorized_keys")}`,
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "UsePAM no",
    "StrictModes no",
    "PrintMotd no",
    // The default of 10 sessions per connection is too few for tests that
    // run many commands at once over one multiplexed master.
    "MaxSessions 64",
    `SetEnv TMUX_TMPDIR=${join(state.dir, "tmux")}`,
    "Subsystem sftp /usr/lib/openssh/sftp-server",
    "LogLevel VERBOSE",
    "",
  ].join("\n");
}

async function writeKnownHosts(
  state: ServerState,
  hostKey: string,
): Promise<void> {
  const publicKey = (await readFile(join(state.dir, `${hostKey}.pub`), "utf8"))
    .split(" ")
    .slice(0, 2)
    .join(" ");
  // A non-22 port needs the bracket form, because a bare address would not match.
  await writeFile(
    state.knownHostsPath,
    `[${LOOPBACK}]:${state.port} ${publicKey}\n`,
  );
}

async function writeSshConfig(
  state: ServerState,
  alias: string,
): Promise<string> {
  const path = join(state.dir, "ssh_config");
  const lines = [
    `Host ${alias}`,
    `  HostName ${LOOPBACK}`,
    `  Port ${state.port}`,
    "  User root",
    `  IdentityFile ${state.keyPath}`,
    "  IdentitiesOnly yes",
    "  BatchMode yes",
    `  UserKnownHostsFile ${state.knownHostsPath}`,
    "  StrictHostKeyChecking yes",
    "",
  ];
  await writeFile(path, lines.join("\n"));
  return path;
}

async function waitForLoginOrHalt(state: ServerState): Promise<void> {
  try {
    await waitForLogin(state);
  } catch (error) {
    await haltDaemon(state.dir);
    throw error;
  }
}

async function waitForLogin(state: ServerState): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const result = await runProcess(loginArgv(state), {
      timeoutMs: 5000,
      host: "test-sshd",
    });
    if (
      result.stdout === "ready\n" ||
      result.stderr.includes("REMOTE HOST IDENTIFICATION HAS CHANGED")
    )
      return;
    if (Date.now() > deadline) {
      throw new Error(
        `sshd on ${LOOPBACK}:${state.port} accepted no login within ${READY_TIMEOUT_MS} ms: ${result.stderr}\n${await readLog(state.logPath)}\nTry: read ${state.logPath} for the reason.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// `-F /dev/null` keeps the machine's ssh_config out of the readiness probe.
function loginArgv(state: ServerState): string[] {
  return [
    "ssh",
    "-F",
    "/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${state.knownHostsPath}`,
    "-o",
    "StrictHostKeyChecking=yes",
    "-i",
    state.keyPath,
    "-p",
    String(state.port),
    `root@${LOOPBACK}`,
    "echo ready",
  ];
}

async function describe(state: ServerState): Promise<TestSshd> {
  const alias = `trainsh-test-${state.port}`;
  const sshConfigPath = await writeSshConfig(state, alias);
  return {
    port: state.port,
    host: LOOPBACK,
    user: "root",
    keyPath: state.keyPath,
    knownHostsPath: state.knownHostsPath,
    sshConfigPath,
    alias,
    hostSpec: hostSpecFor(state),
    dir: state.dir,
    logPath: state.logPath,
    stop: async () => {
      await haltDaemon(state.dir);
      await rm(state.dir, { recursive: true, force: true });
    },
  };
}

/** Returns the last 30 lines of the sshd log, or "" when there is none. */
async function readLog(path: string): Promise<string> {
  if (!existsSync(path)) return "";
  return (await readFile(path, "utf8"))
    .trimEnd()
    .split("\n")
    .slice(-30)
    .join("\n");
}

// Stops the tmux servers started through this sshd, then the listening
// daemon and every process it forked (one sshd per open connection).
async function haltDaemon(dir: string): Promise<void> {
  await killTmuxServers(join(dir, "tmux"));
  const pidPath = join(dir, "sshd.pid");
  if (!existsSync(pidPath)) return;
  const pid = Number((await readFile(pidPath, "utf8")).trim());
  const pids = [...descendantsOf(pid), pid];
  for (const target of pids) signal(target, "SIGTERM");
  await waitUntilGone(pids);
  await rm(pidPath, { force: true });
}

async function killTmuxServers(tmuxDir: string): Promise<void> {
  if (!existsSync(tmuxDir)) return;
  for (const userDir of await readdir(tmuxDir)) {
    for (const socket of await readdir(join(tmuxDir, userDir))) {
      await runProcess(
        ["tmux", "-S", join(tmuxDir, userDir, socket), "kill-server"],
        { timeoutMs: 5000 },
      );
    }
  }
}

/** Lists the PIDs of all descendants of `root`, read from /proc. */
function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const parent = parentPid(Number(entry));
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const next = children.get(queue.shift() ?? 0) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 4 follows the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

async function waitUntilGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) {
      for (const pid of pids) signal(pid, "SIGKILL");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return (
      existsSync(`/proc/${pid}`) &&
      !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ")
    );
  } catch {
    return false;
  }
}
