import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatMoney, formatRate } from "../../src/providers/vast/cost.ts";
import { parseRatesResponse } from "../../src/pricing/rates.ts";
import { parseSubscription } from "../../src/pricing/colab.ts";
import { convert } from "../../src/pricing/convert.ts";
import { BUILT_IN_RATES } from "../../src/pricing/rates.ts";
import { parseNgrokAddress } from "../../src/providers/colab/connections.ts";
import { notebookCell } from "../../src/providers/colab/notebook-cell.ts";

test("rates reply accepts both bases", () => {
  const plain = parseRatesResponse({ base: "EUR", rates: { USD: 2 } });
  assert.deepEqual(plain, {
    table: { base: "EUR", rates: { EUR: 1, USD: 2 } },
  });
  const erApi = parseRatesResponse({
    result: "success",
    base_code: "USD",
    rates: { USD: 1, JPY: 150 },
  });
  assert.ok("table" in erApi);
  assert.equal(erApi.table.rates.JPY, 150);
});

test("rates reply rejects bad shapes", () => {
  const cases: [unknown, RegExp][] = [
    ["text", /expected a JSON object/],
    [{ rates: { EUR: 1 } }, /no base currency/],
    [{ base: "USD", rates: { EUR: 0 } }, /EUR is not a positive number/],
    [{ base: "USD", rates: { EUR: "1" } }, /EUR is not a positive number/],
    [{ base: "USD", rates: {} }, /contains no rates/],
    [{ result: "error", base_code: "USD", rates: {} }, /result "error"/],
  ];
  for (const [body, problem] of cases) {
    const parsed = parseRatesResponse(body);
    assert.ok("problem" in parsed, JSON.stringify(body));
    assert.match(parsed.problem, problem);
  }
});

test("conversion through non-USD base", () => {
  const table = {
    base: "EUR",
    rates: { EUR: 1, USD: 2, JPY: 300 },
    source: "fetched" as const,
  };
  assert.equal(convert(10, "USD", "JPY", table), 1500);
  assert.equal(convert(1500, "JPY", "USD", table), 10);
  assert.throws(
    () => convert(1, "USD", "XYZ", BUILT_IN_RATES),
    /unknown currency "XYZ"/,
  );
});

test("subscription text parses fields", () => {
  assert.deepEqual(parseSubscription("Pro:9.99"), {
    subscription: { name: "Pro", price: 9.99, currency: "USD", units: 100 },
  });
  assert.deepEqual(parseSubscription("Pro+:40:eur:500"), {
    subscription: { name: "Pro+", price: 40, currency: "EUR", units: 500 },
  });
  for (const bad of [
    "Pro",
    "Pro:-1",
    "Pro:1:EURO",
    "Pro:1:USD:0",
    ":1",
    "a:1:USD:2:3",
  ]) {
    assert.ok("problem" in parseSubscription(bad), bad);
  }
});

test("ngrok address parses port", () => {
  assert.deepEqual(parseNgrokAddress("tcp://0.tcp.ngrok.io:14022"), {
    hostname: "0.tcp.ngrok.io",
    port: 14022,
  });
  assert.equal(parseNgrokAddress("0.tcp.ngrok.io"), undefined);
  assert.equal(parseNgrokAddress("host:70000"), undefined);
});

test("notebook cell authorizes key", () => {
  const key = "ssh-ed25519 AAAAC3Nza test@laptop";
  const cell = notebookCell("cloudflared", key);
  assert.match(cell, /"ssh-ed25519 AAAAC3Nza test@laptop\\n"/);
  assert.match(cell, /--url", "ssh:\/\/localhost:22"/);
  assert.doesNotMatch(cell, /chpasswd/);
  const withPassword = notebookCell("ngrok", undefined);
  assert.match(withPassword, /getpass\.getpass\("root password for SSH: "\)/);
  assert.match(withPassword, /ngrok\.connect\(22, "tcp"\)/);
});

test("vast money uses cached rates", () => {
  const home = mkdtempSync(join(tmpdir(), "trainsh-home-"));
  process.env.TRAINSH_HOME = home;
  const cached = {
    exchangeRates: {
      base: "USD",
      rates: { USD: 1, EUR: 0.5 },
      fetchedAt: "2026-12-04T09:00:00.000Z",
      url: "http://127.0.0.1:9/latest",
    },
  };
  writeFileSync(join(home, "pricing.json"), JSON.stringify(cached));
  assert.equal(formatMoney(1.5, "USD", { digits: 2 }), "$1.50");
  assert.equal(formatMoney(1.5, "eur", { digits: 2 }), "$1.50 (€0.7500)");
  assert.equal(formatRate(0.25, "EUR"), "$0.250/h (€0.1250/h)");
  assert.match(
    formatMoney(1, "JPY"),
    /JPY conversion unavailable: no fetched rate/,
  );
});
