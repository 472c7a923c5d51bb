import { updateStoragesFile } from "../../storage/storages-file.ts";
import { confirmOrYes } from "../../ui/prompt.ts";
import { locationOf, requireStorage } from "./shared.ts";

export async function removeCommand(
  name: string,
  opts: { yes?: boolean },
): Promise<void> {
  const { storage } = requireStorage(name);
  await confirmOrYes(
    `Remove storage ${name} (${storage.type}, ${locationOf(storage)})?`,
    opts.yes,
  );
  updateStoragesFile((entries) =>
    entries.filter((entry) => entry.name !== name),
  );
  process.stderr.write(`removed storage ${name}\n`);
}
