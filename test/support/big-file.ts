// A large file of random bytes, written in chunks so memory stays small.
import { randomBytes } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";

const CHUNK = 8 * 1024 * 1024;

/** Writes `size` random bytes to `path`, creating its directory. */
export async function writeBigFile(path: string, size: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, "w");
  try {
    for (let written = 0; written < size; written += CHUNK) {
      await file.write(randomBytes(Math.min(CHUNK, size - written)));
    }
  } finally {
    await file.close();
  }
}
