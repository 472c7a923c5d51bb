// Confirming a stop or a destroy by reading the instance again. The service
// accepts a request before it acts on it, so an instance can show as running
// for a while after a 200. Only a read that shows it stopped, or finds it
// gone, counts as done. Until then the instance may still be billing.
import type { VastClient } from "./client.ts";
import type { VastInstance } from "./instance.ts";
import { isNotFound, showInstance } from "./instances.ts";
import { describeStatus } from "./status.ts";

const FIRST_GAP_MS = 1000;
const MAX_GAP_MS = 10_000;

export type ConfirmResult =
  | { confirmed: true; instance?: VastInstance }
  | {
      confirmed: false;
      /** The instance as the last successful read showed it. */
      instance?: VastInstance;
      /** Error message of the last read, when it failed. */
      readError?: string;
    };

/** Returns true when the container stopped or exited, so GPU time no longer bills. */
export function isStopped(instance: VastInstance): boolean {
  return ["stopped", "exited"].includes(instance.actualStatus ?? "");
}

/**
 * Re-reads the instance with doubling gaps (1 s up to 10 s) until `done`
 * accepts it or the budget in ms runs out. A 404 passes `undefined` to
 * `done`. A failed read is retried like a read that was not done yet.
 */
async function pollUntil(
  client: VastClient,
  id: number,
  budgetMs: number,
  done: (instance: VastInstance | undefined) => boolean,
): Promise<ConfirmResult> {
  const deadline = Date.now() + budgetMs;
  let gap = FIRST_GAP_MS;
  let last: VastInstance | undefined;
  let readError: string | undefined;
  for (;;) {
    try {
      const instance = await showInstance(client, id);
      readError = undefined;
      last = instance;
      if (done(instance)) return { confirmed: true, instance };
    } catch (error) {
      if (isNotFound(error) && done(undefined)) return { confirmed: true };
      readError = (error as Error).message;
    }
    const left = deadline - Date.now();
    if (left <= 0) return { confirmed: false, instance: last, readError };
    await new Promise((resolve) => setTimeout(resolve, Math.min(gap, left)));
    gap = Math.min(gap * 2, MAX_GAP_MS);
  }
}

/** Re-reads the instance until the service no longer finds it. */
export function confirmGone(
  client: VastClient,
  id: number,
  budgetMs: number,
): Promise<ConfirmResult> {
  return pollUntil(client, id, budgetMs, (instance) => instance === undefined);
}

/** Re-reads the instance until its container reports stopped or exited. */
export function confirmStopped(
  client: VastClient,
  id: number,
  budgetMs: number,
): Promise<ConfirmResult> {
  return pollUntil(
    client,
    id,
    budgetMs,
    (instance) => instance !== undefined && isStopped(instance),
  );
}

/** Describes what the last read showed, e.g. "still shows running" or "could not be read (...)". */
export function describeUnconfirmed(
  result: ConfirmResult & { confirmed: false },
): string {
  if (result.readError !== undefined)
    return `could not be read (${result.readError})`;
  if (result.instance === undefined) return "could not be read";
  return `still shows ${describeStatus(result.instance)}`;
}
