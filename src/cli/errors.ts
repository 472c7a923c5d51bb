// Exit codes and the errors commands throw. `main` maps them to a code in one
// place; commands never call process.exit.

export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
} as const;

/** Bad arguments or a recipe that does not parse: exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** An expected failure: printed without a stack trace, exit 1. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = ExitCode.failed,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/** A failure whose explanation has already been printed. */
export class SilentError extends Error {
  constructor(readonly exitCode: number = ExitCode.failed) {
    super("silent");
    this.name = "SilentError";
  }
}

/** The user cancelled a prompt (Ctrl-C or Escape): exit 130, nothing changed. */
export class CancelError extends CommandError {
  constructor(message = "cancelled; nothing was changed") {
    super(message, undefined, ExitCode.interrupted);
    this.name = "CancelError";
  }
}
