// A listing of a local source (name -> size and modification time) taken
// before and after an rsync copy, so that a clean rsync exit plus an
// unchanged listing means the destination contains the source as it is
// now. A single file is one lstat, with the time in nanoseconds. rsync
// lists a directory, or any source with excludes, so that its own filter
// rules decide what belongs to the copy. On 50,000 files that took 0.3 to
// 0.4 s, where a walk in Node took 2.2 to 2.6 s.
import { lstat, stat } from "node:fs/promises";
import { runProcess } from "../remote/process.ts";
import { PARTIAL_DIR } from "./rsync.ts";

/** Name (relative to the source) -> "SIZE bytes, modified TIME". */
export type SourceListing = Map<string, string>;

const LIST_TIMEOUT_MS = 600_000;

/**
 * Lists the files and symlinks of a local source. Returns undefined when
 * the source cannot be listed, and the copy then reports why.
 */
export async function listSource(
  path: string,
  exclude: string[],
): Promise<SourceListing | undefined> {
  try {
    const file = exclude.length === 0 ? await statFile(path) : "directory";
    return file === "directory" ? await listWithRsync(path, exclude) : file;
  } catch {
    return undefined;
  }
}

async function statFile(path: string): Promise<SourceListing | "directory"> {
  // rsync follows a symlink named as the source only with a trailing slash.
  const info = path.endsWith("/")
    ? await stat(path, { bigint: true })
    : await lstat(path, { bigint: true });
  if (info.isDirectory()) return "directory";
  return new Map([["", describe(info.size, info.mtimeNs)]]);
}

function describe(size: bigint, mtimeNs: bigint): string {
  return `${size} bytes, modified at ${mtimeNs} ns`;
}

async function listWithRsync(
  path: string,
  exclude: string[],
): Promise<SourceListing> {
  const argv = [
    "rsync",
    "-rlt",
    `--partial-dir=${PARTIAL_DIR}`,
    "--no-human-readable",
    ...exclude.map((pattern) => `--exclude=${pattern}`),
    "--list-only",
    "--",
    path,
  ];
  const result = await runProcess(argv, { timeoutMs: LIST_TIMEOUT_MS });
  if (result.failed) throw new Error(result.stderr);
  return parseListing(result.stdout);
}

// "-rw-r--r--    268435456 2026/12/04 16:50:31 name": the type and
// permissions, the size, the date and time, then the name to the end.
const LISTING_LINE = /^(\S)\S*\s+(\d+) (\S+ \S+) (.*)$/;

/**
 * Reads `rsync --list-only` output, leaving directories out: their times
 * change whenever an entry is added, an excluded one included.
 */
export function parseListing(output: string): SourceListing {
  const listing: SourceListing = new Map();
  for (const line of output.split("\n")) {
    const match = LISTING_LINE.exec(line);
    if (match === null || match[1] === "d") continue;
    listing.set(match[4] ?? "", `${match[2]} bytes, modified ${match[3]}`);
  }
  return listing;
}

/**
 * Names the first entry that changed or appeared between two listings. A
 * removed entry does not count: rsync reports it as vanished (exit 24),
 * which is a warning, and the second-pass check ignores it the same way.
 */
export function firstChange(
  before: SourceListing,
  after: SourceListing,
): string | undefined {
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now !== undefined && now !== was)
      return `${shown(name)} was ${was}, now ${now}`;
  }
  for (const name of after.keys())
    if (!before.has(name)) return `${shown(name)} appeared`;
  return undefined;
}

function shown(name: string): string {
  return name === "" ? "the file" : name;
}
