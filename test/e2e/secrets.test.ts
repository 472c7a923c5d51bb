// A resolved `${secret:NAME}` reaches the command but no log, event, step
// output, pane capture or process command line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import {
  collect,
  makeTrainEnv,
  runTrain,
  spawnTrain,
  jobIdOf,
} from "../support/cli.ts";
import { useTestBed } from "../support/test-bed.ts";

const secret = `tok-${randomBytes(12).toString("hex")}`;

const bed = useTestBed("trainsh-secret-", { TRAINSH_TEST_TOKEN: secret });

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function filesContaining(files: string[], needle: string): string[] {
  return files.filter((file) => readFileSync(file).includes(needle));
}

function commandLines(): string[] {
  return execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n");
}

test("secret stays bed.out of every output", async () => {
  const hashFile = join(bed.out, "hash.txt");
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    `@h > printf '%s' "\${secret:TRAINSH_TEST_TOKEN}" | sha256sum | cut -c1-64 > ${hashFile}`,
    `@h > export TOKEN="\${secret:TRAINSH_TEST_TOKEN}"; sleep 1; echo "token has \${#TOKEN} characters"`,
    `@h > tmux capture-pane -p -J -S - > ${join(bed.out, "pane.txt")}`,
    "tmux.close @h",
  ].join("\n");
  const child = spawnTrain(
    ["recipe", "run", bed.env.writeRecipe("secret", recipe), "--no-visual"],
    bed.env,
  );
  const seen: string[] = [];
  const poller = setInterval(
    () => seen.push(...commandLines().filter((l) => l.includes(secret))),
    50,
  );
  const run = await collect(child);
  clearInterval(poller);
  assert.equal(run.code, 0, run.stderr);

  const expected = createHash("sha256").update(secret).digest("hex");
  assert.equal(
    readFileSync(hashFile, "utf8").trim(),
    expected,
    "the command did not get the secret",
  );
  assert.match(run.stderr, new RegExp(`token has ${secret.length} characters`));
  assert.deepEqual(seen, [], "a process command line held the secret");
  assert.equal(
    run.stdout.includes(secret) || run.stderr.includes(secret),
    false,
  );
  assert.deepEqual(filesContaining(filesUnder(bed.env.home), secret), []);
  assert.equal(
    readFileSync(join(bed.out, "pane.txt"), "utf8").includes(secret),
    false,
  );
  const remoteJob = join(homedir(), ".trainsh", "jobs", jobIdOf(run.stderr));
  assert.ok(existsSync(remoteJob), "no remote job folder to scan");
  assert.deepEqual(filesContaining(filesUnder(remoteJob), secret), []);
});

test("printed secret is redacted in logs", async () => {
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    `@h > echo "leaking \${secret:TRAINSH_TEST_TOKEN} now"; false`,
    "tmux.close @h",
  ].join("\n");
  const run = await runTrain(
    ["recipe", "run", bed.env.writeRecipe("leak", recipe), "--no-visual"],
    bed.env,
  );
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /leaking \*\*\* now/);
  assert.equal(run.stderr.includes(secret), false);
  assert.deepEqual(filesContaining(filesUnder(bed.env.home), secret), []);
  const logs = await runTrain(["recipe", "logs", jobIdOf(run.stderr)], bed.env);
  assert.match(logs.stdout, /leaking \*\*\* now/);
});

test("secret with shell syntax is data", async () => {
  const pwned = join(bed.out, "pwned");
  const tricky = `a'b"c$(touch ${pwned})\`id\`$HOME\\`;
  const file = join(bed.out, "tricky.txt");
  const trickyEnv = makeTrainEnv({ TRAINSH_TRICKY: tricky });
  try {
    const recipe = [
      "host h = local",
      `@h > printf '%s' "\${secret:TRAINSH_TRICKY}" > ${file}`,
    ].join("\n");
    const run = await runTrain(
      ["recipe", "run", trickyEnv.writeRecipe("tricky", recipe), "--no-visual"],
      trickyEnv,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(file, "utf8"), tricky);
    assert.equal(existsSync(pwned), false, "the secret ran as a command");
  } finally {
    trickyEnv.cleanup();
  }
});

test("missing secret stops before start", async () => {
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    "tmux.open @h",
    `@h > echo \${secret:TRAINSH_NOT_SET_ANYWHERE}`,
  ].join("\n");
  const run = await runTrain(
    ["recipe", "run", bed.env.writeRecipe("missing", recipe), "--no-visual"],
    bed.env,
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /TRAINSH_NOT_SET_ANYWHERE/);
  assert.equal(
    existsSync(join(bed.env.home, "jobs")) &&
      readdirSync(join(bed.env.home, "jobs")).some((d) =>
        d.includes("missing"),
      ),
    false,
  );
});
