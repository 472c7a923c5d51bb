// Copies over real rsync and two throwaway sshd servers on loopback. Both
// "hosts" are this machine, so each gets its own temp dir as a remote root.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { transfer } from "../../src/transfer/transfer.ts";
import {
  hashFile,
  hashTree,
  SAMPLE_FILES,
  writeSampleTree,
} from "../support/file-tree.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

let servers: TestSshd[] = [];
let gpuA: ResolvedHost;
let gpuB: ResolvedHost;
let work: string;
let tree: string;
let expected: Map<string, string>;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-transfer-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  servers = await Promise.all([startSshd(), startSshd()]);
  const [a, b] = servers as [TestSshd, TestSshd];
  gpuA = toResolvedHost("gpuA", parseHostSpec(a.hostSpec));
  gpuB = toResolvedHost("gpuB", parseHostSpec(b.hostSpec));
  tree = await writeSampleTree(join(work, "local", "tree"));
  expected = await hashTree(tree);
});

after(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

function local(path: string): Endpoint {
  return { kind: "local", path };
}

function on(host: ResolvedHost, path: string): Endpoint {
  return { kind: "host", name: host.label, host, path };
}

async function assertTree(dir: string): Promise<void> {
  assert.deepEqual(await hashTree(dir), expected, `files under ${dir}`);
}

describe("local to host", () => {
  test("directory without slash nests", async () => {
    const dest = join(work, "remoteA", "up1");
    const result = await transfer(local(tree), on(gpuA, dest));
    assert.equal(result.ok, true, result.message);
    assert.equal(result.tool, "rsync");
    assert.match(result.message, /verified 7 files/);
    await assertTree(join(dest, "tree"));
  });

  test("directory with slash merges", async () => {
    const dest = join(work, "remoteA", "up2", "missing", "parents");
    const result = await transfer(local(`${tree}/`), on(gpuA, dest));
    assert.equal(result.ok, true, result.message);
    await assertTree(dest);
    assert.equal(existsSync(join(dest, "tree")), false);
  });

  test("file renamed or placed inside", async () => {
    const file = join(tree, `it's a "file".txt`);
    const renamed = join(work, "remoteA", "files", "new name's.txt");
    const inside = join(work, "remoteA", "files", "dir with space");
    const first = await transfer(local(file), on(gpuA, renamed));
    const second = await transfer(local(file), on(gpuA, `${inside}/`));
    assert.equal(first.ok, true, first.message);
    assert.equal(second.ok, true, second.message);
    assert.equal(await hashFile(renamed), expected.get(`it's a "file".txt`));
    assert.equal(
      await hashFile(join(inside, `it's a "file".txt`)),
      expected.get(`it's a "file".txt`),
    );
  });

  test("progress reaches the callback", async () => {
    const big = join(work, "local", "big.bin");
    await writeFile(big, Buffer.alloc(8_000_000, 7));
    const seen: number[] = [];
    const result = await transfer(
      local(big),
      on(gpuA, join(work, "remoteA", "big/")),
      {
        onProgress: (progress) => seen.push(progress.bytes),
      },
    );
    assert.equal(result.ok, true, result.message);
    assert.equal(result.bytes, 8_000_000);
    assert.ok(seen.length > 0, "no progress reported");
    assert.equal(seen.at(-1), 8_000_000);
  });
});

describe("host to local", () => {
  test("directory without slash nests", async () => {
    const remote = join(work, "remoteA", "src1");
    await writeSampleTree(join(remote, "tree"));
    const dest = join(work, "local", "down1");
    const result = await transfer(on(gpuA, join(remote, "tree")), local(dest));
    assert.equal(result.ok, true, result.message);
    await assertTree(join(dest, "tree"));
  });

  test("directory with slash merges", async () => {
    const remote = join(work, "remoteA", "src2", "tree");
    await writeSampleTree(remote);
    const dest = join(work, "local", "down2", "a", "b");
    const result = await transfer(on(gpuA, `${remote}/`), local(`${dest}/`));
    assert.equal(result.ok, true, result.message);
    await assertTree(dest);
  });

  test("tilde path means remote home", async () => {
    const name = `trainsh-transfer-test-${process.pid}`;
    const home = join(homedir(), name);
    await writeSampleTree(home);
    try {
      const dest = join(work, "local", "from-home");
      const result = await transfer(on(gpuA, `~/${name}/`), local(dest));
      assert.equal(result.ok, true, result.message);
      await assertTree(dest);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("glob characters stay literal", async () => {
    const remote = join(work, "remoteA", "globs");
    await writeSampleTree(join(remote, "run*"));
    await writeSampleTree(join(remote, "run-other"));
    const dest = join(work, "local", "globs");
    const result = await transfer(
      on(gpuA, join(remote, "run*")),
      local(`${dest}/`),
    );
    assert.equal(result.ok, true, result.message);
    await assertTree(join(dest, "run*"));
    assert.equal(existsSync(join(dest, "run-other")), false);
  });
});

describe("host to host", () => {
  test("relay without slash nests", async () => {
    const remote = join(work, "remoteA", "relay1", "tree");
    await writeSampleTree(remote);
    const dest = join(work, "remoteB", "relay1");
    const result = await transfer(on(gpuA, remote), on(gpuB, dest));
    assert.equal(result.ok, true, result.message);
    assert.equal(result.tool, "rsync-relay");
    await assertTree(join(dest, "tree"));
  });

  test("relay with slash merges", async () => {
    const remote = join(work, "remoteA", "relay2", "tree");
    await writeSampleTree(remote);
    const dest = join(work, "remoteB", "relay2", "into");
    const result = await transfer(on(gpuA, `${remote}/`), on(gpuB, dest));
    assert.equal(result.ok, true, result.message);
    await assertTree(dest);
    assert.equal(existsSync(join(dest, "tree")), false);
  });

  test("relay renames a file", async () => {
    const remote = join(work, "remoteA", "relay3", "ckpt.pt");
    await writeSampleTree(join(work, "remoteA", "relay3"));
    await writeFile(remote, SAMPLE_FILES["nested/deeper/data.bin"] ?? "");
    const dest = join(work, "remoteB", "relay3", "renamed.pt");
    const result = await transfer(on(gpuA, remote), on(gpuB, dest));
    assert.equal(result.ok, true, result.message);
    assert.equal(await hashFile(dest), expected.get("nested/deeper/data.bin"));
  });
});
