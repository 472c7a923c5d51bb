import { checkHost, type HostFacts } from "../../remote/host-check.ts";
import { classifySshFailure, describeSshFailure } from "../../remote/ssh.ts";
import { formatMs } from "../../ui/format.ts";
import { CommandError } from "../errors.ts";
import { requireSshHost } from "./shared.ts";

export interface TestOptions {
  json?: boolean;
}

/**
 * Logs in to a stored host on a new connection and reports what a run
 * needs. A failed login exits 1 with its cause.
 */
export async function testCommand(
  name: string,
  opts: TestOptions,
): Promise<void> {
  const host = requireSshHost(name);
  process.stderr.write(`testing ${host.destination}\n`);
  const check = await checkHost(host);
  if (!check.ok) {
    const kind = classifySshFailure(check.result);
    throw new CommandError(
      `failed to connect to host ${name}: ${describeSshFailure(kind, host.label, check.result)}`,
    );
  }
  if (opts.json === true) {
    process.stdout.write(JSON.stringify(check.facts, null, 2) + "\n");
    return;
  }
  process.stdout.write(formatFacts(check.facts));
}

export function formatFacts(facts: HostFacts): string {
  const rows: [string, string][] = [
    ["login", formatMs(facts.connectMs)],
    ["round trip", `${facts.roundTripMs}ms`],
    ["os", [facts.distro, facts.os].filter(Boolean).join(", ") || "unknown"],
    ["tmux", facts.tmux ?? "missing (install tmux: recipes need it)"],
    ["gpus", facts.gpus.length === 0 ? "none" : facts.gpus.join("; ")],
    ["disk free", diskText(facts.disk)],
  ];
  return rows
    .map(([label, value]) => `${label.padEnd(10)}  ${value}\n`)
    .join("");
}

function diskText(disk: HostFacts["disk"]): string {
  if (disk === undefined) return "unknown";
  const gb = (kb: number) => (kb / 1024 / 1024).toFixed(1);
  return `${gb(disk.freeKb)} GB of ${gb(disk.totalKb)} GB in ${disk.path}`;
}
