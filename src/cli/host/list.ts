import { readHostsFile } from "../../hosts/hosts-file.ts";
import { paths } from "../../config/paths.ts";
import { renderTable } from "../../ui/table.ts";
import { addressOf } from "./shared.ts";

export interface ListOptions {
  json?: boolean;
}

export async function listCommand(opts: ListOptions): Promise<void> {
  const entries = readHostsFile();
  if (opts.json === true) {
    process.stdout.write(JSON.stringify(entries, null, 2) + "\n");
    return;
  }
  if (entries.length === 0) {
    process.stderr.write(
      `no hosts in ${paths.hosts()} yet; add one with \`train host add\`\n`,
    );
    return;
  }
  const rows = entries.map((entry) => [
    entry.name,
    entry.type === "colab" ? `colab/${entry.tunnel ?? "?"}` : entry.type,
    addressOf(entry),
    entry.auth_method ?? "",
    entry.jump_host ?? "",
  ]);
  process.stdout.write(
    renderTable(["Name", "Type", "Address", "Auth", "Jump"], rows),
  );
}
