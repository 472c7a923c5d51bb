// `train transfer SRC DST [--delete [--max-delete N]] [--exclude P]... [--dry-run]`.
import { redact } from "../../secrets/redact.ts";
import { transfer, TransferError } from "../../transfer/transfer.ts";
import { progressReporter } from "../../ui/transfer-progress.ts";
import { CommandError, ExitCode, UsageError } from "../errors.ts";
import { resolveCliEndpoint } from "./resolve.ts";

export interface TransferFlags {
  delete?: boolean;
  maxDelete?: string;
  exclude: string[];
  dryRun?: boolean;
}

// Failures that happen before anything is copied, each with its own message.
const EXPECTED_ERRORS = [
  "TransferError",
  "StorageResolutionError",
  "MissingCredentialError",
  "StorageConfigError",
];

export async function transferCommand(
  source: string,
  destination: string,
  flags: TransferFlags,
): Promise<void> {
  const maxDelete = parseMaxDelete(flags);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  const progress = progressReporter();
  try {
    const result = await transfer(
      resolveCliEndpoint(source),
      resolveCliEndpoint(destination),
      {
        delete: flags.delete === true,
        maxDelete,
        exclude: flags.exclude,
        dryRun: flags.dryRun === true,
        signal: controller.signal,
        onProgress: (p) => progress.update(p),
      },
    );
    progress.finish();
    if (flags.dryRun === true)
      process.stdout.write(redact(result.plan.join("\n") + "\n"));
    if (!result.ok) {
      const code = controller.signal.aborted
        ? ExitCode.interrupted
        : ExitCode.failed;
      throw new CommandError(result.message, undefined, code);
    }
    process.stderr.write(redact(`${result.message}\n`));
  } catch (error) {
    if (
      error instanceof TransferError ||
      (error instanceof Error && EXPECTED_ERRORS.includes(error.name))
    )
      throw new CommandError(error.message);
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

// rsync reads --max-delete into a 32-bit int.
const MAX_DELETE_LIMIT = 2_147_483_647;

function parseMaxDelete(flags: TransferFlags): number | undefined {
  const text = flags.maxDelete;
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > MAX_DELETE_LIMIT)
    throw new UsageError(
      `Invalid --max-delete value "${text}": expected a whole number of entries from 0 to ${MAX_DELETE_LIMIT}, such as 100.`,
    );
  if (flags.delete !== true)
    throw new UsageError(
      "--max-delete limits --delete, which is not set.",
      "add --delete, or drop --max-delete.",
    );
  return Number(text);
}
