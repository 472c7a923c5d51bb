// The interactive `train host add` in a real terminal: answers typed with
// tmux send-keys, the screen read with capture-pane.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTrainEnv } from "../support/cli.ts";
import { openTerminal, type Terminal } from "../support/terminal.ts";

const env = makeTrainEnv({ TRAINSH_SECRETS_BACKEND: "file" });
const keyPath = join(env.home, "id_test");
writeFileSync(keyPath, "not a real key\n");
const terminals: Terminal[] = [];
after(() => {
  for (const terminal of terminals) terminal.close();
  env.cleanup();
});

function erase(terminal: Terminal, count: number): void {
  for (let i = 0; i < count; i++) terminal.keys("BSpace");
}

async function answer(terminal: Terminal, prompt: RegExp, text: string) {
  await terminal.waitFor(prompt);
  if (text !== "") terminal.type(text);
  terminal.keys("Enter");
}

test("prompts re-ask a wrong answer", async () => {
  const terminal = openTerminal(env, ["host", "add"]);
  terminals.push(terminal);
  await answer(terminal, /Host name/, "bad name!");
  await terminal.waitFor(/use letters, digits/);
  erase(terminal, 9);
  terminal.type("gpu1");
  terminal.keys("Enter");
  await answer(terminal, /Google Colab via ngrok/, "");
  await answer(terminal, /Address/, "127.0.0.1");
  await answer(terminal, /SSH port/, "abc");
  await terminal.waitFor(/port "abc" is not a whole number/);
  erase(terminal, 3);
  terminal.type("2222");
  terminal.keys("Enter");
  await answer(terminal, /User/, "");
  await answer(terminal, /Authentication/, "");
  await answer(terminal, /Private key file/, "/no/such/key");
  await terminal.waitFor(/no key file at \/no\/such\/key/);
  erase(terminal, "/no/such/key".length);
  terminal.type(keyPath);
  terminal.keys("Enter");
  await answer(terminal, /Jump host/, "");
  assert.equal(await terminal.exitCode(), 0, terminal.screen());
  assert.match(terminal.screen(), /added host gpu1 \(root@127\.0\.0\.1:2222\)/);
  const hosts = readFileSync(join(env.home, "hosts.toml"), "utf8");
  assert.match(hosts, /name = "gpu1"/);
  assert.match(hosts, /hostname = "127\.0\.0\.1"/);
  assert.match(hosts, /port = 2222/);
  assert.match(hosts, /username = "root"/);
  assert.match(hosts, new RegExp(`ssh_key_path = "${keyPath}"`));
  assert.doesNotMatch(hosts, /jump_host/);
});

test("Ctrl-C leaves hosts.toml untouched", async () => {
  const file = join(env.home, "hosts.toml");
  const before = readFileSync(file);
  const terminal = openTerminal(env, ["host", "add"]);
  terminals.push(terminal);
  await answer(terminal, /Host name/, "gpu2");
  await answer(terminal, /Google Colab via ngrok/, "");
  await terminal.waitFor(/Address/);
  terminal.type("10.0.0.1");
  await terminal.waitFor(/10\.0\.0\.1/);
  terminal.keys("C-c");
  assert.equal(await terminal.exitCode(), 130, terminal.screen());
  assert.match(terminal.screen(), /cancelled; nothing was changed/);
  assert.deepEqual(readFileSync(file), before);
});

test("existing name is re-asked", async () => {
  const terminal = openTerminal(env, ["host", "add"]);
  terminals.push(terminal);
  await answer(terminal, /Host name/, "gpu1");
  await terminal.waitFor(/host "gpu1" already exists/);
  terminal.keys("C-c");
  assert.equal(await terminal.exitCode(), 130, terminal.screen());
});
