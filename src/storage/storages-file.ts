// `storages.toml`: one `[[storages]]` table per storage, with `name`, `type`,
// `is_default` and a `[storages.config]` table of the type's settings.
import { z } from "zod";
import { paths } from "../config/paths.ts";
import { ConfigFileError, readToml, writeToml } from "../config/toml-file.ts";
import { STORAGE_TYPES, type Storage } from "./storage.ts";

const configSchema = z.object({
  path: z.string().optional(),
  host: z.string().optional(),
  bucket: z.string().optional(),
  account_id: z.string().optional(),
  region: z.string().optional(),
  endpoint: z.string().optional(),
  remote_name: z.string().optional(),
  root_folder: z.string().optional(),
});

const entrySchema = z.object({
  name: z.string().min(1),
  type: z.enum(STORAGE_TYPES),
  is_default: z.boolean().default(false),
  config: configSchema.default({}),
});

export type StorageEntry = z.infer<typeof entrySchema>;

/** Keys that hold credentials; they belong in the secrets store, and train never reads them from this file. */
export const CREDENTIAL_KEYS = [
  "access_key_id",
  "secret_access_key",
  "key_id",
  "application_key",
  "client_secret",
  "token",
];

const fileSchema = z.object({
  storages: z.array(z.record(z.string(), z.unknown())).default([]),
});

/** Reads `storages.toml`; an invalid entry is an error that names it and the field. */
export function readStoragesFile(file = paths.storages()): StorageEntry[] {
  return readRawEntries(file).map((raw, index) => {
    const entry = entrySchema.safeParse(raw);
    if (entry.success) return entry.data;
    const issue = entry.error.issues[0];
    const field = issue?.path.join(".") || "entry";
    const label =
      typeof raw.name === "string" ? `"${raw.name}"` : `#${index + 1}`;
    throw new ConfigFileError(
      file,
      `storage ${label}: ${field}: ${issue?.message ?? "invalid"}`,
    );
  });
}

function readRawEntries(file: string): Record<string, unknown>[] {
  const parsed = fileSchema.safeParse(readToml(file));
  if (!parsed.success) {
    throw new ConfigFileError(
      file,
      "`storages` must be an array of tables ([[storages]])",
    );
  }
  return parsed.data.storages;
}

/** Lists the credential keys that an entry of the file contains, by storage name. */
export function credentialKeysInFile(
  file = paths.storages(),
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const raw of readRawEntries(file)) {
    const config = raw.config;
    if (typeof raw.name !== "string" || typeof config !== "object") continue;
    const keys = CREDENTIAL_KEYS.filter((key) => key in (config ?? {}));
    if (keys.length > 0) found.set(raw.name, keys);
  }
  return found;
}

export function findStorageEntry(
  name: string,
  file = paths.storages(),
): StorageEntry | undefined {
  return readStoragesFile(file).find((entry) => entry.name === name);
}

/** Turns a file entry into a storage; throws ConfigFileError when a required setting is missing. */
export function storageFromEntry(
  entry: StorageEntry,
  file = paths.storages(),
): Storage {
  const config = entry.config;
  const name = entry.name;
  const require = (key: "path" | "host"): string => {
    const value = config[key];
    if (value !== undefined && value !== "") return value;
    throw new ConfigFileError(
      file,
      `storage "${name}": config.${key} is missing, and a ${entry.type} storage needs it`,
    );
  };
  switch (entry.type) {
    case "local":
      return { name, type: "local", path: require("path") };
    case "ssh":
      return {
        name,
        type: "ssh",
        host: require("host"),
        path: config.path ?? "",
      };
    case "r2":
      return {
        name,
        type: "r2",
        bucket: config.bucket,
        accountId: config.account_id,
      };
    case "b2":
      return { name, type: "b2", bucket: config.bucket };
    case "s3":
      return {
        name,
        type: "s3",
        bucket: config.bucket,
        region: config.region,
        endpoint: config.endpoint,
      };
    case "gdrive":
      return {
        name,
        type: "gdrive",
        remote: config.remote_name,
        folder: config.root_folder,
      };
  }
}

/** Builds the file entry for a storage. */
export function entryFromStorage(
  storage: Storage,
  isDefault = false,
): StorageEntry {
  const config: StorageEntry["config"] = {};
  switch (storage.type) {
    case "local":
      config.path = storage.path;
      break;
    case "ssh":
      config.host = storage.host;
      config.path = storage.path;
      break;
    case "r2":
      config.bucket = storage.bucket;
      config.account_id = storage.accountId;
      break;
    case "b2":
      config.bucket = storage.bucket;
      break;
    case "s3":
      Object.assign(config, {
        bucket: storage.bucket,
        region: storage.region,
        endpoint: storage.endpoint,
      });
      break;
    case "gdrive":
      config.remote_name = storage.remote;
      config.root_folder = storage.folder;
      break;
  }
  for (const key of Object.keys(config) as (keyof typeof config)[]) {
    if (config[key] === undefined || config[key] === "") delete config[key];
  }
  return {
    name: storage.name,
    type: storage.type,
    is_default: isDefault,
    config,
  };
}

/**
 * Rewrites the file atomically through `change`, which gets the raw tables,
 * so keys that train does not know survive an add or a remove.
 */
export function updateStoragesFile(
  change: (entries: Record<string, unknown>[]) => Record<string, unknown>[],
  file = paths.storages(),
): void {
  const data = readToml(file);
  data.storages = change(readRawEntries(file));
  writeToml(file, data);
}
