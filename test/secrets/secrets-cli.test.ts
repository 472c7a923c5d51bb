// `train secrets`: the 0600 fallback file, the environment overriding the
// store, masking, and the hidden prompt driven in a real terminal.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { makeTrainEnv, runTrain } from "../support/cli.ts";
import { openTerminal, type Terminal } from "../support/terminal.ts";

const env = makeTrainEnv({ TRAINSH_SECRETS_BACKEND: "file" });
const file = join(env.home, "secrets.toml");
const value = "hf_Zq8sT4vW2yB6nM1kL9pR3xC7";
const terminals: Terminal[] = [];
after(() => {
  for (const terminal of terminals) terminal.close();
  env.cleanup();
});

test("set writes a 0600 file", async () => {
  const run = await runTrain(["secrets", "set", "HF_TOKEN", "--stdin"], env, {
    input: `${value}\n`,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(run.stderr, /warning: secrets are stored in .*not encrypted/);
  assert.equal(run.stdout.includes(value) || run.stderr.includes(value), false);
  const again = await runTrain(["secrets", "set", "OTHER", "--stdin"], env, {
    input: "other-value",
  });
  assert.doesNotMatch(again.stderr, /warning/, "the warning is one-time");
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test("get masks unless revealed", async () => {
  const masked = await runTrain(["secrets", "get", "HF_TOKEN"], env);
  assert.equal(masked.code, 0, masked.stderr);
  assert.equal(masked.stdout.includes(value), false);
  assert.match(
    masked.stdout,
    /HF_TOKEN {2}\*\*\*\*3xC7 \(27 characters\) {2}from file/,
  );
  const list = await runTrain(["secrets", "list"], env);
  assert.equal(list.stdout.includes(value), false);
  assert.match(list.stdout, /^HF_TOKEN\tfile\t/m);
  assert.match(list.stdout, /^VAST_API_KEY\tunset\t/m);
  const revealed = await runTrain(
    ["secrets", "get", "HF_TOKEN", "--reveal"],
    env,
  );
  assert.equal(revealed.stdout, `${value}\n`);
});

test("environment variable wins over store", async () => {
  const withEnv = { ...env, env: { ...env.env, HF_TOKEN: "from-env-value" } };
  const run = await runTrain(
    ["secrets", "get", "HF_TOKEN", "--reveal"],
    withEnv,
  );
  assert.equal(run.stdout, "from-env-value\n");
  const list = await runTrain(["secrets", "list", "--json"], withEnv);
  const rows = JSON.parse(list.stdout) as { name: string; source: string }[];
  assert.equal(rows.find((row) => row.name === "HF_TOKEN")?.source, "env");
  assert.equal(list.stdout.includes("from-env-value"), false);
});

test("delete asks, --yes skips", async () => {
  const refused = await runTrain(["secrets", "delete", "OTHER"], env);
  assert.equal(refused.code, 2, "no terminal and no --yes is a usage error");
  assert.match(readFileSync(file, "utf8"), /OTHER/);
  const run = await runTrain(["secrets", "delete", "OTHER", "--yes"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(readFileSync(file, "utf8"), /OTHER/);
  const missing = await runTrain(["secrets", "get", "OTHER"], env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /secret OTHER is not set/);
});

test("lower-case name is rejected", async () => {
  const run = await runTrain(["secrets", "set", "hf_token", "--stdin"], env, {
    input: "x",
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /e\.g\. HF_TOKEN/);
});

test("hidden prompt stores the value", async () => {
  const secret = "tok-hidden-0123456789abcdef";
  const terminal = openTerminal(env, ["secrets", "set", "GITHUB_TOKEN"]);
  terminals.push(terminal);
  await terminal.waitFor(/Value for GITHUB_TOKEN/);
  terminal.keys("Enter");
  await terminal.waitFor(/a value is required/);
  terminal.type(secret);
  await terminal.waitFor(/▪{10}|•{10}|\*{10}/);
  assert.equal(terminal.screen().includes(secret), false, "input was echoed");
  terminal.keys("Enter");
  assert.equal(await terminal.exitCode(), 0, terminal.screen());
  assert.equal(terminal.screen().includes(secret), false);
  const revealed = await runTrain(
    ["secrets", "get", "GITHUB_TOKEN", "--reveal"],
    env,
  );
  assert.equal(revealed.stdout, `${secret}\n`);
});

test("Ctrl-C in prompt stores nothing", async () => {
  const before = readFileSync(file);
  const terminal = openTerminal(env, ["secrets", "set", "OPENAI_API_KEY"]);
  terminals.push(terminal);
  await terminal.waitFor(/Value for OPENAI_API_KEY/);
  terminal.type("partial-value");
  await terminal.waitFor(/▪{5}|•{5}|\*{5}/);
  terminal.keys("C-c");
  assert.equal(await terminal.exitCode(), 130, terminal.screen());
  assert.deepEqual(readFileSync(file), before);
  assert.ok(existsSync(file));
});
