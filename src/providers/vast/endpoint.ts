// The SSH endpoint of an instance, taken from the API's JSON fields: the
// direct address when port 22 is mapped on the machine's public IP, else the
// service's SSH proxy. The user is always root.
import type { VastInstance } from "./instance.ts";

export interface SshEndpoint {
  host: string;
  port: number;
  via: "direct" | "proxy";
}

export function sshEndpoints(instance: VastInstance): SshEndpoint[] {
  const found: SshEndpoint[] = [];
  if (instance.publicIp !== undefined && instance.directSshPort !== undefined)
    found.push({
      host: instance.publicIp,
      port: instance.directSshPort,
      via: "direct",
    });
  if (instance.sshHost !== undefined && instance.sshPort !== undefined)
    found.push({
      host: instance.sshHost,
      port: proxyPort(instance, instance.sshPort),
      via: "proxy",
    });
  return found;
}

/** The endpoint to use: direct when mapped, else the proxy. */
export function sshEndpoint(instance: VastInstance): SshEndpoint | undefined {
  return sshEndpoints(instance)[0];
}

// On images started with Jupyter the proxy's SSH listens one port above
// `ssh_port` (the service's own CLI adds 1 in that case).
function proxyPort(instance: VastInstance, port: number): number {
  return instance.imageRuntype.includes("jupyter") ? port + 1 : port;
}

export function describeEndpoint(endpoint: SshEndpoint): string {
  return `root@${endpoint.host} -p ${endpoint.port} (${endpoint.via})`;
}
