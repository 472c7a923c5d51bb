// The secrets store: the OS keyring when one works, else the 0600 file.
// Reads look in both, so values saved to the file while no keyring was
// running stay readable after one starts. TRAINSH_SECRETS_BACKEND=file or
// =keyring skips the choice, e.g. to keep tests off a developer's keychain.
import { FileSecretStore } from "./file-store.ts";
import { KeyringSecretStore } from "./keyring-store.ts";

export type StoreSource = "keyring" | "file";

export class SecretStoreError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "SecretStoreError";
  }
}

export interface StoredValue {
  value: string;
  source: StoreSource;
}

export class SecretStore {
  constructor(
    readonly file: FileSecretStore,
    readonly keyring: KeyringSecretStore | undefined,
    /** The reason the keyring is not used, if it is not. */
    readonly keyringProblem: string | undefined,
  ) {}

  /** The store that `set` writes to. */
  get primary(): StoreSource {
    return this.keyring === undefined ? "file" : "keyring";
  }

  lookup(name: string): StoredValue | undefined {
    const fromKeyring = this.keyring?.get(name);
    if (fromKeyring !== undefined)
      return { value: fromKeyring, source: "keyring" };
    const fromFile = this.file.get(name);
    if (fromFile !== undefined) return { value: fromFile, source: "file" };
    return undefined;
  }

  set(name: string, value: string): StoreSource {
    if (this.keyring === undefined) {
      this.file.set(name, value);
      return "file";
    }
    this.keyring.set(name, value);
    // An older copy in the file would be shadowed; removing it keeps one value.
    this.file.delete(name);
    return "keyring";
  }

  /** Deletes the secret everywhere and returns the stores it was in. */
  delete(name: string): StoreSource[] {
    const removed: StoreSource[] = [];
    if (this.keyring?.delete(name) === true) removed.push("keyring");
    if (this.file.delete(name)) removed.push("file");
    return removed;
  }

  names(): string[] {
    return [
      ...new Set([...(this.keyring?.names() ?? []), ...this.file.names()]),
    ];
  }
}

export function openSecretStore(file = new FileSecretStore()): SecretStore {
  const choice = process.env.TRAINSH_SECRETS_BACKEND ?? "";
  if (choice === "file")
    return new SecretStore(file, undefined, "TRAINSH_SECRETS_BACKEND=file");
  if (choice !== "" && choice !== "keyring") {
    throw new SecretStoreError(
      `invalid TRAINSH_SECRETS_BACKEND "${choice}": expected keyring or file`,
      "unset it to use the keyring when one is running, else the file",
    );
  }
  const opened = KeyringSecretStore.open();
  if (opened instanceof KeyringSecretStore)
    return new SecretStore(file, opened, undefined);
  if (choice === "keyring") {
    throw new SecretStoreError(
      `the OS keyring is not usable: ${opened.problem}`,
      "start a Secret Service (e.g. gnome-keyring) in this session, or unset TRAINSH_SECRETS_BACKEND to use the file",
    );
  }
  return new SecretStore(file, undefined, opened.problem);
}
