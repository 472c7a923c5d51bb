// The colab command group. Each subcommand's code is imported only when it
// runs, so `train --help` loads none of it.
import type { Command } from "commander";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerColab(program: Command): void {
  const group = program
    .command("colab")
    .description("Connect to Google Colab notebooks over SSH through a tunnel");
  group
    .command("list")
    .description("List the Colab connections in hosts.toml")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) =>
      (await import("./list.ts")).listCommand(flags),
    );
  group
    .command("connect")
    .description(
      "Print the notebook cell, then store the tunnel address it prints",
    )
    .argument("[name]", "connection name, used as @NAME in recipes")
    .option(
      "--cloudflared <hostname>",
      "the cloudflared hostname, e.g. xxx.trycloudflare.com",
    )
    .option(
      "--ngrok <host:port>",
      "the ngrok address, e.g. 0.tcp.ngrok.io:12345",
    )
    .option(
      "--key <path>",
      "private key whose .pub the cell authorizes (default: defaults.ssh_key_path)",
    )
    .option(
      "-o, --ssh-option <Key=Value>",
      "extra ssh option (repeatable)",
      collect,
      [],
    )
    .option(
      "--password",
      "log in with a root password set in the notebook, asked here and kept in the secrets store",
    )
    .option(
      "--password-stdin",
      "like --password, reading the password from stdin",
    )
    .option("--print-cell", "only print the notebook cell")
    .option("--force", "overwrite a host of the same name")
    .action(
      async (
        name: string | undefined,
        flags: import("./connect.ts").ConnectFlags,
      ) => (await import("./connect.ts")).connectCommand(name, flags),
    );
  group
    .command("ssh")
    .description("Open a shell on a Colab connection")
    .argument("[name]", "connection name; needed when there are several")
    .action(async (name: string | undefined) =>
      (await import("./ssh.ts")).sshCommand(name),
    );
  group
    .command("run")
    .description(
      "Run a command on a Colab connection and exit with its exit code",
    )
    .argument(
      "<words...>",
      "[NAME] COMMAND...; NAME is needed when there are several connections",
    )
    .allowUnknownOption()
    .action(async (words: string[]) =>
      (await import("./run.ts")).runCommand(words),
    );
}
