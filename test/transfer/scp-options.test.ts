import assert from "node:assert/strict";
import { test } from "node:test";
import { scpOptionsFromSsh } from "../../src/transfer/scp-options.ts";
import { TransferError } from "../../src/transfer/transfer.ts";

test("port flag becomes -P", () => {
  assert.deepEqual(scpOptionsFromSsh(["-p", "2222"]), ["-P", "2222"]);
  assert.deepEqual(scpOptionsFromSsh(["-p2222"]), ["-P", "2222"]);
});

test("shared flags pass through", () => {
  const ssh = [
    "-F",
    "/cfg",
    "-i",
    "/k",
    "-J",
    "bastion",
    "-o",
    "ProxyJump=none",
    "-4",
    "-C",
  ];
  assert.deepEqual(scpOptionsFromSsh(ssh), ssh);
});

test("login name becomes User option", () => {
  assert.deepEqual(scpOptionsFromSsh(["-l", "trainer"]), [
    "-o",
    "User=trainer",
  ]);
});

test("control path becomes option", () => {
  assert.deepEqual(scpOptionsFromSsh(["-S", "/tmp/cm"]), [
    "-o",
    "ControlPath=/tmp/cm",
  ]);
});

test("bundled flags are split", () => {
  assert.deepEqual(scpOptionsFromSsh(["-4CT"]), ["-4", "-C"]);
  assert.deepEqual(scpOptionsFromSsh(["-A"]), ["-o", "ForwardAgent=yes"]);
});

test("unknown flag is rejected", () => {
  assert.throws(
    () => scpOptionsFromSsh(["-L", "8080:localhost:80"]),
    TransferError,
  );
  assert.throws(() => scpOptionsFromSsh(["-p"]), /has no value/);
});
