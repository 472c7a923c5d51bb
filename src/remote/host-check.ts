// `train host test`: one fresh login that measures the connection and reads
// the facts a training run depends on (OS, tmux, GPUs, free disk).
import { redact } from "../secrets/redact.ts";
import { quote } from "./quote.ts";
import { spawnProcess, type ProcessResult } from "./process.ts";
import { freshSshArgv } from "./ssh-direct.ts";
import type { SshHost } from "./ssh-options.ts";

const READY = "__trainsh_ready";
const PONG = "__trainsh_pong";

// After READY the script waits for one line on stdin and prints PONG, so
// the time between sending that line and reading PONG is one round trip on
// the open connection, without the login.
const SCRIPT = [
  `echo ${READY}`,
  "read _ping",
  `echo ${PONG}`,
  'echo "os=$(uname -srm 2>/dev/null)"',
  "[ -r /etc/os-release ] && sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '\"' | sed 's/^/distro=/'",
  'if command -v tmux >/dev/null 2>&1; then echo "tmux=$(tmux -V)"; else echo "tmux="; fi',
  "if command -v nvidia-smi >/dev/null 2>&1; then nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | sed 's/^/gpu=/'; fi",
  'df -Pk "$HOME" 2>/dev/null | awk \'NR==2 {print "disk=" $4 " " $2}\'',
  'echo "home=$HOME"',
].join("\n");

export interface HostFacts {
  connectMs: number;
  roundTripMs: number;
  os: string;
  distro?: string;
  /** `tmux -V` output, or undefined when tmux is not installed. */
  tmux?: string;
  /** One `name, memory` line per GPU; empty without nvidia-smi or GPUs. */
  gpus: string[];
  disk?: { path: string; freeKb: number; totalKb: number };
}

export type HostCheck =
  { ok: true; facts: HostFacts } | { ok: false; result: ProcessResult };

/** Connects on a new ssh connection and returns the facts or the failed result. */
export async function checkHost(
  host: SshHost,
  timeoutMs = 30_000,
): Promise<HostCheck> {
  const argv = freshSshArgv(host, `sh -c ${quote(SCRIPT)}`);
  const started = performance.now();
  const proc = spawnProcess(argv, { host: host.label });
  const timing = { ready: 0, ping: 0, pong: 0 };
  let stdout = "";
  let stderr = "";
  proc.child.stdin?.on("error", () => {});
  proc.child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    if (timing.ready === 0 && stdout.includes(`${READY}\n`)) {
      timing.ready = performance.now();
      timing.ping = performance.now();
      proc.child.stdin?.end("ping\n");
    }
    if (timing.pong === 0 && stdout.includes(`${PONG}\n`))
      timing.pong = performance.now();
  });
  proc.child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.terminate();
  }, timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  const result: ProcessResult = {
    command: argv,
    host: host.label,
    exitCode: exit.spawnError === undefined ? exit.exitCode : 127,
    signal: exit.signal,
    timedOut,
    durationMs: Math.round(performance.now() - started),
    stdout: redact(stdout),
    stderr: redact(stderr || (exit.spawnError?.message ?? "")),
    failed: timedOut || exit.exitCode !== 0 || timing.pong === 0,
  };
  if (result.failed) return { ok: false, result };
  return {
    ok: true,
    facts: parseFacts(stdout, {
      connectMs: timing.ready - started,
      roundTripMs: timing.pong - timing.ping,
    }),
  };
}

/** Parses the `key=value` lines the script prints after PONG. */
export function parseFacts(
  stdout: string,
  times: { connectMs: number; roundTripMs: number },
): HostFacts {
  const facts: HostFacts = {
    connectMs: Math.round(times.connectMs),
    roundTripMs: Math.round(times.roundTripMs * 10) / 10,
    os: "",
    gpus: [],
  };
  let home = "~";
  let disk: [number, number] | undefined;
  const after = stdout.slice(stdout.indexOf(PONG) + PONG.length);
  for (const line of after.split("\n")) {
    const eq = line.indexOf("=");
    if (eq === -1) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    if (key === "os") facts.os = value;
    else if (key === "distro" && value !== "") facts.distro = value;
    else if (key === "tmux" && value !== "") facts.tmux = value;
    else if (key === "gpu" && value !== "") facts.gpus.push(value);
    else if (key === "home") home = value;
    else if (key === "disk") disk = parseDisk(value);
  }
  if (disk !== undefined)
    facts.disk = { path: home, freeKb: disk[0], totalKb: disk[1] };
  return facts;
}

function parseDisk(value: string): [number, number] | undefined {
  const [free, total] = value.split(" ").map(Number);
  if (free === undefined || total === undefined) return undefined;
  if (!Number.isFinite(free) || !Number.isFinite(total)) return undefined;
  return [free, total];
}
