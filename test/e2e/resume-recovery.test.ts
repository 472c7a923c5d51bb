// Resume after a failure: the step runs again with a clean status, a dead
// session is reopened, and a job held by another runner is not touched.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  makeTrainEnv,
  runTrain,
  type TrainEnv,
  jobIdOf,
} from "../support/cli.ts";
import { fileLines } from "../support/files.ts";

let env: TrainEnv;
let out: string;

before(() => {
  env = makeTrainEnv();
  out = mkdtempSync(join(tmpdir(), "trainsh-recover-"));
});

after(() => {
  env.cleanup();
  rmSync(out, { recursive: true, force: true });
});

for (const attempt of [1, 2, 3]) {
  test(`retried step reads its own status ${attempt}`, async () => {
    const flag = join(out, `flag-${attempt}`);
    const count = join(out, `count-${attempt}`);
    const recipe = [
      "host box = local",
      `@box > echo ran >> ${count}; test -e ${flag}`,
      "@box > echo done",
    ].join("\n");
    const run = await runTrain(
      [
        "recipe",
        "run",
        env.writeRecipe(`retry-${attempt}`, recipe),
        "--no-visual",
      ],
      env,
    );
    assert.equal(run.code, 1, run.stderr);
    writeFileSync(flag, "");
    const resumed = await runTrain(
      ["recipe", "resume", jobIdOf(run.stderr), "--no-visual"],
      env,
    );
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(fileLines(count), ["ran", "ran"]);
  });
}

test("resume reopens a dead session", async () => {
  const flag = join(out, "exit-ok");
  const third = join(out, "third");
  const recipe = [
    "host box = local",
    "tmux.open @box",
    "@box > echo one",
    `@box > test -e ${flag} || exit 3`,
    `@box > echo three > ${third}`,
    "tmux.close @box",
  ].join("\n");
  const run = await runTrain(
    ["recipe", "run", env.writeRecipe("dead", recipe), "--no-visual"],
    env,
  );
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /exited with code 3/);
  writeFileSync(flag, "");
  const resumed = await runTrain(
    ["recipe", "resume", jobIdOf(run.stderr), "--no-visual"],
    env,
  );
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(
    resumed.stderr,
    /session @box had ended, so it was opened again/,
  );
  assert.equal(readFileSync(third, "utf8"), "three\n");
});

test("locked job is not resumed", async () => {
  const recipe = ["host box = local", "@box > false"].join("\n");
  const run = await runTrain(
    ["recipe", "run", env.writeRecipe("locked", recipe), "--no-visual"],
    env,
  );
  assert.equal(run.code, 1, run.stderr);
  const id = jobIdOf(run.stderr);
  const dir = readdirSync(join(env.home, "jobs")).find((name) =>
    name.endsWith(`-${id}`),
  )!;
  // This test process is alive, so its PID holds the lock.
  writeFileSync(
    join(env.home, "jobs", dir, "runner.lock"),
    String(process.pid),
  );
  const resumed = await runTrain(["recipe", "resume", id, "--no-visual"], env);
  assert.equal(resumed.code, 1);
  assert.match(
    resumed.stderr,
    new RegExp(`job ${id} is being run by process ${process.pid}`),
  );
});

test("exec passes a dead shell's code", async () => {
  const run = await runTrain(["exec", "@local > exit 7"], env);
  assert.equal(run.code, 7, run.stderr);
  assert.equal(run.stdout.includes("Pane is dead"), false);
});

test("unknown job id is a clear error", async () => {
  const run = await runTrain(["recipe", "logs", "zzzz"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /job not found: zzzz/);
  assert.equal(run.stderr.includes("internal error"), false);
});

test("unused var override is rejected", async () => {
  const file = env.writeRecipe(
    "typo",
    "var WHO = x\nhost h = local\n@h > echo $WHO\n",
  );
  const run = await runTrain(["recipe", "run", file, "--var", "WHOO=y"], env);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--var WHOO: the recipe neither defines nor uses/);
});
