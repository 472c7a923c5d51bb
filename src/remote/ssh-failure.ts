// Telling ssh's own failures apart from the remote command's exit code.
// ssh exits 255 when it fails, but it also passes on a remote `exit 255`,
// so 255 counts as a transport failure only when stderr has one of ssh's
// own messages (wording as printed by OpenSSH 9.2).
import { redact } from "../secrets/redact.ts";
import type { ProcessResult } from "./process.ts";

export type SshFailureKind =
  | "auth"
  | "host-key-changed"
  | "host-key-unknown"
  | "unreachable"
  | "timeout"
  | "connection-lost"
  | "remote";

const SSH_EXIT_CODE = 255;

// Checked in order: a changed key also prints "Host key verification failed".
const PATTERNS: [SshFailureKind, RegExp][] = [
  [
    "host-key-changed",
    /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/,
  ],
  [
    "host-key-unknown",
    /Host key verification failed|No \S+ host key is known for|host key is not known/,
  ],
  [
    "auth",
    /Permission denied \(|Too many authentication failures|Authentication failed|no matching host key type|Load key .*: (?:invalid format|bad permissions)/,
  ],
  [
    "unreachable",
    /Connection refused|No route to host|Could not resolve hostname|Network is unreachable|Name or service not known|nodename nor servname/,
  ],
  [
    "timeout",
    /Connection timed out|Operation timed out|timed out during banner exchange/,
  ],
  [
    "connection-lost",
    /Connection closed by|Connection reset by|Broken pipe|Timeout, server .* not responding|client_loop: send disconnect|Connection to .* closed by remote host|kex_exchange_identification|mux_client_request_session|Control socket connect/,
  ],
];

/** Classifies a failed ssh command by its exit code and ssh's messages on stderr. */
export function classifySshFailure(result: ProcessResult): SshFailureKind {
  if (result.timedOut) return "timeout";
  if (result.exitCode === null) return "connection-lost";
  if (result.exitCode !== SSH_EXIT_CODE) return "remote";
  for (const [kind, pattern] of PATTERNS) {
    if (pattern.test(result.stderr)) return kind;
  }
  return "remote";
}

/** Describes the failure in one or two sentences, with the next step on a `Try:` line. */
export function describeSshFailure(
  kind: SshFailureKind,
  hostLabel: string,
  result: ProcessResult,
): string {
  const host = `@${hostLabel}`;
  const detail = stderrLineFor(kind, result.stderr);
  const because =
    detail === ""
      ? ""
      : ` (${kind === "remote" ? "stderr" : "ssh"}: ${detail})`;
  switch (kind) {
    case "auth":
      return `SSH login to ${host} was rejected${because}.\nTry: check the key given with -i or loaded in ssh-agent, and that its public key is in the host's ~/.ssh/authorized_keys.`;
    case "host-key-changed":
      return `The host key of ${host} differs from the one in known_hosts${because}. The machine may have been replaced, or someone may be intercepting the connection.\nTry: if the change is expected, remove the old entry with ssh-keygen -R HOST (add [HOST]:PORT for a non-22 port), then connect once by hand to record the new key.`;
    case "host-key-unknown":
      return `The host key of ${host} is not in known_hosts, and batch mode cannot ask to accept it${because}.\nTry: connect once by hand (ssh with the same host and port) and accept the key after checking its fingerprint.`;
    case "unreachable":
      return `Cannot reach ${host}${because}.\nTry: check the address and port, and that sshd runs on the host.`;
    case "timeout":
      return `SSH to ${host} timed out after ${result.durationMs} ms${because}.\nTry: check that the host is up and reachable, then rerun.`;
    case "connection-lost":
      return `The SSH connection to ${host} was lost${because}.\nTry: check the network and that the host is still running, then rerun.`;
    case "remote":
      return `The command on ${host} exited with code ${result.exitCode ?? "none"}${because}.\nTry: read the command's output above, then fix the command or the host.`;
  }
}

/**
 * Returns the stderr line that shows why `kind` was chosen (else the last
 * line), redacted, without ssh's "ssh: " prefix.
 */
function stderrLineFor(kind: SshFailureKind, stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("@@@"));
  const pattern = PATTERNS.find(([candidate]) => candidate === kind)?.[1];
  const line =
    (pattern && lines.find((text) => pattern.test(text))) ?? lines.at(-1) ?? "";
  return redact(line.replace(/^ssh: /, ""));
}
