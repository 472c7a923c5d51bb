// The direct hop for host to host copies: rsync runs on the source host and
// pushes to the destination over the source host's own ssh. Only the
// destination's user, address and port go along. Key files, -o options and
// jump hosts of the destination spec are local settings, so the source host
// logs in with its own keys and checks the host key against its own
// known_hosts. No key ever leaves this machine.
import type { SshHost } from "../remote/ssh.ts";
import { sideLabel, type Side } from "./location.ts";
import { runScript } from "./shell.ts";

/** The destination as the source host addresses it. */
export interface HopTarget {
  /** user@address, without brackets around an IPv6 address. */
  destination: string;
  port?: number;
}

export type HopCheck =
  { reachable: true; target: HopTarget } | { reachable: false; reason: string };

const HOP_CONNECT_TIMEOUT_S = 5;
const PROBE_TIMEOUT_MS = 20_000;

/**
 * Returns the ssh argv that the source host runs for the hop, before the
 * destination. StrictHostKeyChecking=yes makes an unknown or changed host
 * key fail the hop instead of being accepted.
 */
export function hopSshArgv(target: HopTarget): string[] {
  const argv = [
    "ssh",
    "-o",
    "BatchMode=yes",
    "-o",
    `ConnectTimeout=${HOP_CONNECT_TIMEOUT_S}`,
    "-o",
    "StrictHostKeyChecking=yes",
  ];
  if (target.port !== undefined) argv.push("-p", String(target.port));
  return argv;
}

/**
 * Derives the hop target from the destination's spec, or the reason why
 * the source host cannot use that spec on its own.
 */
export function hopTargetOf(host: SshHost): HopTarget | { unusable: string } {
  const at = host.destination.lastIndexOf("@");
  const address = host.destination.slice(at + 1);
  if (at <= 0 || address === "" || address.startsWith("-")) {
    return {
      unusable: `the destination "${host.destination}" is not user@address (an ssh_config alias is known only on this machine)`,
    };
  }
  let port: number | undefined;
  const options = host.sshOptions;
  for (let i = 0; i < options.length; i++) {
    const word = options[i] ?? "";
    if (word.startsWith("-J")) {
      return { unusable: "the destination is reached through a jump host" };
    }
    if (word === "-p") port = Number(options[++i]);
    else if (word.startsWith("-p")) port = Number(word.slice(2));
    else if (word === "-i" || word === "-o") i++;
  }
  if (port !== undefined && !Number.isInteger(port)) {
    return { unusable: "the destination's port is not a number" };
  }
  return { destination: host.destination, port };
}

// Runs as `sh -c SCRIPT sh PORT DESTINATION` on the source host. An empty
// port leaves the choice to the source host's ssh_config.
const HOP_PROBE = [
  "command -v ssh >/dev/null 2>&1 || { echo 'ssh: command not found' >&2; exit 127; }",
  'if [ -n "$1" ]; then port="-p $1"; else port=""; fi',
  `exec ssh -o BatchMode=yes -o ConnectTimeout=${HOP_CONNECT_TIMEOUT_S} -o StrictHostKeyChecking=yes $port -- "$2" true`,
].join("\n");

/** Logs in from the source host to the destination once, with `true` as the command. */
export async function probeHop(
  source: Extract<Side, { kind: "ssh" }>,
  destination: SshHost,
): Promise<HopCheck> {
  const target = hopTargetOf(destination);
  if ("unusable" in target) {
    return {
      reachable: false,
      reason: `${target.unusable}, so ${sideLabel(source)} cannot log in to @${destination.label} with it`,
    };
  }
  const result = await runScript(
    source,
    HOP_PROBE,
    [target.port === undefined ? "" : String(target.port), target.destination],
    AbortSignal.timeout(PROBE_TIMEOUT_MS),
  );
  if (!result.failed) return { reachable: true, target };
  return {
    reachable: false,
    reason: explainHopFailure(
      result.stderr,
      sideLabel(source),
      destination.label,
    ),
  };
}

function explainHopFailure(
  stderr: string,
  source: string,
  destination: string,
): string {
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION/.test(stderr)) {
    return `the host key of @${destination} is not in ${source}'s known_hosts (or differs from it), and host key checking stays on`;
  }
  if (/Permission denied/.test(stderr)) {
    return `@${destination} did not accept ${source}'s own keys`;
  }
  if (/ssh: command not found/.test(stderr)) {
    return `ssh is not installed on ${source}`;
  }
  const last = stderr.trim().split("\n").slice(-1)[0] ?? "";
  return `${source} could not connect to @${destination}${last === "" ? "" : ` (${last})`}`;
}
