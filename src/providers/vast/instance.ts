// An instance as train uses it, normalized from the service's JSON: ports
// may arrive as numbers or strings, and text fields may carry whitespace.

export interface VastInstance {
  id: number;
  /** Container state: null while provisioning, then loading, running, ... */
  actualStatus: string | null;
  /** State the owner requested: running or stopped. */
  intendedStatus: string | null;
  statusMessage: string;
  label: string;
  gpuName: string;
  numGpus: number;
  /** Memory of one GPU, in MB. */
  gpuRamMb: number;
  /** $/h while running; includes storage at the instance's disk size. */
  dphTotal: number | undefined;
  /** $ per GB per month of disk, billed while the instance exists. */
  storageCostPerGbMonth: number | undefined;
  diskGb: number | undefined;
  sshHost: string | undefined;
  sshPort: number | undefined;
  publicIp: string | undefined;
  /** Host port mapped to the container's port 22, when direct SSH is open. */
  directSshPort: number | undefined;
  imageRuntype: string;
  image: string;
  /** Epoch seconds. */
  startDate: number | undefined;
  geolocation: string;
}

type Json = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function statusOf(value: unknown): string | null {
  const status = text(value);
  return status === "" ? null : status.toLowerCase();
}

function directPort(ports: unknown): number | undefined {
  if (typeof ports !== "object" || ports === null) return undefined;
  const bindings = (ports as Json)["22/tcp"];
  if (!Array.isArray(bindings)) return undefined;
  const first = bindings[0] as Json | undefined;
  return numberOf(first?.HostPort);
}

export function parseInstance(raw: Json): VastInstance {
  return {
    id: numberOf(raw.id) ?? 0,
    actualStatus: statusOf(raw.actual_status),
    intendedStatus: statusOf(raw.intended_status),
    statusMessage: text(raw.status_msg),
    label: text(raw.label),
    gpuName: text(raw.gpu_name),
    numGpus: numberOf(raw.num_gpus) ?? 1,
    gpuRamMb: numberOf(raw.gpu_ram) ?? 0,
    dphTotal: numberOf(raw.dph_total),
    storageCostPerGbMonth: numberOf(raw.storage_cost),
    diskGb: numberOf(raw.disk_space),
    sshHost: text(raw.ssh_host) || undefined,
    sshPort: numberOf(raw.ssh_port),
    publicIp: text(raw.public_ipaddr) || undefined,
    directSshPort: directPort(raw.ports),
    imageRuntype: text(raw.image_runtype),
    image: text(raw.image_uuid),
    startDate: numberOf(raw.start_date),
    geolocation: text(raw.geolocation),
  };
}
