// The vast command group. Each subcommand's code is imported only when it
// runs, so `train --help` loads none of it. Actions pass their arguments by
// name, because commander appends the Command object to the list.
import type { Command } from "commander";

export function registerVast(program: Command): void {
  const group = program
    .command("vast")
    .description("Manage Vast.ai instances, offers and SSH keys");
  group
    .command("list")
    .description("List the account's instances")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) =>
      (await import("./list.ts")).listCommand(flags),
    );
  group
    .command("show")
    .description("Show one instance and what it bills")
    .argument("<id>", "instance id")
    .option("--json", "print JSON")
    .action(async (id: string, flags: { json?: boolean }) =>
      (await import("./show.ts")).showCommand(id, flags),
    );
  group
    .command("ssh")
    .description("Open an SSH session on an instance")
    .argument("<id>", "instance id")
    .argument("[command...]", "run this command instead of a shell")
    .action(async (id: string, command: string[]) =>
      (await import("./ssh.ts")).sshCommand(id, command),
    );
  registerLifecycle(group);
  registerSearch(group);
  registerKeys(group);
}

function registerLifecycle(group: Command): void {
  group
    .command("start")
    .description("Start a stopped instance")
    .argument("<id>", "instance id")
    .action(async (id: string) =>
      (await import("./start.ts")).startCommand(id),
    );
  group
    .command("stop")
    .description("Stop an instance; its disk keeps billing")
    .argument("<id>", "instance id")
    .action(async (id: string) => (await import("./stop.ts")).stopCommand(id));
  group
    .command("destroy")
    .description("Destroy an instance and its disk")
    .argument("<id>", "instance id")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (id: string, flags: { yes?: boolean }) =>
      (await import("./destroy.ts")).destroyCommand(id, flags),
    );
  group
    .command("reboot")
    .description("Restart an instance's container")
    .argument("<id>", "instance id")
    .action(async (id: string) =>
      (await import("./reboot.ts")).rebootCommand(id),
    );
}

function registerSearch(group: Command): void {
  group
    .command("search")
    .description("Search offers that can be rented now")
    .option("--gpu <NAME>", 'GPU model, e.g. RTX_4090 or "RTX 4090"')
    .option("--num-gpus <N>", "at least N GPUs")
    .option("--min-gpu-ram <GB>", "at least this much memory per GPU, in GB")
    .option("--max-dph <USD>", "at most this price in $/h")
    .option("--disk <GB>", "disk size the price includes, in GB")
    .option("--limit <N>", "show at most N offers (default 20)")
    .option(
      "--sort <FIELD>",
      "sort by dph, gpu_ram, num_gpus, reliability, score or dlperf; a trailing - sorts descending (default dph)",
    )
    .option("--json", "print JSON")
    .action(async (flags: import("./search.ts").SearchFlags) =>
      (await import("./search.ts")).searchCommand(flags),
    );
}

function registerKeys(group: Command): void {
  group
    .command("keys")
    .description("List the account's SSH keys")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) =>
      (await import("./keys.ts")).keysCommand(flags),
    );
  group
    .command("attach-key")
    .description("Add a public key to the account or an instance")
    .argument(
      "[path]",
      "public key file (default: defaults.ssh_key_path + .pub)",
    )
    .option("--instance <ID>", "attach to this running instance instead")
    .action(async (path: string | undefined, flags: { instance?: string }) =>
      (await import("./attach-key.ts")).attachKeyCommand(path, flags),
    );
}
