// The size check after an scp copy: every regular file of the source must
// exist at its landing place with the same size. rsync routes use a second
// rsync pass instead (see verify.ts).
import type { Location } from "./location.ts";
import { runScriptOrThrow } from "./shell.ts";

// Prints "SIZE ./relative/path\0" per regular file under $1. GNU find's
// -printf does it in one process; other finds fall back to wc per file.
const LIST_FILES = [
  'cd "$1" || exit 1',
  "if find . -maxdepth 0 -printf '' 2>/dev/null; then",
  "  find . -type f -printf '%s %p\\0'",
  "else",
  `  find . -type f -exec sh -c 'for f do printf "%s %s\\0" "$(wc -c < "$f" | tr -d " ")" "$f"; done' sh {} +`,
  "fi",
].join("\n");

const FILE_SIZE = 'wc -c < "$1" | tr -d " "';

export interface TreeCheck {
  ok: boolean;
  files: number;
  bytes: number;
  /** The first problem found, when not ok. */
  problem?: string;
}

/** Lists the regular files under a directory with their sizes in bytes. */
export async function listFiles(
  location: Location,
): Promise<Map<string, number>> {
  const output = await runScriptOrThrow(
    location.side,
    LIST_FILES,
    [location.path],
    `list the files of ${location.display}`,
  );
  const files = new Map<string, number>();
  for (const entry of output.split("\0")) {
    const space = entry.indexOf(" ");
    if (space === -1) continue;
    files.set(entry.slice(space + 1), Number(entry.slice(0, space)));
  }
  return files;
}

/** Returns the size of one file in bytes. */
export async function fileSize(location: Location): Promise<number> {
  const output = await runScriptOrThrow(
    location.side,
    FILE_SIZE,
    [location.path],
    `read the size of ${location.display}`,
  );
  return Number(output.trim());
}

/** Checks that every file of `source` exists under `landed` with the same size. */
export async function compareTrees(
  source: Location,
  landed: Location,
): Promise<TreeCheck> {
  const expected = await listFiles(source);
  const actual = await listFiles(landed);
  let bytes = 0;
  for (const [path, size] of expected) {
    bytes += size;
    const found = actual.get(path);
    if (found === size) continue;
    const problem =
      found === undefined
        ? `${path.slice(2)} is missing at ${landed.display}`
        : `${path.slice(2)} has ${found} bytes at ${landed.display} but ${size} at the source`;
    return { ok: false, files: expected.size, bytes, problem };
  }
  return { ok: true, files: expected.size, bytes };
}

/** Checks that a copied file has the source's size. */
export async function compareFiles(
  source: Location,
  landed: Location,
): Promise<TreeCheck> {
  const [expected, actual] = await Promise.all([
    fileSize(source),
    fileSize(landed),
  ]);
  if (expected === actual) return { ok: true, files: 1, bytes: expected };
  return {
    ok: false,
    files: 1,
    bytes: expected,
    problem: `${landed.display} has ${actual} bytes but the source has ${expected}`,
  };
}
