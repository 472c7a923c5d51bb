import { interactiveSshArgv } from "../../remote/ssh-direct.ts";
import { quoteCommand } from "../../remote/quote.ts";
import { resolvedHostOf } from "../../hosts/entry-spec.ts";
import type { HostEntry } from "../../hosts/hosts-file.ts";
import { requireHostEntry } from "./shared.ts";

export interface ShowOptions {
  json?: boolean;
}

const LABELS: Record<string, string> = {
  name: "Name",
  type: "Type",
  hostname: "Address",
  port: "Port",
  username: "User",
  auth_method: "Auth",
  ssh_key_path: "Key",
  jump_host: "Jump host",
  tunnel: "Tunnel",
  ssh_options: "SSH options",
  tags: "Tags",
  notes: "Notes",
  vast_instance_id: "Vast.ai ID",
};

export async function showCommand(
  name: string,
  opts: ShowOptions,
): Promise<void> {
  const entry = requireHostEntry(name);
  if (opts.json === true) {
    process.stdout.write(JSON.stringify(entry, null, 2) + "\n");
    return;
  }
  const lines = fieldLines(entry);
  const host = resolvedHostOf(entry, { checkTools: false });
  if (host.kind === "ssh") {
    lines.push(["ssh command", quoteCommand(interactiveSshArgv(host))]);
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) {
    process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
  }
}

function fieldLines(entry: HostEntry): [string, string][] {
  const lines: [string, string][] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    lines.push([LABELS[key] ?? key, formatField(value)]);
  }
  return lines;
}

function formatField(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
