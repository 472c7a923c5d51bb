// POSIX shell quoting for text that a remote (or local) `sh` parses again,
// such as the single remote-command string that ssh passes to the login shell.

// `=` is left out because an unquoted `A=B` in command position is an
// assignment, not a word.
const SAFE = /^[A-Za-z0-9_@%+:,./-]+$/;

/**
 * Quotes one argument so that a POSIX shell reads it back as exactly one word
 * with the same bytes. Words made only of safe characters stay unquoted,
 * and everything else is wrapped in single quotes, with each `'` written as `'\''`.
 */
export function quote(arg: string): string {
  if (arg === "") return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Quotes every argument and joins them with spaces into one shell command line. */
export function quoteCommand(argv: readonly string[]): string {
  return argv.map(quote).join(" ");
}
