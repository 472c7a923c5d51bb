// File helpers shared by the end-to-end tests.
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

/** Resolves once `path` exists; throws after `timeoutMs`. */
export async function waitForFile(
  path: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline)
      throw new Error(`${path} did not appear within ${timeoutMs}ms`);
    await delay(50);
  }
}

/** Returns the lines of a text file, or none when it does not exist. */
export function fileLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").trim().split("\n") : [];
}
