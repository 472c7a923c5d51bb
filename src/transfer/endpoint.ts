// The two ends of `SRC -> DST`, as the runner and `train exec` resolve them.
import type { ResolvedHost } from "../hosts/spec.ts";
import type { Storage } from "../storage/storage.ts";
import { TransferError } from "./transfer-error.ts";

export type Endpoint =
  /** A path on this machine, absolute or relative to the cwd; `~` is expanded. */
  | { kind: "local"; path: string }
  /** A path on a host; `~/x` and relative paths start at the remote home, "" is the home itself. */
  | { kind: "host"; name: string; host: ResolvedHost; path: string }
  /** A path in a storage: inside its bucket, or under its base path for local and ssh storages. */
  | { kind: "storage"; name: string; storage: Storage; path: string };

/**
 * Splits endpoint text into the referenced host or storage name and the
 * path: "@gpu:/data/x" gives ref "gpu" and path "/data/x", "@gpu" gives
 * path "" (the remote home). Text without a leading `@` is a local path,
 * so "C:\data" and "./a:b" stay local.
 */
export function parseEndpointText(text: string): {
  ref?: string;
  path: string;
} {
  if (text === "") {
    throw new TransferError(
      "Invalid transfer endpoint: the text is empty.\nTry: write a local path, @host:path or @storage:path.",
    );
  }
  if (!text.startsWith("@")) return { path: text };

  const colon = text.indexOf(":");
  const ref = colon === -1 ? text.slice(1) : text.slice(1, colon);
  const path = colon === -1 ? "" : text.slice(colon + 1);
  if (ref === "") {
    throw new TransferError(
      `Invalid transfer endpoint "${text}": the name after @ is missing.\nTry: write @host:path, such as @gpu:/workspace/out.`,
    );
  }
  return { ref, path };
}

/** Formats an endpoint the way a recipe writes it, for messages and plans. */
export function describeEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === "local") return endpoint.path;
  return endpoint.path === ""
    ? `@${endpoint.name}`
    : `@${endpoint.name}:${endpoint.path}`;
}
