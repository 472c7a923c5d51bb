// Attaching train's public key to an instance before vast.wait logs in, so a
// key added to the account after the instance was created still works.
import { existsSync, readFileSync } from "node:fs";
import type { RunContext } from "../context.ts";
import {
  attachInstanceKey,
  listInstanceKeys,
  sameKey,
} from "../../providers/vast/keys.ts";
import { expandHome } from "../../util/paths.ts";

/** The public key beside a private key path, or undefined when missing. */
export function readPublicKey(keyPath: string): string | undefined {
  const path = expandHome(
    keyPath.endsWith(".pub") ? keyPath : `${keyPath}.pub`,
  );
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8").trim();
  return text.split(/\s+/).length >= 2 ? text : undefined;
}

/** Attaches the key unless the instance has it; problems are warnings. */
export async function ensureKeyAttached(
  ctx: RunContext,
  instanceId: number,
): Promise<void> {
  const keyPath = ctx.settings.vast.sshKeyPath;
  const publicKey = readPublicKey(keyPath);
  if (publicKey === undefined) {
    ctx.emit({
      kind: "warn",
      message: `no public key at ${keyPath}.pub (config defaults.ssh_key_path), so none was attached to instance ${instanceId}`,
    });
    return;
  }
  try {
    const client = ctx.vastClient();
    const keys = await listInstanceKeys(client, instanceId);
    if (keys.some((key) => sameKey(key.publicKey, publicKey))) return;
    await attachInstanceKey(client, instanceId, publicKey);
    ctx.emit({
      kind: "info",
      message: `attached ${keyPath}.pub to instance ${instanceId}`,
    });
  } catch (error) {
    ctx.emit({
      kind: "warn",
      message: `failed to attach ${keyPath}.pub to instance ${instanceId}: ${(error as Error).message}`,
    });
  }
}
