// Colab connections are hosts.toml entries of type colab, so recipes,
// transfers and `train host` commands use them like any other host.
import { readHostsFile, type HostEntry } from "../../hosts/hosts-file.ts";

export type Tunnel = "cloudflared" | "ngrok";

export function colabEntries(): HostEntry[] {
  return readHostsFile().filter((entry) => entry.type === "colab");
}

/** Returns the secrets-store name of a connection's password, e.g. COLAB_MY_GPU_PASSWORD. */
export function passwordSecretName(name: string): string {
  return `COLAB_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_PASSWORD`;
}

/** Parses `HOST:PORT` as ngrok prints it; returns undefined when invalid. */
export function parseNgrokAddress(
  text: string,
): { hostname: string; port: number } | undefined {
  const match = /^(?:tcp:\/\/)?([A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(
    text.trim(),
  );
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { hostname: match[1] ?? "", port };
}
