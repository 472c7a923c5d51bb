// The HTTP layer of the Vast.ai client: URL building, the key in the
// Authorization header, a timeout on every request, and retries with backoff
// and jitter. A 429 is retried for every call, because a rate-limited request
// was rejected before the service acted on it. A 5xx or a lost connection is
// retried only for idempotent calls, since a create may already have happened.
import {
  httpError,
  networkError,
  parseErrorBody,
  VastApiError,
} from "./errors.ts";
import { debugApi } from "./debug.ts";

export const DEFAULT_BASE_URL = "https://console.vast.ai";

export type FetchFunction = typeof fetch;

export interface VastClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: FetchFunction;
  /** Limit of one request, 30 s by default. */
  timeoutMs?: number;
  /** Attempts of a retryable request, 4 by default. */
  attempts?: number;
  /** First backoff delay; each later one doubles. 500 ms by default. */
  retryBaseMs?: number;
}

export interface RequestOptions {
  query?: Record<string, unknown>;
  body?: unknown;
  /** Whether repeating the request has the same effect as sending it once. */
  idempotent: boolean;
  /** What the request does, for messages, e.g. "show instance 123". */
  what: string;
  signal?: AbortSignal;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 10_000;

export class VastClient {
  private readonly fetchFn: FetchFunction;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly retryBaseMs: number;

  constructor(private readonly opts: VastClientOptions) {
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.attempts = opts.attempts ?? 4;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
  }

  /** Sends a request and returns the parsed JSON body of a 2xx response. */
  async request<T>(
    method: string,
    path: string,
    opts: RequestOptions,
  ): Promise<T> {
    const url = buildUrl(this.opts.baseUrl, path, opts.query);
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.send(method, url, opts)) as T;
      } catch (error) {
        const delay = this.retryDelay(error, attempt, opts.idempotent);
        if (delay === undefined) throw error;
        await sleep(delay, opts.signal);
      }
    }
  }

  private retryDelay(
    error: unknown,
    attempt: number,
    idempotent: boolean,
  ): number | undefined {
    if (!(error instanceof VastApiError) || attempt >= this.attempts)
      return undefined;
    const retryable =
      error.status === 429 ||
      (idempotent && (RETRY_STATUSES.has(error.status) || error.status === 0));
    if (!retryable || error.code === "aborted") return undefined;
    if (error.retryAfterMs !== undefined) return error.retryAfterMs;
    const backoff = this.retryBaseMs * 2 ** (attempt - 1);
    // Full jitter keeps parallel runs from retrying in step.
    return Math.min(MAX_BACKOFF_MS, backoff / 2 + Math.random() * backoff);
  }

  private async send(
    method: string,
    url: URL,
    opts: RequestOptions,
  ): Promise<unknown> {
    const started = performance.now();
    const response = await this.fetchOnce(method, url, opts);
    const text = await response.text();
    debugApi(method, url, response.status, performance.now() - started);
    if (!response.ok) {
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      throw httpError(
        opts.what,
        response.status,
        parseErrorBody(text),
        retryAfter,
      );
    }
    return parseJson(text, opts.what);
  }

  private async fetchOnce(
    method: string,
    url: URL,
    opts: RequestOptions,
  ): Promise<Response> {
    const signals = [AbortSignal.timeout(this.timeoutMs)];
    if (opts.signal !== undefined) signals.push(opts.signal);
    const hasBody = method !== "GET";
    try {
      return await this.fetchFn(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.opts.apiKey}`,
          Accept: "application/json",
          ...(hasBody ? { "Content-Type": "application/json" } : {}),
        },
        body: hasBody ? JSON.stringify(opts.body ?? {}) : undefined,
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      if (opts.signal?.aborted === true)
        throw new VastApiError(`${opts.what} was aborted`, 0, "aborted");
      throw networkError(opts.what, error, this.timeoutMs);
    }
  }
}

/**
 * Joins the base URL and an API path. Paths without an `/api/vN/` prefix
 * get `/api/v0`. Query values that are not strings are sent as JSON text,
 * which is how the service reads filters and numbers.
 */
export function buildUrl(
  baseUrl: string,
  path: string,
  query: Record<string, unknown> = {},
): URL {
  const prefixed = /^\/api\/v\d+\//.test(path) ? path : `/api/v0${path}`;
  const url = new URL(baseUrl.replace(/\/+$/, "") + prefixed);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    url.searchParams.set(name, text);
  }
  return url;
}

function parseJson(text: string, what: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new VastApiError(
      `Vast.ai API ${what} returned a body that is not JSON: ${text.slice(0, 120)}`,
      200,
      "invalid_json",
    );
  }
}

/** Reads Retry-After in seconds or as an HTTP date, in ms. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new VastApiError("request was aborted", 0, "aborted"));
      },
      { once: true },
    );
  });
}
