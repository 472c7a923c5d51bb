// `train host test` and `train host ssh` against a throwaway sshd on
// loopback: a working login, a wrong key, a wrong port and a changed host
// key, each with its own message and exit code.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  freePort,
  generateUnauthorizedKey,
  restartWithNewHostKey,
  startSshd,
  type TestSshd,
} from "../support/sshd.ts";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";

let sshd: TestSshd;
let env: TrainEnv;

before(async () => {
  sshd = await startSshd();
  env = makeTrainEnv({ TRAINSH_SECRETS_BACKEND: "file" });
});

after(async () => {
  env.cleanup();
  await sshd.stop();
});

async function addHost(
  name: string,
  opts: { key?: string; port?: number } = {},
) {
  const run = await runTrain(
    [
      "host",
      "add",
      name,
      "--host",
      "127.0.0.1",
      "--port",
      String(opts.port ?? sshd.port),
      "--user",
      "root",
      "--key",
      opts.key ?? sshd.keyPath,
      "-o",
      `UserKnownHostsFile=${sshd.knownHostsPath}`,
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      "IdentitiesOnly=yes",
      "--force",
    ],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
}

test("test reports a working host", async () => {
  await addHost("good");
  const run = await runTrain(["host", "test", "good"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^login +\d/m);
  assert.match(run.stdout, /^round trip +[\d.]+ms/m);
  assert.match(run.stdout, /^os +.*Linux/m);
  assert.match(run.stdout, /^tmux +(tmux \d|missing)/m);
  assert.match(run.stdout, /^gpus +/m);
  assert.match(run.stdout, /^disk free +[\d.]+ GB of [\d.]+ GB in \//m);
  const json = await runTrain(["host", "test", "good", "--json"], env);
  const facts = JSON.parse(json.stdout) as {
    roundTripMs: number;
    gpus: string[];
  };
  assert.ok(facts.roundTripMs >= 0);
  assert.ok(Array.isArray(facts.gpus));
});

test("ssh passes the exit code", async () => {
  const run = await runTrain(["host", "ssh", "good"], env, {
    input: "echo hello-from-shell; exit 7\n",
  });
  assert.equal(run.code, 7, run.stderr);
  assert.match(run.stdout, /hello-from-shell/);
});

test("wrong key is login rejected", async () => {
  await addHost("badkey", { key: await generateUnauthorizedKey(sshd) });
  const run = await runTrain(["host", "test", "badkey"], env);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /failed to connect to host badkey: SSH login to @badkey was rejected/,
  );
  const ssh = await runTrain(["host", "ssh", "badkey"], env, {
    input: "exit 0\n",
  });
  assert.equal(ssh.code, 255);
  assert.match(ssh.stderr, /error: SSH login to @badkey was rejected/);
});

test("wrong port is unreachable", async () => {
  await addHost("badport", { port: await freePort() });
  const run = await runTrain(["host", "test", "badport"], env);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /Cannot reach @badport \(ssh: .*Connection refused\)/,
  );
  const ssh = await runTrain(["host", "ssh", "badport"], env, {
    input: "exit 0\n",
  });
  assert.equal(ssh.code, 255);
  assert.match(ssh.stderr, /error: Cannot reach @badport/);
});

test("changed host key is named", async () => {
  sshd = await restartWithNewHostKey(sshd);
  const run = await runTrain(["host", "test", "good"], env);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /The host key of @good differs from the one in known_hosts/,
  );
  const ssh = await runTrain(["host", "ssh", "good"], env, {
    input: "exit 0\n",
  });
  assert.equal(ssh.code, 255);
  assert.match(ssh.stderr, /error: The host key of @good differs/);
});

test("unknown host is not found", async () => {
  const run = await runTrain(["host", "test", "goood"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /host not found: goood/);
  assert.match(run.stderr, /did you mean good\?/);
});
