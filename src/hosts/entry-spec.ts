// The host spec of a `hosts.toml` entry: what `host gpu = gpu1` in a recipe,
// `train exec '@gpu1 > cmd'` and `train host ssh|test|browse gpu1` connect to.
import { commandExistsSync } from "../remote/process.ts";
import { expandHome } from "../util/paths.ts";
import type { HostEntry } from "./hosts-file.ts";
import { toResolvedHost, type HostSpec, type ResolvedHost } from "./spec.ts";

export class HostEntryError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "HostEntryError";
  }
}

/**
 * Builds the spec of a stored host. With `checkTools` (the default) a Colab
 * host behind cloudflared fails here when the `cloudflared` binary is not on
 * PATH, so the error names the install step instead of ssh's ProxyCommand
 * failure.
 */
export function specFromEntry(
  entry: HostEntry,
  opts: { checkTools?: boolean } = {},
): HostSpec {
  if (entry.type === "local") return { kind: "local" };
  if (entry.hostname === undefined) {
    throw new HostEntryError(
      `host "${entry.name}" in hosts.toml has no hostname`,
      `add it again with \`train host add ${entry.name} --host ADDRESS --force\``,
    );
  }
  const destination =
    entry.username === undefined
      ? entry.hostname
      : `${entry.username}@${entry.hostname}`;
  return {
    kind: "ssh",
    destination,
    port: entry.port === 22 ? undefined : entry.port,
    identityFile: identityOf(entry),
    jump: entry.jump_host,
    options: [
      ...tunnelOptions(entry, opts.checkTools ?? true),
      ...entry.ssh_options,
    ],
  };
}

// With agent or password authentication a key path from an older entry
// must not pin ssh to that one key.
function identityOf(entry: HostEntry): string | undefined {
  if (entry.auth_method === "agent" || entry.auth_method === "password")
    return undefined;
  return entry.ssh_key_path === undefined
    ? undefined
    : expandHome(entry.ssh_key_path);
}

// A Colab host behind cloudflared is reached through `cloudflared access
// ssh`, which must be installed locally; an ngrok tunnel is a plain TCP port.
function tunnelOptions(entry: HostEntry, checkTools: boolean): string[] {
  if (entry.type !== "colab" || entry.tunnel !== "cloudflared") return [];
  if (checkTools && !commandExistsSync("cloudflared")) {
    throw new HostEntryError(
      `host "${entry.name}" is reached through a cloudflared tunnel, and \`cloudflared\` is not on PATH`,
      "install cloudflared (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/, e.g. `brew install cloudflared` or the .deb from that page), then try again",
    );
  }
  return ["ProxyCommand=cloudflared access ssh --hostname %h"];
}

export function resolvedHostOf(
  entry: HostEntry,
  opts: { checkTools?: boolean } = {},
): ResolvedHost {
  return toResolvedHost(entry.name, specFromEntry(entry, opts));
}
