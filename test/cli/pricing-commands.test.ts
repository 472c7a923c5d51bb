// `train pricing` against a fake rates API and a fake Vast.ai API, both on
// 127.0.0.1. Every environment points config pricing.rates_url at the fake,
// so no test reaches a real rates service.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTrainEnv, runTrain, type TrainEnv } from "../support/cli.ts";
import { FakeVast } from "../support/fake-vast.ts";

const API_KEY = "fake-vast-key-pricing-71c3";
const RATES = { USD: 1, EUR: 0.5, JPY: 150, GBP: 0.8 };

let rates: Server;
let ratesUrl: string;
let requests = 0;
let vast: FakeVast;
let env: TrainEnv;

function startRatesServer(): Promise<Server> {
  const server = createServer((req, res) => {
    requests++;
    res.setHeader("Content-Type", "application/json");
    if (req.url === "/bad") {
      res.end(JSON.stringify({ base: "USD", rates: { EUR: "half" } }));
      return;
    }
    res.end(
      JSON.stringify({ result: "success", base_code: "USD", rates: RATES }),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(server)),
  );
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

function freshEnv(url = ratesUrl): TrainEnv {
  const made = makeTrainEnv({ VAST_URL: vast.url, VAST_API_KEY: API_KEY });
  writeFileSync(
    join(made.home, "config.toml"),
    `[pricing]\nrates_url = "${url}"\n`,
  );
  return made;
}

function train(args: string[], on = env) {
  return runTrain(args, on, { timeoutMs: 30_000 });
}

before(async () => {
  rates = await startRatesServer();
  ratesUrl = `http://127.0.0.1:${portOf(rates)}/latest`;
  vast = await new FakeVast({
    apiKey: API_KEY,
    ssh: { host: "127.0.0.1", port: 1 },
  }).start();
});

after(async () => {
  await vast.stop();
  rates.close();
});

beforeEach(() => {
  env?.cleanup();
  env = freshEnv();
  vast.instances.clear();
});

test("rates marked built-in before fetch", async () => {
  const run = await train(["pricing", "rates"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /built-in rate table \(approximate, never fetched\)/,
  );
  assert.match(run.stdout, /^EUR\tEuro\t0\.86$/m);
  assert.match(run.stdout, /^USD \*\tUS Dollar\t1$/m);
});

test("refresh caches rates with age", async () => {
  const before = requests;
  const run = await train(["pricing", "rates", "--refresh"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(requests, before + 1);
  assert.match(run.stderr, new RegExp(`fetched 4 rates from ${ratesUrl}`));
  assert.match(run.stdout, /^EUR\tEuro\t0\.5$/m);
  const file = join(env.home, "pricing.json");
  const cached = JSON.parse(readFileSync(file, "utf8")) as {
    exchangeRates: { fetchedAt: string; rates: Record<string, number> };
  };
  assert.equal(cached.exchangeRates.rates.JPY, 150);
  const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
  cached.exchangeRates.fetchedAt = threeHoursAgo;
  writeFileSync(file, JSON.stringify(cached));
  const shown = await train(["pricing", "rates"]);
  assert.equal(requests, before + 1, "showing rates must not fetch");
  assert.match(
    shown.stderr,
    new RegExp(`fetched ${threeHoursAgo} \\(3h 0m ago\\)`),
  );
  const json = await train(["pricing", "rates", "--json"]);
  const parsed = JSON.parse(json.stdout) as {
    source: string;
    ageSeconds: number;
  };
  assert.equal(parsed.source, "fetched");
  assert.ok(Math.abs(parsed.ageSeconds - 10_800) < 60);
});

test("offline refresh marks fallback", async () => {
  const offline = await startRatesServer();
  const url = `http://127.0.0.1:${portOf(offline)}/latest`;
  await new Promise((resolve) => offline.close(resolve));
  const empty = freshEnv(url);
  try {
    const run = await train(["pricing", "rates", "--refresh"], empty);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`failed to reach rates API ${url}`));
    assert.match(run.stderr, /the rates shown are the built-in table/);
    assert.match(run.stderr, /^rates: built-in rate table/m);
    assert.match(run.stdout, /^EUR\tEuro\t0\.86$/m);
  } finally {
    empty.cleanup();
  }
  assert.equal((await train(["pricing", "rates", "--refresh"])).code, 0);
  writeFileSync(
    join(env.home, "config.toml"),
    `[pricing]\nrates_url = "${url}"\n`,
  );
  const stale = await train(["pricing", "rates", "--refresh"]);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /the rates shown are the older cached ones/);
  assert.match(
    stale.stderr,
    new RegExp(`^rates: fetched .* from ${ratesUrl}`, "m"),
  );
  assert.match(stale.stdout, /^EUR\tEuro\t0\.5$/m);
});

test("invalid reply leaves cache alone", async () => {
  const bad = freshEnv(ratesUrl.replace("/latest", "/bad"));
  try {
    const run = await train(["pricing", "rates", "--refresh"], bad);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /invalid reply: rate for EUR is not a positive number/,
    );
    const shown = await train(["pricing", "rates"], bad);
    assert.match(shown.stderr, /built-in rate table/);
  } finally {
    bad.cleanup();
  }
});

test("convert round trips amounts", async () => {
  assert.equal((await train(["pricing", "rates", "--refresh"])).code, 0);
  const there = await train(["pricing", "convert", "100", "USD", "EUR"]);
  assert.equal(there.code, 0, there.stderr);
  assert.equal(there.stdout, "$100.00 = €50.00\n");
  const back = await train(["pricing", "convert", "50", "eur", "usd"]);
  assert.equal(back.stdout, "€50.00 = $100.00\n");
  const cross = await train([
    "pricing",
    "convert",
    "300",
    "JPY",
    "GBP",
    "--json",
  ]);
  const json = JSON.parse(cross.stdout) as { result: number };
  assert.ok(Math.abs(json.result - 1.6) < 1e-9);
  const unknown = await train(["pricing", "convert", "1", "USD", "XYZ"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown currency "XYZ"/);
  assert.match(unknown.stderr, /known codes: EUR, GBP, JPY, USD/);
  assert.equal(unknown.stdout, "");
});

function addVastInstances(): void {
  // $0.50/h running with 73 GB at $0.10/GB-month: storage $0.01/h.
  vast.addInstance({
    id: 801,
    dph_total: 0.5,
    storage_cost: 0.1,
    disk_space: 73,
  });
  // Stopped with 365 GB at $0.20/GB-month: only storage bills, $0.10/h.
  vast.addInstance({
    id: 802,
    actual_status: "stopped",
    intended_status: "stopped",
    dph_total: 1.0,
    storage_cost: 0.2,
    disk_space: 365,
  });
}

test("pricing vast totals in USD", async () => {
  addVastInstances();
  const run = await train(["pricing", "vast"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^ID\tStatus\tGPU\tGPUs\t\$\/h\tUSD\/h\tUSD\/day\tUSD\/month\tStorage USD\/month$/m,
  );
  assert.match(
    run.stdout,
    /^801\trunning\tRTX 4090\t1\t\$0\.500\t\$0\.5000\t\$12\.00\t\$365\.00\t\$7\.30$/m,
  );
  assert.match(
    run.stdout,
    /^802\tstopped\t.*\t\$0\.100\t\$0\.1000\t\$2\.40\t\$73\.00\t\$73\.00$/m,
  );
  assert.match(
    run.stdout,
    /^total\t\t\t\t\$0\.600\t\$0\.6000\t\$14\.40\t\$438\.00\t\$80\.30$/m,
  );
  assert.ok(
    vast.requests.every((r) => r.authorization === `Bearer ${API_KEY}`),
  );
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(API_KEY));
});

test("display currency changes every view", async () => {
  addVastInstances();
  assert.equal((await train(["pricing", "rates", "--refresh"])).code, 0);
  const set = await train(["pricing", "currency", "--set", "eur"]);
  assert.equal(set.code, 0, set.stderr);
  assert.match(
    readFileSync(join(env.home, "config.toml"), "utf8"),
    /currency = "EUR"/,
  );
  assert.equal((await train(["pricing", "currency"])).stdout, "EUR (Euro)\n");
  const costs = await train(["pricing", "vast"]);
  assert.match(
    costs.stdout,
    /^total\t\t\t\t\$0\.600\t€0\.3000\t€7\.20\t€219\.00\t€40\.15$/m,
  );
  const colab = await train(["pricing", "colab"]);
  assert.match(colab.stdout, /^GPU\tUnits\/h\tEUR\/h$/m);
  assert.match(colab.stdout, /^Per unit: €0\.0500$/m);
  const list = await train(["vast", "list"]);
  assert.match(list.stdout, /\tEUR\/h\t/);
  assert.match(list.stdout, /^801\t.*\t\$0\.500\t€0\.2500\t/m);
  const show = await train(["vast", "show", "802"]);
  assert.match(show.stdout, /storage \$0\.100\/h \(€0\.0500\/h\)/);
  const yen = await train(["pricing", "currency", "--set", "JPY"]);
  assert.equal(yen.code, 0, yen.stderr);
  const inYen = await train(["pricing", "vast"]);
  assert.match(
    inYen.stdout,
    /^total\t\t\t\t\$0\.600\t¥90\.00\t¥2,160\t¥65,700\t¥12,045$/m,
  );
});

test("unknown currency set rejected", async () => {
  const run = await train(["pricing", "currency", "--set", "ZZZ"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /unknown currency "ZZZ"/);
  assert.match(run.stderr, /known codes: AUD, CAD/);
  assert.equal(
    (await train(["pricing", "currency"])).stdout,
    "USD (US Dollar)\n",
  );
});

test("colab subscription saved and priced", async () => {
  assert.equal((await train(["pricing", "rates", "--refresh"])).code, 0);
  const saved = await train([
    "pricing",
    "colab",
    "--subscription",
    "Colab Pro+:25:EUR:500",
    "--gpu",
    "T4:2",
  ]);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, /^Subscription: Colab Pro\+$/m);
  assert.match(saved.stdout, /^Price: €25\.00 for 500 compute units$/m);
  // €25 is $50, so a unit is $0.10 and a T4 hour at 2 units $0.20.
  assert.match(saved.stdout, /^Per unit: \$0\.1000$/m);
  assert.match(saved.stdout, /^T4\t2\.00\t\$0\.2000$/m);
  const again = await train(["pricing", "colab", "--json"]);
  const json = JSON.parse(again.stdout) as { subscription: { name: string } };
  assert.equal(json.subscription.name, "Colab Pro+");
  const bad = await train(["pricing", "colab", "--subscription", "Pro:free"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /price "free" is not a positive number/);
  assert.match(
    bad.stderr,
    /for example --subscription 'Colab Pro:9\.99:USD:100'/,
  );
});

after(() => env?.cleanup());
