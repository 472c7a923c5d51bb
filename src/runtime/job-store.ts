// Jobs on disk: `jobs/<YYYYmmdd-HHMMSS>-<id>/` contains `state.json` (written
// atomically), `events.jsonl` (one redacted event per line) and
// `steps/<n>.log` (the redacted output of step n, 1-based).
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { paths } from "../config/paths.ts";
import { writeFileAtomic } from "../config/toml-file.ts";
import { redact } from "../secrets/redact.ts";
import type { JobState } from "./job-state.ts";
import type { RunEvent, TimedEvent } from "./events.ts";

export class JobNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobNotFoundError";
  }
}

function timestampPrefix(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

export class JobLockedError extends Error {
  constructor(id: string, pid: number | undefined) {
    const holder = pid === undefined ? "another runner" : `process ${pid}`;
    super(
      `job ${id} is being run by ${holder}; stop that runner first (Ctrl-C)`,
    );
    this.name = "JobLockedError";
  }
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function newJobId(): string {
  return randomBytes(4).toString("hex");
}

export class JobStore {
  /** Job folders already found, since a run writes to its own many times a step. */
  private readonly dirs = new Map<string, string>();

  constructor(readonly root = paths.jobs()) {}

  /** Directory of a job; created for a new id. */
  dirFor(id: string, created = new Date()): string {
    const cached = this.dirs.get(id);
    if (cached !== undefined) return cached;
    let dir = this.findDir(id);
    if (dir === undefined) {
      dir = join(this.root, `${timestampPrefix(created)}-${id}`);
      mkdirSync(join(dir, "steps"), { recursive: true, mode: 0o700 });
    }
    this.dirs.set(id, dir);
    return dir;
  }

  private findDir(id: string): string | undefined {
    if (!existsSync(this.root)) return undefined;
    const name = readdirSync(this.root).find((entry) =>
      entry.endsWith(`-${id}`),
    );
    return name === undefined ? undefined : join(this.root, name);
  }

  /**
   * Takes the job's runner lock, a file created with O_EXCL that holds the
   * runner's PID, so two runners never drive one job. A lock whose process
   * is gone is taken over. Returns the function that releases it.
   */
  lock(id: string): () => void {
    const file = join(this.dirFor(id), "runner.lock");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
        return () => rmSync(file, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = Number(readFileSync(file, "utf8").trim());
        if (isProcessAlive(holder)) throw new JobLockedError(id, holder);
        rmSync(file, { force: true });
      }
    }
    throw new JobLockedError(id, undefined);
  }

  save(state: JobState): void {
    const dir = this.dirFor(state.id, new Date(state.createdAt));
    const text = redact(JSON.stringify(state, null, 2)) + "\n";
    // Saved twice per step. The rename alone keeps the file whole when train
    // is killed. The flush to disk, which only matters if the machine itself
    // crashes, cost 0.4 ms per save idle and 2.4 ms on a loaded 2-core VM.
    writeFileAtomic(join(dir, "state.json"), text, 0o600, { flush: false });
  }

  load(id: string): JobState {
    const dir = this.findDir(id);
    if (dir === undefined) throw new JobNotFoundError(`job not found: ${id}`);
    return JSON.parse(
      readFileSync(join(dir, "state.json"), "utf8"),
    ) as JobState;
  }

  appendEvent(id: string, event: RunEvent): void {
    const timed: TimedEvent = { ts: new Date().toISOString(), ...event };
    const dir = this.dirFor(id);
    appendFileSync(
      join(dir, "events.jsonl"),
      redact(JSON.stringify(timed)) + "\n",
      {
        mode: 0o600,
      },
    );
  }

  readEvents(id: string): TimedEvent[] {
    const dir = this.findDir(id);
    if (dir === undefined) throw new JobNotFoundError(`job not found: ${id}`);
    const file = join(dir, "events.jsonl");
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as TimedEvent);
  }

  writeStepLog(id: string, step: number, text: string): string {
    const file = join(this.dirFor(id), "steps", `${step + 1}.log`);
    writeFileSync(file, redact(text), { mode: 0o600 });
    return file;
  }

  /** Saves the full pane text of a session before it is closed. */
  writeSessionLog(id: string, alias: string, text: string): string {
    const file = join(
      this.dirFor(id),
      `session-${alias.replace(/[^A-Za-z0-9_-]/g, "_")}.log`,
    );
    writeFileSync(file, redact(text), { mode: 0o600 });
    return file;
  }

  stepLogPath(id: string, step: number): string | undefined {
    const dir = this.findDir(id);
    if (dir === undefined) return undefined;
    const file = join(dir, "steps", `${step + 1}.log`);
    return existsSync(file) ? file : undefined;
  }

  /** Returns all jobs, newest first, skipping unreadable state files. */
  list(): JobState[] {
    if (!existsSync(this.root)) return [];
    const names = readdirSync(this.root).sort().reverse();
    const states: JobState[] = [];
    for (const name of names) {
      const file = join(this.root, name, "state.json");
      try {
        states.push(JSON.parse(readFileSync(file, "utf8")) as JobState);
      } catch {
        // A job dir without a readable state (a run killed before its first
        // save) has nothing to show or resume.
      }
    }
    // Folder names carry the second a job started; two jobs of the same
    // second are ordered by their start time in milliseconds.
    return states.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Returns the job with this exact id or unique id prefix. */
  resolve(idOrPrefix: string): JobState {
    const matches = this.list().filter((state) =>
      state.id.startsWith(idOrPrefix),
    );
    const exact = matches.find((state) => state.id === idOrPrefix);
    if (exact !== undefined) return exact;
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0)
      throw new JobNotFoundError(`job not found: ${idOrPrefix}`);
    throw new JobNotFoundError(
      `job id prefix "${idOrPrefix}" matches ${matches.length} jobs; give more characters`,
    );
  }
}
