import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { runTrain } from "../support/cli.ts";
import {
  startVastTestbed,
  TEST_API_KEY,
  type VastTestbed,
} from "../support/vast-testbed.ts";

let bed: VastTestbed;

before(async () => {
  bed = await startVastTestbed();
});

after(() => bed.stop());

beforeEach(() => {
  bed.fake.instances.clear();
  bed.fake.requests.length = 0;
  bed.fake.options.ignoreOfferFilters = false;
});

function train(args: string[], input?: string) {
  return runTrain(["vast", ...args], bed.env, { input, timeoutMs: 60_000 });
}

function assertKeyNeverPrinted(...texts: string[]): void {
  for (const text of texts) assert.doesNotMatch(text, new RegExp(TEST_API_KEY));
}

test("list shows instances table", async () => {
  bed.fake.addInstance({ id: 501, label: "exp1" });
  bed.fake.addInstance({
    id: 502,
    actual_status: "stopped",
    intended_status: "stopped",
  });
  const run = await train(["list"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^ID\tStatus\tGPU\tGPUs\tVRAM\t\$\/h\tSSH\tLabel$/m);
  assert.match(
    run.stdout,
    /^501\trunning\tRTX 4090\t1\t25GB\t\$0\.35\d\t127\.0\.0\.1:\d+\texp1$/m,
  );
  assert.match(run.stdout, /^502\tstopped\t/m);
  assertKeyNeverPrinted(run.stdout, run.stderr);
  assert.deepEqual(bed.fake.unmatched, []);
});

test("list json has instances", async () => {
  bed.fake.addInstance({ id: 503 });
  const run = await train(["list", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const [instance] = JSON.parse(run.stdout) as {
    id: number;
    sshPort: number;
  }[];
  assert.equal(instance?.id, 503);
  assert.equal(instance?.sshPort, bed.sshd.port);
});

test("show stopped instance warns storage", async () => {
  bed.fake.addInstance({
    id: 504,
    actual_status: "stopped",
    intended_status: "stopped",
    dph_total: 0.412,
    storage_cost: 0.15,
    disk_space: 100,
  });
  const run = await train(["show", "504"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Status: stopped$/m);
  assert.match(
    run.stdout,
    /Billing now: storage \$0\.021\/h; stopped instances keep billing storage/,
  );
});

test("show unknown id names it", async () => {
  const run = await train(["show", "4242"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /instance 4242 was not found/);
  assert.match(run.stderr, /train vast list/);
});

test("show rejects non-numeric id", async () => {
  const run = await train(["show", "abc"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /invalid instance id "abc"/);
  assert.equal(bed.fake.requests.length, 0);
});

test("bad key names the secret", async () => {
  const env = {
    ...bed.env,
    env: { ...bed.env.env, VAST_API_KEY: "not-the-key" },
  };
  const run = await runTrain(["vast", "list"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /HTTP 404: Invalid user key/);
  assert.match(run.stderr, /train secrets set VAST_API_KEY/);
  assert.doesNotMatch(run.stderr, /not-the-key/);
});

test("401 names the secret", async () => {
  bed.fake.failNext("GET", /instances$/, {
    status: 401,
    body: { success: false, error: "unauthorized", msg: "bad key" },
  });
  const run = await train(["list"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /HTTP 401: bad key/);
  assert.match(
    run.stderr,
    /hint: set a valid key with `train secrets set VAST_API_KEY`/,
  );
});

test("missing key names the secret", async () => {
  const env = { ...bed.env, env: { ...bed.env.env, VAST_API_KEY: "" } };
  const run = await runTrain(["vast", "list"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /VAST_API_KEY is not set/);
  assert.equal(bed.fake.requests.length, 0);
});

test("429 then success", async () => {
  bed.fake.addInstance({ id: 505 });
  bed.fake.failNext("GET", /instances$/, {
    status: 429,
    body: "API requests too frequent endpoint threshold=2",
  });
  const run = await train(["list"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^505\t/m);
  const statuses = bed.fake
    .requestsTo("GET", /instances$/)
    .map((r) => r.status);
  assert.deepEqual(statuses, [429, 200]);
});

test("debug api hides the key", async () => {
  bed.fake.addInstance({ id: 506 });
  const env = { ...bed.env, env: { ...bed.env.env, TRAINSH_DEBUG: "api" } };
  const run = await runTrain(["vast", "show", "506"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /api GET http:\/\/127\.0\.0\.1:\d+\/api\/v0\/instances\/506\/\?owner=me → 200 in \d+ms/,
  );
  assertKeyNeverPrinted(run.stderr, run.stdout);
});

test("start stop reboot change state", async () => {
  bed.fake.addInstance({
    id: 507,
    actual_status: "stopped",
    intended_status: "stopped",
  });
  const start = await train(["start", "507"]);
  assert.equal(start.code, 0, start.stderr);
  assert.equal(bed.fake.instance(507).intended_status, "running");
  bed.fake.instance(507).actual_status = "running";
  const reboot = await train(["reboot", "507"]);
  assert.equal(reboot.code, 0, reboot.stderr);
  assert.equal(bed.fake.instance(507).actual_status, "rebooting");
  const stop = await train(["stop", "507"]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(bed.fake.instance(507).actual_status, "stopped");
  assert.match(
    stop.stderr,
    /its disk still bills \$0\.00\d\/h until `train vast destroy 507`/,
  );
});

test("destroy without yes refuses", async () => {
  bed.fake.addInstance({ id: 508 });
  const run = await train(["destroy", "508"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /pass --yes/);
  assert.ok(bed.fake.instances.has(508));
  assert.equal(bed.fake.requestsTo("DELETE", /instances\/508$/).length, 0);
});

test("destroy with yes confirms gone", async () => {
  bed.fake.addInstance({ id: 509 });
  const run = await train(["destroy", "509", "--yes"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /destroyed instance 509/);
  assert.equal(bed.fake.instances.has(509), false);
});

test("destroy retries a 500", async () => {
  bed.fake.addInstance({ id: 510 });
  bed.fake.failNext("DELETE", /instances\/510$/, {
    status: 500,
    body: { msg: "try again later" },
    times: 2,
  });
  const run = await train(["destroy", "510", "--yes"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(bed.fake.requestsTo("DELETE", /instances\/510$/).length, 3);
  assert.equal(bed.fake.instances.has(510), false);
});

test("search sends units and filters", async () => {
  const run = await train([
    "search",
    "--gpu",
    "RTX_4090",
    "--min-gpu-ram",
    "24",
    "--max-dph",
    "0.5",
    "--num-gpus",
    "1",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const [request] = bed.fake.requestsTo("POST", /bundles$/);
  const body = request?.body as Record<string, unknown>;
  assert.deepEqual(body.gpu_name, { eq: "RTX 4090" });
  assert.deepEqual(body.gpu_ram, { gte: 24000 });
  assert.deepEqual(body.dph_total, { lte: 0.5 });
  assert.deepEqual(body.rentable, { eq: true });
  assert.match(run.stdout, /^9001\tRTX 4090\t1\t25GB\t\$0\.35\d\t/m);
  assert.doesNotMatch(run.stdout, /^900[2345]\t/m);
});

test("search rechecks ignored filters", async () => {
  bed.fake.options.ignoreOfferFilters = true;
  const run = await train([
    "search",
    "--gpu",
    "RTX 4090",
    "--min-gpu-ram",
    "24",
    "--max-dph",
    "0.5",
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^9001\tRTX 4090/m);
  assert.doesNotMatch(run.stdout, /RTX 3090|RTX 4070|A100/);
  assert.doesNotMatch(run.stdout, /^9003\t/m);
  assert.match(run.stderr, /dropped 4 offers the service returned/);
});

test("search sorts and limits", async () => {
  const run = await train([
    "search",
    "--sort",
    "dph-",
    "--limit",
    "2",
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const ids = (JSON.parse(run.stdout) as { id: number }[]).map((o) => o.id);
  assert.deepEqual(ids, [9004, 9003]);
});

test("search rejects bad filter", async () => {
  const run = await train(["search", "--max-dph", "cheap"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /invalid --max-dph "cheap"/);
});

test("attach-key adds account key", async () => {
  const run = await train(["attach-key"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /added .*id_ed25519\.pub to the Vast.ai account/);
  const keys = await train(["keys"]);
  assert.equal(keys.code, 0, keys.stderr);
  assert.match(keys.stdout, /^1\tssh-ed25519 /m);
  const again = await train(["attach-key"]);
  assert.match(again.stderr, /already in the Vast.ai account/);
  assert.equal(bed.fake.requestsTo("POST", /ssh$/).length, 1);
});

test("attach-key to an instance", async () => {
  bed.fake.addInstance({ id: 511 });
  const run = await train(["attach-key", "--instance", "511"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(bed.fake.instance(511).keys.length, 1);
});

test("ssh runs command on instance", async () => {
  bed.fake.addInstance({ id: 512 });
  await train(["attach-key", "--instance", "512"]);
  const run = await train(["ssh", "512", "echo", "hello from 512"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "hello from 512\n");
  assert.match(
    run.stderr,
    new RegExp(
      `connecting to root@127\\.0\\.0\\.1 -p ${bed.sshd.port} \\(proxy\\)`,
    ),
  );
});

test("ssh refuses stopped instance", async () => {
  bed.fake.addInstance({
    id: 513,
    actual_status: "stopped",
    intended_status: "stopped",
  });
  const run = await train(["ssh", "513"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /instance 513 is stopped, not running/);
});

test("no unmatched fake routes", () => {
  assert.deepEqual(bed.fake.unmatched, []);
});
