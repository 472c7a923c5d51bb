// The secrets command group. Each subcommand's code is imported only when it
// runs, so start-up loads neither the keyring binding nor the prompts.
import type { Command } from "commander";

export function registerSecrets(program: Command): void {
  const group = program
    .command("secrets")
    .description("Store API keys and tokens for recipes and providers");
  group
    .command("list")
    .description("List secrets and where each is set")
    .option("--json", "print JSON (names and sources, no values)")
    .action(
      async (...args: Parameters<typeof import("./list.ts").listCommand>) =>
        (await import("./list.ts")).listCommand(...args),
    );
  group
    .command("set")
    .description("Store a secret")
    .argument("<name>", "upper-case name, e.g. HF_TOKEN")
    .option("--stdin", "read the value from stdin instead of a hidden prompt")
    .action(async (...args: Parameters<typeof import("./set.ts").setCommand>) =>
      (await import("./set.ts")).setCommand(...args),
    );
  group
    .command("get")
    .description("Show a secret, masked")
    .argument("<name>", "secret name")
    .option("--reveal", "print the value itself on stdout")
    .action(async (...args: Parameters<typeof import("./get.ts").getCommand>) =>
      (await import("./get.ts")).getCommand(...args),
    );
  group
    .command("delete")
    .description("Delete a stored secret")
    .argument("<name>", "secret name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      async (...args: Parameters<typeof import("./delete.ts").deleteCommand>) =>
        (await import("./delete.ts")).deleteCommand(...args),
    );
}
