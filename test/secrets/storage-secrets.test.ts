// Storage credentials: the storage's own secret name first, then the
// provider-wide one.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  resolveStorageSecret,
  type SecretsProvider,
} from "../../src/secrets/provider.ts";
import { storageSecretNames } from "../../src/secrets/keys.ts";

function fake(values: Record<string, string>): SecretsProvider {
  return { get: (name) => values[name] };
}

test("names per provider and field", () => {
  assert.deepEqual(storageSecretNames("my-bucket", "r2", "access_key_id"), [
    "MY_BUCKET_ACCESS_KEY",
    "R2_ACCESS_KEY",
  ]);
  assert.deepEqual(storageSecretNames("out", "r2", "secret_access_key"), [
    "OUT_SECRET_KEY",
    "R2_SECRET_KEY",
  ]);
  assert.deepEqual(storageSecretNames("s3 data", "s3", "access_key_id"), [
    "S3_DATA_ACCESS_KEY_ID",
    "AWS_ACCESS_KEY_ID",
  ]);
  assert.deepEqual(storageSecretNames("b", "b2", "application_key"), [
    "B_APPLICATION_KEY",
    "B2_APPLICATION_KEY",
  ]);
  assert.deepEqual(storageSecretNames("drive", "gdrive", "token"), [
    "DRIVE_TOKEN",
    "GOOGLE_DRIVE_CREDENTIALS",
  ]);
  assert.throws(
    () => storageSecretNames("x", "r2", "password"),
    /unknown credential field "password" for r2/,
  );
});

test("scoped name wins over global", () => {
  const both = fake({ OUT_ACCESS_KEY: "scoped", R2_ACCESS_KEY: "global" });
  assert.deepEqual(resolveStorageSecret("out", "r2", "access_key_id", both), {
    name: "OUT_ACCESS_KEY",
    value: "scoped",
  });
  const global = fake({ R2_ACCESS_KEY: "global" });
  assert.deepEqual(resolveStorageSecret("out", "r2", "access_key_id", global), {
    name: "R2_ACCESS_KEY",
    value: "global",
  });
  assert.deepEqual(
    resolveStorageSecret("out", "r2", "access_key_id", fake({})),
    { tried: ["OUT_ACCESS_KEY", "R2_ACCESS_KEY"] },
  );
});
