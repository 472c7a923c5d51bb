// A file rewritten with the same size within the same second must still be
// copied again: rsync's quick check compares whole seconds unless the
// receiver (3.1.3 or newer) is given --modify-window=-1. An older receiver
// must never get that flag, because it would then resend every file.
import assert from "node:assert/strict";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
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
import { transfer, type TransferOptions } from "../../src/transfer/transfer.ts";
import { keepsFractions } from "../../src/transfer/time-precision.ts";
import { fakeRsyncVersion } from "../support/sshd-without-rsync.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

let current: TestSshd;
let old: TestSshd;
let coarse: TestSshd;
let gpu: ResolvedHost;
let legacy: ResolvedHost;
let fat: ResolvedHost;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-nanoseconds-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  [current, old, coarse] = await Promise.all([
    startSshd(),
    startSshd(),
    startSshd(),
  ]);
  await Promise.all([
    fakeRsyncVersion(old, "3.1.2"),
    // rsync is new enough, but the file system keeps whole seconds.
    fakeRsyncVersion(coarse, "3.5.0", { wholeSecondStat: true }),
  ]);
  gpu = toResolvedHost("gpu", parseHostSpec(current.hostSpec));
  legacy = toResolvedHost("legacy", parseHostSpec(old.hostSpec));
  fat = toResolvedHost("fat", parseHostSpec(coarse.hostSpec));
});

after(async () => {
  await Promise.all([current.stop(), old.stop(), coarse.stop()]);
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

const SECOND = 1_767_225_600; // 2026-01-01T00:00:00Z

function writeAt(path: string, content: string, fraction: number): void {
  writeFileSync(path, content);
  utimesSync(path, SECOND + fraction, SECOND + fraction);
}

function on(host: ResolvedHost, path: string): Endpoint {
  return { kind: "host", name: host.label, host, path };
}

// Copies a one-file directory, rewrites the file within the same second,
// and copies again; returns the destination file's content.
async function rewriteWithinSecond(
  name: string,
  endpoints: (source: string, dest: string) => [Endpoint, Endpoint],
  opts: TransferOptions = {},
): Promise<string> {
  const source = join(work, `${name}-src`);
  const dest = join(work, `${name}-dest`);
  mkdirSync(source, { recursive: true });
  writeAt(join(source, "latest.txt"), "step_0100\n", 0.1);
  const [from, to] = endpoints(`${source}/`, `${dest}/`);
  const first = await transfer(from, to, opts);
  assert.equal(first.ok, true, first.message);
  writeAt(join(source, "latest.txt"), "step_0200\n", 0.9);
  const second = await transfer(from, to, opts);
  assert.equal(second.ok, true, second.message);
  return readFileSync(join(dest, "latest.txt"), "utf8");
}

test("upload resends same-second rewrite", async () => {
  const content = await rewriteWithinSecond("up", (source, dest) => [
    { kind: "local", path: source },
    on(gpu, dest),
  ]);
  assert.equal(content, "step_0200\n");
});

test("upload with delete resends it", async () => {
  const content = await rewriteWithinSecond(
    "up-delete",
    (source, dest) => [{ kind: "local", path: source }, on(gpu, dest)],
    { delete: true },
  );
  assert.equal(content, "step_0200\n");
});

test("download resends same-second rewrite", async () => {
  const content = await rewriteWithinSecond("down", (source, dest) => [
    on(gpu, source),
    { kind: "local", path: dest },
  ]);
  assert.equal(content, "step_0200\n");
});

test("old receiver never gets the flag", async () => {
  await copyWithoutFlag(legacy, "old");
});

test("whole-second receiver never gets it", async () => {
  await copyWithoutFlag(fat, "fat");
});

// The fake rsync on these hosts exits 99 when given --modify-window=-1.
async function copyWithoutFlag(
  host: ResolvedHost,
  name: string,
): Promise<void> {
  for (const opts of [{}, { delete: true }]) {
    const source = join(work, `${name}-src-${Object.keys(opts).length}`);
    mkdirSync(source, { recursive: true });
    writeAt(join(source, "latest.txt"), "step_0100\n", 0.1);
    const result = await transfer(
      { kind: "local", path: `${source}/` },
      on(host, join(work, `${name}-dest-${Object.keys(opts).length}/`)),
      opts,
    );
    assert.equal(result.ok, true, result.message);
    assert.equal(result.tool, "rsync");
  }
}

test("local file system precision is read", () => {
  assert.equal(keepsFractions(join(work, "not", "there", "yet")), true);
  assert.deepEqual(
    readdirSync(work).filter((name) => name.startsWith(".trainsh-mtime")),
    [],
  );
});
