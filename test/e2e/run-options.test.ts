// Host kinds and run options end to end: a hosts.toml entry, a --host
// override, a notify webhook, and Ctrl-C detaching from a running step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import {
  existsSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { collect, makeTrainEnv, runTrain, spawnTrain } from "../support/cli.ts";
import { useTestBed } from "../support/test-bed.ts";
import { waitForFile } from "../support/files.ts";

const bed = useTestBed("trainsh-options-");

test("hosts.toml entry works as host", async () => {
  const hosts = [
    "[[hosts]]",
    'name = "gpu1"',
    'type = "ssh"',
    'hostname = "127.0.0.1"',
    `port = ${bed.sshd.port}`,
    'username = "root"',
    `ssh_key_path = "${bed.sshd.keyPath}"`,
    `ssh_options = ["UserKnownHostsFile=${bed.sshd.knownHostsPath}", "StrictHostKeyChecking=yes", "IdentitiesOnly=yes"]`,
    "",
  ].join("\n");
  writeFileSync(join(bed.env.home, "hosts.toml"), hosts);
  const file = join(bed.out, "from-toml.txt");
  const recipe = ["host gpu = gpu1", `@gpu > echo "toml host" > ${file}`].join(
    "\n",
  );
  const run = await runTrain(
    ["recipe", "run", bed.env.writeRecipe("toml", recipe), "--no-visual"],
    bed.env,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(file, "utf8"), "toml host\n");
  const exec = await runTrain(
    ["exec", "@gpu1 > echo exec-through-toml"],
    bed.env,
  );
  assert.equal(exec.code, 0, exec.stderr);
  assert.equal(exec.stdout, "exec-through-toml\n");
});

test("host override fills a placeholder", async () => {
  const file = join(bed.out, "override.txt");
  const recipe = [
    "host gpu = placeholder",
    `@gpu > echo overridden > ${file}`,
  ].join("\n");
  const path = bed.env.writeRecipe("placeholder", recipe);
  const refused = await runTrain(
    ["recipe", "run", path, "--no-visual"],
    bed.env,
  );
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /placeholder/);
  const run = await runTrain(
    [
      "recipe",
      "run",
      path,
      "--no-visual",
      "--host",
      `gpu=${bed.sshd.hostSpec}`,
    ],
    bed.env,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(file, "utf8"), "overridden\n");
});

test("notify posts to the webhook", async () => {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      bodies.push(body);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const hookEnv = makeTrainEnv();
  try {
    writeFileSync(
      join(hookEnv.home, "config.toml"),
      `[notifications]\nwebhook_url = "http://127.0.0.1:${port}/hook"\n`,
    );
    const recipe = ['var WHAT = "the run"', 'notify "done with $WHAT"'].join(
      "\n",
    );
    const run = await runTrain(
      ["recipe", "run", hookEnv.writeRecipe("hook", recipe), "--no-visual"],
      hookEnv,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /done with "the run"|done with the run/);
    assert.equal(bodies.length, 1);
    const payload = JSON.parse(bodies[0]!) as { text: string; source: string };
    assert.match(payload.text, /done with/);
    assert.equal(payload.source, "train");
  } finally {
    hookEnv.cleanup();
    server.close();
  }
});

test("ctrl-c detaches and work continues", async () => {
  const started = join(bed.out, "sigint-started");
  const finished = join(bed.out, "sigint-finished");
  const recipe = [
    `host h = ${bed.sshd.hostSpec}`,
    `@h > touch ${started}; sleep 3; touch ${finished}`,
    `@h > echo second >> ${join(bed.out, "sigint-second")}`,
  ].join("\n");
  const child = spawnTrain(
    ["recipe", "run", bed.env.writeRecipe("sigint", recipe), "--no-visual"],
    bed.env,
  );
  const result = collect(child);
  await waitForFile(started, 30_000);
  child.kill("SIGINT");
  const run = await result;
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, /detaching: the remote work keeps running/);
  assert.match(run.stderr, /step 1 is still running on @h/);
  const id = /train recipe resume ([0-9a-f]+)/.exec(run.stderr)?.[1];
  assert.ok(id, "no resume command printed");
  assert.equal(existsSync(finished), false);
  await waitForFile(finished, 15_000);
  const resumed = await runTrain(
    ["recipe", "resume", id, "--no-visual"],
    bed.env,
  );
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(
    readFileSync(join(bed.out, "sigint-second"), "utf8"),
    "second\n",
  );
});

test("job files are private", async () => {
  const run = await runTrain(
    [
      "recipe",
      "run",
      bed.env.writeRecipe("private", "host h = local\n@h > echo hi\n"),
      "--no-visual",
    ],
    bed.env,
  );
  assert.equal(run.code, 0, run.stderr);
  const id = /\(job ([0-9a-f]+)\)/.exec(run.stderr)?.[1];
  const dir = readdirSync(join(bed.env.home, "jobs")).find((name) =>
    name.endsWith(`-${id}`),
  );
  assert.ok(dir);
  const jobDir = join(bed.env.home, "jobs", dir);
  assert.equal(statSync(jobDir).mode & 0o777, 0o700);
  for (const file of ["state.json", "events.jsonl", "steps/1.log"]) {
    assert.equal(statSync(join(jobDir, file)).mode & 0o777, 0o600, file);
  }
});
