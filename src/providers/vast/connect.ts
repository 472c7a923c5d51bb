// Builds the client from config: the base URL from `VAST_URL` or config
// `vast.api_url`, and the key from the secrets interface.
import { readSettings } from "../../config/settings.ts";
import { redactingSecrets, secretsProvider } from "../../secrets/provider.ts";
import { VastClient } from "./client.ts";
import { API_KEY_NAME, missingKeyError } from "./errors.ts";

export function vastBaseUrl(): string {
  const override = process.env.VAST_URL;
  if (override !== undefined && override !== "") return override;
  return readSettings().vast.api_url;
}

/** A client for the configured account; throws when VAST_API_KEY is not set. */
export function vastClient(): VastClient {
  const apiKey = redactingSecrets(secretsProvider()).get(API_KEY_NAME);
  if (apiKey === undefined) throw missingKeyError();
  return new VastClient({ baseUrl: vastBaseUrl(), apiKey });
}
