// Small POSIX sh scripts that the transfer engine runs on either side (a
// stat of the source, mkdir, listing files) through the same seam: `sh -c`
// locally, or one quoted remote command over the host's ssh options.
import { runProcess, type ProcessResult } from "../remote/process.ts";
import { quoteCommand } from "../remote/quote.ts";
import {
  classifySshFailure,
  describeSshFailure,
  sshArgv,
} from "../remote/ssh.ts";
import { sideLabel, type Side } from "./location.ts";
import { TransferError } from "./transfer-error.ts";

const SCRIPT_TIMEOUT_MS = 60_000;

/** Runs `script` with `args` as $1, $2, ... on the side and returns the result. */
export function runScript(
  side: Side,
  script: string,
  args: string[],
  signal?: AbortSignal,
): Promise<ProcessResult> {
  const local = ["sh", "-c", script, "sh", ...args];
  if (side.kind === "local") {
    return runProcess(local, { timeoutMs: SCRIPT_TIMEOUT_MS, signal });
  }
  return runProcess(sshArgv(side.host, quoteCommand(local)), {
    host: side.host.label,
    timeoutMs: SCRIPT_TIMEOUT_MS,
    signal,
  });
}

/**
 * Runs a script and returns its stdout. Throws TransferError when ssh
 * could not run it or the script failed, and `step` names the work in the
 * message ("check the source").
 */
export async function runScriptOrThrow(
  side: Side,
  script: string,
  args: string[],
  step: string,
): Promise<string> {
  const result = await runScript(side, script, args);
  if (!result.failed) return result.stdout;
  if (side.kind === "ssh") {
    const kind = classifySshFailure(result);
    if (kind !== "remote") {
      throw new TransferError(
        `Failed to ${step} on ${sideLabel(side)}: ${describeSshFailure(kind, side.host.label, result)}`,
      );
    }
  }
  const detail = result.stderr.trim().split("\n").slice(-3).join("\n");
  throw new TransferError(
    `Failed to ${step} on ${sideLabel(side)} (exit code ${result.exitCode ?? "none"})${detail === "" ? "" : `: ${detail}`}\nTry: check that the path is readable there, then rerun.`,
  );
}
