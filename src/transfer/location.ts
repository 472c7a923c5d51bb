// An endpoint resolved to the machine its path lives on and the path as
// rsync and scp receive it.
import { posix, resolve } from "node:path";
import type { SshHost } from "../remote/ssh.ts";
import { expandHome } from "../util/paths.ts";
import { describeEndpoint, type Endpoint } from "./endpoint.ts";
import { TransferError } from "./transfer-error.ts";

export type Side = { kind: "local" } | { kind: "ssh"; host: SshHost };

export interface Location {
  side: Side;
  /** The path for the tools: absolute for local paths, home-relative or absolute on a host. */
  path: string;
  /** The endpoint as the user wrote it, for messages. */
  display: string;
}

/**
 * Resolves a path endpoint; a host endpoint whose host is `local` becomes a
 * local path. Storage endpoints must be flattened (local and ssh storages)
 * or handled by the bucket route first.
 */
export function locate(endpoint: Endpoint): Location {
  const display = describeEndpoint(endpoint);
  if (endpoint.kind === "storage") {
    throw new TransferError(
      `Cannot locate ${display} as a path: it is a bucket storage, which the engine copies with rclone.`,
    );
  }
  if (endpoint.kind === "local" || endpoint.host.kind === "local") {
    return {
      side: { kind: "local" },
      path: localToolPath(endpoint.path),
      display,
    };
  }
  return {
    side: { kind: "ssh", host: endpoint.host },
    path: remoteToolPath(endpoint.path),
    display,
  };
}

/**
 * Makes a local path absolute, so rsync never reads a leading `-` as an
 * option or `name:` as a host, and keeps its trailing slash.
 */
export function localToolPath(path: string): string {
  if (path === "") {
    throw new TransferError(
      "Invalid local path: the path is empty.\nTry: write . for the current directory.",
    );
  }
  const absolute = resolve(expandHome(path));
  return copiesContents(path) && !absolute.endsWith("/")
    ? `${absolute}/`
    : absolute;
}

/**
 * Rewrites `~` forms to paths relative to the remote home, where rsync and
 * scp start, because neither tool passes the path through a shell that
 * would expand `~`. `~user/...` is kept as written and not expanded.
 */
export function remoteToolPath(path: string): string {
  if (path === "" || path === "~") return ".";
  if (path === "~/") return "./";
  if (path.startsWith("~/")) return path.slice(2);
  return path;
}

/**
 * Reports whether a source path means "the directory's contents": a
 * trailing `/`, or a last component of `.` (rsync treats `dir/.` like
 * `dir/`).
 */
export function copiesContents(path: string): boolean {
  return path.endsWith("/") || path === "." || path.endsWith("/.");
}

/** Returns the path without trailing slashes (but keeps "/" itself). */
export function trimSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" && path.startsWith("/") ? "/" : trimmed;
}

/** Returns the last component of a path, ignoring trailing slashes. */
export function baseName(path: string): string {
  return posix.basename(trimSlashes(path));
}

/** Names the machine of a location for messages: "local" or "@label". */
export function sideLabel(side: Side): string {
  return side.kind === "local" ? "local" : `@${side.host.label}`;
}

/** Returns a key that is equal for two sides that are the same machine. */
export function sideKey(side: Side): string {
  if (side.kind === "local") return "local";
  return [side.host.destination, ...side.host.sshOptions].join("\0");
}

/** Reports whether two sides are the same machine: both local, or the same ssh destination and options. */
export function sameSide(a: Side, b: Side): boolean {
  if (a.kind === "local" || b.kind === "local") return a.kind === b.kind;
  return (
    a.host.destination === b.host.destination &&
    a.host.sshOptions.join("\0") === b.host.sshOptions.join("\0")
  );
}
