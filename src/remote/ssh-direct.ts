// ssh calls that bypass the shared ControlMaster: the interactive shell of
// `train host ssh`, and fresh logins that test a host, where reusing a
// master would skip the authentication and host key check being tested.
import { runProcess, type ProcessResult } from "./process.ts";
import { sshBaseOptions, type SshHost } from "./ssh-options.ts";

const NO_MASTER = ["-o", "ControlMaster=no", "-o", "ControlPath=none"];

/** Builds the argv of an interactive login: no batch mode, so ssh may ask for a password or a new host key. */
export function interactiveSshArgv(host: SshHost): string[] {
  const config = process.env.TRAINSH_SSH_CONFIG;
  const configFlag =
    config !== undefined && config !== "" ? ["-F", config] : [];
  return [
    "ssh",
    ...configFlag,
    ...NO_MASTER,
    ...host.sshOptions,
    host.destination,
  ];
}

/** Builds the argv of a batch-mode login on a new connection that runs `remoteCommand`. */
export function freshSshArgv(host: SshHost, remoteCommand: string): string[] {
  // ssh keeps the first value of an option, so NO_MASTER overrides the
  // ControlMaster options inside sshBaseOptions.
  return [
    "ssh",
    ...NO_MASTER,
    ...host.sshOptions,
    ...sshBaseOptions(host),
    host.destination,
    remoteCommand,
  ];
}

/** Logs in once on a new connection and runs `true`, to find out why a login fails. */
export function probeLogin(
  host: SshHost,
  timeoutMs = 20_000,
): Promise<ProcessResult> {
  return runProcess(freshSshArgv(host, "true"), {
    host: host.label,
    timeoutMs,
  });
}
