// `train storage add` rejects names that could never be reached and S3
// endpoints that are not URLs, and leaves storages.toml as it was.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";

let env: TrainEnv;

before(async () => {
  env = makeTrainEnv();
  const added = await runTrain(
    ["storage", "add", "keep", "--type", "local", "--path", "/tmp/keep"],
    env,
  );
  assert.equal(added.code, 0, added.stderr);
  assert.match(storagesText(), /keep/);
});

after(() => env?.cleanup());

function storagesText(): string {
  const file = join(env.home, "storages.toml");
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

test("reserved storage names rejected", async () => {
  const before = storagesText();
  for (const name of ["local", "placeholder", ".", ".."]) {
    const result = await runTrain(
      ["storage", "add", name, "--type", "local", "--path", "/tmp/x"],
      env,
    );
    assert.equal(result.code, 2, `${name}: ${result.stderr}`);
    assert.match(result.stderr, /it is reserved/);
  }
  assert.equal(storagesText(), before);
});

test("bad s3 endpoints rejected", async () => {
  const before = storagesText();
  for (const endpoint of [
    "not a url",
    "ftp://x",
    "http://",
    "http://127.0.0.1:99999",
    "127.0.0.1:1",
  ]) {
    const result = await runTrain(
      [
        "storage",
        "add",
        "lab",
        "--type",
        "s3",
        "--bucket",
        "b",
        "--endpoint",
        endpoint,
      ],
      env,
    );
    assert.equal(result.code, 2, `${endpoint}: ${result.stderr}`);
    assert.match(result.stderr, /invalid endpoint/);
  }
  assert.equal(storagesText(), before);
  const good = await runTrain(
    [
      "storage",
      "add",
      "lab",
      "--type",
      "s3",
      "--bucket",
      "b",
      "--endpoint",
      "http://127.0.0.1:9000",
    ],
    env,
  );
  assert.equal(good.code, 0, good.stderr);
});
