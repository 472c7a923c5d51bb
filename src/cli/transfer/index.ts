// `train transfer SRC DST`. The command's code is imported only when it runs.
import type { Command } from "commander";
import { collect } from "../recipe/overrides.ts";

export function registerTransfer(program: Command): void {
  program
    .command("transfer")
    .description("Copy files between this machine, hosts and storages")
    .argument("<source>", "a local path, @host:path or @storage:path")
    .argument("<destination>", "a local path, @host:path or @storage:path")
    .option(
      "--delete",
      "delete destination files that the source lacks (rejected for an empty source)",
    )
    .option(
      "--max-delete <count>",
      "with --delete: reject the transfer before copying when it would delete more entries than this",
    )
    .option(
      "--exclude <pattern>",
      "skip files matching the pattern (repeatable)",
      collect,
      [],
    )
    .option("--dry-run", "print the plan and change nothing")
    .addHelpText(
      "after",
      [
        "",
        "A trailing / on a directory source copies its contents; without it the directory itself lands inside the destination.",
        "",
        "Examples:",
        "  $ train transfer ./data/ @gpu:/workspace/data",
        "  $ train transfer @gpu:/workspace/ckpt/ @r2:runs/42/ --exclude '*.tmp'",
        "  $ train transfer @r2:datasets/v1 @gpu:/data --dry-run",
        "  $ train transfer ./results/ @gpu:/workspace/results --delete --max-delete 20",
      ].join("\n"),
    )
    .action(
      async (...args: Parameters<typeof import("./run.ts").transferCommand>) =>
        (await import("./run.ts")).transferCommand(...args),
    );
}
