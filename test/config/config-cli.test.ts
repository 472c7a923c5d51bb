// `train config` over the key schema, and errors for a hand-broken file.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTrainEnv, runTrain } from "../support/cli.ts";
import { CONFIG_KEYS, parseConfigValue } from "../../src/config/schema.ts";
import { readSettings } from "../../src/config/settings.ts";

const env = makeTrainEnv();
const file = join(env.home, "config.toml");
after(() => env.cleanup());

test("show lists every schema key", async () => {
  const run = await runTrain(["config", "show", "--json"], env);
  assert.equal(run.code, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as { key: string; source: string }[];
  assert.deepEqual(
    rows.map((row) => row.key),
    Object.keys(CONFIG_KEYS),
  );
  assert.ok(rows.every((row) => row.source === "default"));
});

test("set checks type and values", async () => {
  const cases: [string, string, RegExp][] = [
    ["tmux.width", "wide", /expected a whole number from 40 to 1000/],
    ["tmux.width", "1e3", /expected a whole number/],
    ["ui.visual", "yes", /expected true or false/],
    ["vast.on_failure", "destroy", /expected one of stop, keep/],
    ["ui.currency", "euro", /three-letter currency code/],
    ["notifications.webhook_url", "ftp://x", /http:\/\/ or https:\/\/ URL/],
  ];
  for (const [key, value, message] of cases) {
    const run = await runTrain(["config", "set", key, value], env);
    assert.equal(run.code, 2, `${key}=${value}`);
    assert.match(run.stderr, message);
  }
  const unknown = await runTrain(["config", "set", "tmux.widht", "300"], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /did you mean tmux\.width\?/);
});

test("set, get and reset", async () => {
  assert.equal(
    (await runTrain(["config", "set", "tmux.width", "300"], env)).code,
    0,
  );
  assert.equal(
    (await runTrain(["config", "set", "ui.currency", "eur"], env)).code,
    0,
  );
  assert.equal(
    (await runTrain(["config", "get", "tmux.width"], env)).stdout,
    "300\n",
  );
  assert.equal(
    (await runTrain(["config", "get", "ui.currency"], env)).stdout,
    "EUR\n",
  );
  const settings = readSettings(file);
  assert.equal(settings.tmux.width, 300);
  assert.equal(settings.vast.api_url, "https://console.vast.ai");
  const refused = await runTrain(["config", "reset"], env);
  assert.equal(refused.code, 2);
  assert.match(readFileSync(file, "utf8"), /width = 300/);
  const one = await runTrain(["config", "reset", "tmux.width", "--yes"], env);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(
    (await runTrain(["config", "get", "tmux.width"], env)).stdout,
    "220\n",
  );
  assert.equal(
    (await runTrain(["config", "get", "ui.currency"], env)).stdout,
    "EUR\n",
  );
  await runTrain(["config", "reset", "--yes"], env);
  assert.equal(
    (await runTrain(["config", "get", "ui.currency"], env)).stdout,
    "USD\n",
  );
});

test("unknown file keys are kept", async () => {
  writeFileSync(file, 'version = 1\n[secrets]\nbackend = "x"\n');
  await runTrain(["config", "set", "ui.visual", "false"], env);
  const text = readFileSync(file, "utf8");
  assert.match(text, /version = 1/);
  assert.match(text, /backend = "x"/);
  assert.match(text, /visual = false/);
});

test("broken config.toml names the line", async () => {
  const cases: [string, RegExp][] = [
    ["[ui]\nvisual = true\ncurrency = \n", /config\.toml:3: invalid TOML/],
    [
      "[tmux]\nheight = 40\nwidth = 5\n",
      /config\.toml:3: tmux\.width: expected a whole number from 40 to 1000, got 5/,
    ],
    [
      '[vast]\non_failure = "destroy"\n',
      /config\.toml:2: vast\.on_failure: expected one of stop, keep, got "destroy"/,
    ],
    ["ui = 3\n", /config\.toml: `ui` must be a table/],
  ];
  for (const [text, message] of cases) {
    writeFileSync(file, text);
    const run = await runTrain(["config", "show"], env);
    assert.equal(run.code, 1, text);
    assert.match(run.stderr, message);
    assert.equal(
      run.stderr.split("\n").filter((l) => l.startsWith("error:")).length,
      1,
    );
  }
  writeFileSync(file, "");
});

test("value parsing is strict", () => {
  assert.deepEqual(parseConfigValue(CONFIG_KEYS["ui.visual"], "true"), {
    value: true,
  });
  assert.ok("problem" in parseConfigValue(CONFIG_KEYS["ui.visual"], "True"));
  assert.deepEqual(parseConfigValue(CONFIG_KEYS["tmux.height"], "60"), {
    value: 60,
  });
  assert.ok("problem" in parseConfigValue(CONFIG_KEYS["tmux.height"], "nan"));
  assert.ok("problem" in parseConfigValue(CONFIG_KEYS["tmux.height"], "60.5"));
});
