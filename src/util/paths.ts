import { homedir } from "node:os";

/** Expands a leading `~` or `~/` to the local home directory. */
export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return `${homedir()}${path.slice(1)}`;
  return path;
}
