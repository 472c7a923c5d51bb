// Entry point: builds the command tree, runs it, and maps every error to an
// exit code in this one place.
import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { registerRecipe } from "./recipe/index.ts";
import { registerExec } from "./exec-command.ts";
import { registerHost } from "./host/index.ts";
import { registerSecrets } from "./secrets/index.ts";
import { registerConfig } from "./config/index.ts";
import { registerVast } from "./vast/index.ts";
import { registerStorage } from "./storage/index.ts";
import { registerTransfer } from "./transfer/index.ts";
import { registerPricing } from "./pricing/index.ts";
import { registerColab } from "./colab/index.ts";
import { CommandError, ExitCode, SilentError, UsageError } from "./errors.ts";
import { redact } from "../secrets/redact.ts";
import { ConfigFileError } from "../config/toml-file.ts";
import { killAllProcesses } from "../remote/process.ts";

declare const __TRAINSH_VERSION__: string;
const VERSION =
  typeof __TRAINSH_VERSION__ === "string" ? __TRAINSH_VERSION__ : "0.0.0-dev";

export function buildProgram(): Command {
  const program = new Command("train")
    .description(
      "Run training recipes on remote and rented GPU hosts in tmux sessions that outlive your laptop",
    )
    .version(`tmux-trainsh ${VERSION}`, "-V, --version", "print the version")
    .showSuggestionAfterError(true)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerRecipe(program);
  registerExec(program);
  registerHost(program);
  registerSecrets(program);
  registerConfig(program);
  registerVast(program);
  registerStorage(program);
  registerTransfer(program);
  registerPricing(program);
  registerColab(program);
  program.commands.forEach(function exitOverride(command) {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  });
  return program;
}

function printError(message: string, hint?: string): void {
  process.stderr.write(redact(`${pc.red("error:")} ${message}\n`));
  if (hint !== undefined) process.stderr.write(redact(`hint: ${hint}\n`));
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof SilentError) return error.exitCode;
  if (error instanceof CommanderError) {
    // Help and version exit through here with code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UsageError) {
    printError(error.message, error.hint);
    return ExitCode.usage;
  }
  if (error instanceof CommandError) {
    printError(error.message, error.hint);
    return error.exitCode;
  }
  if (error instanceof ConfigFileError) {
    printError(
      error.message,
      "fix the file by hand, or move it away to start from defaults",
    );
    return ExitCode.failed;
  }
  const hint = (error as { hint?: string }).hint;
  if (
    error instanceof Error &&
    error.name !== "Error" &&
    error.name !== "TypeError"
  ) {
    printError(error.message, hint);
    return ExitCode.failed;
  }
  process.stderr.write(
    redact(
      `${pc.red("internal error:")} ${(error as Error)?.stack ?? String(error)}\n`,
    ),
  );
  return ExitCode.failed;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  } finally {
    killAllProcesses();
  }
}

await main();
