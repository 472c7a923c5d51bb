// `train vast keys`: the SSH keys of the account.
import { listAccountKeys } from "../../providers/vast/keys.ts";
import { renderTable } from "../../ui/table.ts";
import { defaultDeps, writeJson, type VastDeps } from "./shared.ts";

const SHOWN_KEY_CHARS = 60;

export async function keysCommand(
  flags: { json?: boolean },
  deps: VastDeps = defaultDeps(),
): Promise<void> {
  const keys = await listAccountKeys(deps.client());
  if (flags.json) return writeJson(keys);
  if (keys.length === 0) {
    process.stderr.write(
      "no SSH keys in this Vast.ai account; add yours with `train vast attach-key`\n",
    );
    return;
  }
  const rows = keys.map((key) => {
    const text = key.publicKey;
    const shown =
      text.length > SHOWN_KEY_CHARS
        ? `${text.slice(0, SHOWN_KEY_CHARS)}…`
        : text;
    return [String(key.id ?? "-"), shown];
  });
  process.stdout.write(renderTable(["ID", "Key"], rows));
}
