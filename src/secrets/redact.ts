// Process-wide registry of resolved secret values. Every line that leaves the
// process through a log, an event, a step log or an error message passes
// through `redact`, so a value registered here is never printed.

const MASK = "***";
const MIN_LENGTH = 3;
const values = new Set<string>();

/** Registers a resolved secret so later output replaces it with `***`. */
export function registerSecret(value: string): void {
  // Very short values would mask ordinary words; they are still kept out of
  // argv and panes by the step-script mechanism.
  if (value.length >= MIN_LENGTH) values.add(value);
}

export function redact(text: string): string {
  if (values.size === 0) return text;
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  const sorted = [...values].sort((a, b) => b.length - a.length);
  for (const value of sorted) out = out.split(value).join(MASK);
  return out;
}

export function hasSecrets(): boolean {
  return values.size > 0;
}

/** Forgets every registered value; for tests that run several jobs in one process. */
export function clearSecrets(): void {
  values.clear();
}
