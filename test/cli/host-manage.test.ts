// `train host add|list|show|remove` by flags, a hand-broken hosts.toml, and
// hosts from `host add` used by recipes and `train exec`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSshd, type TestSshd } from "../support/sshd.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";

let sshd: TestSshd;
let env: TrainEnv;
let hostsFile: string;

before(async () => {
  sshd = await startSshd();
  env = makeTrainEnv({ TRAINSH_SECRETS_BACKEND: "file" });
  hostsFile = join(env.home, "hosts.toml");
});

after(async () => {
  env.cleanup();
  await sshd.stop();
});

const sshdFlags = () => [
  "--host",
  "127.0.0.1",
  "--port",
  String(sshd.port),
  "--key",
  sshd.keyPath,
  "-o",
  `UserKnownHostsFile=${sshd.knownHostsPath}`,
  "-o",
  "StrictHostKeyChecking=yes",
];

test("add by flags, then list", async () => {
  const run = await runTrain(["host", "add", "gpu1", ...sshdFlags()], env);
  assert.equal(run.code, 0, run.stderr);
  const list = await runTrain(["host", "list"], env);
  assert.match(list.stdout, /^Name\tType\tAddress\tAuth\tJump$/m);
  assert.match(
    list.stdout,
    new RegExp(`^gpu1\tssh\troot@127\\.0\\.0\\.1:${sshd.port}\tkey\t$`, "m"),
  );
  const json = await runTrain(["host", "list", "--json"], env);
  const entries = JSON.parse(json.stdout) as { name: string; port: number }[];
  assert.deepEqual(
    entries.map((entry) => [entry.name, entry.port]),
    [["gpu1", sshd.port]],
  );
});

test("existing name needs --force", async () => {
  const before = readFileSync(hostsFile);
  const run = await runTrain(
    ["host", "add", "gpu1", "--host", "10.0.0.9"],
    env,
  );
  assert.equal(run.code, 1);
  assert.match(run.stderr, /host "gpu1" already exists/);
  assert.match(run.stderr, /--force/);
  assert.deepEqual(readFileSync(hostsFile), before);
});

test("bad flags are usage errors", async () => {
  const cases: [string[], RegExp][] = [
    [["--host", "1.2.3.4", "--port", "70000"], /invalid --port: port "70000"/],
    [["--host", "root@1.2.3.4"], /invalid --host: give the user separately/],
    [
      ["--host", "1.2.3.4", "--key", "/no/key"],
      /invalid --key: no key file at \/no\/key/,
    ],
    [["--port", "22"], /--port given without --host/],
    [
      ["--host", "h", "--type", "colab"],
      /needs --tunnel cloudflared or --tunnel ngrok/,
    ],
  ];
  for (const [flags, message] of cases) {
    const run = await runTrain(["host", "add", "x1", ...flags], env);
    assert.equal(run.code, 2, `${flags.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  const name = await runTrain(["host", "add", "local", "--host", "h"], env);
  assert.equal(name.code, 2);
  assert.match(name.stderr, /reserved/);
});

test("colab entry keeps its tunnel", async () => {
  const run = await runTrain(
    [
      "host",
      "add",
      "colab1",
      "--type",
      "colab",
      "--tunnel",
      "ngrok",
      "--host",
      "0.tcp.ngrok.io",
      "--port",
      "12345",
    ],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  const show = await runTrain(["host", "show", "colab1"], env);
  assert.match(show.stdout, /^Type +colab$/m);
  assert.match(show.stdout, /^Tunnel +ngrok$/m);
  assert.match(show.stdout, /^Port +12345$/m);
  assert.match(show.stdout, /^Auth +password$/m);
});

test("show prints every field", async () => {
  const run = await runTrain(["host", "show", "gpu1"], env);
  assert.equal(run.code, 0, run.stderr);
  for (const label of [
    "Name",
    "Type",
    "Address",
    "Port",
    "User",
    "Auth",
    "Key",
    "SSH options",
    "ssh command",
  ]) {
    assert.match(run.stdout, new RegExp(`^${label} `, "m"), label);
  }
  assert.match(run.stdout, /StrictHostKeyChecking=yes/);
});

test("recipe and exec use it", async () => {
  const file = env.writeRecipe(
    "stored",
    [
      "host gpu = gpu1",
      "tmux.open @gpu",
      "@gpu > echo recipe-on-$((6*7))",
      "tmux.close @gpu",
    ].join("\n"),
  );
  const run = await runTrain(["recipe", "run", file, "--no-visual"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /recipe-on-42/);
  const exec = await runTrain(["exec", "@gpu1 > echo exec-on-$((6*7))"], env);
  assert.equal(exec.code, 0, exec.stderr);
  assert.match(exec.stdout + exec.stderr, /exec-on-42/);
});

test("remove asks, --yes skips", async () => {
  const refused = await runTrain(["host", "remove", "colab1"], env);
  assert.equal(refused.code, 2);
  assert.match(readFileSync(hostsFile, "utf8"), /colab1/);
  const run = await runTrain(["host", "remove", "colab1", "--yes"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(readFileSync(hostsFile, "utf8"), /colab1/);
  assert.match(readFileSync(hostsFile, "utf8"), /gpu1/);
});

test("broken hosts.toml names the line", async () => {
  const good = readFileSync(hostsFile, "utf8");
  const cases: [string, RegExp][] = [
    [`${good}\n[[hosts]]\nname = "x\n`, /hosts\.toml:\d+: invalid TOML/],
    [
      `${good}\n[[hosts]]\nname = "x2"\nhostname = "h"\nport = "22"\n`,
      new RegExp(
        `hosts\\.toml:${good.split("\n").length + 4}: host "x2": port: `,
      ),
    ],
    [
      `${good}\n[[hosts]]\nname = "gpu1"\nhostname = "h"\n`,
      new RegExp(
        `hosts\\.toml:${good.split("\n").length + 2}: host "gpu1" is defined twice`,
      ),
    ],
  ];
  for (const [text, message] of cases) {
    writeFileSync(hostsFile, text);
    const run = await runTrain(["host", "list"], env);
    assert.equal(run.code, 1, text);
    assert.match(run.stderr, message);
    assert.equal(
      run.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("error:")).length,
      1,
    );
  }
  writeFileSync(hostsFile, good);
});
