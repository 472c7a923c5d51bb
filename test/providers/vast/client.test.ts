import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "../../support/sshd.ts";
import { FakeVast } from "../../support/fake-vast.ts";
import { buildUrl, VastClient } from "../../../src/providers/vast/client.ts";
import { VastApiError } from "../../../src/providers/vast/errors.ts";
import {
  listInstances,
  setInstanceState,
  showInstance,
} from "../../../src/providers/vast/instances.ts";
import { createInstance } from "../../../src/providers/vast/offers.ts";

const KEY = "vast-test-key-0123456789";
let fake: FakeVast;

function client(
  overrides: Partial<{ apiKey: string; timeoutMs: number }> = {},
) {
  return new VastClient({
    baseUrl: fake.url,
    apiKey: overrides.apiKey ?? KEY,
    retryBaseMs: 5,
    timeoutMs: overrides.timeoutMs,
  });
}

before(async () => {
  fake = await new FakeVast({
    apiKey: KEY,
    ssh: { host: "127.0.0.1", port: 2222 },
  }).start();
});

after(() => fake.stop());

beforeEach(() => {
  fake.requests.length = 0;
  fake.instances.clear();
});

test("url gets api v0 prefix", () => {
  const url = buildUrl("http://x/", "/instances/5/", {
    owner: "me",
    limit: 25,
  });
  assert.equal(url.href, "http://x/api/v0/instances/5/?owner=me&limit=25");
  assert.equal(
    buildUrl("http://x", "/api/v1/instances/").href,
    "http://x/api/v1/instances/",
  );
});

test("key sent only in header", async () => {
  fake.addInstance({ id: 10 });
  await showInstance(client(), 10);
  const [request] = fake.requests;
  assert.equal(request?.authorization, `Bearer ${KEY}`);
  assert.equal(request?.query.api_key, undefined);
  assert.doesNotMatch(JSON.stringify(request?.query), new RegExp(KEY));
});

test("bad key names the secret", async () => {
  await assert.rejects(
    showInstance(client({ apiKey: "wrong" }), 10),
    (error) => {
      assert.ok(error instanceof VastApiError);
      assert.equal(error.status, 404);
      assert.equal(error.code, "auth_error");
      assert.match(error.hint ?? "", /train secrets set VAST_API_KEY/);
      assert.doesNotMatch(error.message, /wrong/);
      return true;
    },
  );
});

test("unknown instance names the id", async () => {
  await assert.rejects(showInstance(client(), 4242), (error) => {
    assert.ok(error instanceof VastApiError);
    assert.equal(error.status, 404);
    assert.match(error.message, /instance 4242 was not found/);
    return true;
  });
});

test("plain-text 429 is retried", async () => {
  fake.addInstance({ id: 11 });
  fake.failNext("GET", /instances\/11$/, {
    status: 429,
    body: "API requests too frequent endpoint threshold=2",
    times: 2,
  });
  const instance = await showInstance(client(), 11);
  assert.equal(instance.id, 11);
  assert.equal(fake.requestsTo("GET", /instances\/11$/).length, 3);
});

test("429 message keeps plain text", async () => {
  fake.failNext("GET", /instances\/12$/, {
    status: 429,
    body: "API requests too frequent",
    times: 9,
  });
  await assert.rejects(showInstance(client(), 12), (error) => {
    assert.ok(error instanceof VastApiError);
    assert.equal(error.status, 429);
    assert.match(error.message, /HTTP 429: API requests too frequent/);
    return true;
  });
  assert.equal(fake.requestsTo("GET", /instances\/12$/).length, 4);
});

test("5xx retried for idempotent stop", async () => {
  fake.addInstance({ id: 13 });
  fake.failNext("PUT", /instances\/13$/, {
    status: 502,
    body: { success: false, msg: "bad gateway" },
  });
  await setInstanceState(client(), 13, "stopped");
  assert.equal(fake.instance(13).actual_status, "stopped");
  assert.equal(fake.requestsTo("PUT", /instances\/13$/).length, 2);
});

test("create not retried on 5xx", async () => {
  fake.failNext("PUT", /asks\/9001$/, {
    status: 500,
    body: { success: false, msg: "try again later" },
  });
  const request = { offerId: 9001, image: "img", diskGb: 20, label: "t" };
  await assert.rejects(createInstance(client(), request), /HTTP 500/);
  assert.equal(fake.requestsTo("PUT", /asks\/9001$/).length, 1);
});

test("list follows page tokens", async () => {
  for (let id = 100; id < 130; id++) fake.addInstance({ id });
  const all = await listInstances(client());
  assert.equal(all.length, 30);
  assert.equal(fake.requestsTo("GET", /api\/v1\/instances$/).length, 2);
});

test("request times out", async () => {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const silent = new VastClient({
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: KEY,
    attempts: 1,
    timeoutMs: 200,
  });
  try {
    await assert.rejects(showInstance(silent, 1), (error) => {
      assert.ok(error instanceof VastApiError);
      assert.equal(error.code, "timeout");
      assert.match(error.message, /no response within 200 ms/);
      return true;
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("refused connection is network error", async () => {
  const refused = new VastClient({
    baseUrl: `http://127.0.0.1:${await freePort()}`,
    apiKey: KEY,
    attempts: 1,
  });
  await assert.rejects(showInstance(refused, 1), (error) => {
    assert.ok(error instanceof VastApiError);
    assert.equal(error.code, "network");
    assert.match(
      error.message,
      /failed to reach the Vast.ai API \(show instance 1\): ECONNREFUSED/,
    );
    return true;
  });
});

test("no unmatched routes", () => {
  assert.deepEqual(fake.unmatched, []);
});
