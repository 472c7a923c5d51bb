// `train colab ssh [NAME]`: a shell on a Colab connection, with ssh's exit code.
import { passwordSecretName } from "../../providers/colab/connections.ts";
import { sshCommand as hostSshCommand } from "../host/ssh.ts";
import { chooseConnection } from "./shared.ts";

export async function sshCommand(name: string | undefined): Promise<void> {
  const entry = await chooseConnection(name, "train colab ssh NAME");
  if (entry.auth_method === "password") {
    const secret = passwordSecretName(entry.name);
    // TODO: feed the stored password to ssh (SSH_ASKPASS) instead of
    // having the user type it.
    process.stderr.write(
      `ssh will prompt for the root password; \`train secrets get ${secret} --reveal\` prints the stored one\n`,
    );
  }
  await hostSshCommand(entry.name);
}
