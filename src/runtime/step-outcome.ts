// The result type of step handlers. A failure is a value, not an exception, so the
// runner records it like any other result.

export interface StepOutcome {
  ok: boolean;
  message: string;
  exitCode?: number;
  /** Output of the step for its log file and the failure summary. */
  output?: string;
  /** Set when the step stopped because the run was interrupted (Ctrl-C). */
  interrupted?: boolean;
}

export const succeeded = (
  message: string,
  extra: Partial<StepOutcome> = {},
): StepOutcome => ({
  ok: true,
  message,
  ...extra,
});

export const failed = (
  message: string,
  extra: Partial<StepOutcome> = {},
): StepOutcome => ({
  ok: false,
  message,
  ...extra,
});

/** Rejected by the run's abort signal; the runner turns it into a detach. */
export class InterruptedError extends Error {
  constructor() {
    super("interrupted");
    this.name = "InterruptedError";
  }
}

/** Maximum delay setTimeout accepts; a longer one fires at once with a warning. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms`, or rejects with InterruptedError when `signal` aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let left = ms;
  while (left > MAX_TIMER_MS) {
    await sleepOnce(MAX_TIMER_MS, signal);
    left -= MAX_TIMER_MS;
  }
  await sleepOnce(left, signal);
}

function sleepOnce(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Describes an exit code the way a shell user reads it. */
export function describeExit(code: number): string {
  if (code === 127) return "exit code 127 (command not found)";
  if (code === 126) return "exit code 126 (command not executable)";
  if (code > 128 && code < 160) {
    const signal = code - 128;
    const name = SIGNAL_NAMES[signal];
    return `exit code ${code} (killed by signal ${signal}${name === undefined ? "" : `, ${name}`})`;
  }
  return `exit code ${code}`;
}

export const SIGNAL_NAMES: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  6: "SIGABRT",
  9: "SIGKILL",
  11: "SIGSEGV",
  13: "SIGPIPE",
  15: "SIGTERM",
};
