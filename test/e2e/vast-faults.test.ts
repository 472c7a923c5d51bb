// Faults of rented machines, against the fake Vast.ai API. Covered: instances
// whose local job is gone, stops and destroys that the service confirms
// late, an SSH path that drops while the instance runs, and a crash whose
// last lines must survive the failure-stop.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import {
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import { join } from "node:path";
import { collect, runTrain, spawnTrain } from "../support/cli.ts";
import { startVastTestbed, type VastTestbed } from "../support/vast-testbed.ts";
import { startRelay, type TcpRelay } from "../support/tcp-relay.ts";

let bed: VastTestbed;
let relay: TcpRelay;

before(async () => {
  bed = await startVastTestbed();
  relay = await startRelay(bed.sshd.port);
});

after(async () => {
  await relay.stop();
  await bed.stop();
});

beforeEach(() => {
  bed.fake.instances.clear();
  bed.fake.requests.length = 0;
  bed.fake.options.lagReads = 0;
  bed.fake.options.ssh = { host: "127.0.0.1", port: bed.sshd.port };
  for (const offer of bed.fake.offers) offer.rented = false;
  writeFileSync(join(bed.sshd.dir, "authorized_keys"), "");
  setConfig("");
});

function setConfig(extra: string): void {
  writeFileSync(
    join(bed.env.home, "config.toml"),
    `[defaults]\nssh_key_path = "${bed.sshd.keyPath}"\n${extra}`,
  );
}

function authorizeTestKey(): void {
  const key = readFileSync(`${bed.sshd.keyPath}.pub`, "utf8");
  writeFileSync(join(bed.sshd.dir, "authorized_keys"), key);
}

function run(name: string, text: string, args: string[] = []) {
  const file = bed.env.writeRecipe(name, text);
  return runTrain(["recipe", "run", file, "--no-visual", ...args], bed.env);
}

interface JobJson {
  id: string;
  vastInstances?: {
    instanceId: number;
    stoppedAt?: string;
    destroyedAt?: string;
  }[];
}

async function newestJob(): Promise<JobJson> {
  const jobs = await runTrain(["recipe", "jobs", "--json"], bed.env);
  return (JSON.parse(jobs.stdout) as JobJson[])[0]!;
}

function jobDir(id: string): string {
  const root = join(bed.env.home, "jobs");
  const name = readdirSync(root).find((entry) => entry.endsWith(`-${id}`));
  assert.ok(name, `no folder for job ${id} in ${root}`);
  return join(root, name);
}

/** Rents one instance in a run that then ends; returns the job and the id. */
async function rentOne(
  tail = "",
): Promise<{ job: JobJson; id: number; stderr: string }> {
  const result = await run(
    "rent",
    `host gpu = placeholder\nvast.pick @gpu create=true image=img\n${tail}`,
  );
  const job = await newestJob();
  const id = job.vastInstances?.[0]?.instanceId ?? 0;
  assert.ok(bed.fake.instances.has(id), result.stderr);
  // A run without vast.wait ends while the instance loads; skip to running,
  // so it bills its full rate from here.
  if (tail === "")
    Object.assign(bed.fake.instance(id), {
      actual_status: "running",
      upcoming: [],
    });
  return { job, id, stderr: result.stderr };
}

function readsAfter(method: string, id: number): string[] {
  const path = new RegExp(`instances/${id}$`);
  const all = bed.fake.requests.filter((r) => path.test(r.path));
  const first = all.findIndex((r) => r.method === method && r.status === 200);
  return all
    .slice(first + 1)
    .filter((r) => r.method === "GET")
    .map((r) => r.path);
}

test("list flags instance of deleted job", async () => {
  const { job, id } = await rentOne();
  const before = await runTrain(["vast", "list"], bed.env);
  assert.equal(before.code, 0, before.stderr);
  assert.doesNotMatch(before.stderr, /not in local state/);
  const tracked = await runTrain(["vast", "list", "--json"], bed.env);
  assert.match(
    tracked.stdout,
    new RegExp(`"state": "tracked",\\s*"job": "${job.id}"`),
  );

  rmSync(jobDir(job.id), { recursive: true, force: true });
  const listing = await runTrain(["vast", "list"], bed.env);
  assert.equal(listing.code, 0, listing.stderr);
  assert.match(listing.stdout, new RegExp(`^${id}\\trunning\\t`, "m"));
  assert.match(
    listing.stderr,
    /1 instance labelled by train is not in local state and may be billing:/,
  );
  assert.match(
    listing.stderr,
    new RegExp(
      `^${id} \\(label train:${job.id}\\) — not in local state \\(no local job ${job.id}\\), running, \\$0\\.12\\d\\/h$`,
      "m",
    ),
  );
  assert.match(
    listing.stderr,
    new RegExp(`adopt: train recipe run RECIPE --host NAME=vast:${id}`),
  );
  assert.match(listing.stderr, new RegExp(`destroy: train vast destroy ${id}`));

  const json = await runTrain(["vast", "list", "--json"], bed.env);
  assert.equal(json.code, 0, json.stderr);
  const listed = (
    JSON.parse(json.stdout) as {
      id: number;
      train_local_state?: { state: string; job: string };
    }[]
  ).find((instance) => instance.id === id);
  assert.deepEqual(listed?.train_local_state, {
    state: "untracked",
    job: job.id,
    job_found: false,
  });
});

test("list flags instance job forgot", async () => {
  const { job, id } = await rentOne();
  const file = join(jobDir(job.id), "state.json");
  const state = JSON.parse(readFileSync(file, "utf8")) as JobJson;
  delete state.vastInstances;
  writeFileSync(file, JSON.stringify(state));
  bed.fake.addInstance({ id: 700, label: "train:not-a-job-id" });
  const listing = await runTrain(["vast", "list"], bed.env);
  assert.equal(listing.code, 0, listing.stderr);
  assert.match(
    listing.stderr,
    new RegExp(
      `^${id} \\(label train:${job.id}\\) — not in local state \\(job ${job.id} does not record it\\)`,
      "m",
    ),
  );
  assert.doesNotMatch(listing.stderr, /^700 /m);
});

test("destroy confirms through lag", async () => {
  const { job, id } = await rentOne();
  bed.fake.options.lagReads = 2;
  bed.fake.failNext("DELETE", new RegExp(`instances/${id}$`), {
    status: 500,
    body: { msg: "try again later" },
    times: 2,
  });
  const result = await runTrain(
    ["vast", "destroy", String(id), "--yes"],
    bed.env,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`destroyed instance ${id}`));
  const deletes = bed.fake.requestsTo("DELETE", new RegExp(`instances/${id}$`));
  assert.deepEqual(
    deletes.map((r) => r.status),
    [500, 500, 200],
  );
  assert.equal(readsAfter("DELETE", id).length, 3);
  assert.equal(bed.fake.instances.has(id), false);
  const after = await newestJob();
  assert.equal(after.id, job.id);
  assert.ok(after.vastInstances?.[0]?.destroyedAt);
});

test("destroy unconfirmed keeps record", async () => {
  const { job, id } = await rentOne();
  setConfig("[vast]\nconfirm_timeout = 2\n");
  bed.fake.options.lagReads = 100;
  const result = await runTrain(
    ["vast", "destroy", String(id), "--yes"],
    bed.env,
  );
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(
      `instance ${id} may still be billing \\(\\$0\\.12\\d/h\\): Vast\\.ai still shows running 2s after the destroy request`,
    ),
  );
  assert.match(
    result.stderr,
    new RegExp(`hint: run \`train vast destroy ${id}\` again`),
  );
  assert.doesNotMatch(result.stderr, /destroyed instance/);
  const after = await newestJob();
  assert.equal(after.id, job.id);
  assert.equal(after.vastInstances?.[0]?.destroyedAt, undefined);
});

const WAIT_THEN_FAIL = "vast.wait timeout=1m poll=1s\n@local > false\n";

test("failure-stop confirms through lag", async () => {
  bed.fake.options.lagReads = 2;
  bed.fake.failNext("PUT", /instances\/\d+$/, {
    status: 500,
    body: { msg: "try again later" },
    times: 2,
  });
  const { job, id, stderr } = await rentOne(WAIT_THEN_FAIL);
  const puts = bed.fake.requestsTo("PUT", new RegExp(`instances/${id}$`));
  assert.deepEqual(
    puts.map((r) => r.status),
    [500, 500, 200],
  );
  assert.equal(readsAfter("PUT", id).length, 3);
  assert.match(
    stderr,
    new RegExp(`stopped Vast\\.ai instance ${id}, which this run started`),
  );
  assert.equal(bed.fake.instance(id).actual_status, "stopped");
  assert.ok(job.vastInstances?.[0]?.stoppedAt);
});

test("failure-stop unconfirmed keeps record", async () => {
  setConfig("[vast]\nconfirm_timeout = 2\n");
  bed.fake.options.lagReads = 100;
  const { job, id, stderr } = await rentOne(WAIT_THEN_FAIL);
  assert.match(
    stderr,
    new RegExp(
      `failed to stop Vast\\.ai instance ${id} after the run failed: instance ${id} may still be billing \\(\\$0\\.12\\d/h\\): Vast\\.ai still shows running 2s after the stop request; run \`train vast stop ${id}\` again`,
    ),
  );
  assert.doesNotMatch(stderr, /stopped Vast\.ai instance/);
  assert.equal(job.vastInstances?.[0]?.stoppedAt, undefined);
  const status = await runTrain(["recipe", "status", job.id], bed.env);
  assert.match(status.stdout, new RegExp(`stop: train vast stop ${id}`));
});

test("step survives SSH drop while running", async () => {
  authorizeTestKey();
  bed.fake.options.ssh = { host: "127.0.0.1", port: relay.port };
  bed.fake.addInstance({ id: 830 });
  const file = bed.env.writeRecipe(
    "drop",
    `host gpu = placeholder\n@gpu > sleep 12; echo survived\n`,
  );
  const child = spawnTrain(
    ["recipe", "run", file, "--no-visual", "--host", "gpu=vast:830"],
    bed.env,
  );

  let stderr = "";
  let cut: Promise<void> | undefined;
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (cut !== undefined || !/opened session @gpu/.test(stderr)) return;
    // After the send request's own 2 s wait, so the drop hits a later poll.
    cut = new Promise((resolve) => setTimeout(resolve, 4000)).then(() =>
      relay.cut(5000),
    );
  });
  const result = await collect(child);
  await cut;

  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /waiting for step 1 on @gpu: .*; Vast\.ai instance 830 still running; retrying for up to 10m/,
  );
  assert.match(
    result.stderr,
    /waiting for step 1 on @gpu: reachable again after \d+s/,
  );
  const job = await newestJob();
  const log = await runTrain(
    ["recipe", "logs", job.id, "--step", "1"],
    bed.env,
  );
  assert.match(log.stdout, /survived/);
  assert.doesNotMatch(result.stderr, /lost the connection while sending/);
  assert.ok(bed.fake.requestsTo("GET", /instances\/830$/).length >= 2);
});

test("unreachable exited instance fails at once", async () => {
  authorizeTestKey();
  bed.fake.options.ssh = { host: "127.0.0.1", port: relay.port };
  bed.fake.addInstance({ id: 831 });
  const file = bed.env.writeRecipe(
    "gone",
    `host gpu = placeholder\n@gpu > sleep 60\n`,
  );
  const child = spawnTrain(
    ["recipe", "run", file, "--no-visual", "--host", "gpu=vast:831"],
    bed.env,
  );
  let stderr = "";
  let cut: Promise<void> | undefined;
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (cut !== undefined || !/opened session @gpu/.test(stderr)) return;
    bed.fake.instance(831).actual_status = "exited";
    cut = relay.cut(8000);
  });
  const started = Date.now();
  const result = await collect(child, undefined, 60_000);
  await cut;
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    /the host is unreachable and Vast\.ai reports instance 831 exited, so the step's processes have ended/,
  );
  assert.match(result.stderr, /hint: start it with `train vast start 831`/);
  assert.ok(Date.now() - started < 30_000, "failed only after the grace");
});

test("failure-stop saves the pane first", async () => {
  bed.fake.addInstance({
    id: 840,
    actual_status: "stopped",
    intended_status: "stopped",
  });
  const result = await run(
    "crash",
    `host gpu = placeholder
vast.pick @gpu
vast.wait timeout=1m poll=1s
@gpu > sh -c 'for i in $(seq 1 100); do echo "training line $i"; done; echo "RuntimeError: CUDA out of memory" >&2; exit 1' &
wait @gpu idle timeout=1m
`,
    ["--host", "gpu=vast:840"],
  );
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /background step 3 failed with exit code 1/);
  const saved = result.stderr.indexOf("saved the pane text of session @gpu");
  const stopped = result.stderr.indexOf("stopped Vast.ai instance 840");
  assert.ok(saved >= 0, result.stderr);
  assert.ok(stopped > saved, result.stderr);
  assert.match(result.stderr, /│ training line 100$/m);
  assert.match(result.stderr, /│ RuntimeError: CUDA out of memory$/m);
  assert.doesNotMatch(result.stderr, /│ training line 70$/m);
  assert.equal(bed.fake.instance(840).actual_status, "stopped");

  const job = await newestJob();
  const file = join(jobDir(job.id), "session-gpu.log");
  assert.ok(existsSync(file));
  const pane = readFileSync(file, "utf8");
  assert.match(pane, /^training line 1$/m);
  assert.match(pane, /^RuntimeError: CUDA out of memory$/m);
});

test("no unmatched fake routes", () => {
  assert.deepEqual(bed.fake.unmatched, []);
});
