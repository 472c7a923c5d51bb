// Benchmark: a 50-step recipe of `@h > true` on a loopback sshd, against the
// floor of 50 tmux steps driven through one persistent shell on that host.
// Run with `npm run bench`; prints medians over RUNS runs.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startSshd, type TestSshd } from "../test/support/sshd.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../test/support/cli.ts";

const STEPS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** 50 send-keys + wait-for round trips through one long-lived `ssh host sh`. */
async function floorRun(sshd: TestSshd): Promise<number> {
  const socket = `bench-floor-${process.pid}`;
  const args = ["-F", sshd.sshConfigPath, sshd.alias, "exec sh"];
  const shell = spawn("ssh", args, { stdio: ["pipe", "pipe", "inherit"] });
  let buffer = "";
  const waiters: (() => void)[] = [];
  shell.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    while (buffer.includes("done\n")) {
      buffer = buffer.slice(buffer.indexOf("done\n") + 5);
      waiters.shift()?.();
    }
  });
  const request = (line: string) =>
    new Promise<void>((resolve) => {
      waiters.push(resolve);
      shell.stdin.write(`${line}; echo done\n`);
    });
  await request(
    `tmux -L ${socket} new-session -d -s s -x 200 -y 50; sleep 0.3`,
  );
  const started = performance.now();
  for (let i = 0; i < STEPS; i++) {
    await request(
      `tmux -L ${socket} send-keys -t s 'true; tmux wait-for -S c' Enter; tmux -L ${socket} wait-for c`,
    );
  }
  const elapsed = performance.now() - started;
  await request(`tmux -L ${socket} kill-server`);
  shell.stdin.end();
  return elapsed;
}

interface TrainTiming {
  wallMs: number;
  stepsMs: number;
}

function stepsSpan(env: TrainEnv): number {
  const jobs = join(env.home, "jobs");
  const newest = readdirSync(jobs).sort().at(-1)!;
  const events = readFileSync(join(jobs, newest, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map(
      (line) => JSON.parse(line) as { ts: string; kind: string; step?: number },
    );
  const first = events.find((e) => e.kind === "step-start" && e.step === 1)!;
  const last = events.findLast(
    (e) => e.kind === "step-end" && e.step === STEPS,
  )!;
  return Date.parse(last.ts) - Date.parse(first.ts);
}

async function trainRun(
  sshd: TestSshd,
  env: TrainEnv,
  file: string,
): Promise<TrainTiming> {
  const started = performance.now();
  const run = await runTrain(["recipe", "run", file, "--no-visual"], env);
  const wallMs = performance.now() - started;
  if (run.code !== 0) throw new Error(`recipe failed:\n${run.stderr}`);
  void sshd;
  return { wallMs, stepsMs: stepsSpan(env) };
}

const sshd = await startSshd();
const env = makeTrainEnv();
try {
  const steps = Array.from({ length: STEPS }, () => "@h > true");
  const recipe = [
    `host h = ${sshd.hostSpec}`,
    "tmux.open @h",
    ...steps,
    "tmux.close @h",
    "",
  ].join("\n");
  const file = env.writeRecipe("bench50", recipe);
  const floors: number[] = [];
  const trains: TrainTiming[] = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(await floorRun(sshd));
    trains.push(await trainRun(sshd, env, file));
  }
  const floor = median(floors);
  const stepsMs = median(trains.map((t) => t.stepsMs));
  const wallMs = median(trains.map((t) => t.wallMs));
  console.log(
    `floor: ${STEPS} tmux steps through one shell: ${floor.toFixed(0)} ms (median of ${RUNS})`,
  );
  console.log(
    `train: ${STEPS} steps, first start to last end: ${stepsMs.toFixed(0)} ms (${(stepsMs / floor).toFixed(2)}x floor)`,
  );
  console.log(
    `train: whole \`recipe run\` incl. start-up, ssh login, open and close: ${wallMs.toFixed(0)} ms (${(wallMs / floor).toFixed(2)}x floor)`,
  );
} finally {
  env.cleanup();
  await sshd.stop();
  spawnSync("tmux", ["-L", `bench-floor-${process.pid}`, "kill-server"], {
    stdio: "ignore",
  });
}
