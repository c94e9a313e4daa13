// French public holidays ("jours fériés"), computed rather than listed so that no year runs out.
// Pure: no Node built-ins, no local-time Date methods (this runs inside Temporal workflows).

export interface PublicHoliday {
  /** Calendar date in France, YYYY-MM-DD. */
  date: string;
  name: string;
}

export interface HolidayOptions {
  /** Alsace and Moselle also close on Good Friday and 26 December (local law of 1919/1924). */
  alsaceMoselle?: boolean;
}

/** Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher), as YYYY-MM-DD. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** Adds days to a calendar date (YYYY-MM-DD), through UTC arithmetic only. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 0 = Sunday … 6 = Saturday, for a calendar date. */
export function dayOfWeek(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

const cache = new Map<string, PublicHoliday[]>();

export function frenchPublicHolidays(year: number, options: HolidayOptions = {}): PublicHoliday[] {
  const key = `${year}:${options.alsaceMoselle ? 1 : 0}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const easter = easterSunday(year);
  const list: PublicHoliday[] = [
    { date: ymd(year, 1, 1), name: "Jour de l'an" },
    { date: addDays(easter, 1), name: 'Lundi de Pâques' },
    { date: ymd(year, 5, 1), name: 'Fête du Travail' },
    { date: ymd(year, 5, 8), name: 'Victoire 1945' },
    { date: addDays(easter, 39), name: 'Ascension' },
    { date: addDays(easter, 50), name: 'Lundi de Pentecôte' },
    { date: ymd(year, 7, 14), name: 'Fête nationale' },
    { date: ymd(year, 8, 15), name: 'Assomption' },
    { date: ymd(year, 11, 1), name: 'Toussaint' },
    { date: ymd(year, 11, 11), name: 'Armistice 1918' },
    { date: ymd(year, 12, 25), name: 'Noël' },
  ];
  if (options.alsaceMoselle) {
    list.push({ date: addDays(easter, -2), name: 'Vendredi saint' }, { date: ymd(year, 12, 26), name: 'Saint-Étienne' });
  }
  list.sort((x, y) => (x.date < y.date ? -1 : 1));
  cache.set(key, list);
  return list;
}

/** The holiday falling on a date (YYYY-MM-DD), or null. */
export function frenchPublicHoliday(date: string, options: HolidayOptions = {}): PublicHoliday | null {
  const year = Number(date.slice(0, 4));
  return frenchPublicHolidays(year, options).find((h) => h.date === date) ?? null;
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
