// Every command prints its --help, and the top level prints --version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeTrainEnv, runTrain } from "../support/cli.ts";

const env = makeTrainEnv();
const commands = [
  [],
  ["exec"],
  ["recipe"],
  ...[
    "list",
    "show",
    "check",
    "run",
    "new",
    "edit",
    "logs",
    "status",
    "resume",
    "jobs",
  ].map((sub) => ["recipe", sub]),
  ["transfer"],
  ["storage"],
  ...["list", "add", "show", "test", "remove"].map((sub) => ["storage", sub]),
];

for (const command of commands) {
  test(`help: train ${command.join(" ") || "(top)"}`, async () => {
    const run = await runTrain([...command, "--help"], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^Usage: train ${command.join(" ")}`, "m"),
    );
  });
}

test("version prints package version", async () => {
  const run = await runTrain(["--version"], env);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^tmux-trainsh \d+\.\d+\.\d+\n$/);
});

test("unknown command suggests closest", async () => {
  const run = await runTrain(["recipe", "rnu"], env);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Did you mean run\?/);
});

test("missing recipe is a clear error", async () => {
  const run = await runTrain(["recipe", "run", "no-such-recipe"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /recipe not found: no-such-recipe/);
});

test("bad recipe exits 2 with position", async () => {
  const file = env.writeRecipe("bad", "host h = local\ntmux.opne @h\n");
  const run = await runTrain(["recipe", "run", file], env);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bad\.recipe:2:1: unknown command "tmux\.opne"/);
  const check = await runTrain(["recipe", "check", file], env);
  assert.equal(check.code, 2);
  assert.match(check.stderr, /bad\.recipe:2:1/);
});

test.after(() => env.cleanup());
