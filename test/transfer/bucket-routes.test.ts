// Every pair of endpoint kinds (local, two hosts, an S3-compatible bucket, a
// local storage) moves a tree with nested folders, an empty file, awkward
// names and a 200 MB file, for both trailing-slash spellings. Real rsync,
// rclone, sshd and s3rver, all on loopback.
import assert from "node:assert/strict";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { SecretsProvider } from "../../src/secrets/provider.ts";
import type { Storage } from "../../src/storage/storage.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { transfer } from "../../src/transfer/transfer.ts";
import { hashBucket, rawRclone } from "../support/bucket-files.ts";
import { writeBigFile } from "../support/big-file.ts";
import { hashTree, writeSampleTree } from "../support/file-tree.ts";
import { startS3rver, type TestS3 } from "../support/s3rver.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

type Kind = "local" | "hostA" | "hostB" | "bucket" | "disk";
const KINDS: Kind[] = ["local", "hostA", "hostB", "bucket", "disk"];

let work: string;
let s3: TestS3;
let servers: TestSshd[] = [];
let hosts: Record<"hostA" | "hostB", ResolvedHost>;
let bucket: Storage;
let disk: Storage;
const expected = new Map<string, Map<string, string>>();

const secrets: SecretsProvider = {
  get: (name) =>
    ({
      LAB_ACCESS_KEY_ID: "S3RVER",
      LAB_SECRET_ACCESS_KEY: "lab-secret-value",
    })[name],
};

// Hosts and local paths live under `work`; each kind has its own root.
function root(kind: Exclude<Kind, "bucket">): string {
  return join(work, kind);
}

function endpoint(kind: Kind, path: string): Endpoint {
  if (kind === "local")
    return {
      kind: "local",
      path: join(root(kind), path) + (path.endsWith("/") ? "/" : ""),
    };
  if (kind === "bucket")
    return { kind: "storage", name: "lab", storage: bucket, path };
  if (kind === "disk")
    return { kind: "storage", name: "disk", storage: disk, path };
  return {
    kind: "host",
    name: kind,
    host: hosts[kind],
    path: join(root(kind), path) + (path.endsWith("/") ? "/" : ""),
  };
}

async function hashesAt(
  kind: Kind,
  path: string,
): Promise<Map<string, string>> {
  if (kind === "bucket") return hashBucket(s3, path);
  return hashTree(join(root(kind), path));
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-bucket-routes-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  s3 = await startS3rver();
  servers = await Promise.all([startSshd(), startSshd()]);
  const [a, b] = servers as [TestSshd, TestSshd];
  hosts = {
    hostA: toResolvedHost("hostA", parseHostSpec(a.hostSpec)),
    hostB: toResolvedHost("hostB", parseHostSpec(b.hostSpec)),
  };
  bucket = {
    name: "lab",
    type: "s3",
    bucket: s3.bucket,
    endpoint: s3.endpoint,
  };
  disk = { name: "disk", type: "local", path: root("disk") };

  const small = await writeSampleTree(join(work, "seed", "small"));
  const big = await writeSampleTree(join(work, "seed", "big"));
  await writeBigFile(join(big, "ckpt", "model 200MB.bin"), 200_000_000);
  expected.set("small", await hashTree(small));
  expected.set("big", await hashTree(big));
  for (const kind of ["local", "hostA", "hostB", "disk"] as const) {
    await cp(join(work, "seed"), join(root(kind), "src"), { recursive: true });
  }
  await rawRclone(s3, ["copy", join(work, "seed"), `raw:${s3.bucket}/src`]);
});

after(async () => {
  await Promise.all([s3?.stop(), ...servers.map((server) => server.stop())]);
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

// The 200 MB tree goes without the slash, the small tree with it, so every
// pair moves the big file once and checks both spellings.
for (const from of KINDS) {
  for (const to of KINDS) {
    if (from === to) continue;
    describe(`${from} to ${to}`, () => {
      test("directory without slash nests", async () => {
        const dest = `dst/${from}-${to}/nest`;
        const result = await transfer(
          endpoint(from, "src/big"),
          endpoint(to, dest),
          { secrets },
        );
        assert.equal(result.ok, true, result.message);
        assert.deepEqual(
          await hashesAt(to, `${dest}/big`),
          expected.get("big"),
        );
      });

      test("directory with slash merges", async () => {
        const dest = `dst/${from}-${to}/merge`;
        const result = await transfer(
          endpoint(from, "src/small/"),
          endpoint(to, dest),
          { secrets },
        );
        assert.equal(result.ok, true, result.message);
        assert.deepEqual(await hashesAt(to, dest), expected.get("small"));
      });
    });
  }
}
