// A bucket download stages beside its destination. When a normal user
// cannot write the destination's parent (a download into ~/ with /home
// owned by root), the error names that cause before anything is copied. Runs the
// CLI as the unprivileged user "nobody", because root may write anywhere.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { rawRclone } from "../support/bucket-files.ts";
import { TRAIN_BIN } from "../support/cli.ts";
import { writeSampleTree } from "../support/file-tree.ts";
import { startS3rver, type TestS3 } from "../support/s3rver.ts";

const NOBODY = 65534;

let s3: TestS3;
let work: string;

before(async () => {
  s3 = await startS3rver();
  work = await mkdtemp(join(tmpdir(), "trainsh-staging-denied-"));
  chmodSync(work, 0o755);
  await rawRclone(s3, [
    "copy",
    await writeSampleTree(join(work, "tree")),
    `raw:${s3.bucket}/data`,
  ]);
});

after(async () => {
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

// Runs train as nobody with its own config home, so root's files stay out.
function trainAsNobody(home: string, args: string[]) {
  return spawnSync(
    "setpriv",
    [
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      "--clear-groups",
      process.execPath,
      TRAIN_BIN,
      ...args,
    ],
    {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        TRAINSH_HOME: join(home, "config"),
        NO_COLOR: "1",
        LAB_ACCESS_KEY_ID: "S3RVER",
        LAB_SECRET_ACCESS_KEY: "staging-denied-secret",
      },
    },
  );
}

test("denied staging names the cause", (t) => {
  if (process.getuid?.() !== 0) {
    t.skip("needs root to run the CLI as another user");
    return;
  }
  // /home-like: the parent belongs to root, the home to the user.
  const parent = join(work, "home");
  const home = join(parent, "nobody");
  mkdirSync(home, { recursive: true });
  chownSync(home, NOBODY, NOBODY);
  const add = trainAsNobody(home, [
    "storage",
    "add",
    "lab",
    "--type",
    "s3",
    "--bucket",
    s3.bucket,
    "--endpoint",
    s3.endpoint,
  ]);
  assert.equal(add.status, 0, add.stderr);

  const result = trainAsNobody(home, ["transfer", "@lab:data/", `${home}/`]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /creating it was denied/);
  assert.match(result.stderr, new RegExp(`such as ${home}/data/`));
  // Config directories only: nothing was copied into the home.
  assert.deepEqual(
    readdirSync(home).filter((name) => !["config", ".config"].includes(name)),
    [],
  );

  const fixed = trainAsNobody(home, [
    "transfer",
    "@lab:data/",
    `${home}/data/`,
  ]);
  assert.equal(fixed.status, 0, fixed.stderr);
});
