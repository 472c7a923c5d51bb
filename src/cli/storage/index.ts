// The storage command group. Each subcommand's code is imported only when
// it runs, so start-up loads none of it.
import type { Command } from "commander";

export function registerStorage(program: Command): void {
  const group = program
    .command("storage")
    .description("Keep and test the storages in storages.toml");
  group
    .command("list")
    .description("List configured storages")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./list.ts").listCommand>) =>
        (await import("./list.ts")).listCommand(...args),
    );
  group
    .command("add")
    .description("Add a storage, by flags or by answering questions")
    .argument("[name]", "storage name, used as @NAME in recipes and transfers")
    .option(
      "--type <type>",
      "local, ssh, r2, b2, s3 or gdrive; with it, no questions are asked",
    )
    .option("--bucket <bucket>", "bucket name (r2, b2, s3)")
    .option("--account-id <id>", "Cloudflare account id (r2)")
    .option("--endpoint <url>", "endpoint of an S3-compatible service (s3)")
    .option("--region <region>", "region (s3, default us-east-1)")
    .option("--path <path>", "base path (local, ssh)")
    .option("--host <host>", "hosts.toml name, ssh alias or user@host (ssh)")
    .option("--remote <name>", "remote in your own rclone config (gdrive)")
    .option("--folder <path>", "folder inside the drive (gdrive)")
    .option("--default", "make it the default storage")
    .option("--force", "replace a storage of the same name")
    .action(async (...args: Parameters<typeof import("./add.ts").addCommand>) =>
      (await import("./add.ts")).addCommand(...args),
    );
  group
    .command("show")
    .description(
      "Show a storage's settings and where its credentials come from",
    )
    .argument("<name>", "storage name")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./show.ts").showCommand>) =>
        (await import("./show.ts")).showCommand(...args),
    );
  group
    .command("test")
    .description("List a storage's bucket or path to check access")
    .argument("<name>", "storage name")
    .action(
      async (...args: Parameters<typeof import("./test.ts").testCommand>) =>
        (await import("./test.ts")).testCommand(...args),
    );
  group
    .command("remove")
    .description("Remove a storage from storages.toml")
    .argument("<name>", "storage name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      async (...args: Parameters<typeof import("./remove.ts").removeCommand>) =>
        (await import("./remove.ts")).removeCommand(...args),
    );
}
