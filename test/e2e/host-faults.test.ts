// Faults of the host itself: tmux missing, the tmux server killed during a
// step, and an ~/.ssh/config alias that must reach every ssh and rsync call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSshd } from "../support/sshd.ts";
import { hideCommands } from "../support/sshd-without-rsync.ts";
import { makeTrainEnv, runTrain } from "../support/cli.ts";
import { useTestBed } from "../support/test-bed.ts";

const bed = useTestBed("trainsh-faults-");

test("killed tmux server is never success", async () => {
  const marker = join(bed.out, "after-kill");
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    "@h > (sleep 1; tmux kill-server) & sleep 30",
    `@h > touch ${marker}`,
  ].join("\n");
  const started = Date.now();
  const run = await runTrain(
    ["recipe", "run", bed.env.writeRecipe("killed", recipe), "--no-visual"],
    bed.env,
  );
  assert.equal(run.code, 1, run.stderr);
  // The waiter finds the server gone, or finds the session gone while the
  // server is still exiting, or the pane's shell records the command's death
  // by SIGHUP before it dies itself. All three are failures.
  assert.match(
    run.stderr,
    /step 2 failed: (the tmux server on h is not running.*the step's result is unknown|session @h on h is gone \(tmux session \S+ was killed\); the step's result is unknown|command failed with exit code 129 \(killed by signal 1, SIGHUP\))/,
  );
  assert.ok(
    Date.now() - started < 20_000,
    "the loss took longer than 20 s to notice",
  );
});

test("ssh config alias reaches every call", async () => {
  const aliasEnv = makeTrainEnv({
    TRAINSH_SSH_CONFIG: bed.sshd.sshConfigPath,
    TRAINSH_DEBUG: "1",
  });
  try {
    const source = join(bed.out, "alias-src.txt");
    writeFileSync(source, "through the alias\n");
    const recipe = [
      `host h = ${bed.sshd.alias}`,
      `@h > cp ${source} ${join(bed.out, "alias-remote.txt")}`,
      `@h:${join(bed.out, "alias-remote.txt")} -> ${join(bed.out, "alias-back.txt")}`,
    ].join("\n");
    const run = await runTrain(
      ["recipe", "run", aliasEnv.writeRecipe("alias", recipe), "--no-visual"],
      aliasEnv,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      readFileSync(join(bed.out, "alias-back.txt"), "utf8"),
      "through the alias\n",
    );
    // Calls that reach the host: ssh itself, and rsync or scp with a remote side.
    const calls = run.stderr
      .split("\n")
      .filter(
        (line) =>
          / \$ (ssh|rsync|scp) /.test(line) &&
          !/ \$ rsync --version/.test(line),
      );
    assert.ok(calls.length > 0, "no ssh or rsync call was logged");
    for (const call of calls) {
      assert.equal(
        call.includes("127.0.0.1"),
        false,
        `a call bypassed the alias: ${call}`,
      );
      assert.ok(
        call.includes(bed.sshd.alias),
        `a call does not name the alias: ${call}`,
      );
    }
  } finally {
    aliasEnv.cleanup();
  }
});

test("missing tmux stops before any step", async () => {
  const bare = await startSshd();
  try {
    await hideCommands(bare, ["tmux"]);
    const marker = join(bed.out, "never");
    const recipe = [
      `host h = ${bare.hostSpec}`,
      "tmux.open @h",
      `@h > touch ${marker}`,
    ].join("\n");
    const run = await runTrain(
      ["recipe", "run", bed.env.writeRecipe("notmux", recipe), "--no-visual"],
      bed.env,
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /step 1 failed: tmux is not installed on h/);
    assert.match(run.stderr, /apt-get install -y tmux/);
  } finally {
    await bare.stop();
  }
});
