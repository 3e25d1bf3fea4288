/** "Did you mean …?": the closest known name to a mistyped one, by edit distance. */

/**
 * Edit distance: the fewest single-character insertions, deletions, substitutions and swaps of
 * two neighbours from a to b (Levenshtein with transpositions, "optimal string alignment").
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `word` if it is within `maxDistance` edits (the first of equally near
 * ones), mapped through `show`; null when nothing is that close.
 */
export function closest<T = string>(
  word: string,
  candidates: readonly string[],
  maxDistance: number,
  show: (candidate: string) => T = (c) => c as T,
): T | null {
  let best: string | null = null;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === null ? null : show(best);
}
