import { readHostsFile, saveHostEntry } from "../../hosts/hosts-file.ts";
import { checkHostName } from "../../hosts/validate.ts";
import { requireTerminal } from "../../ui/prompt.ts";
import { CommandError, UsageError } from "../errors.ts";
import { entryFromFlags, type AddFlags } from "./add-flags.ts";
import { askHostEntry } from "./add-prompts.ts";
import { addressOf } from "./shared.ts";

const FLAGS_HINT =
  "train host add NAME --host ADDRESS [--port N] [--user USER] [--key PATH] [--jump HOST]";

/**
 * Adds a host to hosts.toml: from flags when `--host` is given, else by
 * asking on the terminal. Nothing is written until every answer is valid.
 */
export async function addCommand(
  name: string | undefined,
  flags: AddFlags,
): Promise<void> {
  if (name !== undefined) {
    const problem = checkHostName(name);
    if (problem !== undefined)
      throw new UsageError(`invalid host name "${name}": ${problem}`);
  }
  const taken = new Set(readHostsFile().map((entry) => entry.name));
  const isTaken = (candidate: string) =>
    flags.force !== true && taken.has(candidate);
  if (name !== undefined && isTaken(name)) {
    throw new CommandError(
      `host "${name}" already exists`,
      "pass --force to overwrite it, or pick another name",
    );
  }
  const entry = await buildEntry(name, flags, isTaken);
  const outcome = saveHostEntry(entry, flags.force === true);
  process.stderr.write(
    `${outcome} host ${entry.name} (${addressOf(entry)})\n` +
      `test it with \`train host test ${entry.name}\`; use it in a recipe as \`host gpu = ${entry.name}\`\n`,
  );
}

async function buildEntry(
  name: string | undefined,
  flags: AddFlags,
  isTaken: (name: string) => boolean,
) {
  if (flags.host !== undefined) {
    if (name === undefined)
      throw new UsageError("a host name is required with --host", FLAGS_HINT);
    return entryFromFlags(name, flags);
  }
  const stray = (
    ["port", "user", "key", "auth", "jump", "type", "tunnel"] as const
  )
    .filter((flag) => flags[flag] !== undefined)
    .map((flag) => `--${flag}`);
  if (stray.length > 0 || flags.sshOption.length > 0) {
    throw new UsageError(
      `${[...stray, ...(flags.sshOption.length > 0 ? ["-o"] : [])].join(", ")} given without --host`,
      `pass every field by flags (${FLAGS_HINT}), or none to be asked`,
    );
  }
  requireTerminal(
    "`train host add` without --host",
    `pass flags: ${FLAGS_HINT}`,
  );
  return askHostEntry(name, isTaken);
}
