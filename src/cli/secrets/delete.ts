import { secretStore, environmentSecrets } from "../../secrets/provider.ts";
import { confirmOrYes } from "../../ui/prompt.ts";
import { CommandError } from "../errors.ts";
import { requireSecretName } from "./shared.ts";

export interface DeleteOptions {
  yes?: boolean;
}

export async function deleteCommand(
  name: string,
  opts: DeleteOptions,
): Promise<void> {
  requireSecretName(name);
  const store = secretStore();
  if (store.lookup(name) === undefined) {
    throw new CommandError(
      `secret ${name} is not in the store`,
      "`train secrets list` shows the stored secrets",
    );
  }
  await confirmOrYes(`Delete secret ${name}?`, opts.yes);
  const removed = store.delete(name);
  process.stderr.write(`deleted ${name} from ${removed.join(" and ")}\n`);
  if (environmentSecrets.get(name) !== undefined) {
    process.stderr.write(
      `note: the environment variable ${name} is still set and still provides a value\n`,
    );
  }
}
