// The rclone remote generated for each provider, checked key by key, and
// the secret lookup order behind it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SecretsProvider } from "../../src/secrets/provider.ts";
import {
  credentialSlots,
  MissingCredentialError,
} from "../../src/storage/credentials.ts";
import {
  buildRemote,
  rclonePath,
  remoteConfigText,
  remoteEnv,
  StorageConfigError,
} from "../../src/storage/rclone-remote.ts";

function secretsOf(values: Record<string, string>): SecretsProvider {
  return { get: (name) => values[name] };
}

const R2_KEYS = secretsOf({
  R2_ACCESS_KEY: "r2-id",
  R2_SECRET_KEY: "r2-secret",
});

describe("generated remotes", () => {
  test("r2 endpoint from account id", () => {
    const remote = buildRemote(
      { name: "ckpts", type: "r2", bucket: "ckpts", accountId: "0123abcd" },
      R2_KEYS,
    );
    assert.equal(
      remoteConfigText([remote]),
      [
        "[ckpts]",
        "type = s3",
        "provider = Cloudflare",
        "env_auth = false",
        "access_key_id = r2-id",
        "secret_access_key = r2-secret",
        "endpoint = https://0123abcd.r2.cloudflarestorage.com",
        "region = auto",
        "no_check_bucket = true",
        "",
      ].join("\n"),
    );
    assert.equal(
      rclonePath(remote, "/run1/ckpt.pt"),
      "ckpts:ckpts/run1/ckpt.pt",
    );
  });

  test("r2 account id from secrets", () => {
    const remote = buildRemote(
      { name: "out", type: "r2", bucket: "b" },
      secretsOf({
        R2_ACCESS_KEY: "a",
        R2_SECRET_KEY: "s",
        R2_ACCOUNT_ID: "feed42",
      }),
    );
    assert.deepEqual(
      remote.options.find(([key]) => key === "endpoint"),
      ["endpoint", "https://feed42.r2.cloudflarestorage.com"],
    );
  });

  test("r2 without account id", () => {
    assert.throws(
      () => buildRemote({ name: "out", type: "r2", bucket: "b" }, R2_KEYS),
      (error: unknown) =>
        error instanceof StorageConfigError &&
        /OUT_ACCOUNT_ID or R2_ACCOUNT_ID/.test(error.message),
    );
  });

  test("b2 as environment variables", () => {
    const remote = buildRemote(
      { name: "archive", type: "b2", bucket: "my-archive" },
      secretsOf({ B2_KEY_ID: "kid", B2_APPLICATION_KEY: "appkey" }),
    );
    assert.deepEqual(remoteEnv(remote), {
      RCLONE_CONFIG_ARCHIVE_TYPE: "b2",
      RCLONE_CONFIG_ARCHIVE_ACCOUNT: "kid",
      RCLONE_CONFIG_ARCHIVE_KEY: "appkey",
    });
    assert.equal(rclonePath(remote, ""), "archive:my-archive/");
  });

  test("s3 with custom endpoint", () => {
    const remote = buildRemote(
      {
        name: "minio",
        type: "s3",
        bucket: "data",
        region: "eu-central-1",
        endpoint: "https://s3.example.net",
      },
      secretsOf({ AWS_ACCESS_KEY_ID: "akid", AWS_SECRET_ACCESS_KEY: "sak" }),
    );
    assert.deepEqual(remote.options, [
      ["type", "s3"],
      ["provider", "Other"],
      ["env_auth", "false"],
      ["access_key_id", "akid"],
      ["secret_access_key", "sak"],
      ["region", "eu-central-1"],
      ["endpoint", "https://s3.example.net"],
      ["force_path_style", "true"],
    ]);
  });

  test("s3 on AWS with dotted bucket", () => {
    const remote = buildRemote(
      { name: "aws", type: "s3", bucket: "my.ckpts" },
      secretsOf({ AWS_ACCESS_KEY_ID: "akid", AWS_SECRET_ACCESS_KEY: "sak" }),
    );
    assert.deepEqual(remote.options, [
      ["type", "s3"],
      ["provider", "AWS"],
      ["env_auth", "false"],
      ["access_key_id", "akid"],
      ["secret_access_key", "sak"],
      ["region", "us-east-1"],
      ["force_path_style", "true"],
    ]);
  });

  test("drive with token secrets", () => {
    const remote = buildRemote(
      { name: "drive", type: "gdrive", folder: "runs" },
      secretsOf({
        GDRIVE_TOKEN: '{"access_token":"x"}',
        GDRIVE_CLIENT_ID: "cid",
      }),
    );
    assert.equal(
      remoteConfigText([remote]),
      [
        "[drive]",
        "type = drive",
        "scope = drive",
        "client_id = cid",
        'token = {"access_token":"x"}',
        "",
      ].join("\n"),
    );
    assert.deepEqual(remote.flags, ["--drive-stop-on-upload-limit"]);
    assert.equal(remote.portable, true);
    assert.equal(rclonePath(remote, "/42/"), "drive:runs/42/");
  });

  test("drive through user remote", () => {
    const remote = buildRemote(
      { name: "gd", type: "gdrive", remote: "mydrive" },
      secretsOf({}),
    );
    assert.deepEqual(remote.options, [
      ["type", "alias"],
      ["remote", "mydrive:"],
    ]);
    assert.equal(remote.portable, false);
  });
});

describe("credential lookup", () => {
  test("storage name before provider", () => {
    const slots = credentialSlots({ name: "my-ckpts", type: "r2" });
    assert.deepEqual(
      slots.map((slot) => slot.names),
      [
        ["MY_CKPTS_ACCESS_KEY", "R2_ACCESS_KEY"],
        ["MY_CKPTS_SECRET_KEY", "R2_SECRET_KEY"],
      ],
    );
    const remote = buildRemote(
      { name: "my-ckpts", type: "r2", accountId: "abc" },
      secretsOf({
        MY_CKPTS_ACCESS_KEY: "own",
        R2_ACCESS_KEY: "shared",
        R2_SECRET_KEY: "s",
      }),
    );
    assert.deepEqual(
      remote.options.find(([key]) => key === "access_key_id"),
      ["access_key_id", "own"],
    );
  });

  test("missing secret names both", () => {
    assert.throws(
      () =>
        buildRemote(
          { name: "lab", type: "s3", bucket: "b" },
          secretsOf({ AWS_ACCESS_KEY_ID: "a" }),
        ),
      (error: unknown) =>
        error instanceof MissingCredentialError &&
        error.message.includes("LAB_SECRET_ACCESS_KEY, AWS_SECRET_ACCESS_KEY"),
    );
  });
});
