// The ssh host of an instance: root at its endpoint, the configured key, and
// options that keep the user's ssh_config from sending it through a jump
// host. Each instance gets its own known_hosts file, so its host key is
// recorded on first contact and checked afterwards, while a proxy port that
// the service hands to another instance later never conflicts with it.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { configHome } from "../../config/paths.ts";
import type { ResolvedHost } from "../../hosts/spec.ts";
import { expandHome } from "../../util/paths.ts";
import type { SshEndpoint } from "./endpoint.ts";

export function knownHostsFile(instanceId: number): string {
  const dir = join(configHome(), "vast");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `known_hosts_${instanceId}`);
}

export function vastSshHost(
  label: string,
  instanceId: number,
  endpoint: SshEndpoint,
  keyPath: string,
): Extract<ResolvedHost, { kind: "ssh" }> {
  return {
    kind: "ssh",
    label,
    destination: `root@${endpoint.host}`,
    sshOptions: [
      "-p",
      String(endpoint.port),
      "-i",
      expandHome(keyPath),
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "ProxyJump=none",
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      `UserKnownHostsFile=${knownHostsFile(instanceId)}`,
    ],
  };
}
