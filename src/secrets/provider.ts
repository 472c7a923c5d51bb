// The one interface through which recipes and commands read secrets: the
// environment variable of the same name first, then the secrets store
// (keyring, then the 0600 file). The store opens on the first lookup that
// the environment does not satisfy.
import { configHome } from "../config/paths.ts";
import { registerSecret } from "./redact.ts";
import {
  openSecretStore,
  type SecretStore,
  type StoreSource,
} from "./store.ts";
import { storageSecretNames, type StorageProvider } from "./keys.ts";

export interface SecretsProvider {
  /** The value, or undefined when the secret is not set anywhere. */
  get(name: string): string | undefined;
}

export type SecretSource = "env" | StoreSource;

export const environmentSecrets: SecretsProvider = {
  get(name) {
    const value = process.env[name];
    return value === undefined || value === "" ? undefined : value;
  },
};

let opened: { home: string; store: SecretStore } | undefined;

/** Opens the store of the current config home, once per process. */
export function secretStore(): SecretStore {
  const home = configHome();
  if (opened?.home !== home) opened = { home, store: openSecretStore() };
  return opened.store;
}

/** Returns a secret's value with where it came from, or undefined. */
export function lookupSecret(
  name: string,
): { value: string; source: SecretSource } | undefined {
  const fromEnv = environmentSecrets.get(name);
  if (fromEnv !== undefined) return { value: fromEnv, source: "env" };
  return secretStore().lookup(name);
}

const storeSecrets: SecretsProvider = {
  get: (name) => lookupSecret(name)?.value,
};

/** Returns the provider every command and recipe uses. */
export function secretsProvider(): SecretsProvider {
  return storeSecrets;
}

/** Wraps a provider so every value it returns is registered for redaction. */
export function redactingSecrets(inner: SecretsProvider): SecretsProvider {
  return {
    get(name) {
      const value = inner.get(name);
      if (value !== undefined) registerSecret(value);
      return value;
    },
  };
}

/**
 * Resolves one credential of a storage: `<STORAGE>_<SUFFIX>` first (e.g.
 * `MY_BUCKET_ACCESS_KEY`), then the provider-wide name (`R2_ACCESS_KEY`).
 * The value is registered for redaction. `tried` lists the names in order,
 * for a message when none is set.
 */
export function resolveStorageSecret(
  storageName: string,
  provider: StorageProvider,
  field: string,
  secrets: SecretsProvider = secretsProvider(),
): { name: string; value: string } | { tried: string[] } {
  const names = storageSecretNames(storageName, provider, field);
  for (const name of names) {
    const value = secrets.get(name);
    if (value !== undefined) {
      registerSecret(value);
      return { name, value };
    }
  }
  return { tried: names };
}

export function missingSecretHint(name: string): string {
  return `store it with \`train secrets set ${name}\`, or export ${name} in the environment`;
}
