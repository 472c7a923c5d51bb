// Errors of the Vast.ai REST client. Each carries the HTTP status, the
// service's error code when it sent one, and a next step for the user.

/** Name of the secret that contains the API key, used in every authentication hint. */
export const API_KEY_NAME = "VAST_API_KEY";

const KEY_HINT = `set a valid key with \`train secrets set ${API_KEY_NAME}\` (create one at https://cloud.vast.ai/manage-keys/)`;

export class VastApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly hint?: string,
    /** Delay the service asked for before a retry (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "VastApiError";
  }
}

/** Builds the error for an API key that is not set anywhere. */
export function missingKeyError(): VastApiError {
  return new VastApiError(
    `the Vast.ai API key ${API_KEY_NAME} is not set`,
    0,
    "missing_key",
    KEY_HINT,
  );
}

/** Builds the error for a request that got no HTTP response (refused, reset or timed out). */
export function networkError(
  what: string,
  cause: unknown,
  timeoutMs: number,
): VastApiError {
  const name = (cause as { name?: string }).name;
  const timedOut = name === "TimeoutError";
  const reason = timedOut
    ? `no response within ${timeoutMs} ms`
    : describeCause(cause);
  return new VastApiError(
    `failed to reach the Vast.ai API (${what}): ${reason}`,
    0,
    timedOut ? "timeout" : "network",
    "check the network, or the API address in config vast.api_url or VAST_URL",
  );
}

function describeCause(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })
    .cause;
  if (inner?.code !== undefined) return inner.code;
  if (inner?.message !== undefined) return inner.message;
  return (cause as Error).message ?? String(cause);
}

export interface ErrorBody {
  error?: string;
  msg?: string;
  message?: string;
}

/** Reads the service's error body, which is JSON or, on 429, plain text. */
export function parseErrorBody(text: string): ErrorBody {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null) return value as ErrorBody;
  } catch {
    // Plain text such as "API requests too frequent".
  }
  return { msg: text.trim().slice(0, 200) };
}

/** Builds the error for an HTTP error status, with a hint for the cases users hit. */
export function httpError(
  what: string,
  status: number,
  body: ErrorBody,
  retryAfterMs: number | undefined,
): VastApiError {
  const detail = body.msg ?? body.message ?? body.error ?? "";
  const suffix = detail === "" ? "" : `: ${detail}`;
  const message = `Vast.ai API ${what} failed with HTTP ${status}${suffix}`;
  return new VastApiError(
    message,
    status,
    body.error,
    hintFor(status, body),
    retryAfterMs,
  );
}

function hintFor(status: number, body: ErrorBody): string | undefined {
  // A bad key often comes back as 404 with error auth_error, not 401.
  if (status === 401 || status === 403 || body.error === "auth_error")
    return KEY_HINT;
  if (status === 429)
    return "the Vast.ai API is rate limited; wait a minute and rerun";
  if (status >= 500) return "the Vast.ai service failed; rerun in a minute";
  return undefined;
}

/** True for an error that means the key is missing or rejected. */
export function isAuthError(error: VastApiError): boolean {
  return (
    error.code === "missing_key" ||
    error.code === "auth_error" ||
    error.status === 401 ||
    error.status === 403
  );
}
