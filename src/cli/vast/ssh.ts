// `train vast ssh ID [COMMAND...]`: an SSH session on the instance, through
// its direct address when mapped, else the service's proxy.
import { readSettings } from "../../config/settings.ts";
import { showInstance } from "../../providers/vast/instances.ts";
import {
  describeEndpoint,
  sshEndpoint,
} from "../../providers/vast/endpoint.ts";
import { vastSshHost } from "../../providers/vast/ssh-host.ts";
import { describeStatus } from "../../providers/vast/status.ts";
import { runProcess } from "../../remote/process.ts";
import { quoteCommand } from "../../remote/quote.ts";
import { CommandError, SilentError } from "../errors.ts";
import { defaultDeps, parseInstanceId, type VastDeps } from "./shared.ts";

export async function sshCommand(
  idText: string,
  command: string[],
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const id = parseInstanceId(idText);
  const instance = await showInstance(deps.client(), id);
  const endpoint = sshEndpoint(instance);
  if (instance.actualStatus !== "running" || endpoint === undefined) {
    throw new CommandError(
      `instance ${id} is ${describeStatus(instance)}, not running with an SSH address`,
      `start it with \`train vast start ${id}\` and wait until \`train vast show ${id}\` says running`,
    );
  }
  const keyPath = readSettings().defaults.ssh_key_path;
  const host = vastSshHost(`vast-${id}`, id, endpoint, keyPath);
  process.stderr.write(`connecting to ${describeEndpoint(endpoint)}\n`);
  const argv = ["ssh", ...host.sshOptions];
  if (command.length === 0) argv.push("-t");
  argv.push(host.destination);
  if (command.length > 0) argv.push(quoteCommand(command));
  const result = await runProcess(argv, { stdio: "inherit", host: host.label });
  if (result.exitCode !== 0) throw new SilentError(result.exitCode ?? 1);
}
