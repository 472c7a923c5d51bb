import { lookupSecret } from "../../secrets/provider.ts";
import { missingSecretHint } from "../../secrets/provider.ts";
import { CommandError } from "../errors.ts";
import { maskSecret, requireSecretName } from "./shared.ts";

export interface GetOptions {
  reveal?: boolean;
}

/** Prints a secret masked, or with --reveal the value itself on stdout. */
export async function getCommand(
  name: string,
  opts: GetOptions,
): Promise<void> {
  requireSecretName(name);
  const found = lookupSecret(name);
  if (found === undefined) {
    throw new CommandError(
      `secret ${name} is not set`,
      missingSecretHint(name),
    );
  }
  if (opts.reveal === true) {
    process.stdout.write(`${found.value}\n`);
    return;
  }
  process.stdout.write(
    `${name}  ${maskSecret(found.value)}  from ${found.source}\n`,
  );
}
