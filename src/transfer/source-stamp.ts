// The size and modification time (in nanoseconds) of a local source file,
// taken before and after an rsync copy. rsync checks each file it sends
// against a whole-file checksum, so a clean exit plus an unchanged stamp
// means the destination contains the file as it is now, without a second
// rsync pass over ssh.
import { lstat, stat } from "node:fs/promises";

export interface FileStamp {
  size: bigint;
  mtimeNs: bigint;
}

/**
 * Stamps a local file. Returns "missing" when it does not exist and
 * undefined for anything that is not a file or symlink, or unreadable.
 */
export async function stampFile(
  path: string,
): Promise<FileStamp | "missing" | undefined> {
  try {
    // rsync follows a symlink named as the source only with a trailing slash.
    const info = path.endsWith("/")
      ? await stat(path, { bigint: true })
      : await lstat(path, { bigint: true });
    if (info.isDirectory()) return undefined;
    return { size: info.size, mtimeNs: info.mtimeNs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "missing" : undefined;
  }
}

/** Describes a stamp for messages: "42 bytes, modified 2026-12-04T17:06:38.123456789Z". */
export function describeStamp(stamp: FileStamp): string {
  const seconds = stamp.mtimeNs / 1_000_000_000n;
  const fraction = (stamp.mtimeNs % 1_000_000_000n).toString().padStart(9, "0");
  const time = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${stamp.size} bytes, modified ${time}.${fraction}Z`;
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs;
}
