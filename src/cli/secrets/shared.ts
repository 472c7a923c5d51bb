import { checkSecretName } from "../../secrets/keys.ts";
import { UsageError } from "../errors.ts";

export function requireSecretName(name: string): string {
  const problem = checkSecretName(name);
  if (problem !== undefined)
    throw new UsageError(`invalid secret name "${name}": ${problem}`);
  return name;
}

/**
 * A masked form that shows only the length and, for long values, the last
 * four characters, enough to tell two tokens apart.
 */
export function maskSecret(value: string): string {
  const tail = value.length >= 16 ? value.slice(-4) : "";
  return `****${tail} (${value.length} characters)`;
}
