// Durations in recipes: `30s`, `5m`, `2h`, `1d`, compounds such as `1h30m`,
// decimals such as `1.5h`, and bare numbers of seconds such as `300`.

const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
const UNIT_ORDER = "dhms";
const BARE_SECONDS = /^\d+(?:\.\d+)?$/;
const PART = /(\d+(?:\.\d+)?)([dhms])/gy;

export const DURATION_FORMS =
  "use a number with s, m, h or d (30s, 5m, 2h, 1h30m, 1.5h) or plain seconds (300)";

export class DurationError extends Error {
  constructor(readonly value: string) {
    super(`invalid duration "${value}": ${DURATION_FORMS}`);
    this.name = "DurationError";
  }
}

/** Parses a duration into seconds; throws DurationError on any other text. */
export function parseDuration(text: string): number {
  if (BARE_SECONDS.test(text)) return Number(text);

  const seconds = parseUnitParts(text.toLowerCase());
  if (seconds === undefined) throw new DurationError(text);
  return seconds;
}

// Units must each appear once, largest first, so `30m1h` and `1h1h` are rejected.
function parseUnitParts(text: string): number | undefined {
  if (text === "") return undefined;

  PART.lastIndex = 0;
  let total = 0;
  let lastUnit = -1;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) return undefined;

    const unit = match[2] as string;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastUnit) return undefined;
    lastUnit = rank;
    total += Number(match[1]) * (UNIT_SECONDS[unit] as number);
  }
  return total;
}

/** Formats seconds as `1h02m05s`, `4m05s`, `12s`, or `850ms` below one second. */
export function formatDuration(seconds: number): string {
  const clamped = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const millis = Math.round(clamped * 1000);
  if (millis > 0 && millis < 1000) return `${millis}ms`;

  const whole = Math.round(clamped);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(rest)}s`;
  if (minutes > 0) return `${minutes}m${pad(rest)}s`;
  return `${rest}s`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
