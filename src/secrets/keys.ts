// Secret names: the well-known keys that `train secrets list` always shows,
// the rule every name follows, and the storage-scoped names of each bucket
// provider.

export const KNOWN_SECRETS: readonly { name: string; description: string }[] = [
  { name: "VAST_API_KEY", description: "Vast.ai API key" },
  { name: "HF_TOKEN", description: "Hugging Face token" },
  { name: "R2_ACCESS_KEY", description: "Cloudflare R2 access key ID" },
  { name: "R2_SECRET_KEY", description: "Cloudflare R2 secret access key" },
  { name: "B2_KEY_ID", description: "Backblaze B2 key ID" },
  { name: "B2_APPLICATION_KEY", description: "Backblaze B2 application key" },
  { name: "AWS_ACCESS_KEY_ID", description: "Amazon S3 access key ID" },
  { name: "AWS_SECRET_ACCESS_KEY", description: "Amazon S3 secret access key" },
  { name: "GITHUB_TOKEN", description: "GitHub token" },
  { name: "OPENAI_API_KEY", description: "OpenAI API key" },
  { name: "ANTHROPIC_API_KEY", description: "Anthropic API key" },
  {
    name: "GOOGLE_DRIVE_CREDENTIALS",
    description: "Google Drive OAuth token (JSON)",
  },
];

const NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Secret names are upper-case environment variable names, because the
 * variable of the same name overrides the stored value.
 */
export function checkSecretName(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  const upper = name.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  return `secret names use A-Z, 0-9 and _ like environment variables, e.g. ${NAME.test(upper) ? upper : "HF_TOKEN"}`;
}

export type StorageProvider = "r2" | "s3" | "b2" | "gdrive";

// Per provider and credential field: the suffix of the storage-scoped name
// and the provider-wide name it falls back to.
const STORAGE_SECRETS: Record<
  StorageProvider,
  Record<string, { suffix: string; global: string }>
> = {
  r2: {
    access_key_id: { suffix: "ACCESS_KEY", global: "R2_ACCESS_KEY" },
    secret_access_key: { suffix: "SECRET_KEY", global: "R2_SECRET_KEY" },
  },
  s3: {
    access_key_id: { suffix: "ACCESS_KEY_ID", global: "AWS_ACCESS_KEY_ID" },
    secret_access_key: {
      suffix: "SECRET_ACCESS_KEY",
      global: "AWS_SECRET_ACCESS_KEY",
    },
  },
  b2: {
    key_id: { suffix: "KEY_ID", global: "B2_KEY_ID" },
    application_key: {
      suffix: "APPLICATION_KEY",
      global: "B2_APPLICATION_KEY",
    },
  },
  gdrive: {
    token: { suffix: "TOKEN", global: "GOOGLE_DRIVE_CREDENTIALS" },
  },
};

/** Lists the credential fields of a provider, e.g. `access_key_id` for s3. */
export function storageSecretFields(provider: StorageProvider): string[] {
  return Object.keys(STORAGE_SECRETS[provider]);
}

/** `my-bucket` → `MY_BUCKET`: the prefix of a storage's own secret names. */
export function storageSecretPrefix(storageName: string): string {
  return storageName.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/**
 * Returns the secret names to try for one credential of a storage, in order: the
 * storage's own (`<STORAGE>_ACCESS_KEY`), then the provider-wide one
 * (`R2_ACCESS_KEY`).
 */
export function storageSecretNames(
  storageName: string,
  provider: StorageProvider,
  field: string,
): string[] {
  const entry = STORAGE_SECRETS[provider][field];
  if (entry === undefined) {
    throw new Error(
      `unknown credential field "${field}" for ${provider}; expected one of ${storageSecretFields(provider).join(", ")}`,
    );
  }
  return [`${storageSecretPrefix(storageName)}_${entry.suffix}`, entry.global];
}
