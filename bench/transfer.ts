// Benchmark: `train transfer` against the raw tool on the same data. A 1 GiB
// file local -> host (loopback sshd) against `rsync`, and local -> bucket
// (s3rver) against `rclone copy`. Each run starts from an empty destination.
// Run with `node --import tsx bench/transfer.ts` after `npm run build`;
// prints medians over BENCH_RUNS runs (default 3).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { runProcess, requireSuccess } from "../src/remote/process.ts";
import { rawRclone, rawRcloneEnv } from "../test/support/bucket-files.ts";
import { writeBigFile } from "../test/support/big-file.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../test/support/cli.ts";
import { startS3rver, type TestS3 } from "../test/support/s3rver.ts";
import { startSshd, type TestSshd } from "../test/support/sshd.ts";

const SIZE = 1024 * 1024 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function rawRsync(
  sshd: TestSshd,
  file: string,
  dest: string,
): Promise<void> {
  const argv = [
    "rsync",
    "-rlt",
    "-e",
    `ssh -F ${sshd.sshConfigPath}`,
    file,
    `${sshd.alias}:${dest}/`,
  ];
  requireSuccess(await runProcess(argv, { timeoutMs: 600_000 }));
}

async function trainTransfer(
  env: TrainEnv,
  source: string,
  destination: string,
): Promise<void> {
  const result = await runTrain(["transfer", source, destination], env, {
    timeoutMs: 600_000,
  });
  if (result.code !== 0)
    throw new Error(`train transfer failed: ${result.stderr}`);
}

async function compare(
  label: string,
  raw: () => Promise<void>,
  ours: () => Promise<void>,
  reset: () => Promise<void>,
): Promise<void> {
  const rawTimes: number[] = [];
  const ourTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await reset();
    rawTimes.push(await timed(raw));
    await reset();
    ourTimes.push(await timed(ours));
  }
  const rawMs = median(rawTimes);
  const ourMs = median(ourTimes);
  const mib = SIZE / 1024 / 1024;
  console.log(
    `${label}: raw ${rawMs.toFixed(0)} ms (${((mib / rawMs) * 1000).toFixed(0)} MiB/s), ` +
      `train ${ourMs.toFixed(0)} ms (${((mib / ourMs) * 1000).toFixed(0)} MiB/s), ` +
      `throughput ratio ${(rawMs / ourMs).toFixed(3)}`,
  );
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "trainsh-bench-transfer-"));
  let sshd: TestSshd | undefined;
  let s3: TestS3 | undefined;
  let env: TrainEnv | undefined;
  try {
    sshd = await startSshd();
    s3 = await startS3rver();
    const file = join(work, "one-gib.bin");
    await writeBigFile(file, SIZE);
    env = makeTrainEnv({
      TRAINSH_SSH_CONFIG: sshd.sshConfigPath,
      TRAINSH_CONTROL_DIR: await mkdtemp("/tmp/tcm-"),
      BENCH_ACCESS_KEY_ID: "S3RVER",
      BENCH_SECRET_ACCESS_KEY: "bench-secret",
    });
    const add = [
      "storage",
      "add",
      "bench",
      "--type",
      "s3",
      "--bucket",
      s3.bucket,
      "--endpoint",
      s3.endpoint,
    ];
    if ((await runTrain(add, env)).code !== 0)
      throw new Error("storage add failed");
    const dest = join(work, "host-dest");
    const s3Ready = s3;
    const sshdReady = sshd;
    const envReady = env;
    console.log(`1 GiB file, ${RUNS} runs each, medians`);
    await compare(
      "local -> host (rsync over loopback ssh)",
      () => rawRsync(sshdReady, file, dest),
      () => trainTransfer(envReady, file, `@${sshdReady.alias}:${dest}/`),
      () => rm(dest, { recursive: true, force: true }),
    );
    await compare(
      "local -> bucket (rclone to s3rver)",
      () =>
        rawRclone(s3Ready, ["copy", file, `raw:${s3Ready.bucket}/bench/`]).then(
          () => undefined,
        ),
      () => trainTransfer(envReady, file, "@bench:bench/"),
      () =>
        runProcess(["rclone", "purge", `raw:${s3Ready.bucket}/bench`], {
          env: rawRcloneEnv(s3Ready),
        }).then(() => undefined),
    );
  } finally {
    env?.cleanup();
    await Promise.all([sshd?.stop(), s3?.stop()]);
    await rm(work, { recursive: true, force: true });
  }
}

await main();
