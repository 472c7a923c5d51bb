// "Did you mean" suggestions for misspelt command words.

/**
 * Returns the edit distance between two words, counting an insertion, a
 * deletion, a substitution or a swap of two neighbours as one edit.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      row.push(cellDistance(a, b, rows, row, i, j));
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

function cellDistance(
  a: string,
  b: string,
  rows: number[][],
  row: number[],
  i: number,
  j: number,
): number {
  const above = rows[i - 1] as number[];
  const cost = a[i - 1] === b[j - 1] ? 0 : 1;
  let best = Math.min(
    (above[j] as number) + 1,
    (row[j - 1] as number) + 1,
    (above[j - 1] as number) + cost,
  );
  const swapped =
    i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
  if (swapped) best = Math.min(best, (rows[i - 2]?.[j - 2] as number) + 1);
  return best;
}

/** Returns the candidate closest to `word`, the earliest one on a tie. */
export function closest(
  word: string,
  candidates: readonly string[],
): { candidate: string; distance: number } {
  let best = { candidate: candidates[0] ?? "", distance: Infinity };
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < best.distance) best = { candidate, distance };
  }
  return best;
}
