// A recipe's `${secret:NAME}` resolves from the store, and the value appears
// in no output, job file or process command line.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSshd, type TestSshd } from "../support/sshd.ts";
import {
  collect,
  makeTrainEnv,
  runTrain,
  spawnTrain,
  type TrainEnv,
} from "../support/cli.ts";

let sshd: TestSshd;
let env: TrainEnv;
let out: string;
const secret = `stored-${randomBytes(12).toString("hex")}`;

before(async () => {
  sshd = await startSshd();
  env = makeTrainEnv({ TRAINSH_SECRETS_BACKEND: "file" });
  delete env.env.TRAINSH_STORED_TOKEN;
  out = mkdtempSync(join(tmpdir(), "trainsh-stored-"));
});

after(async () => {
  env.cleanup();
  await sshd.stop();
  rmSync(out, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("recipe reads a stored secret", async () => {
  const set = await runTrain(
    ["secrets", "set", "TRAINSH_STORED_TOKEN", "--stdin"],
    env,
    {
      input: secret,
    },
  );
  assert.equal(set.code, 0, set.stderr);
  const hashFile = join(out, "hash.txt");
  const recipe = [
    `host h = ${sshd.hostSpec}`,
    "tmux.open @h",
    `@h > printf '%s' "\${secret:TRAINSH_STORED_TOKEN}" | sha256sum | cut -c1-64 > ${hashFile}`,
    `@h > echo "value is \${secret:TRAINSH_STORED_TOKEN}"`,
    "tmux.close @h",
  ].join("\n");
  const child = spawnTrain(
    ["recipe", "run", env.writeRecipe("stored", recipe), "--no-visual"],
    env,
  );
  const seen: string[] = [];
  const poller = setInterval(() => {
    const lines = execFileSync("ps", ["-eo", "args"], {
      encoding: "utf8",
    }).split("\n");
    seen.push(...lines.filter((line) => line.includes(secret)));
  }, 50);
  const run = await collect(child);
  clearInterval(poller);
  assert.equal(run.code, 0, run.stderr);
  const expected = createHash("sha256").update(secret).digest("hex");
  assert.equal(
    readFileSync(hashFile, "utf8").trim(),
    expected,
    "the command did not get the secret",
  );
  assert.match(run.stderr, /value is \*\*\*/);
  assert.equal(
    run.stdout.includes(secret) || run.stderr.includes(secret),
    false,
  );
  assert.deepEqual(seen, [], "a process command line held the secret");
  const leaking = filesUnder(env.home)
    .filter((file) => !file.endsWith("secrets.toml"))
    .filter((file) => readFileSync(file).includes(secret));
  assert.deepEqual(leaking, []);
});

test("check fails without the secret", async () => {
  const del = await runTrain(
    ["secrets", "delete", "TRAINSH_STORED_TOKEN", "--yes"],
    env,
  );
  assert.equal(del.code, 0, del.stderr);
  const file = env.writeRecipe(
    "missing",
    "host h = local\ntmux.open @h\n@h > echo ${secret:TRAINSH_STORED_TOKEN}\n",
  );
  const run = await runTrain(["recipe", "check", file], env);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /TRAINSH_STORED_TOKEN/);
  assert.match(run.stderr, /train secrets set TRAINSH_STORED_TOKEN/);
});
