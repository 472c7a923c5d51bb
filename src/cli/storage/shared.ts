// Shared by the storage subcommands: looking up an entry and describing it.
import { paths } from "../../config/paths.ts";
import {
  findStorageEntry,
  storageFromEntry,
  type StorageEntry,
} from "../../storage/storages-file.ts";
import type { Storage } from "../../storage/storage.ts";
import { CommandError } from "../errors.ts";

export function requireStorage(name: string): {
  entry: StorageEntry;
  storage: Storage;
} {
  const entry = findStorageEntry(name);
  if (entry === undefined) {
    throw new CommandError(
      `storage "${name}" not found in ${paths.storages()}`,
      "list storages with `train storage list`, or add one with `train storage add`",
    );
  }
  return { entry, storage: storageFromEntry(entry) };
}

/** Describes where a storage's data lives, without any credential. */
export function locationOf(storage: Storage): string {
  switch (storage.type) {
    case "local":
      return storage.path;
    case "ssh":
      return `${storage.host}:${storage.path}`;
    case "r2":
      return `${storage.bucket ?? "(bucket in path)"} (account ${storage.accountId ?? "from secrets"})`;
    case "b2":
      return storage.bucket ?? "(bucket in path)";
    case "s3":
      return `${storage.bucket ?? "(bucket in path)"}${storage.endpoint === undefined ? "" : ` at ${storage.endpoint}`}`;
    case "gdrive":
      return `${storage.remote === undefined ? "drive" : `rclone remote ${storage.remote}`}:${storage.folder ?? ""}`;
  }
}
