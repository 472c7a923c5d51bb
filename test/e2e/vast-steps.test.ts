import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { collect, runTrain, spawnTrain } from "../support/cli.ts";
import { startVastTestbed, type VastTestbed } from "../support/vast-testbed.ts";

let bed: VastTestbed;

before(async () => {
  bed = await startVastTestbed();
});

after(() => bed.stop());

beforeEach(() => {
  bed.fake.instances.clear();
  bed.fake.requests.length = 0;
  bed.fake.options.ignoreOfferFilters = false;
  bed.fake.options.direct = undefined;
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
    createdByRun: boolean;
    stoppedAt?: string;
  }[];
}

async function newestJob(): Promise<JobJson> {
  const jobs = await runTrain(["recipe", "jobs", "--json"], bed.env);
  return (JSON.parse(jobs.stdout) as JobJson[])[0]!;
}

test("create rents cheapest passing offer", async () => {
  bed.fake.options.ignoreOfferFilters = true;
  const result = await run(
    "rent",
    `host gpu = placeholder
vast.pick @gpu gpu=RTX_4090 min_gpu_ram=24 max_dph=0.5 create=true image=pytorch/pytorch disk=40
vast.wait timeout=1m poll=1s
@gpu > false
`,
  );
  assert.equal(result.code, 1, result.stderr);
  const rents = bed.fake.requestsTo("PUT", /\/asks\/\d+$/);
  assert.deepEqual(
    rents.map((r) => r.path),
    ["/api/v0/asks/9001"],
  );
  const body = rents[0]?.body as Record<string, unknown>;
  assert.equal(body.image, "pytorch/pytorch");
  assert.equal(body.disk, 40);
  const job = await newestJob();
  assert.equal(body.label, `train:${job.id}`);
  const id = job.vastInstances?.[0]?.instanceId ?? 0;
  assert.equal(job.vastInstances?.[0]?.createdByRun, true);
  assert.match(
    result.stderr,
    new RegExp(
      `@gpu = new Vast\\.ai instance ${id}, rented offer 9001: 1x RTX 4090`,
    ),
  );
  assert.match(result.stderr, new RegExp(`instance ${id}: loading`));
  assert.match(
    result.stderr,
    new RegExp(`stopped Vast\\.ai instance ${id}, which this run started`),
  );
  assert.equal(bed.fake.instance(id).actual_status, "stopped");
});

test("create fails naming the filters", async () => {
  const result = await run(
    "rent-none",
    `host gpu = placeholder
vast.pick @gpu gpu=H100 max_dph=0.5 create=true image=img
`,
  );
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /no Vast\.ai offer matches gpu=H100 max_dph<=0\.5 with a 20 GB disk/,
  );
  assert.equal(bed.fake.requestsTo("PUT", /\/asks\//).length, 0);
});

test("pick without match names filters", async () => {
  bed.fake.addInstance({ id: 801, gpu_name: "RTX 3090" });
  const result = await run(
    "pick-none",
    `host gpu = placeholder\nvast.pick @gpu gpu=A100\n`,
  );
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /no instance of the Vast\.ai account matches gpu=A100 \(1 instances checked\)/,
  );
});

test("wait reports exited at once", async () => {
  bed.fake.addInstance({
    id: 802,
    actual_status: null,
    upcoming: ["loading", "exited"],
    status_msg: "Error response from daemon: manifest unknown",
  });
  const result = await run("exited", `vast.wait 802 timeout=1m poll=1s\n`);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /instance 802: loading/);
  assert.match(
    result.stderr,
    /instance 802 exited: exited \(Error response from daemon: manifest unknown\)/,
  );
  assert.equal(bed.fake.requestsTo("GET", /instances\/802$/).length, 3);
});

test("wait reports scheduling on timeout", async () => {
  bed.fake.addInstance({
    id: 803,
    actual_status: "stopped",
    intended_status: "running",
  });
  const result = await run(
    "scheduling",
    `vast.wait 803 timeout=2s poll=1s stop_on_fail=true\n`,
  );
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /instance 803: scheduling \(waiting for a free GPU on its machine\)/,
  );
  assert.match(
    result.stderr,
    /instance 803 got no free GPU on its machine within 2s/,
  );
  assert.match(result.stderr, /instance stopped \(stop_on_fail\)/);
  assert.equal(bed.fake.instance(803).intended_status, "stopped");
});

test("wait retries until login works", async () => {
  setConfig("[vast]\nauto_attach_ssh_key = false\n");
  bed.fake.addInstance({ id: 804 });
  const file = bed.env.writeRecipe(
    "login",
    `vast.wait 804 timeout=1m poll=1s\n@local > true\n`,
  );
  const child = spawnTrain(["recipe", "run", file, "--no-visual"], bed.env);
  setTimeout(authorizeTestKey, 2500);
  const result = await collect(child);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /instance 804 is running; SSH login not working yet \(auth: .*Permission denied/,
  );
  assert.match(result.stderr, /instance 804 is ready/);
  assert.equal(bed.fake.requestsTo("POST", /ssh$/).length, 0);
});

test("wait times out without login", async () => {
  setConfig("[vast]\nauto_attach_ssh_key = false\n");
  bed.fake.addInstance({ id: 805 });
  const result = await run("no-login", `vast.wait 805 timeout=2s poll=1s\n`);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /instance 805 is running but SSH login did not succeed within 2s \(last: auth: .*Permission denied/,
  );
  assert.equal(bed.fake.instance(805).actual_status, "running");
});

test("host override uses direct endpoint", async () => {
  authorizeTestKey();
  bed.fake.options.direct = { ip: "127.0.0.1", port: bed.sshd.port };
  bed.fake.addInstance({
    id: 806,
    ssh_port: 1,
    image_runtype: "ssh_direc ssh_proxy",
  });
  const result = await run(
    "override",
    `host gpu = placeholder\n@gpu > echo "on $VAST_ID"\n`,
    ["--host", "gpu=vast:806"],
  );
  assert.equal(result.code, 0, result.stderr);
  const job = await newestJob();
  const log = await runTrain(
    ["recipe", "logs", job.id, "--step", "1"],
    bed.env,
  );
  assert.match(log.stdout, /on 806/);
});

test("pick-host takes cheapest running", async () => {
  authorizeTestKey();
  bed.fake.addInstance({ id: 807, dph_total: 0.9 });
  bed.fake.addInstance({ id: 808, dph_total: 0.3 });
  bed.fake.addInstance({
    id: 809,
    dph_total: 0.1,
    actual_status: "stopped",
    intended_status: "stopped",
  });
  const result = await run(
    "pick-host",
    `host gpu = placeholder\n@gpu > echo picked\n`,
    ["--pick-host", "gpu"],
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /picked for @gpu: 808: .*the cheapest running instance/,
  );
});

test("cost counts compute and storage", async () => {
  authorizeTestKey();
  bed.fake.addInstance({
    id: 810,
    dph_total: 0.412,
    storage_cost: 0.15,
    disk_space: 100,
  });
  const result = await run("cost", `vast.start 810\nsleep 1s\nvast.cost\n`, []);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /instance 810 is already running/);
  assert.match(
    result.stderr,
    /instance 810 since \d\d:\d\d:\d\d UTC \(\d\.\ds\): compute \$0\.0001 \+ storage \$0\.0000 = \$0\.0001/,
  );
});

test("keep config leaves instance running", async () => {
  setConfig('[vast]\non_failure = "keep"\n');
  bed.fake.addInstance({
    id: 811,
    actual_status: "stopped",
    intended_status: "stopped",
    dph_total: 0.25,
  });
  const result = await run("keep", `vast.start 811\n@local > false\n`);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /Vast\.ai instance 811 is left running at \$0\.250\/h because config vast\.on_failure is keep; stop it: train vast stop 811/,
  );
  assert.equal(bed.fake.instance(811).intended_status, "running");
});

test("ctrl-c keeps instance and says so", async () => {
  authorizeTestKey();
  bed.fake.addInstance({
    id: 812,
    actual_status: "stopped",
    intended_status: "stopped",
    dph_total: 0.5,
  });
  const file = bed.env.writeRecipe(
    "detach",
    `vast.start 812\nvast.wait timeout=1m poll=1s\nsleep 1m\n`,
  );
  const child = spawnTrain(["recipe", "run", file, "--no-visual"], bed.env);
  let stderr = "";
  let sent = false;
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (sent || !/→ 3\/3 sleep/.test(stderr)) return;
    sent = true;
    child.kill("SIGINT");
  });
  const result = await collect(child);
  assert.equal(result.code, 130, stderr);
  assert.match(
    stderr,
    /Vast\.ai instance 812 keeps running so the detached work can go on, billing \$0\.500\/h; stop it: train vast stop 812/,
  );
  assert.equal(bed.fake.instance(812).intended_status, "running");
  const job = await newestJob();
  const status = await runTrain(["recipe", "status", job.id], bed.env);
  assert.match(
    status.stdout,
    /812: started by this run at .*\n {4}stop: train vast stop 812/,
  );
});

test("no unmatched fake routes", () => {
  assert.deepEqual(bed.fake.unmatched, []);
});
