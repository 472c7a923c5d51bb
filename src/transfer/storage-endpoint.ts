// Storage endpoints resolved for the engine: a local or ssh storage is a
// path on this machine or on a host and goes through rsync like any other
// path, and a bucket storage gets an rclone remote.
import { posix } from "node:path";
import { resolveRunHost } from "../runtime/run-hosts.ts";
import type { SecretsProvider } from "../secrets/provider.ts";
import {
  buildRemote,
  remoteNameFor,
  sameRemoteTarget,
  type RcloneRemote,
} from "../storage/rclone-remote.ts";
import { isBucketStorage, type BucketStorage } from "../storage/storage.ts";
import type { Endpoint } from "./endpoint.ts";

export type BucketEndpoint = Extract<Endpoint, { kind: "storage" }> & {
  storage: BucketStorage;
};

/** Turns a local or ssh storage endpoint into a local or host endpoint; other endpoints stay as they are. */
export function flattenStorage(endpoint: Endpoint): Endpoint {
  if (endpoint.kind !== "storage") return endpoint;
  const storage = endpoint.storage;
  if (storage.type === "local") {
    return { kind: "local", path: joinInside(storage.path, endpoint.path) };
  }
  if (storage.type === "ssh") {
    const host = resolveRunHost(storage.host, {
      definitions: new Map(),
      overrides: {},
      implicitHosts: true,
    });
    return {
      kind: "host",
      name: storage.name,
      host,
      path: joinInside(storage.path, endpoint.path),
    };
  }
  return endpoint;
}

// The storage's base path plus the endpoint path, keeping a trailing "/"
// because it decides where a directory lands.
function joinInside(base: string, path: string): string {
  const inner = path.replace(/^\/+/, "");
  if (base === "") return inner === "" ? "." : inner;
  if (inner === "") return base;
  return posix.join(base, inner) + (inner.endsWith("/") ? "/" : "");
}

export function isBucketEndpoint(
  endpoint: Endpoint,
): endpoint is BucketEndpoint {
  return endpoint.kind === "storage" && isBucketStorage(endpoint.storage);
}

/**
 * Builds one remote per bucket endpoint. Two endpoints with the same
 * account and settings share one remote, which lets rclone copy between
 * them server-side.
 */
export function remotesFor(
  endpoints: BucketEndpoint[],
  secrets: SecretsProvider,
): RcloneRemote[] {
  const remotes: RcloneRemote[] = [];
  for (const endpoint of endpoints) {
    let name = remoteNameFor(endpoint.storage.name);
    const built = buildRemote(endpoint.storage, secrets, name);
    const same = remotes.find((remote) => sameRemoteTarget(remote, built));
    if (same !== undefined) {
      remotes.push({ ...same, storage: endpoint.storage });
      continue;
    }
    while (remotes.some((remote) => remote.name === name)) name = `${name}_2`;
    remotes.push({ ...built, name });
  }
  return remotes;
}
