import { paths } from "../../config/paths.ts";
import {
  readStoragesFile,
  storageFromEntry,
} from "../../storage/storages-file.ts";
import { renderTable } from "../../ui/table.ts";
import { locationOf } from "./shared.ts";

export async function listCommand(opts: { json?: boolean }): Promise<void> {
  const entries = readStoragesFile();
  if (opts.json === true) {
    process.stdout.write(JSON.stringify(entries, null, 2) + "\n");
    return;
  }
  if (entries.length === 0) {
    process.stderr.write(
      `no storages in ${paths.storages()} yet; add one with \`train storage add\`\n`,
    );
    return;
  }
  const rows = entries.map((entry) => [
    entry.name,
    entry.type,
    locationOf(storageFromEntry(entry)),
    entry.is_default ? "yes" : "",
  ]);
  process.stdout.write(
    renderTable(["Name", "Type", "Location", "Default"], rows),
  );
}
