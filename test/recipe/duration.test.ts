import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DurationError,
  formatDuration,
  parseDuration,
} from "../../src/recipe/duration.ts";

const ACCEPTED: [string, number][] = [
  ["30s", 30],
  ["5m", 300],
  ["2h", 7200],
  ["1d", 86400],
  ["300", 300],
  ["0", 0],
  ["1h30m", 5400],
  ["1d2h3m4s", 93784],
  ["1.5h", 5400],
  ["0.5s", 0.5],
  ["2H", 7200],
  ["1H30M", 5400],
];

const REJECTED = [
  "10x",
  "",
  "m",
  "5 m",
  "-5m",
  "1h1h",
  "30m1h",
  "1.h",
  ".5h",
  "5ms",
  "h5",
  "1e3",
];

test("parseDuration accepted forms", () => {
  for (const [text, seconds] of ACCEPTED) {
    assert.equal(parseDuration(text), seconds, text);
  }
});

test("parseDuration rejects other text", () => {
  for (const text of REJECTED) {
    assert.throws(() => parseDuration(text), DurationError, text);
  }
});

test("DurationError names value and forms", () => {
  assert.throws(
    () => parseDuration("10x"),
    (error: Error) => {
      assert.match(error.message, /^invalid duration "10x": /);
      assert.match(error.message, /30s, 5m, 2h/);
      assert.match(error.message, /plain seconds/);
      return true;
    },
  );
});

test("formatDuration output forms", () => {
  const cases: [number, string][] = [
    [3725, "1h02m05s"],
    [245, "4m05s"],
    [12, "12s"],
    [0.85, "850ms"],
    [0, "0s"],
    [59.6, "1m00s"],
    [0.9996, "1s"],
    [90000, "25h00m00s"],
    [-3, "0s"],
  ];
  for (const [seconds, text] of cases) {
    assert.equal(formatDuration(seconds), text, String(seconds));
  }
});
