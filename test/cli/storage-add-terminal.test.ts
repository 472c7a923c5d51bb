// The interactive `train storage add` in a real terminal: a bad or taken
// name is asked again at once, before the other questions.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";
import { openTerminal } from "../support/terminal.ts";

let env: TrainEnv;

before(async () => {
  env = makeTrainEnv();
  const added = await runTrain(
    ["storage", "add", "taken", "--type", "local", "--path", "/tmp/taken"],
    env,
  );
  assert.equal(added.code, 0, added.stderr);
});

after(() => env?.cleanup());

test("bad names asked again first", async () => {
  const term = openTerminal(env, ["storage", "add"]);
  try {
    await term.waitFor(/Storage name/);
    term.type("bad name");
    term.keys("Enter");
    await term.waitFor(/invalid storage name "bad name"/);
    term.keys("C-u");
    term.type("taken");
    term.keys("Enter");
    await term.waitFor(/storage "taken" already exists/);
    term.keys("C-u");
    term.type("fresh");
    term.keys("Enter");
    await term.waitFor(/Type/);
    term.keys("C-c");
    assert.notEqual(await term.exitCode(), 0);
  } finally {
    term.close();
  }
});
