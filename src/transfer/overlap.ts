// Paths on one machine that a copy must not combine: a destination inside
// the source (each run would copy the source into itself) and, with
// --delete, a source inside the directory that the deletions cover.
import { posix, resolve } from "node:path";
import { landingRoot } from "./landing.ts";
import { sameSide, sideLabel, trimSlashes, type Location } from "./location.ts";
import { TransferError } from "./transfer-error.ts";

/**
 * Throws TransferError when a directory source and its landing place
 * overlap on the same machine. Paths are compared as written, so two
 * names for one directory through a symlink are not caught.
 */
export function rejectOverlap(
  source: Location,
  destination: Location,
  deleting: boolean,
): void {
  if (!sameSide(source.side, destination.side)) return;
  const from = comparable(source);
  const landing = comparable({
    ...destination,
    path: landingRoot({
      source: source.path,
      sourceKind: "dir",
      destination: destination.path,
    }),
  });
  if (from === undefined || landing === undefined) return;
  const where = sideLabel(source.side);
  if (landing === from) {
    throw new TransferError(
      `Cannot transfer ${source.display} to ${destination.display}: the source would land on itself on ${where}.\nTry: choose a different destination.`,
    );
  }
  if (within(landing, from)) {
    throw new TransferError(
      `Cannot transfer ${source.display} to ${destination.display}: the destination is inside the source on ${where}, so each run would copy the source into itself.\nTry: choose a destination outside ${source.display}.`,
    );
  }
  if (deleting && within(from, landing)) {
    throw new TransferError(
      `Rejected --delete: the source ${source.display} is inside ${landing} on ${where}, where --delete removes everything the source lacks, the source itself included. Nothing was copied or deleted.\nTry: choose a destination outside the source's parents, or run without --delete.`,
    );
  }
}

// A local path made absolute; a host path normalized, with relative paths
// (from the login directory) kept apart from absolute ones.
function comparable(location: Location): string | undefined {
  const path = trimSlashes(location.path) || ".";
  if (location.side.kind === "local") return resolve(path);
  const normalized = posix.normalize(path);
  if (normalized.startsWith("/")) return normalized;
  if (normalized === "~" || normalized.startsWith("~/"))
    return posix.join("~home", normalized.slice(1));
  if (normalized.startsWith("~")) return undefined;
  return posix.join("~home", normalized);
}

function within(path: string, parent: string): boolean {
  if (parent === "/") return path !== "/";
  return path.startsWith(`${parent}/`);
}
