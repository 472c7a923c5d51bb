// The bundled recipes run on this machine with no account, and the job
// commands read what they left.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeTrainEnv, runTrain } from "../support/cli.ts";

const env = makeTrainEnv();
after(() => env.cleanup());

test("bundled hello runs locally", async () => {
  const run = await runTrain(["recipe", "run", "hello", "--no-visual"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /hello from train on /);
  assert.match(run.stderr, /completed: 7 steps completed/);
});

test("bundled waits demo runs locally", async () => {
  const run = await runTrain(
    ["recipe", "run", "waits-demo", "--no-visual", "--var", "PORT=18799"],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /matched: step 5/);
  assert.match(run.stderr, /port 18799 is listening/);
});

test("recipe list shows bundled examples", async () => {
  const run = await runTrain(["recipe", "list"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^hello\tbundled$/m);
  assert.match(run.stdout, /^waits-demo\tbundled$/m);
});

test("jobs and logs read the runs", async () => {
  const jobs = await runTrain(["recipe", "jobs"], env);
  assert.match(jobs.stdout, /hello\tcompleted\t7\/7/);
  const logs = await runTrain(["recipe", "logs", "--last"], env);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /waits-demo, completed/);
  const status = await runTrain(["recipe", "status", "--all"], env);
  assert.match(status.stdout, /waits-demo\tcompleted/);
});

test("new creates a runnable recipe", async () => {
  const created = await runTrain(["recipe", "new", "mine"], env);
  assert.equal(created.code, 0, created.stderr);
  assert.ok(existsSync(join(env.home, "recipes", "mine.recipe")));
  const again = await runTrain(["recipe", "new", "mine"], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /recipe already exists/);
  const check = await runTrain(["recipe", "check", "mine"], env);
  assert.equal(check.code, 0, check.stderr);
  const run = await runTrain(["recipe", "run", "mine", "--no-visual"], env);
  assert.equal(run.code, 0, run.stderr);
});

test("exec prints output and exit code", async () => {
  const ok = await runTrain(["exec", "@local > echo exec-out-$((6*7))"], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, "exec-out-42\n");
  const bad = await runTrain(
    [
      "exec",
      "@local > echo before; exit_code_test() { return 7; }; exit_code_test",
    ],
    env,
  );
  assert.equal(bad.code, 7);
  assert.equal(bad.stdout, "before\n");
});

test("var override reaches the command", async () => {
  const file = env.writeRecipe(
    "override",
    'var WHO = nobody\nhost h = local\n@h > echo "hi $WHO"\n',
  );
  const run = await runTrain(
    ["recipe", "run", file, "--no-visual", "--var", "WHO=overridden"],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /hi overridden/);
});
