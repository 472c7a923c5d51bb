// The config command group. Each subcommand's code is imported only when it
// runs, so start-up loads none of it.
import type { Command } from "commander";

export function registerConfig(program: Command): void {
  const group = program
    .command("config")
    .description("Show and change settings in config.toml");
  group
    .command("show")
    .description("Show every setting with its value and source")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./show.ts").showCommand>) =>
        (await import("./show.ts")).showCommand(...args),
    );
  group
    .command("get")
    .description("Print one setting's value")
    .argument("<key>", "dotted key, e.g. tmux.width")
    .action(async (...args: Parameters<typeof import("./get.ts").getCommand>) =>
      (await import("./get.ts")).getCommand(...args),
    );
  group
    .command("set")
    .description("Change one setting")
    .argument("<key>", "dotted key, e.g. ui.currency")
    .argument(
      "<value>",
      "new value; `train config show` lists what each key accepts",
    )
    .action(async (...args: Parameters<typeof import("./set.ts").setCommand>) =>
      (await import("./set.ts")).setCommand(...args),
    );
  group
    .command("reset")
    .description("Reset one setting or all to defaults")
    .argument("[key]", "dotted key; without it, every setting")
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      async (...args: Parameters<typeof import("./reset.ts").resetCommand>) =>
        (await import("./reset.ts")).resetCommand(...args),
    );
}
