// The secrets a storage reads, in lookup order: the storage's own name
// first (`CKPTS_ACCESS_KEY` for a storage named "ckpts"), then the
// provider-wide name (`R2_ACCESS_KEY`), so one account can serve several
// storages and one storage can still use its own key.
import type { SecretsProvider } from "../secrets/provider.ts";
import type { BucketStorage } from "./storage.ts";

export interface CredentialSlot {
  /** The rclone option the value fills, e.g. "access_key_id". */
  option: string;
  /** Secret names, tried in order. */
  names: string[];
  required: boolean;
}

/** Returns the storage name as a secret-name prefix: "my-ckpts" gives "MY_CKPTS". */
export function secretPrefix(storageName: string): string {
  return storageName.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

const PROVIDER_SLOTS: Record<
  BucketStorage["type"],
  { option: string; suffix: string; global: string; required: boolean }[]
> = {
  r2: [
    {
      option: "access_key_id",
      suffix: "ACCESS_KEY",
      global: "R2_ACCESS_KEY",
      required: true,
    },
    {
      option: "secret_access_key",
      suffix: "SECRET_KEY",
      global: "R2_SECRET_KEY",
      required: true,
    },
  ],
  b2: [
    {
      option: "account",
      suffix: "KEY_ID",
      global: "B2_KEY_ID",
      required: true,
    },
    {
      option: "key",
      suffix: "APPLICATION_KEY",
      global: "B2_APPLICATION_KEY",
      required: true,
    },
  ],
  s3: [
    {
      option: "access_key_id",
      suffix: "ACCESS_KEY_ID",
      global: "AWS_ACCESS_KEY_ID",
      required: true,
    },
    {
      option: "secret_access_key",
      suffix: "SECRET_ACCESS_KEY",
      global: "AWS_SECRET_ACCESS_KEY",
      required: true,
    },
  ],
  gdrive: [
    {
      option: "token",
      suffix: "TOKEN",
      global: "GDRIVE_TOKEN",
      required: true,
    },
    {
      option: "client_id",
      suffix: "CLIENT_ID",
      global: "GDRIVE_CLIENT_ID",
      required: false,
    },
    {
      option: "client_secret",
      suffix: "CLIENT_SECRET",
      global: "GDRIVE_CLIENT_SECRET",
      required: false,
    },
  ],
};

/** Lists the credential secrets of a storage, each with its names in lookup order. */
export function credentialSlots(storage: BucketStorage): CredentialSlot[] {
  // A Drive reached through the user's own rclone remote needs no secrets.
  if (storage.type === "gdrive" && storage.remote !== undefined) return [];
  const prefix = secretPrefix(storage.name);
  return PROVIDER_SLOTS[storage.type].map((slot) => ({
    option: slot.option,
    names: uniqueNames([`${prefix}_${slot.suffix}`, slot.global]),
    required: slot.required,
  }));
}

/** Returns the secret names for an R2 account id, in lookup order. */
export function accountIdNames(storageName: string): string[] {
  return uniqueNames([
    `${secretPrefix(storageName)}_ACCOUNT_ID`,
    "R2_ACCOUNT_ID",
  ]);
}

function uniqueNames(names: string[]): string[] {
  return [...new Set(names)];
}

/** Returns the first value set among `names`, with the name it came from. */
export function lookupSecret(
  secrets: SecretsProvider,
  names: string[],
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = secrets.get(name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

export class MissingCredentialError extends Error {
  constructor(
    readonly storage: string,
    readonly names: string[],
  ) {
    super(
      `Missing credential for storage "${storage}": none of ${names.join(", ")} is set.\nTry: train secrets set ${names[0] ?? ""} (or export it as an environment variable), then rerun.`,
    );
    this.name = "MissingCredentialError";
  }
}

/** Resolves every credential of a storage; throws MissingCredentialError for a required one that is not set. */
export function resolveCredentials(
  storage: BucketStorage,
  secrets: SecretsProvider,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const slot of credentialSlots(storage)) {
    const found = lookupSecret(secrets, slot.names);
    if (found !== undefined) values.set(slot.option, found.value);
    else if (slot.required)
      throw new MissingCredentialError(storage.name, slot.names);
  }
  return values;
}
