// A throwaway S3 server (s3rver) on 127.0.0.1 with one bucket, for tests
// of bucket transfers. s3rver checks only the access key id, which is
// always S3RVER; it accepts any secret.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./sshd.ts";

const BIN = resolve(
  import.meta.dirname,
  "../../node_modules/s3rver/bin/s3rver.js",
);
const READY_TIMEOUT_MS = 10_000;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: "S3RVER";
  dir: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** Starts s3rver with `bucket` and returns once it responds to HTTP. */
export async function startS3rver(bucket = "train-test"): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), "trainsh-s3-"));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      BIN,
      "-d",
      join(dir, "data"),
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      "--silent",
      "--configure-bucket",
      bucket,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(endpoint, child, () => stderr);
  } catch (error) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint,
    bucket,
    accessKeyId: "S3RVER",
    dir,
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(
  endpoint: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`s3rver exited with ${child.exitCode}: ${stderr()}`);
    try {
      await fetch(`${endpoint}/`);
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 50));
    }
  }
  throw new Error(
    `s3rver at ${endpoint} did not answer within ${READY_TIMEOUT_MS} ms: ${stderr()}`,
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}
