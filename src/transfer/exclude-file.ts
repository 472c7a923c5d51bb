// --exclude filters the files inside a directory source. Naming one file
// and excluding it at once has no clear meaning (rsync would copy nothing,
// rclone's copyto would copy it), so that combination is rejected.
import { TransferError } from "./transfer-error.ts";

/** Throws TransferError when excludes come with a single-file source. */
export function rejectExcludeOnFile(
  sourceDisplay: string,
  kind: "file" | "dir" | "missing",
  exclude: string[] | undefined,
): void {
  if (kind !== "file" || exclude === undefined || exclude.length === 0) return;
  throw new TransferError(
    `Cannot use --exclude (${exclude.join(", ")}) with ${sourceDisplay}: it is a single file, and --exclude filters the files inside a directory source. Nothing was copied.\nTry: drop --exclude, or name the directory that contains the file.`,
  );
}

/** Describes a source that excludes leave empty, for --delete rejections. */
export function excludedEverything(exclude: string[]): string {
  return `has no file that the --exclude patterns (${exclude.join(", ")}) leave in the copy`;
}
