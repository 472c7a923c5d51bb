// `TRAINSH_DEBUG=api` prints one line per Vast.ai request on stderr: the
// method, the URL, the status and the duration. The key travels only in the
// Authorization header, which is never printed.
import { redact } from "../../secrets/redact.ts";

export function isApiDebugEnabled(): boolean {
  const value = process.env.TRAINSH_DEBUG ?? "";
  return value.split(",").includes("api");
}

export function debugApi(
  method: string,
  url: URL,
  status: number,
  durationMs: number,
): void {
  if (!isApiDebugEnabled()) return;
  const stamp = new Date().toISOString().slice(11, 23);
  const line = `[${stamp}] api ${method} ${url.href} → ${status} in ${Math.round(durationMs)}ms\n`;
  process.stderr.write(redact(line));
}
