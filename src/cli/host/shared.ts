// Helpers shared by the host subcommands.
import { readHostsFile, type HostEntry } from "../../hosts/hosts-file.ts";
import { resolvedHostOf } from "../../hosts/entry-spec.ts";
import type { SshHost } from "../../remote/ssh.ts";
import { closest } from "../../recipe/suggest.ts";
import { CommandError } from "../errors.ts";

export function requireHostEntry(name: string): HostEntry {
  const entries = readHostsFile();
  const entry = entries.find((item) => item.name === name);
  if (entry !== undefined) return entry;
  const near = closest(
    name,
    entries.map((item) => item.name),
  );
  const hint =
    near.distance <= 2
      ? `did you mean ${near.candidate}? \`train host list\` shows every host`
      : "`train host list` shows every host; add one with `train host add`";
  throw new CommandError(`host not found: ${name}`, hint);
}

/** Resolves a stored host that must be reached over ssh. */
export function requireSshHost(name: string): SshHost {
  const host = resolvedHostOf(requireHostEntry(name));
  if (host.kind === "ssh") return host;
  throw new CommandError(
    `host ${name} is the local machine, so there is nothing to connect to`,
    "run the command directly in your shell",
  );
}

/** `user@host:port`, the way the list and messages show an address. */
export function addressOf(entry: HostEntry): string {
  if (entry.type === "local") return "local";
  const user = entry.username === undefined ? "" : `${entry.username}@`;
  return `${user}${entry.hostname ?? "?"}:${entry.port}`;
}
