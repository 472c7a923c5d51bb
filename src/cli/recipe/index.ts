// The recipe command group. Each subcommand's code is imported only when it
// runs, so `train --help` and `train --version` load none of it.
import type { Command } from "commander";
import { collect } from "./overrides.ts";

export function registerRecipe(program: Command): void {
  const group = program
    .command("recipe")
    .description("Write, check and run recipes; follow their jobs");
  group
    .command("list")
    .description("List your recipes and the bundled examples")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./list.ts").listCommand>) =>
        (await import("./list.ts")).listCommand(...args),
    );
  group
    .command("show")
    .description("Show a recipe's definitions and steps")
    .argument("<recipe>", "recipe name, path, or bundled example")
    .option("--json", "print the parsed recipe as JSON")
    .action(
      async (...args: Parameters<typeof import("./show.ts").showCommand>) =>
        (await import("./show.ts")).showCommand(...args),
    );
  group
    .command("check")
    .description("Validate a recipe without running it")
    .argument("<recipe>", "recipe name, path, or bundled example")
    .option(
      "--var <NAME=VALUE>",
      "a variable override the run will get (repeatable)",
      collect,
      [],
    )
    .option(
      "--host <NAME=SPEC>",
      "a host override the run will get (repeatable)",
      collect,
      [],
    )
    .option(
      "--storage <NAME=SPEC>",
      "a storage override the run will get (repeatable)",
      collect,
      [],
    )
    .action(
      async (...args: Parameters<typeof import("./check.ts").checkCommand>) =>
        (await import("./check.ts")).checkCommand(...args),
    );
  group
    .command("run")
    .description("Run a recipe as a new job")
    .argument("<recipe>", "recipe name, path, or bundled example")
    .option(
      "--var <NAME=VALUE>",
      "override a variable (repeatable)",
      collect,
      [],
    )
    .option(
      "--host <NAME=SPEC>",
      "override a host, e.g. gpu=root@203.0.113.7 -p 2222 (repeatable)",
      collect,
      [],
    )
    .option(
      "--storage <NAME=SPEC>",
      "fill or override a storage, e.g. out=r2:my-bucket (repeatable)",
      collect,
      [],
    )
    .option(
      "--pick-host <NAME>",
      "pick a Vast.ai instance for a host (repeatable)",
      collect,
      [],
    )
    .option(
      "--no-visual",
      "print plain timestamped lines instead of the live view",
    )
    .action(async (...args: Parameters<typeof import("./run.ts").runCommand>) =>
      (await import("./run.ts")).runCommand(...args),
    );
  group
    .command("new")
    .description("Create a recipe from a template")
    .argument("<name>", "recipe name (letters, digits, - and _)")
    .action(async (...args: Parameters<typeof import("./new.ts").newCommand>) =>
      (await import("./new.ts")).newCommand(...args),
    );
  group
    .command("edit")
    .description("Open a recipe in $VISUAL or $EDITOR")
    .argument("<recipe>", "recipe name or path")
    .action(
      async (...args: Parameters<typeof import("./edit.ts").editCommand>) =>
        (await import("./edit.ts")).editCommand(...args),
    );
  group
    .command("logs")
    .description("Show a job's steps and output")
    .argument("[job]", "job id or prefix; without it, the recent jobs")
    .option("--last", "the newest job")
    .option("--step <N>", "print the whole output of step N")
    .action(
      async (...args: Parameters<typeof import("./logs.ts").logsCommand>) =>
        (await import("./logs.ts")).logsCommand(...args),
    );
  group
    .command("status")
    .description("Show running jobs, or one job in detail")
    .argument("[job]", "job id or prefix")
    .option("-a, --all", "include finished jobs")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./status.ts").statusCommand>) =>
        (await import("./status.ts")).statusCommand(...args),
    );
  group
    .command("resume")
    .description("Continue an interrupted or failed job")
    .argument(
      "[job]",
      "job id or prefix; default: the newest interrupted or failed job",
    )
    .option(
      "--no-visual",
      "print plain timestamped lines instead of the live view",
    )
    .action(
      async (...args: Parameters<typeof import("./resume.ts").resumeCommand>) =>
        (await import("./resume.ts")).resumeCommand(...args),
    );
  group
    .command("jobs")
    .description("List past and current jobs, newest first")
    .option("-a, --all", "show every job, not only the newest 20")
    .option("--json", "print JSON")
    .action(
      async (...args: Parameters<typeof import("./jobs.ts").jobsCommand>) =>
        (await import("./jobs.ts")).jobsCommand(...args),
    );
}
