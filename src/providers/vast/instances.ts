// Instance calls: list, show, start, stop, reboot, destroy and labels.
import type { VastClient } from "./client.ts";
import { VastApiError } from "./errors.ts";
import { parseInstance, type VastInstance } from "./instance.ts";

type Json = Record<string, unknown>;

interface ListPage {
  instances?: Json[];
  next_token?: string | null;
}

/** The largest page the service returns. */
const PAGE_SIZE = 25;
/** Guards against a service that keeps returning the same token. */
const MAX_PAGES = 200;

export async function listInstances(
  client: VastClient,
  signal?: AbortSignal,
): Promise<VastInstance[]> {
  const found: VastInstance[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await client.request<ListPage>("GET", "/api/v1/instances/", {
      query: { limit: PAGE_SIZE, after_token: token },
      idempotent: true,
      what: "list instances",
      signal,
    });
    found.push(...(reply.instances ?? []).map(parseInstance));
    if (reply.next_token === undefined || reply.next_token === null) break;
    token = reply.next_token;
  }
  return found;
}

/** Fetches one instance, or throws a 404 VastApiError naming the id. */
export async function showInstance(
  client: VastClient,
  id: number,
  signal?: AbortSignal,
): Promise<VastInstance> {
  const reply = await client.request<{ instances?: Json | null }>(
    "GET",
    `/instances/${id}/`,
    {
      query: { owner: "me" },
      idempotent: true,
      what: `show instance ${id}`,
      signal,
    },
  );
  // The service returns `{"instances": null}` for an unknown id.
  if (reply.instances === undefined || reply.instances === null)
    throw notFound(id);
  return parseInstance(reply.instances);
}

export function notFound(id: number): VastApiError {
  return new VastApiError(
    `Vast.ai instance ${id} was not found in this account`,
    404,
    "no_such_instance",
    "list your instances with `train vast list`",
  );
}

/** True when the error means the instance does not exist (any more). */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof VastApiError &&
    error.status === 404 &&
    error.code !== "auth_error"
  );
}

interface SuccessReply {
  success?: boolean;
  error?: string;
  msg?: string;
}

async function changeInstance(
  client: VastClient,
  method: string,
  path: string,
  what: string,
  body: Json,
  id: number,
): Promise<void> {
  try {
    const reply = await client.request<SuccessReply>(method, path, {
      body,
      idempotent: true,
      what,
    });
    if (reply.success === false) {
      throw new VastApiError(
        `Vast.ai API ${what} failed: ${reply.msg ?? reply.error ?? "no reason given"}`,
        200,
        reply.error,
      );
    }
  } catch (error) {
    if (isNotFound(error)) throw notFound(id);
    throw error;
  }
}

export function setInstanceState(
  client: VastClient,
  id: number,
  state: "running" | "stopped",
): Promise<void> {
  const verb = state === "running" ? "start" : "stop";
  return changeInstance(
    client,
    "PUT",
    `/instances/${id}/`,
    `${verb} instance ${id}`,
    { state },
    id,
  );
}

export function rebootInstance(client: VastClient, id: number): Promise<void> {
  return changeInstance(
    client,
    "PUT",
    `/instances/reboot/${id}/`,
    `reboot instance ${id}`,
    {},
    id,
  );
}

export function destroyInstance(client: VastClient, id: number): Promise<void> {
  return changeInstance(
    client,
    "DELETE",
    `/instances/${id}/`,
    `destroy instance ${id}`,
    {},
    id,
  );
}
