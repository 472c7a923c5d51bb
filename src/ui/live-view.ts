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

const MARKS: Record<Row["state"], string> = {
  pending: pc.dim("·"),
  running: pc.cyan("▶"),
  done: pc.green("✓"),
  failed: pc.red("✗"),
  skipped: pc.dim("-"),
};

export class LiveView implements EventSink {
  private rows: Row[] = [];
  private tail: string[] = [];
  private drawn = 0;
  private messages: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
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
    const clip = (text: string) =>
      text.length > width ? `${text.slice(0, width - 1)}…` : text;
    const lines = this.messages.map(clip);
    const room = Math.max(
      5,
      (this.out.rows ?? 40) - lines.length - TAIL_LINES - 3,
    );
    const { first, last } = this.visibleRange(room);

    if (first > 0) lines.push(pc.dim(`  … ${first} earlier steps`));
    for (let index = first; index < last; index++) {
      const row = this.rows[index]!;
      lines.push(
        clip(
          `${MARKS[row.state]} ${index + 1}. ${row.text}${pc.dim(this.note(row))}`,
        ),
      );
      if (row.state === "running" || row.state === "failed") {
        for (const tail of this.tail) lines.push(clip(pc.dim(`    │ ${tail}`)));
      }
    }
    if (last < this.rows.length) {
      lines.push(pc.dim(`  … ${this.rows.length - last} more steps`));
    }
    return lines;
  }

  /**
   * Returns the rows that fit in `room` lines, around the running step: a
   * redraw in place works only within the screen.
   */
  private visibleRange(room: number): { first: number; last: number } {
    if (this.rows.length <= room) return { first: 0, last: this.rows.length };
    const running = this.rows.findIndex(
      (row) => row.state === "running" || row.state === "pending",
    );
    const centre = Math.max(0, running) - Math.floor(room / 2);
    const first = Math.min(Math.max(0, centre), this.rows.length - room);
    return { first, last: first + room };
  }

  private note(row: Row): string {
    if (row.state === "running")
      return ` ${formatMs(Date.now() - this.runningSince)}`;
    return row.note ? ` ${row.note}` : "";
  }

  /** Stops redrawing while a prompt uses the terminal; returns the function that resumes. */
  pause(): () => void {
    this.stop();
    this.paused = true;
    return () => {
      this.paused = false;
      this.drawn = 0;
      this.draw();
    };
  }

  private draw(): void {
    if (this.paused) return;
    const lines = this.render();
    let text = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[0J` : "";
    text += lines.join("\n") + "\n";
    this.drawn = lines.length;
    this.out.write(redact(text));
  }
}
