// Transfers that must be rejected before anything changes, and dry runs.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  parseHostSpec,
  toResolvedHost,
  type ResolvedHost,
} from "../../src/hosts/spec.ts";
import type { Endpoint } from "../../src/transfer/endpoint.ts";
import { transfer, TransferError } from "../../src/transfer/transfer.ts";
import { hashTree, writeSampleTree } from "../support/file-tree.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

let server: TestSshd;
let gpu: ResolvedHost;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-guards-"));
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

function local(path: string): Endpoint {
  return { kind: "local", path };
}

function on(path: string): Endpoint {
  return { kind: "host", name: "gpu", host: gpu, path };
}

async function backupDir(name: string): Promise<[string, Map<string, string>]> {
  const dir = await writeSampleTree(join(work, name));
  return [dir, await hashTree(dir)];
}

function rejectsWith(pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof TransferError, String(error));
    assert.match(error.message, pattern);
    return true;
  };
}

test("delete from empty remote directory", async () => {
  const empty = join(work, "remote-ckpt");
  await mkdir(join(empty, "only-empty-subdir"), { recursive: true });
  const [backup, before] = await backupDir("backup1");
  await assert.rejects(
    transfer(on(`${empty}/`), local(`${backup}/`), { delete: true }),
    rejectsWith(/empty directory.*would be deleted/s),
  );
  assert.deepEqual(await hashTree(backup), before);
});

test("delete from empty local directory", async () => {
  const empty = join(work, "local-empty");
  await mkdir(empty);
  const [backup, before] = await backupDir("backup2");
  await assert.rejects(
    transfer(local(`${empty}/`), local(`${backup}/`), { delete: true }),
    rejectsWith(/without --delete/),
  );
  assert.deepEqual(await hashTree(backup), before);
});

test("missing source is rejected", async () => {
  const [backup, before] = await backupDir("backup3");
  await assert.rejects(
    transfer(on(join(work, "ckpts-typo/")), local(`${backup}/`), {
      delete: true,
    }),
    rejectsWith(/not found on @gpu; nothing was copied or deleted/),
  );
  assert.deepEqual(await hashTree(backup), before);
});

test("same path is rejected", async () => {
  const dir = await writeSampleTree(join(work, "same"));
  await assert.rejects(
    transfer(local(`${dir}/`), local(dir), { delete: true }),
    rejectsWith(/same path/),
  );
});

test("dry run changes nothing", async () => {
  const source = await writeSampleTree(join(work, "dry-src"));
  const [dest, before] = await backupDir("dry-dest");
  await writeFile(join(dest, "stale.txt"), "only at the destination\n");
  const destBefore = await hashTree(dest);
  const result = await transfer(local(`${source}/`), on(`${dest}/`), {
    dryRun: true,
    delete: true,
  });
  assert.equal(result.ok, true, result.message);
  assert.equal(result.tool, "none");
  assert.deepEqual(await hashTree(dest), destBefore);
  assert.ok(before.size > 0);

  const plan = result.plan.join("\n");
  assert.match(plan, /^tool: rsync \(local -> @gpu\)$/m);
  assert.match(plan, new RegExp(`^source: ${source}/ \\(directory\\)$`, "m"));
  assert.match(plan, /^sample: .* -> @gpu:.*dry-dest\//m);
  assert.match(plan, /^command: rsync .*--delete/m);
  assert.match(plan, /^would delete: 1 \(stale\.txt\)$/m);
});

test("dry run shows file landing", async () => {
  const file = join(work, "one.txt");
  await writeFile(file, "one\n");
  const result = await transfer(
    local(file),
    on(`${join(work, "remote-new")}/`),
    { dryRun: true },
  );
  assert.match(
    result.plan.join("\n"),
    /^sample: .*one\.txt -> @gpu:.*remote-new\/one\.txt$/m,
  );
});

// A destination with the sample tree plus `extra` files the source lacks,
// and a source with one file the destination lacks.
async function mirrorPair(
  name: string,
  extra: number,
): Promise<{ source: string; dest: string; destBefore: Map<string, string> }> {
  const source = await writeSampleTree(join(work, `${name}-src`));
  await writeFile(join(source, "new.txt"), "only at the source\n");
  const dest = await writeSampleTree(join(work, `${name}-dest`));
  for (let index = 0; index < extra; index++)
    await writeFile(join(dest, `stale-${index}.txt`), "stale\n");
  return { source, dest, destBefore: await hashTree(dest) };
}

test("over max-delete changes nothing", async () => {
  const { source, dest, destBefore } = await mirrorPair("limit-over", 3);
  const result = await transfer(local(`${source}/`), on(`${dest}/`), {
    delete: true,
    maxDelete: 2,
  });
  assert.equal(result.ok, false, result.message);
  assert.match(
    result.message,
    /Rejected --delete: it would delete 3 entries at @gpu:.*stale-0\.txt.*more than --max-delete 2 allows/,
  );
  assert.match(result.message, /rerun with --max-delete 3/);
  assert.deepEqual(await hashTree(dest), destBefore);
});

test("within max-delete mirrors the source", async () => {
  const { source, dest } = await mirrorPair("limit-within", 3);
  const result = await transfer(local(`${source}/`), on(`${dest}/`), {
    delete: true,
    maxDelete: 3,
  });
  assert.equal(result.ok, true, result.message);
  assert.deepEqual(await hashTree(dest), await hashTree(source));
});

test("max-delete applies to downloads", async () => {
  const { source, dest, destBefore } = await mirrorPair("limit-down", 1);
  const result = await transfer(on(`${source}/`), local(`${dest}/`), {
    delete: true,
    maxDelete: 0,
  });
  assert.equal(result.ok, false, result.message);
  assert.match(result.message, /would delete 1 entry at .*stale-0\.txt/);
  assert.deepEqual(await hashTree(dest), destBefore);
});

test("dry run shows the delete limit", async () => {
  const { source, dest, destBefore } = await mirrorPair("limit-dry", 3);
  const over = await transfer(local(`${source}/`), on(`${dest}/`), {
    delete: true,
    maxDelete: 2,
    dryRun: true,
  });
  assert.ok(
    over.plan.includes(
      "delete limit: 3 deletions exceed --max-delete 2, so the transfer would be rejected before copying",
    ),
    over.plan.join("\n"),
  );
  const within = await transfer(local(`${source}/`), on(`${dest}/`), {
    delete: true,
    maxDelete: 5,
    dryRun: true,
  });
  assert.ok(
    within.plan.includes("delete limit: 3 of at most 5 deletions"),
    within.plan.join("\n"),
  );
  assert.deepEqual(await hashTree(dest), destBefore);
});

test("destination inside source rejected", async () => {
  const dir = await writeSampleTree(join(work, "outer"));
  const before = await hashTree(dir);
  for (const [from, to] of [
    [`${dir}/`, `${dir}/backup/`],
    [dir, `${dir}/backup/`],
  ] as const) {
    await assert.rejects(
      transfer(local(from), local(to)),
      rejectsWith(/the destination is inside the source on local/),
    );
  }
  await assert.rejects(
    transfer(on(`${dir}/`), on(`${dir}/nested/`)),
    rejectsWith(/inside the source on @gpu/),
  );
  assert.deepEqual(await hashTree(dir), before);
});

test("delete into source parent rejected", async () => {
  const parent = await writeSampleTree(join(work, "parent"));
  const before = await hashTree(parent);
  const sub = join(parent, "nested");
  await assert.rejects(
    transfer(local(`${sub}/`), local(`${parent}/`), { delete: true }),
    rejectsWith(/is inside .*the source itself included. Nothing was copied/),
  );
  await assert.rejects(
    transfer(on(`${sub}/`), on(`${parent}/`), { delete: true }),
    rejectsWith(/Rejected --delete: the source .* is inside/),
  );
  await assert.rejects(
    transfer(local(sub), local(`${parent}/`)),
    rejectsWith(/the source would land on itself/),
  );
  assert.deepEqual(await hashTree(parent), before);
});

test("copy into source parent allowed", async () => {
  const parent = await writeSampleTree(join(work, "parent-copy"));
  const result = await transfer(
    local(`${join(parent, "with space")}/`),
    local(`${parent}/`),
  );
  assert.equal(result.ok, true, result.message);
  assert.equal((await hashTree(parent)).get("a b.txt") !== undefined, true);
});

test("delete with every file excluded", async () => {
  const source = join(work, "only-logs");
  await mkdir(source, { recursive: true });
  await writeFile(join(source, "train.log"), "step 1\n");
  const [backup, before] = await backupDir("backup-logs");
  await assert.rejects(
    transfer(local(`${source}/`), on(`${backup}/`), {
      delete: true,
      exclude: ["*.log"],
    }),
    rejectsWith(/has no file that the --exclude patterns \(\*\.log\) leave/),
  );
  await assert.rejects(
    transfer(on(`${source}/`), local(`${backup}/`), {
      delete: true,
      exclude: ["*.log"],
    }),
    rejectsWith(/Rejected --delete/),
  );
  assert.deepEqual(await hashTree(backup), before);
  const allowed = await transfer(local(`${source}/`), on(`${backup}/`), {
    delete: true,
    exclude: ["*.txt"],
  });
  assert.equal(allowed.ok, true, allowed.message);
});

test("empty source names its landing", async () => {
  const empty = join(work, "empty-named");
  await mkdir(empty);
  const dest = join(work, "landing-dest");
  await assert.rejects(
    transfer(local(empty), on(`${dest}/`), { delete: true }),
    rejectsWith(new RegExp(`every file in @gpu:${dest}/empty-named would`)),
  );
});

test("exclude with file source rejected", async () => {
  const file = join(work, "one.log");
  await writeFile(file, "log\n");
  await assert.rejects(
    transfer(local(file), on(join(work, "one-dest/")), { exclude: ["*.log"] }),
    rejectsWith(
      /Cannot use --exclude \(\*\.log\) with .*one\.log: it is a single file/,
    ),
  );
});

test("host overlap across path spellings", async () => {
  // The test host logs in as this user, so the login directory is $HOME.
  const home = homedir();
  const base = await mkdtemp(join(home, ".trainsh-overlap-"));
  try {
    const parent = await writeSampleTree(join(base, "src"));
    const relative = relativeTo(home, parent);
    const before = await hashTree(parent);
    await assert.rejects(
      transfer(on(`${relative}/nested/`), on(`${parent}/`), { delete: true }),
      rejectsWith(/Rejected --delete: the source .* is inside/),
    );
    await assert.rejects(
      transfer(on(`${parent}/`), on(`~/${relative}/out`)),
      rejectsWith(/the destination is inside the source on @gpu/),
    );
    await assert.rejects(
      transfer(on(`${relative}/nested/`), on(`~/${relative}/`), {
        delete: true,
      }),
      rejectsWith(new RegExp(`is inside ~/${relative} on @gpu`)),
    );
    assert.deepEqual(await hashTree(parent), before);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});

function relativeTo(home: string, path: string): string {
  return path.slice(home.length + 1);
}

test("source ending in dot-dot rejected", async () => {
  const dir = await writeSampleTree(join(work, "dotdot", "inner"));
  await assert.rejects(
    transfer(on(`${dir}/..`), local(join(work, "dotdot-dest"))),
    rejectsWith(/the source path ends in "\.\."/),
  );
});
