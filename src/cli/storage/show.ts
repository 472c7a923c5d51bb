// `train storage show NAME`: settings, and for each credential the secret
// names it is looked up under and whether one is set. Never a value.
import {
  credentialSlots,
  lookupSecret,
  accountIdNames,
} from "../../storage/credentials.ts";
import { credentialKeysInFile } from "../../storage/storages-file.ts";
import { isBucketStorage, type Storage } from "../../storage/storage.ts";
import { secretsProvider } from "../../secrets/provider.ts";
import { requireStorage } from "./shared.ts";

interface CredentialView {
  option: string;
  names: string[];
  setAs?: string;
}

function credentialViews(storage: Storage): CredentialView[] {
  if (!isBucketStorage(storage)) return [];
  const secrets = secretsProvider();
  const views = credentialSlots(storage).map((slot) => ({
    option: slot.option,
    names: slot.names,
    setAs: lookupSecret(secrets, slot.names)?.name,
  }));
  if (storage.type === "r2" && storage.accountId === undefined) {
    const names = accountIdNames(storage.name);
    views.push({
      option: "account_id",
      names,
      setAs: lookupSecret(secrets, names)?.name,
    });
  }
  return views;
}

export async function showCommand(
  name: string,
  opts: { json?: boolean },
): Promise<void> {
  const { entry, storage } = requireStorage(name);
  const credentials = credentialViews(storage);
  const stray = credentialKeysInFile().get(name) ?? [];
  if (opts.json === true) {
    process.stdout.write(
      JSON.stringify({ ...entry, credentials }, null, 2) + "\n",
    );
  } else {
    const lines = [
      `name: ${entry.name}`,
      `type: ${entry.type}`,
      `default: ${entry.is_default ? "yes" : "no"}`,
    ];
    for (const [key, value] of Object.entries(entry.config))
      lines.push(`${key}: ${value}`);
    for (const view of credentials) {
      const state =
        view.setAs === undefined ? "not set" : `set (from ${view.setAs})`;
      lines.push(
        `${view.option}: ${state}; looked up as ${view.names.join(", then ")}`,
      );
    }
    process.stdout.write(lines.join("\n") + "\n");
  }
  if (stray.length > 0) {
    process.stderr.write(
      `warning: storages.toml has credential keys for ${name} (${stray.join(", ")}); train does not read them. Move them to secrets and delete them from the file.\n`,
    );
  }
}
