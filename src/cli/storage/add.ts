// `train storage add [NAME]`: by flags when --type is given, else by
// questions on the terminal. Credentials are never asked for or stored
// here; the closing lines name the secrets to set.
import { credentialSlots, accountIdNames } from "../../storage/credentials.ts";
import {
  entryFromStorage,
  findStorageEntry,
  updateStoragesFile,
} from "../../storage/storages-file.ts";
import {
  isBucketStorage,
  STORAGE_TYPES,
  type Storage,
  type StorageType,
} from "../../storage/storage.ts";
import { UsageError, CommandError } from "../errors.ts";
import { askPrompts } from "./add-prompts.ts";

export interface AddFlags {
  type?: string;
  bucket?: string;
  accountId?: string;
  endpoint?: string;
  region?: string;
  path?: string;
  host?: string;
  remote?: string;
  folder?: string;
  default?: boolean;
  force?: boolean;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export async function addCommand(
  name: string | undefined,
  flags: AddFlags,
): Promise<void> {
  // A name from the command line is checked before any question.
  if (name !== undefined) checkNew(name, flags.force === true);
  const storage =
    flags.type === undefined
      ? await askPrompts(name, (typed) => nameProblem(typed, flags))
      : fromFlags(name, flags);
  checkNew(storage.name, flags.force === true);
  checkEndpoint(storage);
  saveStorage(storage, flags.default === true);
  process.stderr.write(`added storage ${storage.name} (${storage.type})\n`);
  for (const line of secretHints(storage)) process.stderr.write(`${line}\n`);
}

// `@local` names this machine and `placeholder` is the recipe keyword for a
// storage filled at run time, so a storage with either name could never be
// reached. A name of dots reads as a path.
const RESERVED_NAMES = new Set(["local", "placeholder"]);

function checkNew(name: string, force: boolean): void {
  checkName(name);
  if (findStorageEntry(name) !== undefined && !force) {
    throw new CommandError(
      `storage "${name}" already exists`,
      "pass --force to replace it, or choose another name",
    );
  }
}

// Runs the checks of checkNew and returns the problem as prompt text, so
// the name prompt can repeat itself.
function nameProblem(name: string, flags: AddFlags): string | undefined {
  try {
    checkNew(name, flags.force === true);
    return undefined;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CommandError)
      return error.hint === undefined
        ? error.message
        : `${error.message}; ${error.hint}`;
    throw error;
  }
}

export function checkName(name: string): void {
  if (RESERVED_NAMES.has(name) || /^\.+$/.test(name)) {
    throw new UsageError(
      `invalid storage name "${name}": it is reserved (${[...RESERVED_NAMES].join(", ")} and names of only dots)`,
      "choose another name, such as ckpts or r2-main",
    );
  }
  if (NAME.test(name)) return;
  throw new UsageError(
    `invalid storage name "${name}"`,
    "use letters, digits, '.', '_' and '-', such as ckpts or r2-main",
  );
}

/** Rejects an S3 endpoint that is not an http(s) URL with a host. */
export function checkEndpoint(storage: Storage): void {
  if (storage.type !== "s3" || storage.endpoint === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(storage.endpoint);
  } catch {
    url = undefined;
  }
  const valid =
    url !== undefined &&
    (url.protocol === "http:" || url.protocol === "https:") &&
    url.hostname !== "";
  if (valid) return;
  throw new UsageError(
    `invalid endpoint "${storage.endpoint}": expected an http:// or https:// URL with a host and an optional port`,
    "such as --endpoint https://s3.eu-central-1.wasabisys.com or http://127.0.0.1:9000",
  );
}

function saveStorage(storage: Storage, isDefault: boolean): void {
  const entry = entryFromStorage(storage, isDefault);
  updateStoragesFile((entries) => {
    const others = entries.filter((raw) => raw.name !== storage.name);
    const cleared = isDefault
      ? others.map((raw) => ({ ...raw, is_default: false }))
      : others;
    return [...cleared, entry];
  });
}

/** Builds a storage from flags; throws UsageError naming a missing or unknown one. */
export function fromFlags(name: string | undefined, flags: AddFlags): Storage {
  if (name === undefined)
    throw new UsageError(
      "missing storage name",
      "train storage add NAME --type TYPE ...",
    );
  const type = flags.type as StorageType;
  if (!STORAGE_TYPES.includes(type)) {
    throw new UsageError(
      `unknown storage type "${flags.type}"`,
      `use one of ${STORAGE_TYPES.join(", ")}`,
    );
  }
  const need = (value: string | undefined, flag: string): string => {
    if (value !== undefined && value !== "") return value;
    throw new UsageError(
      `a ${type} storage needs ${flag}`,
      `train storage add ${name} --type ${type} ${flag} VALUE`,
    );
  };
  switch (type) {
    case "local":
      return { name, type, path: need(flags.path, "--path") };
    case "ssh":
      return {
        name,
        type,
        host: need(flags.host, "--host"),
        path: flags.path ?? "",
      };
    case "r2":
      return { name, type, bucket: flags.bucket, accountId: flags.accountId };
    case "b2":
      return { name, type, bucket: flags.bucket };
    case "s3":
      return {
        name,
        type,
        bucket: flags.bucket,
        region: flags.region,
        endpoint: flags.endpoint,
      };
    case "gdrive":
      return { name, type, remote: flags.remote, folder: flags.folder };
  }
}

/** Lines that name the secrets a bucket storage reads, in lookup order. */
export function secretHints(storage: Storage): string[] {
  if (!isBucketStorage(storage)) return [];
  const slots = credentialSlots(storage);
  const lines = slots.map(
    (slot) =>
      `  ${slot.option}: set ${slot.names.join(" or ")}${slot.required ? "" : " (optional)"}`,
  );
  if (storage.type === "r2" && storage.accountId === undefined)
    lines.push(
      `  account id: set ${accountIdNames(storage.name).join(" or ")}`,
    );
  if (lines.length === 0) return [];
  return [
    "credentials come from secrets, the storage's own name first:",
    ...lines,
  ];
}
