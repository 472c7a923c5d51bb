// A small file tree with the names that break naive quoting, and a way to
// compare two trees by the sha256 of every regular file.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** Relative path and content of every file in the sample tree. */
export const SAMPLE_FILES: Record<string, string | Buffer> = {
  "top.txt": "top level\n",
  empty: "",
  [`it's a "file".txt`]: "quotes\n",
  "with space/a b.txt": "space\n",
  "nested/deeper/data.bin": randomBytes(100_000),
  "ünïcødé/naïve – 東京.txt": "non-ascii\n",
  "dollar/$HOME and `tick`.txt": "shell characters\n",
};

/** Writes the sample tree under `dir` (creating it) and returns `dir`. */
export async function writeSampleTree(dir: string): Promise<string> {
  for (const [path, content] of Object.entries(SAMPLE_FILES)) {
    const full = join(dir, path);
    await mkdir(join(full, ".."), { recursive: true });
    await writeFile(full, content);
  }
  return dir;
}

/** Maps the relative path of every regular file under `dir` to its sha256. */
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const entry of await readdir(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    hashes.set(relative(dir, full), await hashFile(full));
  }
  return hashes;
}

/** Returns the sha256 of a file, read as a stream so large files fit. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}
