import type { SecretStore } from "../../secrets/store.ts";

export function describeStore(store: SecretStore): string {
  if (store.primary === "keyring")
    return "secrets are stored in the OS keyring";
  return `secrets are stored in ${store.file.file} (mode 0600, not encrypted) because the OS keyring is not usable: ${store.keyringProblem ?? "unknown reason"}`;
}
