// Typed events of a run. The runner emits them; the job store appends them to
// `events.jsonl` and the views (live or plain) render them.

export type RunEvent =
  | {
      kind: "run-start";
      jobId: string;
      recipe: string;
      resumed: boolean;
      total: number;
    }
  | { kind: "step-start"; step: number; total: number; text: string }
  /** `final` marks the tail of a finished step; otherwise a running step's preview. */
  | { kind: "step-output"; step: number; lines: string[]; final?: boolean }
  | {
      kind: "step-end";
      step: number;
      ok: boolean;
      message: string;
      durationMs: number;
    }
  | { kind: "step-skip"; step: number; reason: string }
  | { kind: "info"; message: string }
  | { kind: "warn"; message: string }
  | { kind: "notify"; message: string }
  | { kind: "run-end"; status: RunStatus; message: string; durationMs: number };

export type RunStatus = "running" | "completed" | "failed" | "interrupted";

export type TimedEvent = RunEvent & { ts: string };

export interface EventSink {
  emit(event: RunEvent): void;
}
