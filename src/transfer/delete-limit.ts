// `--max-delete N`: with --delete, a transfer that would delete more than
// N destination entries is rejected before anything is copied. rsync and
// rclone also get the limit, so deletions that only appear during the
// copy stop at N as well.

/** Returns the rejection message when `pending` deletions exceed the limit, else undefined. */
export function overDeleteLimit(
  pending: string[],
  limit: number | undefined,
  destination: string,
): string | undefined {
  if (limit === undefined || pending.length <= limit) return undefined;
  return [
    `Rejected --delete: it would delete ${pending.length} ${entries(pending.length)} at ${destination} (${firstFew(pending)}), more than --max-delete ${limit} allows. Nothing was copied to ${destination} and nothing was deleted.`,
    `Try: check that the source path is right. If these deletions are intended, rerun with --max-delete ${pending.length}.`,
  ].join("\n");
}

/** Returns the dry-run plan line that lists the deletions. */
export function deletionLine(deletions: string[]): string {
  if (deletions.length === 0) return "would delete: nothing";
  return `would delete: ${deletions.length} (${firstFew(deletions)})`;
}

/** Returns the dry-run plan line of a relay, whose deletions are known only after the download. */
export function relayDeleteLimitLine(
  limit: number | undefined,
): string | undefined {
  if (limit === undefined) return undefined;
  return `delete limit: the deletions are counted after the download into staging, and more than ${limit} reject the upload before it starts`;
}

/** Returns the dry-run plan line for the limit, or undefined without one. */
export function deleteLimitLine(
  pending: number,
  limit: number | undefined,
): string | undefined {
  if (limit === undefined) return undefined;
  return pending > limit
    ? `delete limit: ${pending} ${pending === 1 ? "deletion exceeds" : "deletions exceed"} --max-delete ${limit}, so the transfer would be rejected before copying`
    : `delete limit: ${pending} of at most ${limit} deletions`;
}

/** Builds the message for a tool that stopped deleting at the limit during the copy. */
export function deleteLimitReached(
  tool: string,
  route: string,
  limit: number | undefined,
  detail: string,
): string {
  return [
    `${tool} stopped deleting at the --max-delete limit of ${limit ?? "?"} while copying ${route}: the files were copied, but some destination files that the source lacks are still there.`,
    detail,
    "Try: check the source, then rerun with a higher --max-delete if the deletions are intended.",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

// "a, b, c, d, e, and 7 more": the first five names and a count of the rest.
function firstFew(names: string[]): string {
  const listed = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${listed}, and ${names.length - 5} more` : listed;
}

function entries(count: number): string {
  return count === 1 ? "entry" : "entries";
}
