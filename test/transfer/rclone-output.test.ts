// Parsing rclone's JSON log: progress, duplicate names, error causes.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  classifyRcloneError,
  duplicateNames,
  progressOf,
} from "../../src/transfer/rclone-output.ts";
import { compareListings } from "../../src/transfer/rclone-copy.ts";

test("stats line gives progress", () => {
  const line = JSON.stringify({
    level: "notice",
    msg: "stats",
    stats: { bytes: 52428800, totalBytes: 209715200, speed: 10485760, eta: 15 },
  });
  assert.deepEqual(progressOf(line), {
    bytes: 52428800,
    percent: 25,
    rate: "10.00MiB/s",
    eta: "0:00:15",
  });
  assert.equal(progressOf("2026/12/04 INFO : plain text"), undefined);
});

test("duplicate names are listed", () => {
  const stderr = [
    JSON.stringify({
      level: "notice",
      msg: "Duplicate object found in source - ignoring",
      object: "datasets/v1/config.json",
    }),
    JSON.stringify({
      level: "notice",
      msg: "Duplicate object found in source - ignoring",
      object: "datasets/v1/config.json",
    }),
    "2026/12/04 NOTICE: datasets/v1/b.txt: Duplicate object found in source - ignoring",
  ].join("\n");
  assert.deepEqual(duplicateNames(stderr), [
    "datasets/v1/config.json",
    "datasets/v1/b.txt",
  ]);
});

test("error causes are named", () => {
  const cases: [string, ReturnType<typeof classifyRcloneError>][] = [
    [
      "googleapi: Error 403: User Rate Limit Exceeded, userRateLimitExceeded",
      "quota",
    ],
    ["AccessDenied: Access Denied\n\tstatus code: 403", "bucket-scoped"],
    [
      "InvalidAccessKeyId: The AWS Access Key Id you provided does not exist",
      "wrong-key",
    ],
    ["NoSuchBucket: The specified bucket does not exist", "no-bucket"],
    ["dial tcp 127.0.0.1:9: connect: connection refused", "unreachable"],
    ["LoadCustomCABundleError: unable to load custom CA bundle", "ca-bundle"],
    ["something else", undefined],
  ];
  for (const [stderr, cause] of cases)
    assert.equal(classifyRcloneError(stderr), cause, stderr);
});

test("listings compare by size", () => {
  const source = new Map([
    ["a", 1],
    ["b/c", 2],
  ]);
  assert.equal(
    compareListings(
      source,
      new Map([
        ["a", 1],
        ["b/c", 2],
        ["x", 3],
      ]),
      false,
    ),
    undefined,
  );
  assert.match(
    compareListings(source, new Map([["a", 1]]), false) ?? "",
    /b\/c is missing/,
  );
  assert.match(
    compareListings(
      source,
      new Map([
        ["a", 1],
        ["b/c", 5],
      ]),
      false,
    ) ?? "",
    /5 bytes at the destination but 2/,
  );
  assert.match(
    compareListings(
      source,
      new Map([
        ["a", 1],
        ["b/c", 2],
        ["x", 3],
      ]),
      true,
    ) ?? "",
    /x is still at the destination/,
  );
});
