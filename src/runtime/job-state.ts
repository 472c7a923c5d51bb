// The record of one run, saved after every step and after each step is sent,
// so `recipe resume` can continue from exactly where the runner stopped.
import type { RunStatus } from "./events.ts";

export type StepStatus =
  "pending" | "sending" | "sent" | "done" | "failed" | "skipped";

export interface StepRecord {
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  exitCode?: number;
  message?: string;
  /** Session alias the step was sent to (execute steps). */
  session?: string;
  background?: boolean;
}

export interface SessionRecord {
  alias: string;
  /** Recipe host name the session runs on (`local` for this machine). */
  host: string;
  /** tmux session name on that host. */
  tmuxName: string;
  /** Byte offset of the session log when the last step was sent to it. */
  logOffset: number;
  /** Background steps whose status has not been collected yet. */
  pending: number[];
}

export interface JobState {
  version: 1;
  id: string;
  recipePath: string;
  recipeName: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  /** PID of the runner that last drove the job. */
  pid: number;
  /** `--var` overrides. */
  varOverrides: Record<string, string>;
  /** `--host` overrides (name → spec). */
  hostOverrides: Record<string, string>;
  /** Variables set by steps during the run (never secret values). */
  runtimeVars: Record<string, string>;
  currentStep: number;
  totalSteps: number;
  steps: StepRecord[];
  sessions: Record<string, SessionRecord>;
  error?: string;
  /** Hash of the recipe's steps, so resume can refuse a recipe edited since. */
  fingerprint?: string;
  /** Recipe text for jobs with no recipe file (`train exec`). */
  source?: string;
}
