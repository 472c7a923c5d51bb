// Endpoint text on the command line: a local path, or `@name:path` where
// the name is a storage in storages.toml or a host (hosts.toml, an ssh
// alias, or `local`).
import { findHostEntry } from "../../hosts/hosts-file.ts";
import {
  HostResolutionError,
  resolveRunHost,
} from "../../runtime/run-hosts.ts";
import {
  findStorageEntry,
  storageFromEntry,
} from "../../storage/storages-file.ts";
import { parseEndpointText, type Endpoint } from "../../transfer/endpoint.ts";
import { CommandError, UsageError } from "../errors.ts";

export function resolveCliEndpoint(text: string): Endpoint {
  const parsed = parseEndpointText(text);
  if (parsed.ref === undefined) return { kind: "local", path: parsed.path };
  const name = parsed.ref;
  const entry = findStorageEntry(name);
  if (entry !== undefined) {
    if (findHostEntry(name) !== undefined) {
      throw new UsageError(
        `@${name} is both a host in hosts.toml and a storage in storages.toml`,
        "rename one of them, so that @name means one thing",
      );
    }
    return {
      kind: "storage",
      name,
      storage: storageFromEntry(entry),
      path: parsed.path,
    };
  }
  if (name === "local") return { kind: "local", path: parsed.path || "." };
  try {
    const host = resolveRunHost(name, {
      definitions: new Map(),
      overrides: {},
      implicitHosts: true,
    });
    return { kind: "host", name, host, path: parsed.path };
  } catch (error) {
    if (error instanceof HostResolutionError)
      throw new CommandError(error.message, error.hint);
    throw error;
  }
}
