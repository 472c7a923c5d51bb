// Runs the built CLI (dist/train.js) the way a user does, each test with its
// own config home and its own local tmux server.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const TRAIN_BIN = resolve(import.meta.dirname, "../../dist/train.js");

export interface TrainEnv {
  home: string;
  socket: string;
  env: NodeJS.ProcessEnv;
  /** Writes a recipe into a temp folder and returns its path. */
  writeRecipe(name: string, text: string): string;
  cleanup(): void;
}

export function makeTrainEnv(extra: NodeJS.ProcessEnv = {}): TrainEnv {
  const home = mkdtempSync(join(tmpdir(), "trainsh-home-"));
  const socket = `trainsh-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const inherited = { ...process.env };
  delete inherited.TRAINSH_DEBUG;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    TRAINSH_HOME: home,
    TRAINSH_TMUX_SOCKET: socket,
    TRAINSH_NO_DESKTOP_NOTIFY: "1",
    NO_COLOR: "1",
    ...extra,
  };
  return {
    home,
    socket,
    env,
    writeRecipe(name, text) {
      const dir = join(home, "test-recipes");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.recipe`);
      writeFileSync(file, text);
      return file;
    },
    cleanup() {
      spawnSync("tmux", ["-L", socket, "kill-server"], { stdio: "ignore" });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface TrainResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runTrain(
  args: string[],
  env: TrainEnv,
  opts: { input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<TrainResult> {
  const child = spawnTrain(args, env, opts.cwd);
  return collect(child, opts.input, opts.timeoutMs ?? 120_000);
}

export function spawnTrain(
  args: string[],
  env: TrainEnv,
  cwd?: string,
): ChildProcess {
  return spawn(process.execPath, [TRAIN_BIN, ...args], {
    env: env.env,
    cwd: cwd ?? env.home,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export function collect(
  child: ChildProcess,
  input?: string,
  timeoutMs = 120_000,
): Promise<TrainResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end(input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Returns the job id a run printed in its `(job ID)` start line. */
export function jobIdOf(stderr: string): string {
  const id = /\(job ([0-9a-f]+)\)/.exec(stderr)?.[1];
  if (id === undefined)
    throw new Error(`the run printed no job id:\n${stderr}`);
  return id;
}
