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
