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

/** A Vast.ai instance the run uses, saved as soon as its id is known. */
export interface VastRecord {
  instanceId: number;
  /** Recipe host it was picked for, when a vast.pick chose it. */
  host?: string;
  /** The run rented it (vast.pick create=true). */
  createdByRun: boolean;
  /** The run started it from stopped. */
  startedByRun: boolean;
  /** It was stopped when vast.pick chose it. */
  pickedWhileStopped: boolean;
  /** When the run rented, started or picked it (ISO time). */
  startedAt: string;
  /** When the run stopped it (ISO time). */
  stoppedAt?: string;
  /** When `train vast destroy` saw the service no longer list it (ISO time). */
  destroyedAt?: string;
  /** Last $/h read from the API while running, storage included. */
  dphTotal?: number;
  /** Last storage $/h read from the API. */
  storagePerHour?: number;
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
  /** `--storage` overrides (name → spec); absent in jobs saved before the flag existed. */
  storageOverrides?: Record<string, string>;
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
  /** Hosts set by steps (`vast.pick`), name → spec such as `vast:123`. */
  pickedHosts?: Record<string, string>;
  /** Vast.ai instances the run picked, rented or started, in that order. */
  vastInstances?: VastRecord[];
}
