import { lookupSecret, secretStore } from "../../secrets/provider.ts";
import { askSecret, requireTerminal } from "../../ui/prompt.ts";
import { UsageError } from "../errors.ts";
import { describeStore } from "./store-note.ts";
import { requireSecretName } from "./shared.ts";

export interface SetOptions {
  stdin?: boolean;
}

/** Stores a secret read from a hidden prompt or stdin, never from argv. */
export async function setCommand(
  name: string,
  opts: SetOptions,
): Promise<void> {
  requireSecretName(name);
  const value =
    opts.stdin === true ? await readStdin() : await promptValue(name);
  if (value === "") {
    throw new UsageError(`no value given for ${name}; nothing was stored`);
  }
  const store = secretStore();
  const firstFileWrite = store.primary === "file" && !store.file.exists();
  const where = store.set(name, value);
  if (firstFileWrite)
    process.stderr.write(`warning: ${describeStore(store)}\n`);
  process.stderr.write(
    `stored ${name} in ${where === "keyring" ? "the OS keyring" : store.file.file}\n`,
  );
  if (lookupSecret(name)?.source === "env") {
    process.stderr.write(
      `note: the environment variable ${name} is set and overrides the stored value\n`,
    );
  }
}

function promptValue(name: string): Promise<string> {
  requireTerminal(
    "`train secrets set` without --stdin",
    `pipe the value in: printf %s "$VALUE" | train secrets set ${name} --stdin`,
  );
  return askSecret(`Value for ${name} (input hidden)`, (answer) =>
    answer === "" ? "a value is required; press Ctrl-C to cancel" : undefined,
  );
}

/** Reads all of stdin; one trailing newline (from `echo`) is dropped. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
