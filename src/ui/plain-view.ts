// Plain, timestamped progress lines on stderr: the `--no-visual` view and the
// view whenever stderr is not a terminal.
import pc from "picocolors";
import type { EventSink, RunEvent } from "../runtime/events.ts";
import { redact } from "../secrets/redact.ts";
import { formatMs } from "./format.ts";

function stamp(): string {
  return new Date().toTimeString().slice(0, 8);
}

export function formatEvent(event: RunEvent, total: number): string[] {
  switch (event.kind) {
    case "run-start":
      return [
        `${event.resumed ? "resuming" : "starting"} ${event.recipe} (job ${event.jobId})`,
      ];
    case "step-start":
      return [
        `→ ${event.step + 1}/${event.total} ${event.text.split("\n")[0]}`,
      ];
    case "step-skip":
      return [`- ${event.step + 1}/${total} skipped: ${event.reason}`];
    case "step-output":
      return event.lines.map((line) => `  │ ${line}`);
    case "step-end": {
      const mark = event.ok ? pc.green("✓") : pc.red("✗");
      return [
        `${mark} ${event.step + 1}/${total} ${event.message} (${formatMs(event.durationMs)})`,
      ];
    }
    case "info":
      return [`  ${event.message}`];
    case "warn":
      return [pc.yellow(`  warning: ${event.message}`)];
    case "notify":
      return [`📢 ${event.message}`];
    case "run-end":
      return [
        `${event.status}: ${event.message} in ${formatMs(event.durationMs)}`,
      ];
  }
}

export class PlainView implements EventSink {
  private total = 0;

  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {}

  emit(event: RunEvent): void {
    if (event.kind === "step-start" || event.kind === "run-start")
      this.total = event.total;
    // A running step's preview is for the live view; plain output shows each
    // step's tail once, after its end line.
    if (event.kind === "step-output" && !event.final) return;
    for (const line of formatEvent(event, this.total)) {
      this.out.write(redact(`[${stamp()}] ${line}\n`));
    }
  }
}

/** Only warnings and a failed step's end, for commands whose stdout is the point. */
export class QuietView implements EventSink {
  private total = 0;

  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {}

  emit(event: RunEvent): void {
    if (event.kind === "run-start") this.total = event.total;
    const show =
      event.kind === "warn" ||
      event.kind === "notify" ||
      (event.kind === "step-end" && !event.ok);
    if (!show) return;
    for (const line of formatEvent(event, this.total))
      this.out.write(redact(`${line}\n`));
  }
}
