// The HTTP client of the exchange-rate API: one GET with a timeout, and a
// reply checked against the accepted shape before anything is cached.
import { parseRatesResponse, type RateTable } from "./rates.ts";

export type FetchFunction = typeof fetch;

export interface RatesClientOptions {
  /** The full URL of the latest-rates endpoint. */
  baseUrl: string;
  fetch?: FetchFunction;
  /** Limit of one request, 10 s by default. */
  timeoutMs?: number;
}

export class RatesFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RatesFetchError";
  }
}

export class RatesClient {
  private readonly fetchFn: FetchFunction;
  private readonly timeoutMs: number;

  constructor(private readonly opts: RatesClientOptions) {
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Fetches the latest rates; throws RatesFetchError naming the URL. */
  async latest(now = new Date()): Promise<RateTable> {
    const url = this.opts.baseUrl;
    const text = await this.get(url);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RatesFetchError(
        `rates API ${url} returned a body that is not JSON: ${text.slice(0, 120)}`,
      );
    }
    const parsed = parseRatesResponse(body);
    if ("problem" in parsed)
      throw new RatesFetchError(
        `rates API ${url} returned an invalid reply: ${parsed.problem}`,
      );
    return {
      ...parsed.table,
      source: "fetched",
      fetchedAt: now.toISOString(),
      url,
    };
  }

  private async get(url: string): Promise<string> {
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new RatesFetchError(
        describeNetworkError(url, error, this.timeoutMs),
      );
    }
    const text = await response.text();
    if (!response.ok)
      throw new RatesFetchError(
        `rates API ${url} returned HTTP ${response.status}: ${text.slice(0, 120)}`,
      );
    return text;
  }
}

function describeNetworkError(
  url: string,
  error: unknown,
  timeoutMs: number,
): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `rates API ${url} timed out after ${timeoutMs} ms`;
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return `failed to reach rates API ${url}: ${cause ?? message}`;
}
