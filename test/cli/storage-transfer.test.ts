// `train storage` and `train transfer` end to end through the built CLI,
// against s3rver and a throwaway sshd on loopback.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { hashBucket, rawRclone } from "../support/bucket-files.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";
import { hashTree, writeSampleTree } from "../support/file-tree.ts";
import { startS3rver, type TestS3 } from "../support/s3rver.ts";
import { startSshd, type TestSshd } from "../support/sshd.ts";

const SECRET = "cli-secret-4c1d2e";

let s3: TestS3;
let sshd: TestSshd;
let env: TrainEnv;
let work: string;
let tree: string;

before(async () => {
  s3 = await startS3rver();
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), "trainsh-cli-storage-"));
  tree = await writeSampleTree(join(work, "tree"));
  env = makeTrainEnv({
    LAB_ACCESS_KEY_ID: "S3RVER",
    LAB_SECRET_ACCESS_KEY: SECRET,
    TRAINSH_SSH_CONFIG: sshd.sshConfigPath,
    TRAINSH_CONTROL_DIR: await mkdtemp("/tmp/tcm-"),
  });
  const added = await runTrain(
    [
      "storage",
      "add",
      "lab",
      "--type",
      "s3",
      "--bucket",
      s3.bucket,
      "--endpoint",
      s3.endpoint,
    ],
    env,
  );
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  env?.cleanup();
  await Promise.all([s3?.stop(), sshd?.stop()]);
  await rm(work, { recursive: true, force: true });
  await rm(env?.env.TRAINSH_CONTROL_DIR ?? "/nonexistent", {
    recursive: true,
    force: true,
  });
});

test("storage list and show", async () => {
  const list = await runTrain(["storage", "list"], env);
  assert.equal(list.code, 0, list.stderr);
  assert.match(
    list.stdout,
    new RegExp(`^lab\ts3\t${s3.bucket} at ${s3.endpoint}\t$`, "m"),
  );

  const show = await runTrain(["storage", "show", "lab"], env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(
    show.stdout,
    /^secret_access_key: set \(from LAB_SECRET_ACCESS_KEY\); looked up as LAB_SECRET_ACCESS_KEY, then AWS_SECRET_ACCESS_KEY$/m,
  );
  assert.ok(
    !show.stdout.includes(SECRET) && !show.stderr.includes(SECRET),
    "show printed the secret",
  );
});

test("storage test lists bucket", async () => {
  await rawRclone(s3, [
    "copyto",
    join(tree, "top.txt"),
    `raw:${s3.bucket}/probe/top.txt`,
  ]);
  const result = await runTrain(["storage", "test", "lab"], env);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^probe\/$/m);
});

test("storage test names wrong key", async () => {
  const wrong = makeTrainEnv({ ...env.env, LAB_ACCESS_KEY_ID: "NOT-S3RVER" });
  wrong.env.TRAINSH_HOME = env.home;
  const result = await runTrain(["storage", "test", "lab"], wrong);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /access key of storage "lab" was rejected/);
});

test("storage test names missing bucket", async () => {
  const added = await runTrain(
    [
      "storage",
      "add",
      "nob",
      "--type",
      "s3",
      "--bucket",
      "no-such-bucket",
      "--endpoint",
      s3.endpoint,
    ],
    env,
  );
  assert.equal(added.code, 0, added.stderr);
  const result = await runTrain(["storage", "test", "nob"], {
    ...env,
    env: {
      ...env.env,
      NOB_ACCESS_KEY_ID: "S3RVER",
      NOB_SECRET_ACCESS_KEY: SECRET,
    },
  });
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    /the bucket or folder nob:no-such-bucket\/ does not exist/,
  );
});

test("storage test without credentials", async () => {
  const bare = makeTrainEnv({ ...env.env, LAB_SECRET_ACCESS_KEY: "" });
  bare.env.TRAINSH_HOME = env.home;
  delete bare.env.AWS_SECRET_ACCESS_KEY;
  const result = await runTrain(["storage", "test", "lab"], bare);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /none of LAB_SECRET_ACCESS_KEY, AWS_SECRET_ACCESS_KEY is set/,
  );
});

test("transfer keeps secret out", async () => {
  const debug = { ...env, env: { ...env.env, TRAINSH_DEBUG: "1" } };
  const result = await runTrain(["transfer", `${tree}/`, "@lab:up/"], debug);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /\$ rclone copy /);
  assert.match(result.stderr, /verified 7 files/);
  assert.match(result.stderr, /^transferred .* in .*\/s\)$/m);
  assert.ok(
    !result.stderr.includes(SECRET) && !result.stdout.includes(SECRET),
    "the secret was printed",
  );
  assert.deepEqual(await hashBucket(s3, "up"), await hashTree(tree));
});

test("transfer dry run plans", async () => {
  const result = await runTrain(
    ["transfer", "--dry-run", tree, "@lab:plan/"],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^tool: rclone \(on this machine\)$/m);
  assert.match(
    result.stdout,
    new RegExp(`^sample: ${tree}/\\S.* -> @lab:plan/tree/`, "m"),
  );
  assert.match(result.stdout, /^would copy: 7 files, \d+ bytes$/m);
  assert.equal(
    (await rawRclone(s3, ["lsf", "-R", `raw:${s3.bucket}/plan`])).trim(),
    "",
  );
});

test("delete with empty source refused", async () => {
  const empty = join(work, "empty");
  await mkdir(empty, { recursive: true });
  const result = await runTrain(
    ["transfer", "--delete", `${empty}/`, "@lab:up/"],
    env,
  );
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Rejected --delete/);
  assert.deepEqual(await hashBucket(s3, "up"), await hashTree(tree));
});

test("max-delete flag validated", async () => {
  const words = await runTrain(
    ["transfer", "--delete", "--max-delete", "ten", `${tree}/`, "@lab:up/"],
    env,
  );
  assert.equal(words.code, 2);
  assert.match(words.stderr, /Invalid --max-delete value "ten"/);

  const huge = await runTrain(
    [
      "transfer",
      "--delete",
      "--max-delete",
      "2147483648",
      `${tree}/`,
      "@lab:up/",
    ],
    env,
  );
  assert.equal(huge.code, 2);
  assert.match(huge.stderr, /from 0 to 2147483647/);

  const alone = await runTrain(
    ["transfer", "--max-delete", "10", `${tree}/`, "@lab:up/"],
    env,
  );
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--max-delete limits --delete/);
  assert.match(alone.stderr, /add --delete/);
});

test("variable flag in transfer line", async () => {
  const recipe = [
    "var FLAGS = --delete",
    `${tree}/ -> ${join(work, "flag-dest")} $FLAGS`,
    "",
  ].join("\n");
  const result = await runTrain(
    ["recipe", "run", env.writeRecipe("flag-var", recipe), "--no-visual"],
    env,
  );
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    /contains "--delete", which would become part of the path/,
  );
  assert.equal(existsSync(join(work, "flag-dest --delete")), false);
});

test("unusable storage stops run early", async () => {
  const marker = join(work, "early-marker");
  for (const [spec, problem] of [
    ["nosuch", /not in storages\.toml|unknown storage|nosuch/],
    ["s3:some-bucket", /Missing credential for storage "out"/],
  ] as const) {
    const recipe = [
      `storage out = ${spec}`,
      "host box = local",
      `@box > touch ${marker}`,
      `${tree}/ -> @out:x/`,
      "",
    ].join("\n");
    const file = env.writeRecipe("early", recipe);
    const checked = await runTrain(["recipe", "check", file], env);
    assert.equal(checked.code, 2, checked.stderr);
    assert.match(checked.stderr, problem);
    const run = await runTrain(["recipe", "run", file, "--no-visual"], env);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(existsSync(marker), false, "the run started");
  }
});

test("bucket to host by alias", async () => {
  const dest = join(work, "on-host");
  const result = await runTrain(
    ["transfer", "@lab:up", `@${sshd.alias}:${dest}/`],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await hashTree(join(dest, "up")), await hashTree(tree));
});

test("placeholder storage needs override", async () => {
  const out = join(work, "from-recipe");
  const recipe = env.writeRecipe(
    "store",
    [
      "storage out = placeholder",
      `${tree}/ -> @out:recipe/`,
      `@out:recipe -> ${out}/`,
      "",
    ].join("\n"),
  );
  const refused = await runTrain(["recipe", "run", recipe, "--no-visual"], env);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /storage "out" is a placeholder/);

  const result = await runTrain(
    ["recipe", "run", recipe, "--no-visual", "--storage", "out=lab"],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await hashBucket(s3, "recipe"), await hashTree(tree));
  assert.deepEqual(await hashTree(join(out, "recipe")), await hashTree(tree));
});

test("storage remove", async () => {
  await runTrain(
    ["storage", "add", "tmpdisk", "--type", "local", "--path", work],
    env,
  );
  const removed = await runTrain(
    ["storage", "remove", "tmpdisk", "--yes"],
    env,
  );
  assert.equal(removed.code, 0, removed.stderr);
  const list = await runTrain(["storage", "list"], env);
  assert.doesNotMatch(list.stdout, /tmpdisk/);
});
