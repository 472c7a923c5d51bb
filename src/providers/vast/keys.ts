// SSH keys: the account's keys, and the keys of one running instance. The
// service returns some key lists as JSON text inside JSON, and names the key
// field `ssh_key`, `key` or `public_key` depending on the route.
import type { VastClient } from "./client.ts";
import { isNotFound, notFound } from "./instances.ts";

export interface VastKey {
  id: number | undefined;
  publicKey: string;
}

type Json = Record<string, unknown>;

function keyOf(raw: Json): VastKey {
  const publicKey = [raw.ssh_key, raw.public_key, raw.key].find(
    (value): value is string => typeof value === "string",
  );
  const id = typeof raw.id === "number" ? raw.id : undefined;
  return { id, publicKey: (publicKey ?? "").trim() };
}

function keyList(value: unknown): VastKey[] {
  const list = typeof value === "string" ? safeJson(value) : value;
  if (Array.isArray(list)) return list.map((item) => keyOf(item as Json));
  if (typeof list === "object" && list !== null) {
    const inner = (list as Json).ssh_keys ?? (list as Json).keys;
    if (inner !== undefined) return keyList(inner);
  }
  return [];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return [];
  }
}

export async function listAccountKeys(client: VastClient): Promise<VastKey[]> {
  const reply = await client.request<unknown>("GET", "/ssh/", {
    idempotent: true,
    what: "list SSH keys",
  });
  return keyList(reply);
}

export async function addAccountKey(
  client: VastClient,
  publicKey: string,
): Promise<void> {
  await client.request("POST", "/ssh/", {
    body: { ssh_key: publicKey },
    idempotent: false,
    what: "add an SSH key",
  });
}

export async function listInstanceKeys(
  client: VastClient,
  id: number,
): Promise<VastKey[]> {
  try {
    const reply = await client.request<unknown>(
      "GET",
      `/instances/${id}/ssh/`,
      {
        idempotent: true,
        what: `list SSH keys of instance ${id}`,
      },
    );
    return keyList(reply);
  } catch (error) {
    if (isNotFound(error)) throw notFound(id);
    throw error;
  }
}

export async function attachInstanceKey(
  client: VastClient,
  id: number,
  publicKey: string,
): Promise<void> {
  try {
    await client.request("POST", `/instances/${id}/ssh/`, {
      body: { ssh_key: publicKey },
      idempotent: false,
      what: `attach an SSH key to instance ${id}`,
    });
  } catch (error) {
    if (isNotFound(error)) throw notFound(id);
    throw error;
  }
}

/** Compares keys by type and base64 body, ignoring the comment. */
export function sameKey(a: string, b: string): boolean {
  const body = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(" ");
  return body(a) !== "" && body(a) === body(b);
}
