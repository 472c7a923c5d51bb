// `train exec`: registered here, loaded when it runs.
import type { Command } from "commander";

export function registerExec(program: Command): void {
  program
    .command("exec")
    .description("Run recipe lines directly, e.g. '@gpu > nvidia-smi'")
    .argument("<dsl>", "one or more recipe lines, separated by newlines")
    .option(
      "--visual",
      "show the live view instead of only the commands' output",
    )
    .action(
      async (...args: Parameters<typeof import("./exec.ts").execCommand>) =>
        (await import("./exec.ts")).execCommand(...args),
    );
}
