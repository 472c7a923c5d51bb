// The live view on a terminal: every step with its state, and under the
// running step the last lines of its output, redrawn in place on stderr.
import pc from "picocolors";
import type { EventSink, RunEvent } from "../runtime/events.ts";
import { redact } from "../secrets/redact.ts";
import { formatMs } from "./format.ts";
import { formatEvent } from "./plain-view.ts";

type Row = {
  text: string;
  state: "pending" | "running" | "done" | "failed" | "skipped";
  note: string;
};

const TAIL_LINES = 6;

export class LiveView implements EventSink {
  private rows: Row[] = [];
  private tail: string[] = [];
  private drawn = 0;
  private messages: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private runningSince = 0;

  constructor(
    stepTexts: string[],
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.rows = stepTexts.map((text) => ({
      text: text.split("\n")[0] ?? "",
      state: "pending",
      note: "",
    }));
  }

  emit(event: RunEvent): void {
    this.apply(event);
    if (event.kind === "run-end") {
      this.stop();
      this.draw();
      this.out.write(
        redact(formatEvent(event, this.rows.length).join("\n")) + "\n",
      );
      return;
    }
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 1000).unref();
  }

  private apply(event: RunEvent): void {
    const row = "step" in event ? this.rows[event.step] : undefined;
    switch (event.kind) {
      case "step-start":
        if (row) row.state = "running";
        this.tail = [];
        this.runningSince = Date.now();
        break;
      case "step-output":
        if (event.final && row?.state === "done") break;
        this.tail = event.lines.slice(-TAIL_LINES);
        break;
      case "step-end":
        if (row) {
          row.state = event.ok ? "done" : "failed";
          row.note = `${event.message} (${formatMs(event.durationMs)})`;
        }
        if (event.ok) this.tail = [];
        break;
      case "step-skip":
        if (row) Object.assign(row, { state: "skipped", note: event.reason });
        break;
      case "info":
      case "warn":
      case "notify":
      case "run-start":
        this.messages.push(...formatEvent(event, this.rows.length));
        this.messages = this.messages.slice(-4);
        break;
      case "run-end":
        break;
    }
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private render(): string[] {
    const width = Math.max(40, (this.out.columns ?? 100) - 2);
    const clip = (s: string) =>
      s.length > width ? `${s.slice(0, width - 1)}…` : s;
    const lines = this.messages.map((m) => clip(m));
    // A recipe longer than the terminal shows a window around the running
    // step, since redrawing in place only works within the screen.
    const room = Math.max(
      5,
      (this.out.rows ?? 40) - lines.length - TAIL_LINES - 3,
    );
    const current = Math.max(
      0,
      this.rows.findIndex(
        (row) => row.state === "running" || row.state === "pending",
      ),
    );
    const first =
      this.rows.length <= room
        ? 0
        : Math.min(
            Math.max(0, current - Math.floor(room / 2)),
            this.rows.length - room,
          );
    const last = Math.min(this.rows.length, first + room);
    if (first > 0) lines.push(pc.dim(`  … ${first} earlier steps`));
    this.rows.slice(first, last).forEach((row, offset) => {
      const i = first + offset;
      const mark = {
        pending: pc.dim("·"),
        running: pc.cyan("▶"),
        done: pc.green("✓"),
        failed: pc.red("✗"),
        skipped: pc.dim("-"),
      }[row.state];
      const extra =
        row.state === "running"
          ? ` ${formatMs(Date.now() - this.runningSince)}`
          : row.note
            ? ` ${row.note}`
            : "";
      lines.push(clip(`${mark} ${i + 1}. ${row.text}${pc.dim(extra)}`));
      if (row.state === "running" || row.state === "failed") {
        for (const t of this.tail) lines.push(clip(pc.dim(`    │ ${t}`)));
      }
    });
    if (last < this.rows.length)
      lines.push(pc.dim(`  … ${this.rows.length - last} more steps`));
    return lines;
  }

  private draw(): void {
    const lines = this.render();
    let text = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[0J` : "";
    text += lines.join("\n") + "\n";
    this.drawn = lines.length;
    this.out.write(redact(text));
  }
}
