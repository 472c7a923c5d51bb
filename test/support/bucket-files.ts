// Seeding and reading back an s3rver bucket with a raw rclone, outside the
// engine, so tests compare the engine against an independent copy.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireSuccess, runProcess } from "../../src/remote/process.ts";
import { hashTree } from "./file-tree.ts";
import type { TestS3 } from "./s3rver.ts";

/** Returns the environment of a raw rclone with the remote "raw" pointing at the server. */
export function rawRcloneEnv(s3: TestS3): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG: "/dev/null",
    RCLONE_CONFIG_RAW_TYPE: "s3",
    RCLONE_CONFIG_RAW_PROVIDER: "Other",
    RCLONE_CONFIG_RAW_ENDPOINT: s3.endpoint,
    RCLONE_CONFIG_RAW_ACCESS_KEY_ID: s3.accessKeyId,
    RCLONE_CONFIG_RAW_SECRET_ACCESS_KEY: "raw-secret",
    RCLONE_CONFIG_RAW_FORCE_PATH_STYLE: "true",
  };
  delete env.AWS_CA_BUNDLE;
  return env;
}

/** Runs a raw `rclone ARGS...` against the server; `raw:` is the remote. */
export async function rawRclone(s3: TestS3, args: string[]): Promise<string> {
  const result = await runProcess(["rclone", "--fast-list", ...args], {
    env: rawRcloneEnv(s3),
    timeoutMs: 300_000,
  });
  return requireSuccess(result).stdout;
}

/** Downloads a prefix of the bucket into a temp dir and returns the hashes of its files. */
export async function hashBucket(
  s3: TestS3,
  prefix: string,
): Promise<Map<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), "trainsh-bucket-read-"));
  try {
    await rawRclone(s3, ["copy", `raw:${s3.bucket}/${prefix}`, dir]);
    return await hashTree(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
