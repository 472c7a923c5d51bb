import { constants } from "node:os";
import { spawnProcess } from "../../remote/process.ts";
import { interactiveSshArgv, probeLogin } from "../../remote/ssh-direct.ts";
import { classifySshFailure, describeSshFailure } from "../../remote/ssh.ts";
import { CommandError, SilentError } from "../errors.ts";
import { requireSshHost } from "./shared.ts";

const SSH_FAILED = 255;

/**
 * Opens an interactive shell on a stored host and exits with ssh's exit
 * code. When ssh itself fails (exit 255), one batch-mode login finds the
 * cause, so the message names it: login rejected, unreachable, host key
 * changed.
 */
export async function sshCommand(name: string): Promise<void> {
  const host = requireSshHost(name);
  process.stderr.write(`connecting to ${host.destination}\n`);
  const child = spawnProcess(interactiveSshArgv(host), {
    host: host.label,
    stdio: "inherit",
  });
  const exit = await child.exited;
  if (exit.spawnError !== undefined) {
    throw new CommandError(
      `failed to start ssh: ${exit.spawnError.message}`,
      "install the OpenSSH client (package openssh-client)",
    );
  }
  const code = exitCodeOf(exit.exitCode, exit.signal);
  if (code === SSH_FAILED) await explainFailure(host);
  if (code !== 0) throw new SilentError(code);
}

function exitCodeOf(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
): number {
  if (exitCode !== null) return exitCode;
  const number = signal === null ? undefined : constants.signals[signal];
  return 128 + (number ?? 0);
}

async function explainFailure(
  host: ReturnType<typeof requireSshHost>,
): Promise<void> {
  const probe = await probeLogin(host);
  if (!probe.failed) return;
  const kind = classifySshFailure(probe);
  if (kind === "remote") return;
  throw new CommandError(
    describeSshFailure(kind, host.label, probe),
    undefined,
    SSH_FAILED,
  );
}
