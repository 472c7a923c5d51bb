// Turns a recipe's storage spec (`r2:bucket`, `local:/data`, a storages.toml
// name) into a storage. The recipe checker has already checked the form.
import { findStorageEntry, storageFromEntry } from "./storages-file.ts";
import type { Storage } from "./storage.ts";

export class StorageResolutionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint === undefined ? message : `${message}\nTry: ${hint}`);
    this.name = "StorageResolutionError";
  }
}

/** Resolves the spec of storage `name`; throws StorageResolutionError. */
export function resolveStorageSpec(name: string, spec: string): Storage {
  const text = spec.trim();
  if (text === "placeholder") {
    throw new StorageResolutionError(
      `storage @${name} is a placeholder with no spec filled in`,
      `pass --storage ${name}=SPEC to train recipe run, e.g. --storage ${name}=r2:my-bucket`,
    );
  }
  const match = /^(r2|b2|s3|gdrive|local):(.*)$/.exec(text);
  if (match === null) return namedStorage(name, text);
  const [, provider, rest = ""] = match;
  switch (provider) {
    case "r2":
      return { name, type: "r2", bucket: rest };
    case "b2":
      return { name, type: "b2", bucket: rest };
    case "s3":
      return { name, type: "s3", bucket: rest };
    case "gdrive":
      return { name, type: "gdrive", folder: rest };
    default:
      return { name, type: "local", path: rest };
  }
}

function namedStorage(name: string, entryName: string): Storage {
  const entry = findStorageEntry(entryName);
  if (entry === undefined) {
    throw new StorageResolutionError(
      `storage @${name} names "${entryName}", which is not in storages.toml`,
      `add it with \`train storage add ${entryName}\`, or write a spec such as r2:my-bucket`,
    );
  }
  // The entry keeps its own name, so its secrets are the ones that
  // `train storage add` named.
  return storageFromEntry(entry);
}
