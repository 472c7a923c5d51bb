// Benchmark: median wall time of `train --version` against `node -e 0`.
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { TRAIN_BIN } from "../test/support/cli.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 21);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(args: string[]): number {
  const samples: number[] = [];
  spawnSync(process.execPath, args); // warm the page cache
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args);
    samples.push(performance.now() - started);
    if (result.status !== 0)
      throw new Error(`${args.join(" ")} exited ${result.status}`);
  }
  return median(samples);
}

const node = time(["-e", "0"]);
const train = time([TRAIN_BIN, "--version"]);
console.log(`node -e 0:        ${node.toFixed(1)} ms (median of ${RUNS})`);
console.log(
  `train --version:  ${train.toFixed(1)} ms (${(train / node).toFixed(2)}x node)`,
);
