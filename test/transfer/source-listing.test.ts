// The source listing that the check after a local-source copy compares.
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  firstChange,
  listSource,
  parseListing,
} from "../../src/transfer/source-listing.ts";

let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "trainsh-listing-"));
  mkdirSync(join(work, "src", "nested", ".rsync-partial"), { recursive: true });
  writeFileSync(join(work, "src", "top.txt"), "top\n");
  writeFileSync(join(work, "src", "nested", "it's here.txt"), "x");
  writeFileSync(join(work, "src", "nested", ".rsync-partial", "part"), "p");
  symlinkSync("top.txt", join(work, "src", "link"));
  symlinkSync("src", join(work, "dir-link"));
});

after(() => rm(work, { recursive: true, force: true }));

test("directory listing skips partial files", async () => {
  const listing = await listSource(`${join(work, "src")}/`, []);
  // rsync names a symlink with its target, so a new target is a change too.
  assert.deepEqual([...(listing?.keys() ?? [])].sort(), [
    "link -> top.txt",
    "nested/it's here.txt",
    "top.txt",
  ]);
  assert.match(listing?.get("top.txt") ?? "", /^4 bytes, modified \d{4}\//);
});

test("single file listed with nanoseconds", async () => {
  const listing = await listSource(join(work, "src", "top.txt"), []);
  assert.deepEqual([...(listing?.keys() ?? [])], [""]);
  assert.match(listing?.get("") ?? "", /^4 bytes, modified at \d+ ns$/);
});

test("source symlink followed with slash", async () => {
  const link = await listSource(join(work, "dir-link"), []);
  assert.deepEqual([...(link?.keys() ?? [])], [""]);
  const followed = await listSource(`${join(work, "dir-link")}/`, []);
  assert.equal(followed?.size, 3);
});

test("missing source has no listing", async () => {
  assert.equal(await listSource(join(work, "absent"), []), undefined);
  assert.equal(await listSource(join(work, "absent"), ["*.log"]), undefined);
});

test("excludes use the rsync listing", async () => {
  const listing = await listSource(`${join(work, "src")}/`, ["nested/"]);
  assert.deepEqual([...(listing?.keys() ?? [])].sort(), [
    "link -> top.txt",
    "top.txt",
  ]);
});

test("same-second rewrite is a change", async () => {
  const file = join(work, "same-second.txt");
  writeFileSync(file, "aaaa");
  utimesSync(file, 1_700_000_000.1, 1_700_000_000.1);
  const before = await listSource(file, []);
  utimesSync(file, 1_700_000_000.6, 1_700_000_000.6);
  const after = await listSource(file, []);
  assert.ok(before !== undefined && after !== undefined);
  assert.match(firstChange(before, after) ?? "", /^the file was 4 bytes/);
});

test("list-only lines skip directories", () => {
  const listing = parseListing(
    [
      "drwxr-xr-x        4096 2026/12/04 16:51:38 .",
      "-rw-r--r--           3 2026/12/04 16:51:38 a/sp ace",
      "lrwxrwxrwx           7 2026/12/04 16:51:39 a/link",
      "",
    ].join("\n"),
  );
  assert.deepEqual(
    [...listing],
    [
      ["a/sp ace", "3 bytes, modified 2026/12/04 16:51:38"],
      ["a/link", "7 bytes, modified 2026/12/04 16:51:39"],
    ],
  );
});

test("removals are not changes", () => {
  const before = new Map([
    ["a", "1"],
    ["b", "2"],
  ]);
  assert.equal(firstChange(before, new Map([["a", "1"]])), undefined);
  assert.equal(
    firstChange(before, new Map([...before, ["c", "3"]])),
    "c appeared",
  );
  assert.equal(
    firstChange(before, new Map([...before, ["b", "9"]])),
    "b was 2, now 9",
  );
});
