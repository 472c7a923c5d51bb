// The one interface through which recipes and commands read secrets.
// NOTE: values come only from environment variables until the secrets store
// (keyring, then a 0600 file) lands; `getSecret` is where it plugs in.
import { registerSecret } from "./redact.ts";

export interface SecretsProvider {
  /** The value, or undefined when the secret is not set anywhere. */
  get(name: string): string | undefined;
}

export const environmentSecrets: SecretsProvider = {
  get(name) {
    const value = process.env[name];
    return value === undefined || value === "" ? undefined : value;
  },
};

/**
 * The provider every command and recipe uses. Environment variables only for
 * now; the secrets store replaces the body of this function.
 */
export function secretsProvider(): SecretsProvider {
  return environmentSecrets;
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

export function missingSecretHint(name: string): string {
  return `set the environment variable ${name}`;
}
