// An aborted copy of a large file leaves nothing under the final name, only
// a partial file under .rsync-partial, and a rerun completes it.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { transfer } from "../../src/transfer/transfer.ts";
import { hashFile } from "../support/file-tree.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

const SIZE = 200 * 1024 * 1024;
// 20 MiB/s makes the copy take about 10 s, so an abort lands midway.
const SLOW_KIBPS = 20_480;

let server: TestSshd;
let gpu: ResolvedHost;
let work: string;
let big: string;
let bigHash: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-interrupt-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  server = await startSshd();
  gpu = toResolvedHost("gpu", parseHostSpec(server.hostSpec));
  big = join(work, "step_50000.pt");
  await writeRandomFile(big, SIZE);
  bigHash = await hashFile(big);
});

after(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

async function writeRandomFile(path: string, size: number): Promise<void> {
  const file = await open(path, "w");
  const chunk = 8 * 1024 * 1024;
  for (let written = 0; written < size; written += chunk) {
    await file.write(randomBytes(Math.min(chunk, size - written)));
  }
  await file.close();
}

async function waitForFile(path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function interruptThenResume(
  source: Endpoint,
  destination: Endpoint,
  destDir: string,
): Promise<void> {
  const controller = new AbortController();
  const cut = await transfer(source, destination, {
    bwlimitKBps: SLOW_KIBPS,
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.bytes > 20 * 1024 * 1024) controller.abort();
    },
  });
  assert.equal(cut.ok, false, cut.message);
  assert.match(cut.message, /interrupted/);

  const final = join(destDir, "step_50000.pt");
  const partial = join(destDir, ".rsync-partial", "step_50000.pt");
  assert.ok(
    await waitForFile(partial, 10_000),
    `no partial file at ${partial}`,
  );
  assert.equal(
    existsSync(final),
    false,
    `${final} exists after the interrupted copy`,
  );
  assert.ok(
    statSync(partial).size < SIZE,
    "the partial file is already complete",
  );

  const retry = await transfer(source, destination);
  assert.equal(retry.ok, true, retry.message);
  assert.equal(await hashFile(final), bigHash);
  assert.equal(existsSync(partial), false, "the partial file was left behind");
}

test("upload interrupted then resumed", async () => {
  const destDir = join(work, "remote", "ckpt");
  await interruptThenResume(
    { kind: "local", path: big },
    { kind: "host", name: "gpu", host: gpu, path: `${destDir}/` },
    destDir,
  );
});

test("download interrupted then resumed", async () => {
  const destDir = join(work, "local-ckpt");
  await interruptThenResume(
    { kind: "host", name: "gpu", host: gpu, path: big },
    { kind: "local", path: `${destDir}/` },
    destDir,
  );
});
