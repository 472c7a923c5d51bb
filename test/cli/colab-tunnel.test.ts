// Colab connections through a stand-in for cloudflared: a `cloudflared`
// script on PATH that takes `access ssh --hostname H`, records H and joins
// stdin/stdout to the loopback sshd, as the real ProxyCommand would join
// them to the notebook's tunnel.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSshd, type TestSshd } from "../support/sshd.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";

const TUNNEL_HOST = "quiet-river-test.trycloudflare.com";

let sshd: TestSshd;
let env: TrainEnv;
let binDir: string;
let proxyLog: string;

function standInScript(port: number, log: string): string {
  return `#!${process.execPath}
const net = require("node:net");
const fs = require("node:fs");
const args = process.argv.slice(2);
if (args.length !== 4 || args[0] !== "access" || args[1] !== "ssh" || args[2] !== "--hostname") {
  process.stderr.write("stand-in cloudflared: unexpected arguments " + JSON.stringify(args) + "\\n");
  process.exit(64);
}
fs.appendFileSync(${JSON.stringify(log)}, args[3] + "\\n");
const socket = net.connect(${port}, "127.0.0.1");
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on("close", () => process.exit(0));
`;
}

before(async () => {
  sshd = await startSshd();
  binDir = mkdtempSync(join(tmpdir(), "trainsh-bin-"));
  proxyLog = join(binDir, "hostnames.log");
  const script = join(binDir, "cloudflared");
  writeFileSync(script, standInScript(sshd.port, proxyLog));
  chmodSync(script, 0o755);
  // ssh checks the host key under the tunnel hostname, not under 127.0.0.1.
  const hostKey = readFileSync(join(sshd.dir, "host_ed25519.pub"), "utf8");
  writeFileSync(join(binDir, "known_hosts"), `${TUNNEL_HOST} ${hostKey}`);
  env = makeTrainEnv({
    PATH: `${binDir}:${process.env.PATH ?? ""}`,
    TRAINSH_SECRETS_BACKEND: "file",
  });
  const added = await connect("nb1", TUNNEL_HOST);
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  env.cleanup();
  await sshd.stop();
});

function connect(name: string, hostname: string, extra: string[] = []) {
  return runTrain(
    [
      "colab",
      "connect",
      name,
      "--cloudflared",
      hostname,
      "--key",
      sshd.keyPath,
      "-o",
      `UserKnownHostsFile=${join(binDir, "known_hosts")}`,
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      "IdentitiesOnly=yes",
      ...extra,
    ],
    env,
  );
}

function proxiedHostnames(): string[] {
  return readFileSync(proxyLog, "utf8").trim().split("\n");
}

test("connect stores colab host", async () => {
  const hosts = readFileSync(join(env.home, "hosts.toml"), "utf8");
  assert.match(hosts, /type = "colab"/);
  assert.match(hosts, /tunnel = "cloudflared"/);
  assert.match(hosts, new RegExp(`hostname = "${TUNNEL_HOST}"`));
  const list = await runTrain(["colab", "list"], env);
  assert.equal(list.code, 0, list.stderr);
  assert.match(
    list.stdout,
    new RegExp(`^nb1\\tcloudflared\\troot@${TUNNEL_HOST}:22\\tkey$`, "m"),
  );
});

test("colab run passes exit code", async () => {
  const run = await runTrain(["colab", "run", "echo via-tunnel; exit 3"], env);
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stdout, /^via-tunnel$/m);
  assert.ok(proxiedHostnames().includes(TUNNEL_HOST));
  const dashed = await runTrain(
    ["colab", "run", "nb1", "ls", "-d", "/tmp"],
    env,
  );
  assert.equal(dashed.code, 0, dashed.stderr);
  assert.equal(dashed.stdout, "/tmp\n");
});

test("colab ssh opens a shell", async () => {
  const run = await runTrain(["colab", "ssh", "nb1"], env, {
    input: "echo shell-through-tunnel; exit 5\n",
  });
  assert.equal(run.code, 5, run.stderr);
  assert.match(run.stdout, /shell-through-tunnel/);
});

test("recipe step runs through tunnel", async () => {
  const marker = `/tmp/trainsh-colab-${process.pid}-recipe`;
  const file = env.writeRecipe(
    "colab-step",
    `host gpu = nb1\n\n@gpu > echo recipe-step-ok > ${marker}\n`,
  );
  const run = await runTrain(["recipe", "run", file, "--no-visual"], env);
  assert.equal(run.code, 0, run.stderr);
  const check = await runTrain(["colab", "run", "nb1", "cat", marker], env);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.stdout, "recipe-step-ok\n");
});

test("transfer copies through tunnel", async () => {
  const local = mkdtempSync(join(tmpdir(), "trainsh-colab-src-"));
  mkdirSync(join(local, "data"));
  writeFileSync(join(local, "data", "weights.txt"), "tensor bytes\n");
  const remote = `/tmp/trainsh-colab-${process.pid}-copy`;
  const run = await runTrain(
    ["transfer", `${local}/data/`, `@nb1:${remote}/`],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  const check = await runTrain(
    ["colab", "run", "nb1", "cat", `${remote}/weights.txt`],
    env,
  );
  assert.equal(check.stdout, "tensor bytes\n");
});

test("host test reaches colab host", async () => {
  const run = await runTrain(["host", "test", "nb1"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^os +.*Linux/m);
});

test("missing cloudflared names install", async () => {
  const bare = makeTrainEnv({ PATH: "/usr/bin:/bin", TRAINSH_HOME: env.home });
  try {
    const run = await runTrain(["colab", "run", "true"], bare);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /`cloudflared` is not on PATH/);
    assert.match(run.stderr, /hint: install cloudflared/);
  } finally {
    bare.cleanup();
  }
});

test("several connections need a name", async () => {
  const second = await connect("nb2", "other-test.trycloudflare.com");
  assert.equal(second.code, 0, second.stderr);
  const run = await runTrain(["colab", "run", "true"], env);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /2 Colab connections \(nb1, nb2\)/);
  const named = await runTrain(["colab", "run", "nb1", "exit", "4"], env);
  assert.equal(named.code, 4, named.stderr);
});

test("password goes to secrets", async () => {
  const run = await runTrain(
    [
      "colab",
      "connect",
      "nbpw",
      "--ngrok",
      "0.tcp.ngrok.io:14022",
      "--password-stdin",
    ],
    env,
    { input: "s3cret-colab-pw\n" },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /stored the password as secret COLAB_NBPW_PASSWORD/);
  assert.doesNotMatch(run.stdout + run.stderr, /s3cret-colab-pw/);
  const hosts = readFileSync(join(env.home, "hosts.toml"), "utf8");
  assert.doesNotMatch(hosts, /s3cret-colab-pw/);
  assert.match(hosts, /port = 14022/);
  const secret = await runTrain(
    ["secrets", "get", "COLAB_NBPW_PASSWORD", "--reveal"],
    env,
  );
  assert.equal(secret.stdout.trim(), "s3cret-colab-pw");
});
