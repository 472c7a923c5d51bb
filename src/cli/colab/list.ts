// `train colab list`: the Colab entries of hosts.toml.
import { colabEntries } from "../../providers/colab/connections.ts";
import { renderTable } from "../../ui/table.ts";
import { addressOf } from "../host/shared.ts";

export async function listCommand(flags: { json?: boolean }): Promise<void> {
  const entries = colabEntries();
  if (flags.json === true) {
    process.stdout.write(JSON.stringify(entries, null, 2) + "\n");
    return;
  }
  if (entries.length === 0) {
    process.stderr.write(
      "no Colab connections yet; add one with `train colab connect`\n",
    );
    return;
  }
  const rows = entries.map((entry) => [
    entry.name,
    entry.tunnel ?? "?",
    addressOf(entry),
    entry.auth_method ?? "",
  ]);
  process.stdout.write(
    renderTable(["Name", "Tunnel", "Address", "Auth"], rows),
  );
}
