// Host to host copies over three loopback sshd servers. @gpuA has its own
// ssh client key and known_hosts: @gpuB accepts that key and is in that
// known_hosts, so A -> B takes the direct hop. @gpuC accepts the key but its
// host key is unknown to A, and @gpuB has no own key that A accepts, so
// A -> C and B -> A relay through this machine.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { hopTargetOf } from "../../src/transfer/hop.ts";
import { transfer, type TransferResult } from "../../src/transfer/transfer.ts";
import { hashTree, writeSampleTree } from "../support/file-tree.ts";
import {
  authorizeOnly,
  giveOwnSsh,
  trustFrom,
} from "../support/sshd-own-ssh.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

let servers: TestSshd[] = [];
let gpuA: ResolvedHost;
let gpuB: ResolvedHost;
let gpuC: ResolvedHost;
let work: string;
let expected: Map<string, string>;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-hop-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  servers = await Promise.all([startSshd(), startSshd(), startSshd()]);
  const [a, b, c] = servers as [TestSshd, TestSshd, TestSshd];
  const own = await giveOwnSsh(a);
  await trustFrom(own, b);
  await authorizeOnly(own, c);
  gpuA = toResolvedHost("gpuA", parseHostSpec(a.hostSpec));
  gpuB = toResolvedHost("gpuB", parseHostSpec(b.hostSpec));
  gpuC = toResolvedHost("gpuC", parseHostSpec(c.hostSpec));
  expected = await hashTree(await writeSampleTree(join(work, "expected")));
});

after(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

function on(host: ResolvedHost, path: string): Endpoint {
  return { kind: "host", name: host.label, host, path };
}

// Collects the TRAINSH_DEBUG=1 lines that one transfer writes to stderr.
async function transferWithDebug(
  source: Endpoint,
  destination: Endpoint,
): Promise<{ result: TransferResult; debug: string[] }> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.env.TRAINSH_DEBUG = "1";
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    lines.push(...String(chunk).split("\n"));
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await transfer(source, destination), debug: lines };
  } finally {
    process.stderr.write = write;
    delete process.env.TRAINSH_DEBUG;
  }
}

describe("direct hop", () => {
  test("copies without local staging", async () => {
    const source = await writeSampleTree(join(work, "remoteA", "hop1", "tree"));
    const dest = join(work, "remoteB", "hop1");
    const { result, debug } = await transferWithDebug(
      on(gpuA, source),
      on(gpuB, dest),
    );
    assert.equal(result.ok, true, result.message);
    assert.equal(result.tool, "rsync-hop");
    assert.match(result.message, /rsync ran on @gpuA/);
    assert.match(result.message, /verified 7 files/);
    assert.deepEqual(await hashTree(join(dest, "tree")), expected);

    const rsyncRuns = debug.filter((line) => / \$ .*\brsync -rlt\b/.test(line));
    assert.ok(
      rsyncRuns.length >= 2,
      `copy and verification:\n${debug.join("\n")}`,
    );
    for (const line of rsyncRuns) {
      assert.match(line, / gpuA \$ ssh /, "rsync runs on @gpuA");
      assert.doesNotMatch(line, /trainsh-relay-/, "no local staging");
    }
  });

  test("dry run names the hop", async () => {
    const source = await writeSampleTree(join(work, "remoteA", "hop2", "tree"));
    const dest = join(work, "remoteB", "hop2");
    const result = await transfer(on(gpuA, `${source}/`), on(gpuB, dest), {
      dryRun: true,
    });
    assert.equal(result.ok, true, result.message);
    assert.ok(
      result.plan.includes(
        "route: direct, rsync runs on @gpuA and pushes to @gpuB over @gpuA's own ssh",
      ),
      result.plan.join("\n"),
    );
    assert.ok(
      result.plan.some((line) => line.startsWith("command (runs on @gpuA): ")),
      result.plan.join("\n"),
    );
    assert.ok(
      result.plan.some((line) => line.startsWith("would copy: 7 files")),
      result.plan.join("\n"),
    );
  });
});

describe("relay fallback", () => {
  test("unknown host key relays", async () => {
    const source = await writeSampleTree(join(work, "remoteA", "key1", "tree"));
    const dest = join(work, "remoteC", "key1");
    const result = await transfer(on(gpuA, source), on(gpuC, dest));
    assert.equal(result.ok, true, result.message);
    assert.equal(result.tool, "rsync-relay");
    assert.ok(
      result.plan.includes(
        "route: relayed through this machine, because the host key of @gpuC is not in @gpuA's known_hosts (or differs from it), and host key checking stays on",
      ),
      result.plan.join("\n"),
    );
    assert.deepEqual(await hashTree(join(dest, "tree")), expected);
  });

  test("source without own access relays", async () => {
    const source = await writeSampleTree(join(work, "remoteB", "key2", "tree"));
    const dest = join(work, "remoteA", "key2");
    const result = await transfer(on(gpuB, source), on(gpuA, dest), {
      dryRun: true,
    });
    assert.equal(result.ok, true, result.message);
    assert.ok(
      result.plan.some((line) =>
        line.startsWith("route: relayed through this machine, because "),
      ),
      result.plan.join("\n"),
    );
    assert.ok(
      result.plan.some((line) => line.includes("into local staging")),
      result.plan.join("\n"),
    );
  });
});

describe("relay delete limit", () => {
  test("over the limit rejects the upload", async () => {
    const source = await writeSampleTree(join(work, "remoteB", "lim", "tree"));
    const dest = await writeSampleTree(join(work, "remoteA", "lim"));
    await writeFile(join(dest, "stale.txt"), "stale\n");
    const before = await hashTree(dest);
    const dry = await transfer(on(gpuB, `${source}/`), on(gpuA, `${dest}/`), {
      delete: true,
      maxDelete: 0,
      dryRun: true,
    });
    assert.ok(
      dry.plan.some((line) =>
        line.includes(
          "delete limit: the deletions are counted after the download",
        ),
      ),
      dry.plan.join("\n"),
    );
    const result = await transfer(
      on(gpuB, `${source}/`),
      on(gpuA, `${dest}/`),
      { delete: true, maxDelete: 0 },
    );
    assert.equal(result.ok, false, result.message);
    assert.match(
      result.message,
      /Upload from local staging failed: Rejected --delete: it would delete 1 entry .*stale\.txt.*Nothing was copied to @gpuA:/s,
    );
    assert.deepEqual(await hashTree(dest), before);
  });
});

describe("hop target", () => {
  test("keeps user, address and port", () => {
    const host = toResolvedHost(
      "h",
      parseHostSpec("root@203.0.113.7 -p 2222 -i /k -o IdentitiesOnly=yes"),
    );
    assert.equal(host.kind, "ssh");
    if (host.kind !== "ssh") return;
    assert.deepEqual(hopTargetOf(host), {
      destination: "root@203.0.113.7",
      port: 2222,
    });
  });

  test("rejects alias and jump host", () => {
    for (const spec of ["gpu-box", "root@10.0.0.5 -J bastion"]) {
      const host = toResolvedHost("h", parseHostSpec(spec));
      if (host.kind !== "ssh") assert.fail(spec);
      assert.ok("unusable" in hopTargetOf(host), spec);
    }
  });
});
