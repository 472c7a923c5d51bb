// The rclone remote generated for a bucket storage: its options as rclone
// config keys, written either as RCLONE_CONFIG_<NAME>_<KEY> environment
// variables (rclone on this machine) or as a config file (rclone on a host).
import type { SecretsProvider } from "../secrets/provider.ts";
import {
  accountIdNames,
  lookupSecret,
  resolveCredentials,
} from "./credentials.ts";
import type { BucketStorage } from "./storage.ts";

export interface RcloneRemote {
  /** The remote's name in rclone paths: "ckpts" in "ckpts:bucket/dir". */
  name: string;
  storage: BucketStorage;
  /** rclone config keys and values, in a fixed order. */
  options: [string, string][];
  /** Extra rclone flags that this backend needs, e.g. Drive's upload-limit stop. */
  flags: string[];
  /**
   * False when the remote points into the user's own rclone config, which
   * only this machine has, so rclone cannot run with it on a host.
   */
  portable: boolean;
}

export class StorageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StorageConfigError";
  }
}

/** Returns a valid rclone remote name for a storage name: "My Ckpts" gives "my_ckpts". */
export function remoteNameFor(storageName: string): string {
  const name = storageName.toLowerCase().replace(/[^a-z0-9_]+/g, "_");
  return /^[a-z]/.test(name) ? name : `s_${name}`;
}

/** Builds the remote for a storage, reading its credentials from `secrets`. */
export function buildRemote(
  storage: BucketStorage,
  secrets: SecretsProvider,
  name = remoteNameFor(storage.name),
): RcloneRemote {
  const credentials = resolveCredentials(storage, secrets);
  const remote = (
    options: [string, string | undefined][],
    flags: string[] = [],
  ) => ({
    name,
    storage,
    options: options.filter((o): o is [string, string] => o[1] !== undefined),
    flags,
    portable: true,
  });
  switch (storage.type) {
    case "r2":
      return remote([
        ["type", "s3"],
        ["provider", "Cloudflare"],
        ["env_auth", "false"],
        ["access_key_id", credentials.get("access_key_id")],
        ["secret_access_key", credentials.get("secret_access_key")],
        ["endpoint", r2Endpoint(storage, secrets)],
        ["region", "auto"],
        // Tokens scoped to one bucket may not create or check buckets, and
        // rclone's bucket check then fails single-file uploads with 403.
        ["no_check_bucket", "true"],
      ]);
    case "b2":
      return remote([
        ["type", "b2"],
        ["account", credentials.get("account")],
        ["key", credentials.get("key")],
      ]);
    case "s3":
      return remote(s3Options(storage, credentials));
    case "gdrive":
      return driveRemote(storage, credentials, name);
  }
}

function r2Endpoint(
  storage: Extract<BucketStorage, { type: "r2" }>,
  secrets: SecretsProvider,
): string {
  const account =
    storage.accountId ??
    lookupSecret(secrets, accountIdNames(storage.name))?.value;
  if (account === undefined || !/^[A-Za-z0-9]+$/.test(account)) {
    const shown =
      account === undefined ? "missing" : `"${account}" is not an account id`;
    throw new StorageConfigError(
      `R2 storage "${storage.name}" needs its Cloudflare account id (${shown}).\nTry: train storage add ${storage.name} --type r2 --account-id ID, or set ${accountIdNames(storage.name).join(" or ")}.`,
    );
  }
  return `https://${account}.r2.cloudflarestorage.com`;
}

function s3Options(
  storage: Extract<BucketStorage, { type: "s3" }>,
  credentials: Map<string, string>,
): [string, string | undefined][] {
  const custom = storage.endpoint !== undefined;
  // Dotted bucket names break virtual-host addressing under a wildcard TLS
  // certificate, and S3-compatible servers mostly expect path style.
  const pathStyle = custom || (storage.bucket ?? "").includes(".");
  return [
    ["type", "s3"],
    ["provider", custom ? "Other" : "AWS"],
    ["env_auth", "false"],
    ["access_key_id", credentials.get("access_key_id")],
    ["secret_access_key", credentials.get("secret_access_key")],
    ["region", storage.region ?? "us-east-1"],
    ["endpoint", storage.endpoint],
    ["force_path_style", pathStyle ? "true" : undefined],
  ];
}

// Drive's daily upload cap otherwise looks like a rate limit that rclone
// retries for hours; this flag makes rclone stop with a fatal error.
const DRIVE_FLAGS = ["--drive-stop-on-upload-limit"];

function driveRemote(
  storage: Extract<BucketStorage, { type: "gdrive" }>,
  credentials: Map<string, string>,
  name: string,
): RcloneRemote {
  if (storage.remote !== undefined) {
    const options: [string, string][] = [
      ["type", "alias"],
      ["remote", `${storage.remote}:`],
    ];
    return { name, storage, options, flags: DRIVE_FLAGS, portable: false };
  }
  const options: [string, string | undefined][] = [
    ["type", "drive"],
    ["scope", "drive"],
    ["client_id", credentials.get("client_id")],
    ["client_secret", credentials.get("client_secret")],
    ["token", credentials.get("token")],
  ];
  return {
    name,
    storage,
    options: options.filter((o): o is [string, string] => o[1] !== undefined),
    flags: DRIVE_FLAGS,
    portable: true,
  };
}

/** Returns the remote as RCLONE_CONFIG_<NAME>_<KEY> environment variables. */
export function remoteEnv(remote: RcloneRemote): Record<string, string> {
  const prefix = `RCLONE_CONFIG_${remote.name.toUpperCase()}_`;
  const env: Record<string, string> = {};
  for (const [key, value] of remote.options)
    env[`${prefix}${key.toUpperCase()}`] = value;
  return env;
}

/** Returns the remotes as rclone config file text. */
export function remoteConfigText(remotes: RcloneRemote[]): string {
  return remotes
    .map((remote) => {
      const lines = remote.options.map(([key, value]) => `${key} = ${value}`);
      return [`[${remote.name}]`, ...lines, ""].join("\n");
    })
    .join("\n");
}

/** Reports whether two remotes reach the same account with the same settings, so one remote serves both. */
export function sameRemoteTarget(a: RcloneRemote, b: RcloneRemote): boolean {
  return JSON.stringify(a.options) === JSON.stringify(b.options);
}

/**
 * Returns the rclone path of `path` inside the storage. With a bucket (or a
 * Drive folder) configured, the path is inside it. Without one, the path's
 * first component is the bucket, as in "ckpts/run1/model.pt".
 */
export function rclonePath(remote: RcloneRemote, path: string): string {
  const inner = path.replace(/^\/+/, "");
  const storage = remote.storage;
  const base = storage.type === "gdrive" ? storage.folder : storage.bucket;
  if (base === undefined || base === "") return `${remote.name}:${inner}`;
  const trimmed = base.replace(/^\/+|\/+$/g, "");
  return inner === ""
    ? `${remote.name}:${trimmed}/`
    : `${remote.name}:${trimmed}/${inner}`;
}
