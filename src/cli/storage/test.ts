// `train storage test NAME`: list the storage's bucket or base path and,
// on failure, name the cause (credentials, bucket, endpoint, tools).
import { existsSync, readdirSync, statSync } from "node:fs";
import { redactingSecrets, secretsProvider } from "../../secrets/provider.ts";
import { buildRemote, rclonePath } from "../../storage/rclone-remote.ts";
import type { BucketStorage, Storage } from "../../storage/storage.ts";
import { flattenStorage } from "../../transfer/storage-endpoint.ts";
import { locate } from "../../transfer/location.ts";
import {
  classifyRcloneError,
  describeCause,
  errorLines,
} from "../../transfer/rclone-output.ts";
import { probeRclone } from "../../transfer/rclone-probe.ts";
import { runRclone } from "../../transfer/rclone-run.ts";
import { runScript } from "../../transfer/shell.ts";
import { expandHome } from "../../util/paths.ts";
import { CommandError } from "../errors.ts";
import { requireStorage } from "./shared.ts";

const SHOWN = 5;

export async function testCommand(name: string): Promise<void> {
  const { storage } = requireStorage(name);
  process.stderr.write(`testing storage ${name} (${storage.type})...\n`);
  const entries = await listStorage(storage);
  process.stderr.write(
    `ok: listed ${entries.length === 0 ? "an empty location" : `${entries.length} entries`}\n`,
  );
  for (const entry of entries.slice(0, SHOWN))
    process.stdout.write(`${entry}\n`);
  if (entries.length > SHOWN)
    process.stdout.write(`... and ${entries.length - SHOWN} more\n`);
}

async function listStorage(storage: Storage): Promise<string[]> {
  if (storage.type === "local") return listLocal(storage.path);
  if (storage.type === "ssh") return listHost(storage);
  return listBucket(storage);
}

function listLocal(path: string): string[] {
  const full = expandHome(path);
  if (!existsSync(full) || !statSync(full).isDirectory()) {
    throw new CommandError(
      `the base path ${full} is not a directory on this machine`,
      "create it, or fix it with train storage add --force",
    );
  }
  return readdirSync(full).sort();
}

async function listHost(
  storage: Extract<Storage, { type: "ssh" }>,
): Promise<string[]> {
  const endpoint = flattenStorage({
    kind: "storage",
    name: storage.name,
    storage,
    path: "",
  });
  const location = locate(endpoint);
  const result = await runScript(location.side, 'cd "$1" && ls -A', [
    location.path,
  ]);
  if (result.failed) {
    const detail = result.stderr.trim().split("\n").slice(-3).join("\n");
    throw new CommandError(
      `failed to list ${location.path} on ${storage.host} (exit ${result.exitCode ?? "none"}): ${detail}`,
      `check the host with \`train host test\` or ssh ${storage.host}, and that the base path exists`,
    );
  }
  return result.stdout.split("\n").filter((line) => line !== "");
}

async function listBucket(storage: BucketStorage): Promise<string[]> {
  if (!(await probeRclone({ kind: "local" })).available) {
    throw new CommandError(
      "rclone is not installed on this machine",
      "install rclone (apt-get install rclone, brew install rclone, or https://rclone.org/install/)",
    );
  }
  let remote;
  try {
    remote = buildRemote(storage, redactingSecrets(secretsProvider()));
  } catch (error) {
    if (
      error instanceof Error &&
      ["MissingCredentialError", "StorageConfigError"].includes(error.name)
    )
      throw new CommandError(error.message);
    throw error;
  }
  const target = rclonePath(remote, "");
  const result = await runRclone({
    runner: { kind: "local" },
    remotes: [remote],
    // A test should report within seconds: rclone's defaults (a one-minute
    // connect timeout, ten low-level retries, three attempts) took 41 s to
    // 98 s to report an unreachable endpoint.
    args: [
      "lsf",
      "--contimeout",
      "10s",
      "--timeout",
      "30s",
      "--low-level-retries",
      "1",
      "--retries",
      "1",
      "--max-depth",
      "1",
      "--",
      target,
    ],
  });
  if (!result.failed)
    return result.stdout.split("\n").filter((line) => line !== "");
  const cause = classifyRcloneError(result.stderr);
  const missingBucket =
    result.exitCode === 3 && /directory not found/.test(result.stderr);
  throw new CommandError(
    `failed to list ${target} (rclone exit ${result.exitCode ?? "none"}): ${errorLines(result.stderr).slice(-3).join("\n")}`,
    missingBucket
      ? `the bucket or folder ${target} does not exist: check its name with train storage show ${storage.name}`
      : describeCause(cause, storage),
  );
}
