// "Ready" means an SSH login with train's key works, not that the API reports
// running, because an instance often reports running before its key arrives.
import type { RunContext } from "../context.ts";
import type { SshEndpoint } from "../../providers/vast/endpoint.ts";
import { vastSshHost } from "../../providers/vast/ssh-host.ts";
import type { ResolvedHost } from "../../hosts/spec.ts";
import { runProcess } from "../../remote/process.ts";
import { sshArgv } from "../../remote/ssh.ts";
import { classifySshFailure } from "../../remote/ssh-failure.ts";

const PROBE_TIMEOUT_MS = 30_000;

export type ProbeResult =
  { ok: true; host: ResolvedHost } | { ok: false; reason: string };

// Vast.ai images attach every SSH login to a tmux session unless this file
// exists, which would wrap train's own tmux sessions in theirs.
const PROBE_COMMAND = "touch ~/.no_auto_tmux";

export async function probeLogin(
  ctx: RunContext,
  label: string,
  instanceId: number,
  endpoint: SshEndpoint,
): Promise<ProbeResult> {
  const host = vastSshHost(
    label,
    instanceId,
    endpoint,
    ctx.settings.vast.sshKeyPath,
  );
  // A one-off login: no ControlMaster is left behind by a failed attempt.
  const probe = {
    ...host,
    sshOptions: [
      ...host.sshOptions,
      "-o",
      "ControlMaster=no",
      "-o",
      "ControlPath=none",
    ],
  };
  const result = await runProcess(sshArgv(probe, PROBE_COMMAND), {
    timeoutMs: PROBE_TIMEOUT_MS,
    signal: ctx.signal,
    host: label,
  });
  if (!result.failed) return { ok: true, host };
  const kind = classifySshFailure(result);
  const line = result.stderr
    .trim()
    .split("\n")
    .at(-1)
    ?.replace(/^ssh: /, "");
  return {
    ok: false,
    reason: `${kind}: ${line || `exit code ${result.exitCode}`}`,
  };
}
