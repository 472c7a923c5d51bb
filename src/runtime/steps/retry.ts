// Waits survive dropped connections: a channel error during a poll is retried
// with backoff until the caller's own deadline, which is checked by the caller.
import { ChannelError } from "../../remote/channel.ts";
import type { RunContext } from "../context.ts";
import { sleep } from "../step-outcome.ts";
import { instanceEnded, InstanceWatch } from "../vast/reachability.ts";

const MAX_BACKOFF_MS = 15_000;
const WARNING_INTERVAL_MS = 60_000;
/** How long a host may stay unreachable before the step fails. */
const UNREACHABLE_GRACE_MS = 10 * 60_000;

/** Failures a later attempt can cure; auth, host-key and protocol errors are final. */
const RETRIED = new Set<string>(["unreachable", "timeout", "connection-lost"]);

/** Returns whether a later attempt of the same request may succeed. */
export function isRetriable(error: unknown): boolean {
  return error instanceof ChannelError && RETRIED.has(error.kind);
}

export class HostUnreachableError extends Error {}

/**
 * Runs `attempt`, retrying channel failures with backoff. When `host` is a
 * Vast.ai instance, the API is asked while the host is unreachable: an
 * instance that ended fails at once, and a running one keeps the retries
 * going until the grace period ends.
 */
export async function withRetries<T>(
  ctx: RunContext,
  what: string,
  attempt: () => Promise<T>,
  opts: { host?: string } = {},
): Promise<T> {
  let delay = 500;
  let firstFailure: number | undefined;
  let lastWarning = 0;
  const watch =
    opts.host === undefined ? undefined : InstanceWatch.forHost(ctx, opts.host);
  for (;;) {
    try {
      const result = await attempt();
      if (firstFailure !== undefined && watch !== undefined)
        ctx.emit({
          kind: "info",
          message: `${what}: reachable again after ${secondsSince(firstFailure)}s`,
        });
      return result;
    } catch (error) {
      if (!(error instanceof ChannelError) || !RETRIED.has(error.kind))
        throw error;
      firstFailure ??= Date.now();
      const down = Date.now() - firstFailure;
      const verdict = await watch?.check();
      if (verdict?.kind === "ended") throw instanceEnded(ctx, what, verdict);
      if (down > UNREACHABLE_GRACE_MS) {
        throw new HostUnreachableError(
          `${what}: host unreachable for ${Math.round(down / 1000)}s: ${error.message}`,
        );
      }
      // One warning a minute is enough to show the host is still down.
      if (Date.now() - lastWarning >= WARNING_INTERVAL_MS) {
        lastWarning = Date.now();
        const firstLine = (error.message.split("\n")[0] ?? "").replace(
          /\.$/,
          "",
        );
        const seconds = secondsSince(firstFailure);
        const unreachable = seconds > 0 ? `unreachable for ${seconds}s, ` : "";
        const api =
          verdict === undefined
            ? ""
            : `; ${unreachable}Vast.ai instance ${verdict.instanceId} still ${verdict.status}`;
        ctx.emit({
          kind: "warn",
          message: `${what}: ${firstLine}${api}; retrying for up to ${Math.round((UNREACHABLE_GRACE_MS - down) / 60_000)}m`,
        });
      }
      await sleep(delay + Math.random() * 250, ctx.signal);
      delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    }
  }
}

function secondsSince(start: number): number {
  return Math.round((Date.now() - start) / 1000);
}
