// Parses `LC_ALL=C ls -la` output of GNU coreutils and of BusyBox, which
// share the long format: mode, links, owner, group, size (or "major, minor"
// for devices), month, day, time or year, name (and "-> target" for links).

export interface RemoteEntry {
  name: string;
  kind: "dir" | "file" | "link" | "other";
  /** Size in bytes; undefined for devices. */
  size?: number;
  mode: string;
  /** Where a symbolic link points. */
  target?: string;
}

const LONG_LINE =
  /^([-bcdlps][-rwxsStTl]{9})\S*\s+\d+\s+\S+\s+\S+\s+(\d+|\d+,\s*\d+)\s+[A-Z][a-z]{2}\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})\s(.*)$/;

export function parseLsLong(output: string): RemoteEntry[] {
  const entries: RemoteEntry[] = [];
  for (const line of output.split("\n")) {
    const entry = parseLine(line);
    if (entry === undefined) continue;
    if (entry.name === "." || entry.name === "..") continue;
    entries.push(entry);
  }
  return entries;
}

function parseLine(line: string): RemoteEntry | undefined {
  const match = LONG_LINE.exec(line);
  if (match === null) return undefined;
  const mode = match[1] ?? "";
  const sizeText = match[2] ?? "";
  let name = match[3] ?? "";
  let target: string | undefined;
  if (mode.startsWith("l")) {
    const arrow = name.indexOf(" -> ");
    if (arrow !== -1) {
      target = name.slice(arrow + 4);
      name = name.slice(0, arrow);
    }
  }
  return {
    name,
    kind: kindOf(mode),
    size: sizeText.includes(",") ? undefined : Number(sizeText),
    mode,
    target,
  };
}

function kindOf(mode: string): RemoteEntry["kind"] {
  switch (mode[0]) {
    case "d":
      return "dir";
    case "-":
      return "file";
    case "l":
      return "link";
    default:
      return "other";
  }
}

/** Sorts directories first, then by name without regard to case. */
export function sortEntries(entries: RemoteEntry[]): RemoteEntry[] {
  return [...entries].sort((a, b) => {
    const dirA = a.kind === "dir" ? 0 : 1;
    const dirB = b.kind === "dir" ? 0 : 1;
    if (dirA !== dirB) return dirA - dirB;
    return a.name.localeCompare(b.name, "en", { sensitivity: "base" });
  });
}

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The parent of an absolute POSIX path; `/` is its own parent. */
export function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  return slash <= 0 ? "/" : trimmed.slice(0, slash);
}

export function joinRemote(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}
