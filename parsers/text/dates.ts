// Dates as they appear in French and English orders → YYYY-MM-DD. Numeric dates are read day first
// (French), unless the day-first reading is impossible ("11/23/2026"). A date that does not exist
// (31/02) is no date at all.

const MONTHS: Record<string, number> = {
  janvier: 1, janv: 1, jan: 1, january: 1,
  fevrier: 2, fevr: 2, fev: 2, feb: 2, february: 2,
  mars: 3, mar: 3, march: 3,
  avril: 4, avr: 4, apr: 4, april: 4,
  mai: 5, may: 5,
  juin: 6, jun: 6, june: 6,
  juillet: 7, juil: 7, jul: 7, july: 7,
  aout: 8, aou: 8, aug: 8, august: 8,
  septembre: 9, sept: 9, sep: 9, september: 9,
  octobre: 10, oct: 10, october: 10,
  novembre: 11, nov: 11, november: 11,
  decembre: 12, dec: 12, december: 12,
  // DE, NL, IT, ES (accents folded)
  januar: 1, januari: 1, gennaio: 1, genn: 1, gen: 1, enero: 1, ene: 1,
  februar: 2, feber: 2, februari: 2, febbraio: 2, febr: 2, febrero: 2,
  marz: 3, maerz: 3, maart: 3, marzo: 3, mrt: 3, mrz: 3,
  aprile: 4, abril: 4, abr: 4,
  mei: 5, maggio: 5, magg: 5, mag: 5, mayo: 5,
  juni: 6, giugno: 6, giu: 6, junio: 6,
  juli: 7, luglio: 7, lug: 7, julio: 7,
  augustus: 8, agosto: 8, ago: 8,
  settembre: 9, sett: 9, set: 9, septiembre: 9, setiembre: 9,
  oktober: 10, ottobre: 10, ott: 10, octubre: 10, okt: 10,
  noviembre: 11,
  dezember: 12, dicembre: 12, dic: 12, diciembre: 12, dez: 12,
};

const MONTH_WORD = '([A-Za-zÀ-ÿ]{3,10})\\.?';
const DAY_WORD = '(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|lun|mar|mer|jeu|ven|sam|dim|mon|tue|wed|thu|fri|sat|sun)\\.?,?\\s+)?';

interface Pattern {
  re: RegExp;
  read(m: RegExpExecArray, ref: Date): [number, number, number] | null;
  /** Whether the year was not printed (default: the patterns from "23/11" on). */
  noYear?: (m: RegExpExecArray) => boolean;
}

const PATTERNS: Pattern[] = [
  // 2026-11-23, 2026/11/23
  { re: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g, read: (m) => [num(m[1]), num(m[2]), num(m[3])] },
  // 23/11/2026, 23.11.26, 23-11-2026 (day first; month first only when day first is impossible)
  {
    re: /\b(\d{1,2})\s?([/.-])\s?(\d{1,2})\2(\d{4}|\d{2})\b/g,
    read: (m, ref) => {
      const a = num(m[1]);
      const b = num(m[3]);
      const y = fullYear(m[4] ?? '', ref);
      return b > 12 && a <= 12 ? [y, a, b] : [y, b, a];
    },
  },
  // lundi 23 novembre 2026, 1er déc. 2026, 23 November 2026, 2. Oktober 2026, 2 de octubre de 2026
  {
    re: new RegExp(`\\b${DAY_WORD}(\\d{1,2})(?:er|st|nd|rd|th|\\.)?\\s+(?:de\\s+)?${MONTH_WORD}\\s+(?:de\\s+)?(\\d{4}|\\d{2})\\b`, 'giu'),
    read: (m, ref) => withMonth(m[2], (mo) => [fullYear(m[3] ?? '', ref), mo, num(m[1])]),
  },
  // 18-Nov-2026, 18/nov/26 (SAP and Oracle print dates so)
  {
    re: /\b(\d{1,2})[-/]([A-Za-zÀ-ÿ]{3,10})\.?[-/](\d{4}|\d{2})\b/g,
    read: (m, ref) => withMonth(m[2], (mo) => [fullYear(m[3] ?? '', ref), mo, num(m[1])]),
  },
  // Nov 23, 2026; Monday, November 23rd 2026
  {
    re: new RegExp(`\\b${DAY_WORD}${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'giu'),
    read: (m, ref) => withMonth(m[1], (mo) => [fullYear(m[3] ?? '', ref), mo, num(m[2])]),
  },
  // 23/11 (no year: the next such date from the reference, as buyers never order into the past)
  {
    re: /\b(\d{1,2})\/(\d{1,2})\b(?![/.-]\d)/g,
    read: (m, ref) => nextOccurrence(num(m[2]), num(m[1]), ref),
  },
  // 23 novembre (no year)
  {
    re: new RegExp(`\\b${DAY_WORD}(\\d{1,2})(?:er)?\\s+${MONTH_WORD}(?!\\s*\\d)`, 'giu'),
    read: (m, ref) => withMonth(m[2], (mo) => nextOccurrence(mo, num(m[1]), ref)),
  },
  // A calendar week: "KW 42/2026", "KW42", "Kalenderwoche 42", "week 42 2026", "semaine 42": its Monday.
  {
    re: /(?<![\p{L}])(?:kw|kalenderwoche|week|wk|semaine|settimana|semana)\.?[ \t]*(\d{1,2})(?:[ \t]*\/[ \t]*(\d{4}|\d{2})|(?:[ \t]*[.-][ \t]*|[ \t]+)(\d{4}))?(?![\d\p{L}])/giu,
    // A two-digit year only after a slash: "KW 42-43" is a range of weeks.
    read: (m, ref) => weekMonday(num(m[1]), m[2] ?? m[3], ref),
    noYear: (m) => m[2] === undefined && m[3] === undefined,
  },
];

export interface FoundDate {
  iso: string;
  index: number;
  length: number;
  /** True when the year was not written and was taken from the reference date. */
  yearInferred: boolean;
}

/** Every date in the text, in reading order. `ref` (default today) settles two-digit and missing years. */
export function findDates(text: string, ref: Date = new Date()): FoundDate[] {
  const found: FoundDate[] = [];
  PATTERNS.forEach((p, pi) => {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const overlaps = found.some((f) => m!.index < f.index + f.length && f.index < m!.index + m![0].length);
      if (overlaps) continue;
      const ymd = p.read(m, ref);
      const iso = ymd && toIso(ymd);
      if (iso) found.push({ iso, index: m.index, length: m[0].length, yearInferred: p.noYear ? p.noYear(m) : pi >= 5 });
    }
  });
  return found.sort((a, b) => a.index - b.index);
}

/** The first date in `s` as YYYY-MM-DD, or null. "23 nov. 2026" → "2026-11-23". */
export function parseDate(s: string | null | undefined, ref?: Date): string | null {
  if (!s) return null;
  return findDates(s, ref)[0]?.iso ?? null;
}

function num(s: string | undefined): number {
  return Number(s ?? NaN);
}

function fullYear(y: string, ref: Date): number {
  if (y.length === 4) return Number(y);
  // Two digits: the year within fifty years of the reference.
  const century = Math.floor(ref.getUTCFullYear() / 100) * 100;
  let full = century + Number(y);
  if (full > ref.getUTCFullYear() + 50) full -= 100;
  return full;
}

function monthOf(word: string | undefined): number | null {
  if (!word) return null;
  const w = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\.$/, '');
  return MONTHS[w] ?? null;
}

function withMonth(word: string | undefined, f: (month: number) => [number, number, number] | null): [number, number, number] | null {
  const mo = monthOf(word);
  return mo === null ? null : f(mo);
}

function nextOccurrence(month: number, day: number, ref: Date): [number, number, number] | null {
  if (month < 1 || month > 12) return null;
  const y = ref.getUTCFullYear();
  const candidate = Date.UTC(y, month - 1, day);
  const today = Date.UTC(y, ref.getUTCMonth(), ref.getUTCDate());
  // More than two months in the past means next year (an order in December for January).
  return [candidate < today - 60 * 86_400_000 ? y + 1 : y, month, day];
}

/** The Monday of ISO week `week` (1–53) of the printed year, or of the year that puts it nearest after `ref`. */
function weekMonday(week: number, year: string | undefined, ref: Date): [number, number, number] | null {
  if (week < 1 || week > 53) return null;
  const monday = (y: number): number => {
    const jan4 = Date.UTC(y, 0, 4);
    return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (week - 1) * 7 * 86_400_000;
  };
  let y = year ? fullYear(year, ref) : ref.getUTCFullYear();
  // No year: a week more than two months past is next year's (as for "23/11").
  if (!year && monday(y) < ref.getTime() - 60 * 86_400_000) y++;
  const t = new Date(monday(y));
  // Week 53 exists only in some years.
  if (week === 53 && t.getUTCFullYear() > y) return null;
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

function toIso([y, m, d]: [number, number, number]): string | null {
  if (!(y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// ------------------------------------------------------------------ day or month first

// An all-numeric date with slashes or dashes ("05/12/2026", "12-05-26"): dots are only ever day first.
const NUMERIC_SLASHED = /\b(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})\b/g;

export interface DayMonthOrder {
  order: 'dmy' | 'mdy' | null;
  /** The date as printed that shows it ("23/11/2026" day first, "11/23/2026" month first). */
  witness: string | null;
}

/**
 * Which way the text writes its numeric dates, when one of them settles it: "23/11/2026" can only be
 * day first, "11/23/2026" only month first. Null when none does, or when two of them disagree.
 */
export function dayMonthOrder(text: string): DayMonthOrder {
  let dmy: string | null = null;
  let mdy: string | null = null;
  for (const m of text.matchAll(NUMERIC_SLASHED)) {
    const a = num(m[1]);
    const b = num(m[3]);
    if (a > 12 && a <= 31 && b >= 1 && b <= 12) dmy ??= m[0];
    else if (b > 12 && b <= 31 && a >= 1 && a <= 12) mdy ??= m[0];
  }
  if (dmy && !mdy) return { order: 'dmy', witness: dmy };
  if (mdy && !dmy) return { order: 'mdy', witness: mdy };
  return { order: null, witness: null };
}

/**
 * The prints of `iso` in the text that were read day first but could as well be month first
 * ("05/12/2026": 5 December or 12 May). Empty when the value was not read from such a print.
 */
export function ambiguousPrints(text: string, iso: string, ref?: Date): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NUMERIC_SLASHED)) {
    const a = num(m[1]);
    const b = num(m[3]);
    if (a === b || a > 12 || b > 12 || a < 1 || b < 1) continue;
    if (findDates(m[0], ref)[0]?.iso === iso) out.push(m[0]);
  }
  return out;
}

/** "2026-12-05" → "2026-05-12": the other reading of an ambiguous numeric date (null if it is none). */
export function swapDayMonth(iso: string): string | null {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return d <= 12 ? toIso([y, d, m]) : null;
}

const WEEK_PRINT = /^(?:kw|kalenderwoche|week|wk|semaine|settimana|semana)/iu;

/** The calendar-week prints in the text ("KW 45/2026", "week 45") that read as `iso` (their Monday). */
export function weekPrintsOf(text: string, iso: string, ref?: Date): string[] {
  return findDates(text, ref)
    .map((d) => ({ d, print: text.slice(d.index, d.index + d.length) }))
    .filter(({ d, print }) => d.iso === iso && WEEK_PRINT.test(print))
    .map(({ print }) => print);
}
