// `train vast attach-key [PATH] [--instance ID]`: adds a public key to the
// account, which new instances receive, or to one running instance.
import { existsSync, readFileSync } from "node:fs";
import { readSettings } from "../../config/settings.ts";
import {
  addAccountKey,
  attachInstanceKey,
  listAccountKeys,
  sameKey,
} from "../../providers/vast/keys.ts";
import { expandHome } from "../../util/paths.ts";
import { CommandError } from "../errors.ts";
import { defaultDeps, parseInstanceId, type VastDeps } from "./shared.ts";

function defaultKeyPath(): string {
  const path = readSettings().defaults.ssh_key_path;
  return path.endsWith(".pub") ? path : `${path}.pub`;
}

export function readKeyFile(path: string): string {
  const file = expandHome(path);
  if (!existsSync(file)) {
    throw new CommandError(
      `public key file ${path} not found`,
      "create a key with `ssh-keygen -t ed25519`, or pass the .pub path",
    );
  }
  const key = readFileSync(file, "utf8").trim();
  if (!/^(ssh-|ecdsa-|sk-)\S+ \S+/.test(key) || key.includes("PRIVATE KEY")) {
    throw new CommandError(
      `${path} is not an OpenSSH public key`,
      "pass the .pub file, which starts with ssh-ed25519 or ssh-rsa",
    );
  }
  return key;
}

export async function attachKeyCommand(
  path: string | undefined,
  flags: { instance?: string },
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const keyPath = path ?? defaultKeyPath();
  const key = readKeyFile(keyPath);
  const client = deps.client();
  if (flags.instance !== undefined) {
    const id = parseInstanceId(flags.instance);
    await attachInstanceKey(client, id, key);
    process.stderr.write(`attached ${keyPath} to instance ${id}\n`);
    return;
  }
  const keys = await listAccountKeys(client);
  if (keys.some((existing) => sameKey(existing.publicKey, key))) {
    process.stderr.write(`${keyPath} is already in the Vast.ai account\n`);
    return;
  }
  await addAccountKey(client, key);
  process.stderr.write(
    `added ${keyPath} to the Vast.ai account; new instances get it, and \`--instance ID\` adds it to a running one\n`,
  );
}
