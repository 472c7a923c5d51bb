// Interactive prompts on the terminal, drawn on stderr so stdout stays data.
// Each prompt validates the input and prompts again until it is valid.
// Ctrl-C or Escape throws CancelError before anything is written.
import { confirm, isCancel, password, select, text } from "@clack/prompts";
import { CancelError, UsageError } from "../cli/errors.ts";

/** Returns the problem with the input in words, or undefined when it is valid. */
export type Check = (answer: string) => string | undefined;

const io = { input: process.stdin, output: process.stderr };

export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Throws a usage error naming the flags that replace the prompt when there is no terminal. */
export function requireTerminal(what: string, instead: string): void {
  if (canPrompt()) return;
  throw new UsageError(
    `${what} needs an interactive terminal, and stdin is not one`,
    instead,
  );
}

function unwrap<T>(answer: T): Exclude<T, symbol> {
  if (isCancel(answer)) throw new CancelError();
  return answer as Exclude<T, symbol>;
}

export async function askText(opts: {
  message: string;
  defaultValue?: string;
  placeholder?: string;
  check?: Check;
}): Promise<string> {
  const fallback = opts.defaultValue ?? "";
  const answer = await text({
    ...io,
    message: opts.message,
    placeholder: opts.placeholder ?? opts.defaultValue,
    defaultValue: opts.defaultValue,
    validate: (value) => opts.check?.(value?.trim() || fallback),
  });
  return unwrap(answer).trim() || fallback;
}

export async function askSecret(
  message: string,
  check?: Check,
): Promise<string> {
  const answer = await password({
    ...io,
    message,
    validate: (value) => check?.(value ?? ""),
  });
  return unwrap(answer);
}

export async function askChoice<T extends string>(
  message: string,
  options: { value: T; label: string; hint?: string }[],
  initialValue?: T,
): Promise<T> {
  // The cast only widens the option type; clack's Option<T> is the same shape.
  const answer = await select<T>({
    ...io,
    message,
    options: options as Parameters<typeof select<T>>[0]["options"],
    initialValue,
  });
  return unwrap(answer);
}

export async function askConfirm(message: string): Promise<boolean> {
  const answer = await confirm({ ...io, message, initialValue: false });
  return unwrap(answer);
}

/**
 * Asks a yes/no question unless `--yes` was given. Without a terminal and
 * without `--yes` it is a usage error, never a silent yes.
 */
export async function confirmOrYes(
  message: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes === true) return;
  requireTerminal("confirmation", "pass --yes to skip the question");
  if (!(await askConfirm(message))) throw new CancelError();
}
