// Bucket transfers when things go wrong or need care: a host without
// rclone, a cut ssh connection, --delete from an empty source, dry runs,
// and credentials that must stay out of argv and off the host.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { SecretsProvider } from "../../src/secrets/provider.ts";
import type { Storage } from "../../src/storage/storage.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { transfer, TransferError } from "../../src/transfer/transfer.ts";
import { hashBucket, rawRclone } from "../support/bucket-files.ts";
import { writeBigFile } from "../support/big-file.ts";
import { hashFile, hashTree, writeSampleTree } from "../support/file-tree.ts";
import { startS3rver, type TestS3 } from "../support/s3rver.ts";
import { hideCommands } from "../support/sshd-without-rsync.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

const SECRET = "faults-secret-7f3a9c";
const BIG = 200_000_000;

let work: string;
let s3: TestS3;
let withRclone: TestSshd;
let withoutRclone: TestSshd;
let gpu: ResolvedHost;
let bare: ResolvedHost;
let bucket: Storage;
let tree: string;
let bigFile: string;

const secrets: SecretsProvider = {
  get: (name) =>
    ({ LAB_ACCESS_KEY_ID: "S3RVER", LAB_SECRET_ACCESS_KEY: SECRET })[name],
};

function at(path: string): Endpoint {
  return { kind: "storage", name: "lab", storage: bucket, path };
}

function on(host: ResolvedHost, path: string): Endpoint {
  return { kind: "host", name: host.label, host, path };
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-bucket-faults-"));
  process.env.TRAINSH_CONTROL_DIR = await mkdtemp("/tmp/tcm-");
  s3 = await startS3rver();
  [withRclone, withoutRclone] = await Promise.all([startSshd(), startSshd()]);
  await hideCommands(withoutRclone, ["rclone"]);
  gpu = toResolvedHost("gpu", parseHostSpec(withRclone.hostSpec));
  bare = toResolvedHost("bare", parseHostSpec(withoutRclone.hostSpec));
  bucket = {
    name: "lab",
    type: "s3",
    bucket: s3.bucket,
    endpoint: s3.endpoint,
  };
  tree = await writeSampleTree(join(work, "tree"));
  bigFile = join(work, "big", "step_50000.pt");
  await writeBigFile(bigFile, BIG);
});

after(async () => {
  await Promise.all([s3?.stop(), withRclone?.stop(), withoutRclone?.stop()]);
  await rm(work, { recursive: true, force: true });
  await rm(process.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

test("host without rclone relays locally", async () => {
  const result = await transfer(on(bare, `${tree}/`), at("relayed/"), {
    secrets,
  });
  assert.equal(result.ok, true, result.message);
  assert.equal(result.tool, "rclone-relay");
  assert.match(result.message, /Relayed through this machine/);
  assert.deepEqual(await hashBucket(s3, "relayed"), await hashTree(tree));
});

test("bucket to host without rclone", async () => {
  const dest = join(work, "bare-down");
  const result = await transfer(at("relayed/"), on(bare, dest), { secrets });
  assert.equal(result.ok, true, result.message);
  assert.equal(result.tool, "rclone-relay");
  assert.deepEqual(await hashTree(dest), await hashTree(tree));
});

test("host with rclone runs it there", async () => {
  const before = tempConfigFiles();
  const result = await transfer(on(gpu, `${tree}/`), at("on-host/"), {
    secrets,
  });
  assert.equal(result.ok, true, result.message);
  assert.equal(result.tool, "rclone");
  assert.match(result.plan[0] ?? "", /on @gpu/);
  assert.deepEqual(
    tempConfigFiles(),
    before,
    "a config file was left on the host",
  );
  for (const line of result.plan) assert.ok(!line.includes(SECRET), line);
});

// The test hosts share this machine's /tmp, where the host script puts its config.
function tempConfigFiles(): string[] {
  return readdirSync(tmpdir()).filter((name) =>
    name.startsWith("trainsh-rclone."),
  );
}

test("cut download then retried", async () => {
  await rawRclone(s3, [
    "copyto",
    bigFile,
    `raw:${s3.bucket}/ckpt/step_50000.pt`,
  ]);
  const dest = join(work, "cut");
  const final = join(dest, "ckpt", "step_50000.pt");
  const staging = join(dest, ".trainsh-partial-ckpt");
  const cut = await transfer(at("ckpt"), on(gpu, `${dest}/`), {
    secrets,
    bwlimitKBps: 20_480,
    onProgress: (progress) => {
      if (progress.bytes > 30_000_000) killRcloneSsh();
    },
  });
  assert.equal(cut.ok, false, cut.message);
  assert.match(cut.message, /connection to @gpu was lost|interrupted/);
  assert.equal(existsSync(final), false, "a truncated file has the final name");
  assert.ok(existsSync(staging), "no staging directory after the cut");

  await waitForRemoteRclone();
  const retry = await transfer(at("ckpt"), on(gpu, `${dest}/`), { secrets });
  assert.equal(retry.ok, true, retry.message);
  assert.equal(await hashFile(final), await hashFile(bigFile));
  assert.equal(existsSync(staging), false, "staging was left behind");
});

// Kills the ssh that this process started for the host's rclone, as a
// dropped link would. Other test files run their own at the same time.
function killRcloneSsh(): void {
  const ours = processesMatching(
    (argv) =>
      argv[0] === "ssh" && argv.some((a) => a.includes("trainsh-rclone")),
  ).filter((pid) => parentOf(pid) === process.pid);
  for (const pid of ours) process.kill(pid, "SIGKILL");
}

function killHostRclone(object: string): void {
  const running = processesMatching(
    (argv) =>
      argv[0] === "rclone" &&
      argv.includes("--config") &&
      argv.some((arg) => arg.endsWith(object)),
  );
  for (const pid of running) process.kill(pid, "SIGKILL");
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The parent pid is the second field after the command name, which is in
    // parentheses and may contain spaces.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function processesMatching(match: (argv: string[]) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (match(argv)) found.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

// The host's rclone may go on for a while after its ssh is gone (it did
// here, to the end of the file), so the retry waits for it to end.
async function waitForRemoteRclone(): Promise<void> {
  const deadline = Date.now() + 10_000;
  const running = () =>
    processesMatching(
      (argv) => argv[0] === "rclone" && argv.includes("--config"),
    ).length > 0;
  while (running() && Date.now() < deadline)
    await new Promise((done) => setTimeout(done, 100));
}

// S3 creates no object from a PUT cut short, but s3rver stores the
// truncated body, so this upload is made multipart (as any file above
// rclone's 200 MiB cutoff is), where both create the object only at the end.
test("cut upload leaves no object", async (t) => {
  process.env.RCLONE_S3_UPLOAD_CUTOFF = "20M";
  t.after(() => delete process.env.RCLONE_S3_UPLOAD_CUTOFF);
  const controller = new AbortController();
  const cut = await transfer({ kind: "local", path: bigFile }, at("cut-up/"), {
    secrets,
    signal: controller.signal,
    bwlimitKBps: 20_480,
    onProgress: (progress) => {
      if (progress.bytes > 30_000_000) controller.abort();
    },
  });
  assert.equal(cut.ok, false, cut.message);
  assert.match(cut.message, /interrupted/);
  const listed = await rawRclone(s3, ["lsf", "-R", `raw:${s3.bucket}/cut-up`]);
  assert.equal(listed.trim(), "", "an object exists after the cut upload");

  const retry = await transfer(
    { kind: "local", path: bigFile },
    at("cut-up/"),
    { secrets },
  );
  assert.equal(retry.ok, true, retry.message);
  assert.deepEqual(
    await hashBucket(s3, "cut-up"),
    new Map([["step_50000.pt", await hashFile(bigFile)]]),
  );
});

test("delete from empty directory rejected", async () => {
  await rawRclone(s3, ["copy", tree, `raw:${s3.bucket}/keep`]);
  const empty = join(work, "empty-dir");
  await mkdir(empty, { recursive: true });
  await assert.rejects(
    transfer({ kind: "local", path: `${empty}/` }, at("keep/"), {
      secrets,
      delete: true,
    }),
    (error: unknown) =>
      error instanceof TransferError && /Rejected --delete/.test(error.message),
  );
  assert.deepEqual(await hashBucket(s3, "keep"), await hashTree(tree));
});

test("delete from empty bucket rejected", async () => {
  const local = join(work, "keep-local");
  await writeSampleTree(local);
  await assert.rejects(
    transfer(
      at("no-such-prefix/"),
      { kind: "local", path: `${local}/` },
      { secrets, delete: true },
    ),
    (error: unknown) =>
      error instanceof TransferError && /Rejected --delete/.test(error.message),
  );
  assert.deepEqual(await hashTree(local), await hashTree(tree));
});

test("delete removes extra objects", async () => {
  await rawRclone(s3, ["copy", tree, `raw:${s3.bucket}/mirror`]);
  await writeFile(join(work, "extra.txt"), "extra\n");
  await rawRclone(s3, [
    "copyto",
    join(work, "extra.txt"),
    `raw:${s3.bucket}/mirror/extra.txt`,
  ]);
  const dry = await transfer(
    { kind: "local", path: `${tree}/` },
    at("mirror"),
    { secrets, delete: true, dryRun: true },
  );
  assert.ok(
    dry.plan.includes("would delete: 1 (extra.txt)"),
    dry.plan.join("\n"),
  );
  const result = await transfer(
    { kind: "local", path: `${tree}/` },
    at("mirror"),
    { secrets, delete: true },
  );
  assert.equal(result.ok, true, result.message);
  assert.deepEqual(await hashBucket(s3, "mirror"), await hashTree(tree));
});

test("dry run prints the sample", async () => {
  const result = await transfer(
    { kind: "local", path: bigFile },
    at("plans/"),
    { secrets, dryRun: true },
  );
  assert.equal(result.tool, "none");
  assert.ok(
    result.plan.includes(`sample: ${bigFile} -> @lab:plans/step_50000.pt`),
    result.plan.join("\n"),
  );
  assert.ok(
    result.plan.includes(`would copy: 1 file, ${BIG} bytes`),
    result.plan.join("\n"),
  );
  assert.equal(
    (await rawRclone(s3, ["lsf", "-R", `raw:${s3.bucket}/plans`])).trim(),
    "",
  );
});

test("bucket to bucket server side", async () => {
  const other: Storage = { ...bucket, name: "lab2" } as Storage;
  const result = await transfer(
    at("keep/"),
    { kind: "storage", name: "lab2", storage: other, path: "copied/" },
    {
      secrets: { get: (name) => secrets.get(name.replace("LAB2_", "LAB_")) },
    },
  );
  assert.equal(result.ok, true, result.message);
  // One remote for both storages is what lets rclone copy server-side.
  assert.ok(
    result.plan.some((line) =>
      /rclone copy -- lab:train-test\/keep\/ lab:train-test\/copied$/.test(
        line,
      ),
    ),
    result.plan.join("\n"),
  );
  assert.deepEqual(await hashBucket(s3, "copied"), await hashTree(tree));
});

test("bucket over max-delete unchanged", async () => {
  await rawRclone(s3, ["copy", tree, `raw:${s3.bucket}/limited`]);
  for (const name of ["stale-a.txt", "stale-b.txt"])
    await rawRclone(s3, [
      "copyto",
      join(tree, "top.txt"),
      `raw:${s3.bucket}/limited/${name}`,
    ]);
  const before = await hashBucket(s3, "limited");
  const rejected = await transfer(
    { kind: "local", path: `${tree}/` },
    at("limited"),
    { secrets, delete: true, maxDelete: 1 },
  );
  assert.equal(rejected.ok, false, rejected.message);
  assert.match(
    rejected.message,
    /would delete 2 entries at @lab:limited \(stale-a\.txt, stale-b\.txt\), more than --max-delete 1/,
  );
  assert.deepEqual(await hashBucket(s3, "limited"), before);

  const allowed = await transfer(
    { kind: "local", path: `${tree}/` },
    at("limited"),
    { secrets, delete: true, maxDelete: 2 },
  );
  assert.equal(allowed.ok, true, allowed.message);
  assert.deepEqual(await hashBucket(s3, "limited"), await hashTree(tree));
});

// Cuts a single-file download from the bucket once 30 MB have arrived and
// returns the staged partial file, which must exist under its staging name.
async function cutFileDownload(
  object: string,
  destination: Endpoint,
  stagedPath: string,
  cut: (controller: AbortController) => void,
): Promise<number> {
  const controller = new AbortController();
  const result = await transfer(at(object), destination, {
    secrets,
    bwlimitKBps: 20_480,
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.bytes > 30_000_000) cut(controller);
    },
  });
  assert.equal(result.ok, false, result.message);
  await waitForRemoteRclone();
  assert.ok(existsSync(stagedPath), `no partial file at ${stagedPath}`);
  const size = statSync(stagedPath).size;
  assert.ok(size > 0, "the partial file is empty");
  assert.ok(size < BIG, `the partial file is already whole (${size} bytes)`);
  return size;
}

test("cut file download resumes", async () => {
  await rawRclone(s3, ["copyto", bigFile, `raw:${s3.bucket}/resume/a.pt`]);
  const dest = join(work, "resume-local");
  const final = join(dest, "a.pt");
  const staged = join(dest, ".trainsh-partial-a.pt", "a.pt");
  const partial = await cutFileDownload(
    "resume/a.pt",
    { kind: "local", path: `${dest}/` },
    staged,
    (controller) => controller.abort(),
  );
  assert.equal(existsSync(final), false, "a truncated file has the final name");

  const seen: number[] = [];
  const retry = await transfer(
    at("resume/a.pt"),
    { kind: "local", path: `${dest}/` },
    {
      secrets,
      bwlimitKBps: 102_400,
      onProgress: (progress) => seen.push(progress.bytes),
    },
  );
  assert.equal(retry.ok, true, retry.message);
  assert.ok(
    seen.some((bytes) => bytes > 0),
    "the resumed download reported no progress",
  );
  assert.match(
    retry.message,
    new RegExp(`resumed a partial download at ${partial} of ${BIG} bytes`),
  );
  assert.match(retry.message, /its MD5 matches the source/);
  assert.equal(await hashFile(final), await hashFile(bigFile));
  // The object keeps the upload's modification time, and so does the file.
  const drift = statSync(final).mtimeMs - statSync(bigFile).mtimeMs;
  assert.ok(Math.abs(drift) < 1, `the modification time is off by ${drift} ms`);
  assert.equal(existsSync(staged), false, "the staged file was left behind");
});

test("cut host file download resumes", async () => {
  await rawRclone(s3, ["copyto", bigFile, `raw:${s3.bucket}/resume/b.pt`]);
  const dest = join(work, "resume-host");
  const staged = join(dest, ".trainsh-partial-b.pt", "b.pt");
  // The host's rclone outlives a cut ssh, so the host itself fails here:
  // its rclone is killed, as a crash or a reboot would.
  await cutFileDownload("resume/b.pt", on(gpu, `${dest}/`), staged, () =>
    killHostRclone("resume/b.pt"),
  );
  const retry = await transfer(at("resume/b.pt"), on(gpu, `${dest}/`), {
    secrets,
  });
  assert.equal(retry.ok, true, retry.message);
  assert.match(retry.message, /resumed a partial download at \d+ of/);
  assert.equal(await hashFile(join(dest, "b.pt")), await hashFile(bigFile));
});

test("corrupt partial download restarts", async () => {
  await rawRclone(s3, ["copyto", bigFile, `raw:${s3.bucket}/resume/c.pt`]);
  const dest = join(work, "resume-corrupt");
  const staged = join(dest, ".trainsh-partial-c.pt", "c.pt");
  await cutFileDownload(
    "resume/c.pt",
    { kind: "local", path: `${dest}/` },
    staged,
    (controller) => controller.abort(),
  );
  const handle = await open(staged, "r+");
  await handle.write(Buffer.from("not the object's bytes"), 0, undefined, 0);
  await handle.close();

  const rejected = await transfer(
    at("resume/c.pt"),
    { kind: "local", path: `${dest}/` },
    { secrets },
  );
  assert.equal(rejected.ok, false, rejected.message);
  assert.match(rejected.message, /MD5 differs/);
  assert.equal(existsSync(join(dest, "c.pt")), false);
  assert.equal(existsSync(staged), false, "the bad partial file was kept");

  const fresh = await transfer(
    at("resume/c.pt"),
    { kind: "local", path: `${dest}/` },
    { secrets },
  );
  assert.equal(fresh.ok, true, fresh.message);
  assert.doesNotMatch(fresh.message, /resumed/);
  assert.equal(await hashFile(join(dest, "c.pt")), await hashFile(bigFile));
});

test("relay dry run defers deletions", async () => {
  const result = await transfer(on(bare, `${tree}/`), at("relay-limit/"), {
    secrets,
    delete: true,
    maxDelete: 3,
    dryRun: true,
  });
  assert.ok(
    result.plan.includes(
      "would delete at @lab:relay-limit/: known only after the download (files there that the source lacks)",
    ),
    result.plan.join("\n"),
  );
  assert.ok(
    result.plan.some((line) =>
      line.startsWith("delete limit: the deletions are counted"),
    ),
    result.plan.join("\n"),
  );
  assert.ok(
    !result.plan.some((line) => line.trim() === "would delete: nothing"),
    result.plan.join("\n"),
  );
});

test("rerun leaves no staging directory", async () => {
  await rawRclone(s3, ["copy", tree, `raw:${s3.bucket}/rerun`]);
  const parent = join(work, "rerun-parent");
  const dest = join(parent, "data");
  for (let run = 0; run < 2; run++) {
    const result = await transfer(
      at("rerun/"),
      { kind: "local", path: `${dest}/` },
      { secrets },
    );
    assert.equal(result.ok, true, result.message);
    const left = readdirSync(parent).filter((name) =>
      name.startsWith(".trainsh-partial-"),
    );
    assert.deepEqual(left, [], `run ${run + 1} left ${left.join(", ")}`);
  }
  assert.deepEqual(await hashTree(dest), await hashTree(tree));
});

test("exclude with file source rejected", async () => {
  await assert.rejects(
    transfer({ kind: "local", path: bigFile }, at("excluded/"), {
      secrets,
      exclude: ["*.pt"],
    }),
    (error: unknown) =>
      error instanceof TransferError &&
      /it is a single file, and --exclude filters/.test(error.message),
  );
});

test("abort stops the host rclone", async () => {
  await rawRclone(s3, ["copyto", bigFile, `raw:${s3.bucket}/abort/d.pt`]);
  const dest = join(work, "abort-host");
  const controller = new AbortController();
  const cut = await transfer(at("abort/d.pt"), on(gpu, `${dest}/`), {
    secrets,
    bwlimitKBps: 20_480,
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.bytes > 30_000_000) controller.abort();
    },
  });
  assert.equal(cut.ok, false, cut.message);
  const running = () =>
    processesMatching(
      (argv) =>
        argv[0] === "rclone" &&
        argv.includes("--config") &&
        argv.some((arg) => arg.endsWith("abort/d.pt")),
    );
  const deadline = Date.now() + 5000;
  while (running().length > 0 && Date.now() < deadline)
    await new Promise((done) => setTimeout(done, 100));
  assert.deepEqual(running(), [], "the host's rclone still runs");

  const retry = await transfer(at("abort/d.pt"), on(gpu, `${dest}/`), {
    secrets,
  });
  assert.equal(retry.ok, true, retry.message);
  assert.match(retry.message, /resumed a partial download/);
  assert.equal(await hashFile(join(dest, "d.pt")), await hashFile(bigFile));
});

test("nested paths in one bucket rejected", async () => {
  await rawRclone(s3, ["copy", tree, `raw:${s3.bucket}/nest/src`]);
  const before = await hashBucket(s3, "nest");
  await assert.rejects(
    transfer(at("nest/src/"), at("nest/src/out/"), { secrets }),
    (error: unknown) =>
      error instanceof TransferError &&
      /the destination is inside the source in the same bucket/.test(
        error.message,
      ),
  );
  await assert.rejects(
    transfer(at("nest/src/nested/"), at("nest/src/"), {
      secrets,
      delete: true,
    }),
    (error: unknown) =>
      error instanceof TransferError &&
      /Rejected --delete: the source @lab:nest\/src\/nested\/ is inside nest\/src/.test(
        error.message,
      ),
  );
  assert.deepEqual(await hashBucket(s3, "nest"), before);
});

test("relay delete check names destination", async () => {
  const source = join(work, "relay-logs");
  await mkdir(source, { recursive: true });
  await writeFile(join(source, "train.log"), "step 1\n");
  for (const dryRun of [true, false]) {
    await assert.rejects(
      transfer(on(bare, `${source}/`), at("relay-keep/"), {
        secrets,
        delete: true,
        exclude: ["*.log"],
        dryRun,
      }),
      (error: unknown) => {
        assert.ok(error instanceof TransferError, String(error));
        assert.match(error.message, /every file in @lab:relay-keep\/ would/);
        assert.doesNotMatch(error.message, /trainsh-relay-/);
        return true;
      },
    );
  }
});

test("cut relay leaves no staging", async () => {
  const started = Date.now();
  await rawRclone(s3, ["copyto", bigFile, `raw:${s3.bucket}/relay-cut/e.pt`]);
  const controller = new AbortController();
  const cut = await transfer(at("relay-cut/"), on(bare, join(work, "rc/")), {
    secrets,
    bwlimitKBps: 20_480,
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.bytes > 10_000_000) controller.abort();
    },
  });
  assert.equal(cut.ok, false, cut.message);
  const leaked = readdirSync(tmpdir()).filter(
    (name) =>
      name.startsWith(".trainsh-partial-trainsh-relay-") &&
      statSync(join(tmpdir(), name)).ctimeMs >= started,
  );
  assert.deepEqual(leaked, []);
});

test("upload replaces an existing object", async () => {
  const file = join(work, "replace", "model.pt");
  await mkdir(join(work, "replace"), { recursive: true });
  for (const content of ["v1\n", "version two\n"]) {
    await writeFile(file, content);
    const result = await transfer(
      { kind: "local", path: file },
      at("final/model.pt"),
      { secrets },
    );
    assert.equal(result.ok, true, result.message);
    assert.deepEqual(
      await hashBucket(s3, "final"),
      new Map([["model.pt", await hashFile(file)]]),
    );
  }
});

test("bucket root is a directory", async () => {
  const rootBucket: Storage = { ...bucket, name: "lab" };
  const file = join(work, "root-file.txt");
  await writeFile(file, "at the root\n");
  for (const path of ["", "/"]) {
    const result = await transfer(
      { kind: "local", path: file },
      { kind: "storage", name: "lab", storage: rootBucket, path },
      { secrets },
    );
    assert.equal(result.ok, true, `${JSON.stringify(path)}: ${result.message}`);
  }
  const listed = await rawRclone(s3, ["lsf", `raw:${s3.bucket}/`]);
  assert.ok(listed.split("\n").includes("root-file.txt"), listed);

  const bucketless: Storage = {
    name: "lab",
    type: "s3",
    endpoint: s3.endpoint,
  };
  await assert.rejects(
    transfer(
      { kind: "local", path: file },
      { kind: "storage", name: "lab", storage: bucketless, path: "" },
      { secrets },
    ),
    (error: unknown) =>
      error instanceof TransferError && /has no bucket/.test(error.message),
  );
});
