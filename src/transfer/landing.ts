// The one trailing-slash rule, rsync's, that every route follows:
// - a directory source ending in `/` copies its contents into the destination;
// - a directory source without it lands as DESTINATION/NAME;
// - a file source goes inside a destination that ends in `/` or is an
//   existing directory, and is otherwise copied to the destination path.
import { posix } from "node:path";
import { baseName, copiesContents, trimSlashes } from "./location.ts";

export type SourceKind = "file" | "dir";

export interface LandingQuery {
  source: string;
  sourceKind: SourceKind;
  destination: string;
  /** Whether the destination is an existing directory; matters for file sources only. */
  destinationIsDir?: boolean;
  /** A path inside a directory source, relative to it. */
  sample?: string;
}

/** Returns where the source, or the sample file inside it, ends up. */
export function landingPath(query: LandingQuery): string {
  const root = landingRoot(query);
  if (query.sourceKind === "file" || query.sample === undefined) return root;
  return posix.join(root, query.sample);
}

/** Returns the path that corresponds to the source itself at the destination. */
export function landingRoot(query: LandingQuery): string {
  const destination = trimSlashes(query.destination);
  if (query.sourceKind === "dir") {
    if (copiesContents(query.source)) return destination;
    return posix.join(destination, baseName(query.source));
  }
  if (query.destination.endsWith("/") || query.destinationIsDir === true) {
    return posix.join(destination, baseName(query.source));
  }
  return destination;
}
