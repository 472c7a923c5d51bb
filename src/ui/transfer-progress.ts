// Progress of one transfer on stderr: a redrawn bar with bytes, rate and
// ETA on a terminal, and one summary line at the end otherwise.
import type { TransferProgress } from "../transfer/rsync-output.ts";
import { formatBytes } from "../transfer/rclone-output.ts";
import { formatMs } from "./format.ts";

const BAR_WIDTH = 24;

export interface ProgressReporter {
  update(progress: TransferProgress): void;
  /** Ends the bar, or prints the summary line when there was no terminal. */
  finish(): void;
}

export function progressReporter(
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const started = performance.now();
  let last: TransferProgress | undefined;
  let drawn = false;
  return {
    update(progress) {
      last = progress;
      if (stream.isTTY !== true) return;
      stream.write(`\r${barLine(progress)}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write("\n");
      if (stream.isTTY === true || last === undefined) return;
      const elapsed = performance.now() - started;
      const rate =
        elapsed > 0 ? formatBytes((last.bytes / elapsed) * 1000) : "?";
      stream.write(
        `transferred ${formatBytes(last.bytes)} in ${formatMs(elapsed)} (${rate}/s)\n`,
      );
    },
  };
}

/** Formats "[#######.................]  30%  1.20GiB  85.00MiB/s  ETA 0:00:42". */
export function barLine(progress: TransferProgress): string {
  const percent = progress.percent;
  const filled =
    percent === undefined
      ? 0
      : Math.round((Math.min(percent, 100) / 100) * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
  const parts = [
    bar,
    percent === undefined ? "" : `${String(percent).padStart(3)}%`,
    formatBytes(progress.bytes),
  ];
  if (progress.rate !== undefined) parts.push(progress.rate);
  if (progress.eta !== undefined) parts.push(`ETA ${progress.eta}`);
  return parts.filter((part) => part !== "").join("  ");
}
