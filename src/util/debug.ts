// `TRAINSH_DEBUG=1` prints every external command and channel request with
// its host and duration on stderr, after redaction.
import { redact } from "../secrets/redact.ts";

let nextId = 1;

export function isDebugEnabled(): boolean {
  const value = process.env.TRAINSH_DEBUG;
  return value !== undefined && value !== "" && value !== "0";
}

function stamp(): string {
  return new Date().toISOString().slice(11, 23);
}

/** Logs the start of an operation and returns a function that logs its end. */
export function debugStart(
  host: string,
  what: string,
): (outcome: string) => void {
  if (!isDebugEnabled()) return () => {};
  const id = nextId++;
  const started = performance.now();
  process.stderr.write(redact(`[${stamp()}] [${id}] ${host} $ ${what}\n`));
  return (outcome) => {
    const ms = Math.round(performance.now() - started);
    process.stderr.write(
      redact(`[${stamp()}] [${id}] ${outcome} in ${ms}ms\n`),
    );
  };
}
