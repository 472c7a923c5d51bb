// Choosing the Colab connection that `train colab ssh|run` works on.
import { colabEntries } from "../../providers/colab/connections.ts";
import type { HostEntry } from "../../hosts/hosts-file.ts";
import { askChoice, canPrompt } from "../../ui/prompt.ts";
import { CommandError, UsageError } from "../errors.ts";

/**
 * Returns the named connection, else the only one, else asks which on a
 * terminal. Without a terminal several connections are a usage error that
 * names them.
 */
export async function chooseConnection(
  name: string | undefined,
  usage: string,
): Promise<HostEntry> {
  const entries = colabEntries();
  const names = entries.map((entry) => entry.name);
  if (name !== undefined) {
    const entry = entries.find((item) => item.name === name);
    if (entry !== undefined) return entry;
    throw new CommandError(
      `Colab connection not found: ${name}`,
      names.length === 0
        ? addHint()
        : `the connections are ${names.join(", ")}`,
    );
  }
  const [first] = entries;
  if (first === undefined)
    throw new CommandError("no Colab connections yet", addHint());
  if (entries.length === 1) return first;
  if (!canPrompt()) {
    throw new UsageError(
      `there are ${entries.length} Colab connections (${names.join(", ")}) and no terminal to ask which`,
      `name one: ${usage}`,
    );
  }
  const picked = await askChoice(
    "Colab connection",
    entries.map((entry) => ({
      value: entry.name,
      label: entry.name,
      hint: entry.hostname,
    })),
  );
  return entries.find((entry) => entry.name === picked) ?? first;
}

function addHint(): string {
  return "add one with `train colab connect`";
}
