// Finds the line of a key in TOML text, so an error about a value that
// parsed but is invalid can name the line as a syntax error does.

/** The table that contains the key: `[name]`, or the `index`-th `[[name]]`. */
export type TablePath =
  { table: string } | { arrayTable: string; index: number };

const HEADER = /^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$/;

/**
 * Returns the 1-based line of `key` inside the table, the line of the table
 * header when the key is absent, or undefined when neither is found. Keys
 * written in dotted or inline-table form elsewhere are not found.
 */
export function locateKey(
  text: string,
  where: TablePath,
  key?: string,
): number | undefined {
  const lines = text.split("\n");
  const keyLine =
    key === undefined
      ? undefined
      : new RegExp(`^\\s*("${escape(key)}"|${escape(key)})\\s*=`);
  let inside = false;
  let headerLine: number | undefined;
  let seen = -1;
  for (const [index, line] of lines.entries()) {
    const header = HEADER.exec(line);
    if (header !== null) {
      inside = matchesHeader(header, where, () => ++seen);
      if (inside) headerLine = index + 1;
      continue;
    }
    if (inside && keyLine?.test(line) === true) return index + 1;
  }
  return headerLine;
}

function matchesHeader(
  header: RegExpExecArray,
  where: TablePath,
  nextIndex: () => number,
): boolean {
  const isArray = header[1] === "[[";
  const name = header[2];
  if ("table" in where) return !isArray && name === where.table;
  if (!isArray || name !== where.arrayTable) return false;
  return nextIndex() === where.index;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
