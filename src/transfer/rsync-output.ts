// Parsers for the rsync output that the engine requests: `--info=progress2`
// lines, `--stats` totals (with `--no-human-readable`, so numbers carry no
// digit separators) and `--itemize-changes` lines. Formats checked against
// rsync 3.5.0.

export interface TransferProgress {
  bytes: number;
  rate?: string;
  eta?: string;
  percent?: number;
}

// "     21299200  70%   19.56MB/s    0:00:00  (xfr#1, to-chk=0/2)"
const PROGRESS_LINE = /^\s*(\d+)\s+(\d+)%\s+(\S+\/s)\s+(\d+:\d{2}:\d{2})/;

/** Parses one `--info=progress2` line, or returns undefined for any other line. */
export function parseProgressLine(line: string): TransferProgress | undefined {
  const match = PROGRESS_LINE.exec(line);
  if (match === null) return undefined;
  return {
    bytes: Number(match[1]),
    percent: Number(match[2]),
    rate: match[3],
    eta: match[4],
  };
}

export interface RsyncStats {
  /** Regular files in the transfer after excludes ("Number of files: N (reg: R, ...)"). */
  regularFiles: number;
  /** Regular files that were (or in a dry run would be) sent. */
  filesTransferred: number;
  deletedFiles: number;
  /** Total size of the regular files in the transfer, in bytes. */
  totalSize: number;
  /** Size of the files that were sent, in bytes. */
  transferredSize: number;
  /** Bytes rsync sent over the wire, including protocol data. */
  bytesSent: number;
}

/** Parses the `--stats` block, or returns undefined when it is missing. */
export function parseStats(output: string): RsyncStats | undefined {
  const total = statNumber(output, /^Total file size: (\d+)/m);
  if (total === undefined) return undefined;
  const files = /^Number of files: (\d+)(?: \(([^)]*)\))?/m.exec(output);
  const regular =
    files?.[2] === undefined ? files?.[1] : /reg: (\d+)/.exec(files[2])?.[1];
  return {
    regularFiles: Number(regular ?? 0),
    filesTransferred:
      statNumber(output, /^Number of regular files transferred: (\d+)/m) ?? 0,
    deletedFiles: statNumber(output, /^Number of deleted files: (\d+)/m) ?? 0,
    totalSize: total,
    transferredSize:
      statNumber(output, /^Total transferred file size: (\d+)/m) ?? 0,
    bytesSent: statNumber(output, /^Total bytes sent: (\d+)/m) ?? 0,
  };
}

function statNumber(output: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export interface ItemizedChanges {
  /** Paths of regular files that would be sent, relative to the destination. */
  files: string[];
  /** Paths that would be deleted, relative to the destination. */
  deletions: string[];
}

// "*deleting   name" and ">f+++++++++ name"; the flags are 11 characters.
const ITEM_LINE = /^([<>ch.*][fdLDS][^ ]{9}|\*deleting) +(.*)$/;

/** Collects the file and deletion lines of `--itemize-changes` output. */
export function parseItemized(output: string): ItemizedChanges {
  const changes: ItemizedChanges = { files: [], deletions: [] };
  for (const line of output.split("\n")) {
    const match = ITEM_LINE.exec(line);
    if (match === null) continue;
    const [, flags = "", path = ""] = match;
    if (flags === "*deleting") changes.deletions.push(path);
    else if (flags[1] === "f" && /^[<>c]/.test(flags)) changes.files.push(path);
  }
  return changes;
}
