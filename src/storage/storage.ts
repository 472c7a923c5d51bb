// A storage backend as the transfer engine and `train storage` see it:
// a name, a type and the type's settings. Credentials are never part of
// it; they come from the secrets interface when a transfer starts.

export const STORAGE_TYPES = [
  "local",
  "ssh",
  "r2",
  "b2",
  "s3",
  "gdrive",
] as const;

export type StorageType = (typeof STORAGE_TYPES)[number];

export type Storage =
  /** A directory on this machine; `@name:sub/dir` is `PATH/sub/dir`. */
  | { name: string; type: "local"; path: string }
  /** A directory on an ssh host: a hosts.toml name, an ssh alias or user@host. */
  | { name: string; type: "ssh"; host: string; path: string }
  /** Cloudflare R2; the account id may also come from the secrets. */
  | { name: string; type: "r2"; bucket?: string; accountId?: string }
  | { name: string; type: "b2"; bucket?: string }
  /** Amazon S3, or any S3-compatible service when `endpoint` is set. */
  | {
      name: string;
      type: "s3";
      bucket?: string;
      region?: string;
      endpoint?: string;
    }
  /**
   * Google Drive, under `folder` when set. `remote` names a remote in the user's own rclone config;
   * without it, the token and client come from the secrets.
   */
  | { name: string; type: "gdrive"; remote?: string; folder?: string };

export type BucketStorage = Extract<
  Storage,
  { type: "r2" | "b2" | "s3" | "gdrive" }
>;

/** Reports whether transfers to the storage go through rclone. */
export function isBucketStorage(storage: Storage): storage is BucketStorage {
  return storage.type !== "local" && storage.type !== "ssh";
}

/** Returns the storage's bucket, for the types that have one. */
export function bucketOf(storage: Storage): string | undefined {
  if (storage.type === "r2" || storage.type === "b2" || storage.type === "s3")
    return storage.bucket;
  return undefined;
}
