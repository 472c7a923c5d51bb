// `train colab run [NAME] COMMAND...`: one command on a Colab connection,
// exiting with the command's exit code.
import { spawnProcess } from "../../remote/process.ts";
import { sshArgv } from "../../remote/ssh-options.ts";
import { colabEntries } from "../../providers/colab/connections.ts";
import { CommandError, SilentError, UsageError } from "../errors.ts";
import { requireSshHost } from "../host/shared.ts";
import { chooseConnection } from "./shared.ts";

const SSH_FAILED = 255;

export async function runCommand(words: string[]): Promise<void> {
  const { name, command } = splitName(words);
  if (command.length === 0)
    throw new UsageError(
      "no command given",
      "train colab run [NAME] COMMAND...",
    );
  const entry = await chooseConnection(name, "train colab run NAME COMMAND...");
  const host = requireSshHost(entry.name);
  // ssh joins the words with spaces and the remote shell splits them again,
  // as with `ssh host COMMAND...`.
  const child = spawnProcess(sshArgv(host, command.join(" ")), {
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
  const code = exit.exitCode ?? 128;
  if (code === SSH_FAILED)
    process.stderr.write(
      `ssh to ${entry.name} exited 255, which is also how ssh reports a failed login; \`train host test ${entry.name}\` finds the cause\n`,
    );
  if (code !== 0) throw new SilentError(code);
}

// The first word is a connection name when one has that name and more words follow.
function splitName(words: string[]): { name?: string; command: string[] } {
  const [first, ...rest] = words;
  const names = new Set(colabEntries().map((entry) => entry.name));
  if (first !== undefined && rest.length > 0 && names.has(first))
    return { name: first, command: rest };
  return { command: words };
}
