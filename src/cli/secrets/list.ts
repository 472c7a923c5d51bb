import { KNOWN_SECRETS } from "../../secrets/keys.ts";
import { lookupSecret, secretStore } from "../../secrets/provider.ts";
import { renderTable } from "../../ui/table.ts";
import { describeStore } from "./store-note.ts";

export interface ListOptions {
  json?: boolean;
}

/** Lists the well-known secrets and every stored one with its source, never a value. */
export async function listCommand(opts: ListOptions): Promise<void> {
  const store = secretStore();
  const descriptions = new Map(
    KNOWN_SECRETS.map((secret) => [secret.name, secret.description]),
  );
  const names = [...new Set([...descriptions.keys(), ...store.names().sort()])];
  const rows = names.map((name) => ({
    name,
    source: lookupSecret(name)?.source ?? "unset",
    description: descriptions.get(name) ?? "",
  }));
  if (opts.json === true) {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return;
  }
  process.stdout.write(
    renderTable(
      ["Name", "Source", "Description"],
      rows.map((row) => [row.name, row.source, row.description]),
    ),
  );
  process.stderr.write(`${describeStore(store)}\n`);
}
