// Parsers for rclone's `--use-json-log` output (format checked against
// rclone 1.60): the periodic stats lines that drive progress, the NOTICE
// about duplicate names, and the errors that name a known cause.
import type { TransferProgress } from "./rsync-output.ts";

interface JsonLogLine {
  level?: string;
  msg?: string;
  object?: string;
  stats?: {
    bytes?: number;
    totalBytes?: number;
    speed?: number;
    eta?: number | null;
  };
}

/** Parses one JSON log line, or returns undefined for any other text. */
export function parseLogLine(line: string): JsonLogLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === "object" && parsed !== null
      ? (parsed as JsonLogLine)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Turns a stats log line into progress, or returns undefined. */
export function progressOf(line: string): TransferProgress | undefined {
  const stats = parseLogLine(line)?.stats;
  if (stats?.bytes === undefined) return undefined;
  const total = stats.totalBytes ?? 0;
  return {
    bytes: stats.bytes,
    percent: total > 0 ? Math.floor((stats.bytes / total) * 100) : undefined,
    rate:
      stats.speed === undefined ? undefined : `${formatBytes(stats.speed)}/s`,
    eta:
      stats.eta === undefined || stats.eta === null
        ? undefined
        : formatEta(stats.eta),
  };
}

/** Formats a byte count with binary units: 1536 gives "1.50KiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${Math.round(value)}B`
    : `${value.toFixed(2)}${units[unit]}`;
}

/** Formats seconds as H:MM:SS, the way rsync prints its ETA. */
export function formatEta(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

// "Duplicate object found in source - ignoring" is logged per name at NOTICE.
const DUPLICATE =
  /Duplicate (?:object|directory) found in (?:source|destination)/;

/** Lists the names that rclone skipped because the source has them twice. */
export function duplicateNames(stderr: string): string[] {
  const names = new Set<string>();
  for (const line of stderr.split("\n")) {
    const entry = parseLogLine(line);
    const text = entry?.msg ?? line;
    if (!DUPLICATE.test(text)) continue;
    const name = entry?.object ?? /^[^:]*: (.*?): Duplicate/.exec(text)?.[1];
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/** Returns the error messages of the log, without the stats and info lines. */
export function errorLines(stderr: string): string[] {
  const lines: string[] = [];
  for (const line of stderr.split("\n")) {
    if (line.trim() === "") continue;
    const entry = parseLogLine(line);
    if (entry === undefined) lines.push(line.trim());
    else if (entry.level === "error" || entry.level === "critical") {
      const object = entry.object === undefined ? "" : `${entry.object}: `;
      lines.push(`${object}${entry.msg ?? ""}`.trim());
    }
  }
  return lines;
}

export type RcloneCause =
  | "quota"
  | "bucket-scoped"
  | "wrong-key"
  | "no-bucket"
  | "unreachable"
  | "ca-bundle"
  | "not-found";

const CAUSES: [RcloneCause, RegExp][] = [
  ["quota", /userRateLimitExceeded|upload limit|Upload limit|quotaExceeded/],
  [
    "wrong-key",
    /InvalidAccessKeyId|SignatureDoesNotMatch|InvalidAccessKey|bad_auth_token|unauthorized/i,
  ],
  ["no-bucket", /NoSuchBucket|bucket.*does not exist/i],
  ["bucket-scoped", /AccessDenied|403 Forbidden|status code: 403/],
  ["ca-bundle", /LoadCustomCABundleError/],
  [
    "unreachable",
    /connection refused|no such host|i\/o timeout|dial tcp|network is unreachable/i,
  ],
  ["not-found", /directory not found|object not found|file not found/i],
];

/** Names the known cause in rclone's error output, if any. */
export function classifyRcloneError(stderr: string): RcloneCause | undefined {
  for (const [cause, pattern] of CAUSES) if (pattern.test(stderr)) return cause;
  return undefined;
}

/** Explains a cause and the next step, for one storage. */
export function describeCause(
  cause: RcloneCause | undefined,
  storage: { name: string; type: string },
): string {
  switch (cause) {
    case "quota":
      return "Google Drive's daily upload limit (about 750 GiB a day) was reached. Rerun after the quota resets; files that finished are skipped.";
    case "wrong-key":
      return `The access key of storage "${storage.name}" was rejected (unknown key id or wrong secret). Check its credentials, then run train storage test ${storage.name}.`;
    case "no-bucket":
      return `The bucket of storage "${storage.name}" does not exist. Create it, or fix the bucket name with train storage add.`;
    case "bucket-scoped":
      return `Access was denied (403). The credentials of storage "${storage.name}" may be limited to one bucket or to some operations: check that the token covers this bucket with read and write access.`;
    case "ca-bundle":
      return "rclone could not load the CA bundle named by AWS_CA_BUNDLE.";
    case "unreachable":
      return `The endpoint of storage "${storage.name}" could not be reached. Check the endpoint and the network, then rerun.`;
    case "not-found":
      return "A path was not found. Check the source and destination paths.";
    default:
      return "Fix the cause above, then rerun; files that finished are skipped.";
  }
}
