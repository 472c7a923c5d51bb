// Whether a local file system keeps fractions of a second in modification
// times, checked by creating a file in the nearest existing directory of a
// path. rsync's nanosecond comparison would make every file on a
// whole-second file system (FAT, ext2 with small inodes, many FUSE mounts)
// differ on every run.
import { closeSync, openSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Reports whether new files under `path` get times with a fraction; false when unknown. */
export function keepsFractions(path: string): boolean {
  let dir = resolve(path);
  while (!isDirectory(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
  const probe = join(dir, `.trainsh-mtime.${process.pid}`);
  try {
    closeSync(openSync(probe, "wx", 0o600));
    return statSync(probe, { bigint: true }).mtimeNs % 1_000_000_000n !== 0n;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
