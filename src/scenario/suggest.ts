// "did you mean" for misspelt keys and names: typos must not pass silently (SCENARIOS.md), and
// the fastest fix is the right spelling.

/** Spelling-insensitive form: `desired_instances`, `Desired-Instances` and `desiredinstances` meet. */
function fold(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, "");
}

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The known word closest to `word`, if it is close enough to be a likely typo: at most a third of
 * its letters wrong (so `v3` suggests nothing, while `dve` suggests `dev`), ties going to the
 * earlier known word.
 */
export function closestMatch(word: string, known: readonly string[]): string | undefined {
  const folded = fold(word);
  let best: string | undefined;
  let bestDistance = Math.floor(folded.length / 3);
  for (const candidate of known) {
    const distance = editDistance(folded, fold(candidate));
    if (distance === 0) return candidate;
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "promote"?` or nothing. */
export function didYouMean(word: string, known: readonly string[]): string {
  const match = closestMatch(word, known);
  return match === undefined ? "" : `; did you mean ${JSON.stringify(match)}?`;
}
