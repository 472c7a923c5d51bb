// The `host browse` listing parser on GNU coreutils and BusyBox `ls -la`.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  parentOf,
  parseLsLong,
  sortEntries,
} from "../../src/hosts/ls-listing.ts";
import { headText } from "../../src/cli/host/browse-file.ts";

const GNU = `total 24
drwxr-xr-x  4 root root 4096 Dec  4 12:00 .
drwxr-xr-x 18 root root 4096 Nov 30  2025 ..
-rw-r--r--  1 root root  220 Jan  6  2022 .bashrc
drwxr-xr-x  2 root root 4096 Dec  4 12:00 checkpoints
-rw-r--r--+ 1 user grp  12345678 Dec  4 12:01 my model.pt
lrwxrwxrwx  1 root root    9 Dec  4 12:00 latest -> ckpt-0100
crw-rw-rw-  1 root root 1, 3 Dec  4 11:00 null
`;

const BUSYBOX = `drwxr-xr-x    4 root     root          4096 Dec  4 12:00 .
drwxr-xr-x   18 root     root          4096 Nov 30  2025 ..
-rw-r--r--    1 root     root           220 Jan  6  2022 .bashrc
drwxr-xr-x    2 root     root          4096 Dec  4 12:00 checkpoints
-rw-r--r--    1 1000     1000      12345678 Dec  4 12:01 my model.pt
lrwxrwxrwx    1 root     root             9 Dec  4 12:00 latest -> ckpt-0100
crw-rw-rw-    1 root     root        1,   3 Dec  4 11:00 null
`;

for (const [label, output] of [
  ["GNU", GNU],
  ["BusyBox", BUSYBOX],
] as const) {
  test(`parses ${label} ls output`, () => {
    const entries = parseLsLong(output);
    assert.deepEqual(
      entries.map((entry) => [entry.name, entry.kind, entry.size]),
      [
        [".bashrc", "file", 220],
        ["checkpoints", "dir", 4096],
        ["my model.pt", "file", 12345678],
        ["latest", "link", 9],
        ["null", "other", undefined],
      ],
    );
    assert.equal(
      entries.find((entry) => entry.kind === "link")?.target,
      "ckpt-0100",
    );
  });
}

test("directories sort first", () => {
  const sorted = sortEntries(parseLsLong(GNU)).map((entry) => entry.name);
  assert.deepEqual(sorted, [
    "checkpoints",
    ".bashrc",
    "latest",
    "my model.pt",
    "null",
  ]);
});

test("parent stops at root", () => {
  assert.equal(parentOf("/root/a/b"), "/root/a");
  assert.equal(parentOf("/root"), "/");
  assert.equal(parentOf("/"), "/");
});

test("head hides binary files", () => {
  assert.equal(headText(Buffer.from("a\u0000b")), "(binary file: not shown)\n");
  const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
  assert.equal(headText(Buffer.from(text)).split("\n").length, 21);
});
