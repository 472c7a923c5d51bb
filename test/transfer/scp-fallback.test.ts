// A host without rsync: transfers fall back to scp and keep the same
// trailing-slash rule, and options that need rsync are rejected.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { clearRsyncProbes } from "../../src/transfer/probe.ts";
import { transfer, TransferError } from "../../src/transfer/transfer.ts";
import { hashFile, hashTree, writeSampleTree } from "../support/file-tree.ts";
import { hideRsync } from "../support/sshd-without-rsync.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

let server: TestSshd;
let bare: ResolvedHost;
let work: string;
let tree: string;
let expected: Map<string, string>;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-scp-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  server = await startSshd();
  await hideRsync(server);
  bare = toResolvedHost("bare", parseHostSpec(server.hostSpec));
  tree = await writeSampleTree(join(work, "local", "tree"));
  expected = await hashTree(tree);
});

after(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

function local(path: string): Endpoint {
  return { kind: "local", path };
}

function on(path: string): Endpoint {
  return { kind: "host", name: "bare", host: bare, path };
}

async function assertNoStaging(dir: string): Promise<void> {
  const names = await readdir(dir);
  assert.deepEqual(
    names.filter((name) => name.startsWith(".trainsh-scp-")),
    [],
    `staging left in ${dir}`,
  );
}

// A copy does not ask the host for rsync first: the failed rsync attempt
// shows that rsync is missing, and the copy falls back to scp.
for (const direction of ["upload", "download"] as const) {
  test(`unprobed ${direction} falls back`, async () => {
    clearRsyncProbes();
    const dest = join(
      work,
      direction === "upload" ? "remote" : "local",
      `unprobed-${direction}`,
    );
    const result =
      direction === "upload"
        ? await transfer(local(tree), on(dest))
        : await transfer(on(tree), local(dest));
    assert.equal(result.ok, true, result.message);
    assert.equal(result.tool, "scp");
    assert.match(result.message, /verified 7 files/);
    assert.deepEqual(await hashTree(join(dest, "tree")), expected);
  });
}

test("upload without slash nests", async () => {
  const dest = join(work, "remote", "up1", "new");
  const result = await transfer(local(tree), on(dest));
  assert.equal(result.ok, true, result.message);
  assert.equal(result.tool, "scp");
  assert.match(result.message, /verified 7 files/);
  assert.deepEqual(await hashTree(join(dest, "tree")), expected);
  await assertNoStaging(dest);
});

test("upload with slash merges", async () => {
  const dest = join(work, "remote", "up2");
  await writeSampleTree(join(dest, "existing"));
  const result = await transfer(local(`${tree}/`), on(dest));
  assert.equal(result.ok, true, result.message);
  const landed = await hashTree(dest);
  for (const [path, hash] of expected)
    assert.equal(landed.get(path), hash, path);
  assert.ok(landed.has("existing/top.txt"), "existing files were kept");
  assert.equal(existsSync(join(dest, "tree")), false);
  await assertNoStaging(dest);
});

test("download both slash spellings", async () => {
  const remote = join(work, "remote", "src", "tree");
  await writeSampleTree(remote);
  const nested = join(work, "local", "down1");
  const merged = join(work, "local", "down2");
  const first = await transfer(on(remote), local(`${nested}/`));
  const second = await transfer(on(`${remote}/`), local(merged));
  assert.equal(first.ok, true, first.message);
  assert.equal(second.ok, true, second.message);
  assert.deepEqual(await hashTree(join(nested, "tree")), expected);
  assert.deepEqual(await hashTree(merged), expected);
});

test("file renamed by scp", async () => {
  const file = join(tree, `it's a "file".txt`);
  const dest = join(work, "remote", "files", "renamed.txt");
  const result = await transfer(local(file), on(dest));
  assert.equal(result.ok, true, result.message);
  assert.equal(await hashFile(dest), expected.get(`it's a "file".txt`));
});

test("delete needs rsync", async () => {
  const dest = join(work, "remote", "delete");
  await assert.rejects(
    transfer(local(`${tree}/`), on(dest), { delete: true }),
    (error: unknown) =>
      error instanceof TransferError &&
      /--delete/.test(error.message) &&
      /rsync is missing on @bare/.test(error.message),
  );
  assert.equal(existsSync(dest), false);
});
