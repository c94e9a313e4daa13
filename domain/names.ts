// Names compared as people write them: accents, case, punctuation and legal forms (SAS, SARL, GmbH…)
// do not make two names differ. Pure, so that workflow code may use it.
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\b(s\.?a\.?s\.?u?|s\.?a\.?r\.?l\.?|s\.?a\.?|eurl|sci|gmbh|ltd|inc)\b\.?/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Levenshtein distance (insertions, deletions, substitutions): one definition for dedup and the table reader. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The words of a name or designation as foldName gives them, two characters or more. */
export function nameTokens(s: string | null | undefined): Set<string> {
  return new Set(foldName(s ?? '').split(' ').filter((t) => t.length >= 2));
}

/** Share of the shorter name's words the other holds (0 when either has none). */
export function tokenOverlap(a: string | null | undefined, b: string | null | undefined): number {
  const x = nameTokens(a);
  const y = nameTokens(b);
  if (x.size === 0 || y.size === 0) return 0;
  let n = 0;
  for (const t of x) if (y.has(t)) n++;
  return n / Math.min(x.size, y.size);
}
