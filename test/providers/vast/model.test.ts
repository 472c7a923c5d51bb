import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseInstance } from "../../../src/providers/vast/instance.ts";
import { sshEndpoint } from "../../../src/providers/vast/endpoint.ts";
import { describeStatus, phaseOf } from "../../../src/providers/vast/status.ts";
import {
  costSince,
  formatMoney,
  hourlyRates,
} from "../../../src/providers/vast/cost.ts";
import {
  buildOfferQuery,
  offerMismatches,
  parseOffer,
} from "../../../src/providers/vast/offers.ts";

const RUNNING: Record<string, unknown> = {
  id: 5678,
  actual_status: "running",
  ssh_host: "ssh5.vast.example",
  ssh_port: 41234,
  public_ipaddr: "203.0.113.10",
  ports: { "22/tcp": [{ HostIp: "0.0.0.0", HostPort: "40022" }] },
};

test("endpoint prefers direct mapping", () => {
  const endpoint = sshEndpoint(parseInstance(RUNNING));
  assert.deepEqual(endpoint, {
    host: "203.0.113.10",
    port: 40022,
    via: "direct",
  });
});

test("endpoint falls back to proxy", () => {
  const noPorts = { ...RUNNING, ports: undefined };
  const endpoint = sshEndpoint(
    parseInstance({ ...noPorts, ssh_port: "41234" }),
  );
  assert.deepEqual(endpoint, {
    host: "ssh5.vast.example",
    port: 41234,
    via: "proxy",
  });
});

test("endpoint trims address fields", () => {
  const instance = parseInstance({
    ...RUNNING,
    public_ipaddr: "203.0.113.10\n",
  });
  assert.equal(sshEndpoint(instance)?.host, "203.0.113.10");
});

test("jupyter proxy port adds one", () => {
  const noPorts = { ...RUNNING, ports: undefined };
  const instance = parseInstance({
    ...noPorts,
    image_runtype: "jupyter_proxy ssh_proxy",
  });
  assert.equal(sshEndpoint(instance)?.port, 41235);
});

test("status phases from fields", () => {
  const phase = (fields: Record<string, unknown>) =>
    phaseOf(parseInstance({ id: 1, ...fields }));
  assert.equal(phase({ actual_status: null }), "pending");
  assert.equal(phase({ actual_status: "loading" }), "pending");
  assert.equal(phase({ actual_status: "running" }), "running");
  assert.equal(phase({ actual_status: "exited" }), "exited");
  assert.equal(phase({ actual_status: "offline" }), "offline");
  assert.equal(phase({ actual_status: "unknown" }), "offline");
  assert.equal(
    phase({ actual_status: "stopped", intended_status: "stopped" }),
    "stopped",
  );
  assert.equal(
    phase({ actual_status: "stopped", intended_status: "running" }),
    "scheduling",
  );
  assert.equal(phase({ actual_status: "paused2" }), "unrecognized");
});

test("unknown status shown verbatim", () => {
  const instance = parseInstance({
    id: 1,
    actual_status: "paused2",
    status_msg: " odd ",
  });
  assert.equal(describeStatus(instance), "paused2 (odd)");
});

test("stopped instance bills storage", () => {
  const instance = parseInstance({
    id: 5678,
    actual_status: "stopped",
    dph_total: 0.412,
    storage_cost: 0.15,
    disk_space: 100,
  });
  const rates = hourlyRates(instance);
  assert.ok(rates !== undefined);
  assert.equal(rates.storage.toFixed(4), "0.0205");
  assert.equal((rates.compute + rates.storage).toFixed(3), "0.412");
});

test("cost splits compute and storage", () => {
  const rates = { compute: 0.4, storage: 0.02 };
  const hour = 3_600_000;
  const cost = costSince(rates, {
    startedAt: 0,
    stoppedAt: hour,
    now: 2 * hour,
  });
  assert.equal(cost.compute, 0.4);
  assert.equal(cost.storage, 0.04);
  assert.equal(cost.total.toFixed(2), "0.44");
});

test("other currency marked unavailable", () => {
  process.env.TRAINSH_HOME = mkdtempSync(join(tmpdir(), "trainsh-home-"));
  assert.equal(formatMoney(1.5, "USD", { digits: 2 }), "$1.50");
  assert.equal(
    formatMoney(1.5, "eur", { digits: 2 }),
    "$1.50 (EUR conversion unavailable: no fetched rate; run `train pricing rates --refresh`)",
  );
});

test("offer query uses service units", () => {
  const query = buildOfferQuery({
    gpu: "RTX_4090",
    numGpus: 2,
    minGpuRamGb: 24,
    maxDph: 0.5,
    diskGb: 100,
  });
  assert.deepEqual(query.gpu_name, { eq: "RTX 4090" });
  assert.deepEqual(query.num_gpus, { gte: 2 });
  assert.deepEqual(query.gpu_ram, { gte: 24000 });
  assert.deepEqual(query.dph_total, { lte: 0.5 });
  assert.equal(query.allocated_storage, 100);
  assert.deepEqual(query.order, [["dph_total", "asc"]]);
  assert.deepEqual(query.rented, { eq: false });
});

test("offer recheck lists every mismatch", () => {
  const offer = parseOffer({
    id: 1,
    gpu_name: "RTX 3090",
    num_gpus: 1,
    gpu_ram: 16000,
    dph_total: "0.9",
  });
  const problems = offerMismatches(offer, {
    gpu: "rtx_4090",
    numGpus: 2,
    minGpuRamGb: 24,
    maxDph: 0.5,
  });
  assert.deepEqual(problems, [
    'gpu "RTX 3090" is not "rtx_4090"',
    "num_gpus 1 < 2",
    "gpu_ram 16.0 GB < 24 GB",
    "$/h 0.9 > 0.5",
  ]);
});

test("offer recheck passes good offer", () => {
  const offer = parseOffer({
    id: 1,
    gpu_name: "RTX 4090",
    num_gpus: 1,
    gpu_ram: 24564,
    dph_total: 0.35,
  });
  assert.deepEqual(
    offerMismatches(offer, { gpu: "RTX_4090", minGpuRamGb: 24, maxDph: 0.5 }),
    [],
  );
});
