// A source that changes while rsync copies it must not end in "done". A
// file rewritten after rsync sent it fails the check, for one local file
// (stamped before and after) as for a directory or a host path (second
// rsync pass). Changes to excluded files and files removed midway do not
// count.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { transfer, type TransferResult } from "../../src/transfer/transfer.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

// 3 MiB at 1 MiB/s: the copy of b.bin takes about 3 s, after a.txt is sent.
const BIG = 3 * 1024 * 1024;
const SLOW_KIBPS = 1024;

let server: TestSshd;
let gpu: ResolvedHost;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-source-change-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  server = await startSshd();
  gpu = toResolvedHost("gpu", parseHostSpec(server.hostSpec));
});

after(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

function makeSource(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "a.txt"), "first version\n");
  writeFileSync(join(dir, "b.bin"), randomBytes(BIG));
  writeFileSync(join(dir, "logs", "train.log"), "step 1\n");
  return dir;
}

// Runs the copy slowly and calls `midway` once a.txt has been sent and
// b.bin is on its way.
async function copyWhile(
  source: Endpoint,
  destination: Endpoint,
  midway: () => void,
  exclude: string[] = [],
): Promise<TransferResult> {
  let fired = false;
  const result = await transfer(source, destination, {
    bwlimitKBps: SLOW_KIBPS,
    exclude,
    onProgress: (progress) => {
      if (fired || progress.bytes < 512 * 1024) return;
      fired = true;
      midway();
    },
  });
  assert.ok(fired, "the copy finished before the change was made");
  return result;
}

function host(path: string): Endpoint {
  return { kind: "host", name: "gpu", host: gpu, path };
}

test("upload with rewritten file fails", async () => {
  const source = makeSource("upload-rewrite");
  const result = await copyWhile(
    { kind: "local", path: `${source}/` },
    host(join(work, "upload-rewrite-dest/")),
    () => appendFileSync(join(source, "a.txt"), "second version\n"),
  );
  assert.equal(result.ok, false, result.message);
  assert.match(result.message, /still differ from the source.*first: a\.txt/);
  assert.match(result.message, /Try: rerun/);
});

test("upload with new file fails", async () => {
  const source = makeSource("upload-new");
  const result = await copyWhile(
    { kind: "local", path: `${source}/` },
    host(join(work, "upload-new-dest/")),
    () => writeFileSync(join(source, "late.txt"), "late\n"),
  );
  assert.equal(result.ok, false, result.message);
  assert.match(result.message, /still differ.*first: late\.txt/);
});

test("excluded file changes do not count", async () => {
  const source = makeSource("upload-exclude");
  const quiet = await copyWhile(
    { kind: "local", path: `${source}/` },
    host(join(work, "upload-exclude-dest/")),
    () => appendFileSync(join(source, "logs", "train.log"), "step 2\n"),
    ["logs/"],
  );
  assert.equal(quiet.ok, true, quiet.message);
  assert.match(quiet.message, /verified 2 files/);

  const noisy = await copyWhile(
    { kind: "local", path: `${source}/` },
    host(join(work, "upload-exclude-dest2/")),
    () => appendFileSync(join(source, "a.txt"), "third version\n"),
    ["logs/"],
  );
  assert.equal(noisy.ok, false, noisy.message);
  assert.match(noisy.message, /still differ.*first: a\.txt/);
});

test("file removed after sending passes", async () => {
  const source = makeSource("upload-removed");
  const result = await copyWhile(
    { kind: "local", path: `${source}/` },
    host(join(work, "upload-removed-dest/")),
    () => rmSync(join(source, "a.txt")),
  );
  assert.equal(result.ok, true, result.message);
});

test("download with rewritten file fails", async () => {
  // The test host shares this machine's file system.
  const source = makeSource("download-rewrite");
  const result = await copyWhile(
    host(`${source}/`),
    { kind: "local", path: join(work, "download-rewrite-dest/") },
    () => appendFileSync(join(source, "a.txt"), "second version\n"),
  );
  assert.equal(result.ok, false, result.message);
  assert.match(result.message, /still differ from the source.*a\.txt/);
});

test("single file rewritten during upload fails", async () => {
  const source = makeSource("single-rewrite");
  const file = join(source, "b.bin");
  const result = await copyWhile(
    { kind: "local", path: file },
    host(join(work, "single-rewrite-dest/")),
    () => appendFileSync(file, "more\n"),
  );
  assert.equal(result.ok, false, result.message);
  assert.match(
    result.message,
    /source changed during the copy \(it was \d+ bytes, modified .*Z, now \d+ bytes/,
  );
});

test("single file removed during upload warns", async () => {
  const source = makeSource("single-removed");
  const file = join(source, "b.bin");
  const result = await copyWhile(
    { kind: "local", path: file },
    host(join(work, "single-removed-dest/")),
    () => rmSync(file),
  );
  assert.equal(result.ok, true, result.message);
  assert.match(result.message, /Warning: the source .*b\.bin was removed/);
});
