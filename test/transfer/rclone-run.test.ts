// The environment of a local rclone: generated remotes in, the CA bundle
// variable that breaks rclone 1.60 out, and the user's config kept only
// when a remote points into it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildRemote } from "../../src/storage/rclone-remote.ts";
import { localEnv } from "../../src/transfer/rclone-run.ts";

const keys = {
  get: (name: string) =>
    ({ B2_KEY_ID: "kid", B2_APPLICATION_KEY: "appkey" })[name],
};

test("local env carries remotes", (t) => {
  process.env.AWS_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
  t.after(() => delete process.env.AWS_CA_BUNDLE);
  const env = localEnv([
    buildRemote({ name: "arc", type: "b2", bucket: "b" }, keys),
  ]);
  assert.equal(env.RCLONE_CONFIG_ARC_TYPE, "b2");
  assert.equal(env.RCLONE_CONFIG_ARC_KEY, "appkey");
  assert.equal(env.RCLONE_CONFIG, "/dev/null");
  assert.equal(env.AWS_CA_BUNDLE, undefined);
});

test("user remote keeps config", (t) => {
  const previous = process.env.RCLONE_CONFIG;
  process.env.RCLONE_CONFIG = "/home/me/rclone.conf";
  t.after(() => {
    if (previous === undefined) delete process.env.RCLONE_CONFIG;
    else process.env.RCLONE_CONFIG = previous;
  });
  const remote = buildRemote(
    { name: "gd", type: "gdrive", remote: "mydrive" },
    keys,
  );
  const env = localEnv([remote]);
  assert.equal(env.RCLONE_CONFIG, "/home/me/rclone.conf");
  assert.equal(env.RCLONE_CONFIG_GD_REMOTE, "mydrive:");
});
