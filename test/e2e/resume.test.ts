// A runner killed with SIGKILL during a long foreground step: resume takes
// that step's result from the host without running it again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { collect, runTrain, spawnTrain } from "../support/cli.ts";
import { useTestBed } from "../support/test-bed.ts";
import { waitForFile, fileLines } from "../support/files.ts";

const bed = useTestBed("trainsh-resume-");

test("resume takes killed step's result", async () => {
  const counter = join(bed.out, "counter");
  const afterFile = join(bed.out, "after");
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    `@h > echo ran >> ${counter}; sleep 4; echo finished`,
    `@h > echo ran >> ${afterFile}`,
    "tmux.close @h",
  ].join("\n");
  const file = bed.env.writeRecipe("long", recipe);
  const child = spawnTrain(["recipe", "run", file, "--no-visual"], bed.env);
  const first = collect(child);
  await waitForFile(counter, 30_000);
  child.kill("SIGKILL");
  const killed = await first;
  assert.equal(killed.signal, "SIGKILL");

  const status = await runTrain(["recipe", "jobs"], bed.env);
  assert.match(status.stdout, /long\tinterrupted\t2\/4/);

  const resumed = await runTrain(["recipe", "resume", "--no-visual"], bed.env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /step 2 was already sent; taking its result/);
  assert.match(resumed.stderr, /finished/);
  assert.deepEqual(fileLines(counter), ["ran"], "the long step ran twice");
  assert.deepEqual(fileLines(afterFile), ["ran"]);

  const jobs = await runTrain(["recipe", "jobs"], bed.env);
  assert.match(jobs.stdout, /long\tcompleted\t4\/4/);
});

test("resume after finish skips the step", async () => {
  const counter = join(bed.out, "counter2");
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    `@h > echo ran >> ${counter}; sleep 2`,
    "tmux.close @h",
  ].join("\n");
  const child = spawnTrain(
    ["recipe", "run", bed.env.writeRecipe("short", recipe), "--no-visual"],
    bed.env,
  );
  const first = collect(child);
  await waitForFile(counter, 30_000);
  child.kill("SIGKILL");
  await first;
  // The step finishes on the host while no runner is watching.
  await delay(3000);
  const resumed = await runTrain(["recipe", "resume", "--no-visual"], bed.env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(fileLines(counter), ["ran"]);
});

test("resume of completed job is refused", async () => {
  const recipe = ["host h = local", "@h > true"].join("\n");
  const run = await runTrain(
    ["recipe", "run", bed.env.writeRecipe("done", recipe), "--no-visual"],
    bed.env,
  );
  assert.equal(run.code, 0, run.stderr);
  const id = /\(job ([0-9a-f]+)\)/.exec(run.stderr)?.[1];
  assert.ok(id);
  const resumed = await runTrain(["recipe", "resume", id], bed.env);
  assert.equal(resumed.code, 1);
  assert.match(resumed.stderr, new RegExp(`job ${id} already completed`));
});
