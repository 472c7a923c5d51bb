// The host command group. Each subcommand's code is imported only when it
// runs, so start-up loads none of it.
import type { Command } from "commander";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerHost(program: Command): void {
  const group = program
    .command("host")
    .description("Keep, test and open the hosts in hosts.toml");
  group
    .command("list")
    .description("List stored hosts")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./list.ts").listCommand>) =>
        (await import("./list.ts")).listCommand(...args),
    );
  group
    .command("add")
    .description("Add a host, by flags or by answering questions")
    .argument("[name]", "host name, used as @NAME in recipes")
    .option(
      "--host <address>",
      "hostname or IP; with it, no questions are asked",
    )
    .option("--port <n>", "SSH port (default 22)")
    .option("--user <user>", "login user (default root)")
    .option("--key <path>", "private key file")
    .option(
      "--auth <method>",
      "key, agent or password (default: key with --key, else agent)",
    )
    .option("--jump <host>", "jump host, as for ssh -J")
    .option("--type <type>", "ssh or colab (default ssh)")
    .option("--tunnel <tunnel>", "for colab: cloudflared or ngrok")
    .option(
      "-o, --ssh-option <Key=Value>",
      "extra ssh option (repeatable)",
      collect,
      [],
    )
    .option("--force", "overwrite a host of the same name")
    .action(async (...args: Parameters<typeof import("./add.ts").addCommand>) =>
      (await import("./add.ts")).addCommand(...args),
    );
  group
    .command("show")
    .description("Show every field of a host")
    .argument("<name>", "host name")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./show.ts").showCommand>) =>
        (await import("./show.ts")).showCommand(...args),
    );
  group
    .command("ssh")
    .description("Open an interactive shell on a host")
    .argument("<name>", "host name")
    .action(async (...args: Parameters<typeof import("./ssh.ts").sshCommand>) =>
      (await import("./ssh.ts")).sshCommand(...args),
    );
  group
    .command("browse")
    .description("Browse a host's files")
    .argument("<name>", "host name")
    .argument("[path]", "directory to start in (default: home)")
    .action(
      async (...args: Parameters<typeof import("./browse.ts").browseCommand>) =>
        (await import("./browse.ts")).browseCommand(...args),
    );
  group
    .command("test")
    .description("Test the connection and report the host")
    .argument("<name>", "host name")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./test.ts").testCommand>) =>
        (await import("./test.ts")).testCommand(...args),
    );
  group
    .command("remove")
    .description("Remove a host from hosts.toml")
    .argument("<name>", "host name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      async (...args: Parameters<typeof import("./remove.ts").removeCommand>) =>
        (await import("./remove.ts")).removeCommand(...args),
    );
}
