// Form checks for host and storage specs. Only the shape is checked here:
// resolving a name against hosts.toml, storages.toml or ~/.ssh/config happens
// when a run starts.

import { LineIssue } from "./line-issue.ts";
import { VARIABLE_VALUE } from "./names.ts";
import { validatePort } from "./options.ts";
import { tokenize, type Token } from "./tokens.ts";

const HOST_FORMS =
  "placeholder, local, vast:ID, user@host [-p PORT] [-i KEY] [-J JUMP] [-o OPTION] or a host name";
const SSH_OPTIONS = "-p PORT, -i KEY, -J JUMP and -o OPTION";
const SSH_OPTION_NAMES = new Set(["-p", "-i", "-J", "-o"]);
const STORAGE_PROVIDERS = ["r2", "b2", "s3", "gdrive", "local"];
const PLAIN_NAME = /^[A-Za-z0-9_.-]+$/;
const DESTINATION = /^(?:[^@\s:]+@)?(?:[^@\s:]+|\[[0-9A-Fa-f:.]+\])$/;

/** Validates the host spec that starts at `start` in `text`; throws LineIssue. */
export function validateHostSpec(text: string, start = 0): void {
  const tokens = tokenize(text, start);
  const only = tokens.length === 1 ? (tokens[0] as Token) : undefined;
  if (only?.value === "placeholder" || only?.value === "local") return;
  if (only?.value.startsWith("vast:")) return validateVastSpec(only);

  validateSshSpec(tokens, text.length);
}

function validateVastSpec(token: Token): void {
  const id = token.value.slice("vast:".length);
  if (/^\d+$/.test(id) || VARIABLE_VALUE.test(id)) return;
  throw new LineIssue(
    token.start,
    `invalid Vast.ai instance id in "${token.value}"`,
    "write vast:ID with the numeric instance id, such as vast:12345",
  );
}

function validateSshSpec(tokens: Token[], end: number): void {
  let destination: Token | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.value.startsWith("-")) {
      index += validateSshOption(token, tokens[index + 1]);
      continue;
    }
    if (destination !== undefined) {
      throw new LineIssue(
        token.start,
        `unexpected "${token.value}" in host spec: it already names "${destination.value}"`,
        `a host spec is one of ${HOST_FORMS}`,
      );
    }
    validateDestination(token);
    destination = token;
  }
  if (destination === undefined) {
    throw new LineIssue(
      end,
      "host spec has no destination",
      `write ${HOST_FORMS}`,
    );
  }
}

// Returns how many extra tokens the option consumed as its value.
function validateSshOption(token: Token, next: Token | undefined): number {
  const flag = token.value.slice(0, 2);
  if (!SSH_OPTION_NAMES.has(flag)) {
    throw new LineIssue(
      token.start,
      `unknown option "${token.value}" in host spec`,
      `accepted options are ${SSH_OPTIONS}`,
    );
  }
  const attached = token.value.slice(2);
  const value = attached !== "" ? attached : next?.value;
  if (value === undefined || value === "") {
    throw new LineIssue(token.start, `option ${flag} needs a value`);
  }
  if (flag === "-p") {
    validatePort(
      value,
      attached !== "" ? token.start + 2 : (next as Token).start,
    );
  }
  return attached !== "" ? 0 : 1;
}

function validateDestination(token: Token): void {
  const prefix = /^([A-Za-z][A-Za-z0-9_-]*):/.exec(token.value);
  if (prefix !== null && !token.value.includes("@")) {
    throw new LineIssue(
      token.start,
      `unknown host spec "${token.value}"`,
      `a host spec is one of ${HOST_FORMS}`,
    );
  }
  if (!DESTINATION.test(token.value)) {
    throw new LineIssue(
      token.start,
      `invalid host "${token.value}"`,
      `a host spec is one of ${HOST_FORMS}`,
    );
  }
}

/** Validates the storage spec that starts at `start` in `text`; throws LineIssue. */
export function validateStorageSpec(text: string, start = 0): void {
  const tokens = tokenize(text, start);
  const extra = tokens[1];
  if (extra !== undefined) {
    throw new LineIssue(
      extra.start,
      `unexpected "${extra.value}" in storage spec`,
      "a storage spec is one word: placeholder, r2:bucket, b2:bucket, s3:bucket, gdrive:path, local:/path or a storages.toml name",
    );
  }
  const token = tokens[0];
  if (token === undefined || token.value === "placeholder") return;
  validateStorageWord(token);
}

function validateStorageWord(token: Token): void {
  const match = /^([^:]*):(.*)$/.exec(token.value);
  if (match === null) {
    if (PLAIN_NAME.test(token.value) || VARIABLE_VALUE.test(token.value))
      return;
    throw new LineIssue(token.start, `invalid storage name "${token.value}"`);
  }

  const provider = match[1] as string;
  if (!STORAGE_PROVIDERS.includes(provider)) {
    throw new LineIssue(
      token.start,
      `unknown storage provider "${provider}" in "${token.value}"`,
      "use r2:, b2:, s3:, gdrive: or local:, or the name of a storage in storages.toml",
    );
  }
  if (match[2] === "") {
    const part = ["local", "gdrive"].includes(provider) ? "path" : "bucket";
    throw new LineIssue(
      token.start + provider.length + 1,
      `missing ${part} after "${provider}:"`,
      `write ${provider}:${part === "bucket" ? "my-bucket" : "/data"}`,
    );
  }
}
