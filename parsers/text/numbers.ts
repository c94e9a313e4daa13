// Numbers as buyers type them: French "1 250,50" (with NBSP or narrow NBSP from Word/Excel),
// German-style "1.250,50", English "1,250.50", Swiss "1'250.50". French is the default reading
// of an ambiguous "1,250" because our buyers are French; callers that know better pass 'en'.

export type NumberLocale = 'fr' | 'en';

const SPACES = /[\s\u00a0\u202f\u2007\u2009\u200a]/g;
const CURRENCY = /^(?:€|eur|euros?|\$|usd|£|gbp|chf)\s*|(?<!\s)\s*(?:€|eur|euros?|\$|usd|£|gbp|chf|ht|h\.t\.|ttc)$/i;

/**
 * "1 250,50" → 1250.5; "12" → 12; "-3,5" → -3.5; "18,90 €" → 18.9. Anything else (a reference,
 * a date, two numbers) → null. Only a currency sign or HT/TTC may surround the number.
 */
export function parseNumber(raw: string | null | undefined, locale: NumberLocale = 'fr'): number | null {
  if (raw === null || raw === undefined) return null;
  let s = raw.trim();
  // Strip a currency on either side, possibly twice ("€ 12,00 HT").
  for (let i = 0; i < 2; i++) s = s.replace(CURRENCY, '').trim();
  if (s === '') return null;
  let sign = 1;
  if (/^[-−–]/.test(s)) {
    sign = -1;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) s = s.slice(1).trim();
  // Spaces and apostrophes are only ever thousands separators; they must cut groups of three.
  if (/^\d{1,3}(?:[\s\u00a0\u202f\u2007\u2009\u200a']\d{3})+(?:[.,]\d+)?$/.test(s)) s = s.replace(SPACES, '').replace(/'/g, '');
  if (!/^(?:\d+|\d{1,3}(?:[.,]\d{3})+)(?:[.,]\d+)?$|^[.,]\d+$/.test(s)) return null;

  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let normal: string;
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: the later one is the decimal mark, the other groups thousands.
    const [group, dec] = lastComma > lastDot ? [/\./g, ','] : [/,/g, '.'];
    const body = s.replace(group, '');
    if (body.split(dec).length !== 2) return null;
    if (!groupsOfThree(s.slice(0, s.lastIndexOf(dec)), lastComma > lastDot ? '.' : ',')) return null;
    normal = body.replace(dec, '.');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const parts = s.split(sep);
    if (parts.length > 2) {
      if (!groupsOfThree(s, sep)) return null;
      normal = parts.join('');
    } else {
      const [int = '', frac = ''] = parts;
      // "1.250" in a French order is one thousand two hundred and fifty; "1,250" in an English one too.
      const thousandsSep = locale === 'fr' ? '.' : ',';
      const looksGrouped = frac.length === 3 && int.length >= 1 && int.length <= 3 && !int.startsWith('0');
      normal = looksGrouped && sep === thousandsSep ? int + frac : `${int || '0'}.${frac}`;
    }
  } else normal = s;
  const n = Number(normal);
  return Number.isFinite(n) ? sign * n : null;
}

function groupsOfThree(s: string, sep: string): boolean {
  const parts = s.split(sep);
  return parts.length > 0 && /^\d{1,3}$/.test(parts[0] ?? '') && parts.slice(1).every((p) => /^\d{3}$/.test(p));
}

/** Units as written in orders → the codes of products.csv (BTE, U, LOT, PAI) or a plain code. */
// German, Dutch, Italian and Spanish abbreviations too (SAP and AS/400 print "12,000 ST", "7,000 KAR").
const UNIT_ALTERNATIVES: [string, string][] = [
  ['bte?s?|bo[iî]tes?|boxe?s?|bx|cartons?|ctn?|kar|krt|kartons?|doos|ds|dozen|scatol[ae]|confezion[ei]|conf|cf|caj(?:a|as)|cj', 'BTE'],
  ['u|un|unit[eé]s?|units?|pi[eè]ces?|pces?|pcs?|pc|p|ea|each|ex|exemplaires?|st|stk|stck|st[üu]ck|stuks?|pz|pezzi|ud|uds|unidad(?:es)?', 'U'],
  ['lots?|sets?|kits?|kts?|lotes?', 'LOT'],
  ['paires?|prs?|pai|pairs?|paa|paar|paia|pares?', 'PAI'],
  ['sachets?|sacs?|bags?|sack|s[äa]cke|zak|sacch?i|sacos?', 'SAC'],
  ['rouleaux?|rlx?|rolls?|rol|rollen?|rotol[oi]|rollos?', 'RLX'],
  ['kgs?|kilos?', 'KG'],
  ['m|m[eè]tres?|ml|meters?', 'M'],
];
const UNIT_WORDS: [RegExp, string][] = UNIT_ALTERNATIVES.map(([words, code]) => [new RegExp(`^(?:${words})$`, 'i'), code]);

/**
 * Every unit word normaliseUnit knows, as one regex alternation (no anchors, match ignoring case):
 * the text readers use it to see "12 KAR", "79 pai", "10 st." as a quantity and its unit.
 */
export const UNIT_WORD_SOURCE = UNIT_ALTERNATIVES.map(([words]) => words).join('|');

/** "boîtes" → "BTE"; an unknown unit word → null (the caller keeps the product's own unit). */
export function normaliseUnit(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const w = raw.trim().replace(/[.()]/g, '');
  if (!w) return null;
  for (const [re, code] of UNIT_WORDS) if (re.test(w)) return code;
  return null;
}

export interface Quantity {
  value: number;
  /** Normalised unit code when one was written next to the number, else null. */
  unit: string | null;
}

/**
 * "12" → 12; "12 BTE" → 12 BTE; "x 12", "12x", "qté 12", "1 000 pcs", "2,5 kg". Quantities must be
 * positive; a unit word we do not know makes the whole cell unreadable rather than guessed.
 */
export function parseQuantity(raw: string | null | undefined, locale: NumberLocale = 'fr'): Quantity | null {
  if (!raw) return null;
  const s = raw.trim().replace(/^(?:qt[eé]|qty|quantit[eé]|quantity)\s*[:.]?\s*/i, '').replace(/^[x×*]\s*|(?<=\d)\s*[x×*]$/gi, '');
  const m = /^(.*?\d)\s*([A-Za-zÀ-ÿ.()]*)$/.exec(s.trim());
  if (!m) return null;
  const value = parseNumber(m[1] ?? '', locale);
  if (value === null || !(value > 0)) return null;
  const word = m[2] ?? '';
  if (!word) return { value, unit: null };
  const unit = normaliseUnit(word);
  return unit ? { value, unit } : null;
}

/**
 * 'en' when the text writes decimals with a point ("18.90", "1,200.00") more often than with a
 * comma; dates such as 23.11.26 do not count. French is the default and wins ties.
 */
export function guessLocale(text: string): NumberLocale {
  const en = (text.match(/(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.,])/g) ?? []).length;
  const fr = (text.match(/(?<![\d.,])\d{1,3}(?:[.\s\u00a0\u202f]\d{3})*,\d{2}(?![\d.,])/g) ?? []).length;
  return en > fr ? 'en' : 'fr';
}

/**
 * The number a line ends with, a currency word after it dropped: "Total HT  1 234,56 €" → "1 234,56".
 * `inside` tells the characters allowed between its digits. One pass from the end, by hand: as a
 * `(\d[\d ., ]*\d)\s*€?\s*$` regex it is retried from every digit of a long line.
 */
export function trailingNumber(text: string, inside: (c: string) => boolean, currencies: readonly string[] = ['€']): string | null {
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  let end = text.length;
  while (isSpace(text[end - 1])) end--;
  const tail = text.slice(Math.max(0, end - 8), end).toLowerCase();
  const currency = currencies.find((c) => tail.endsWith(c.toLowerCase()));
  if (currency) end -= currency.length;
  while (isSpace(text[end - 1])) end--;
  if (!isDigit(text[end - 1])) return null;
  let start = end - 1;
  while (start > 0 && (isDigit(text[start - 1]) || inside(text[start - 1]!))) start--;
  while (!isDigit(text[start])) start++;
  return text.slice(start, end);
}
