// Paths on one machine that a copy must not combine: a destination inside
// the source (each run would copy the source into itself) and, with
// --delete, a source inside the directory that the deletions cover.
import { posix, resolve } from "node:path";
import { landingRoot } from "./landing.ts";
import { sameSide, sideLabel, trimSlashes, type Location } from "./location.ts";
import { TransferError } from "./transfer-error.ts";

/**
 * Throws TransferError when a directory source and its landing place
 * overlap on the same machine. `home` returns a host's login directory,
 * asked only when one path is relative to it and the other absolute.
 */
export async function rejectOverlap(
  source: Location,
  destination: Location,
  deleting: boolean,
  home: () => Promise<string | undefined>,
): Promise<void> {
  if (!sameSide(source.side, destination.side)) return;
  const landingPath = landingRoot({
    source: source.path,
    sourceKind: "dir",
    destination: destination.path,
  });
  // NOTE: paths are compared as written, so two names for one directory
  // through a symlink are not caught.
  let from = comparable(source, source.path);
  let landing = comparable(source, landingPath);
  if (from === undefined || landing === undefined) return;
  if (from.startsWith("~") !== landing.startsWith("~")) {
    const dir = await home();
    if (dir === undefined) return;
    from = fromHome(from, dir);
    landing = fromHome(landing, dir);
  }
  rejectNesting(from, landing, deleting, {
    source: source.display,
    destination: destination.display,
    where: `on ${sideLabel(source.side)}`,
  });
}

/**
 * Throws TransferError when `landing` (where a directory source lands) is
 * the source itself or inside it, or, with --delete, when the source is
 * inside `landing`. Both paths are normalized the same way.
 */
export function rejectNesting(
  from: string,
  landing: string,
  deleting: boolean,
  names: { source: string; destination: string; where: string },
): void {
  const { source, destination, where } = names;
  if (landing === from) {
    throw new TransferError(
      `Cannot transfer ${source} to ${destination}: the source would land on itself ${where}.\nTry: choose a different destination.`,
    );
  }
  if (within(landing, from)) {
    throw new TransferError(
      `Cannot transfer ${source} to ${destination}: the destination is inside the source ${where}, so each run would copy the source into itself.\nTry: choose a destination outside ${source}.`,
    );
  }
  if (deleting && within(from, landing)) {
    throw new TransferError(
      `Rejected --delete: the source ${source} is inside ${landing} ${where}, where --delete removes everything the source lacks, the source itself included. Nothing was copied or deleted.\nTry: choose a destination outside the source's parents, or run without --delete.`,
    );
  }
}

// A local path made absolute. A host path normalized, written from "~"
// when it is relative to the login directory; undefined for "~user".
function comparable(location: Location, raw: string): string | undefined {
  const path = trimSlashes(raw) || ".";
  if (location.side.kind === "local") return resolve(path);
  if (path.startsWith("/")) return posix.normalize(path);
  let relative = path;
  if (path === "~" || path.startsWith("~/")) relative = path.slice(2) || ".";
  else if (path.startsWith("~")) return undefined;
  const normalized = posix.normalize(relative);
  return normalized === "." ? "~" : `~/${normalized}`;
}

function fromHome(path: string, home: string): string {
  return path.startsWith("~") ? posix.join(home, path.slice(1)) : path;
}

function within(path: string, parent: string): boolean {
  if (parent === "/" || parent === "") return path !== parent;
  return path.startsWith(`${parent}/`);
}
