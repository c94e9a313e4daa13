// The SLA rule of DESIGN.md ("saisi avant 17h"): received on a business day before the receipt
// cut-off → due that day at the entry deadline; otherwise due the next business day at the deadline.
// Runs inside Temporal workflows: no Node built-ins, no local-time Date methods; wall-clock times in
// Europe/Paris come from Intl.DateTimeFormat only.
import { addDays, dayOfWeek, frenchPublicHoliday } from './holidays';

export interface SlaConfig {
  /** IANA time zone of the promise (the ADV office). */
  timeZone: string;
  /** Receipts strictly before this wall-clock time (HH:MM) count for the same business day. */
  receiptCutoff: string;
  /** Wall-clock time (HH:MM) by which the order must be entered. Never earlier than the cut-off. */
  entryDeadline: string;
  /** "At risk" this many minutes before the due time while not yet entered. */
  atRiskMinutes: number;
  /** Company closing days (YYYY-MM-DD), on top of weekends and French public holidays. */
  closingDays: string[];
  /** Also close on Good Friday and 26 December (Alsace-Moselle sites). */
  alsaceMoselle: boolean;
}

export const DEFAULT_SLA_CONFIG: SlaConfig = Object.freeze({
  timeZone: 'Europe/Paris',
  receiptCutoff: '17:00',
  entryDeadline: '17:00',
  atRiskMinutes: 30,
  closingDays: [],
  alsaceMoselle: false,
}) as SlaConfig;

export type SlaState = 'on-time' | 'at-risk' | 'late' | 'met' | 'missed';

export interface DueTime {
  /** ISO 8601 with the zone's offset, e.g. 2026-11-23T17:00:00+01:00. */
  dueAt: string;
  atRiskAt: string;
  /** Epoch milliseconds of dueAt and atRiskAt, for timers (workflow sleep durations). */
  dueAtMs: number;
  atRiskAtMs: number;
  /** The business day the order is due (YYYY-MM-DD in the SLA time zone). */
  dueDay: string;
}

/** Bad SLA input or configuration, said in words (never a stack trace). */
export class InvalidSlaInput extends Error {
  readonly code = 'INVALID_SLA_INPUT';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidSlaInput';
  }
}

/** Completes and checks a partial configuration. Throws InvalidSlaInput naming the bad field. */
export function slaConfig(partial: Partial<SlaConfig> = {}): SlaConfig {
  const c: SlaConfig = { ...DEFAULT_SLA_CONFIG, ...partial, closingDays: [...(partial.closingDays ?? DEFAULT_SLA_CONFIG.closingDays)] };
  try {
    formatter(c.timeZone);
  } catch {
    throw new InvalidSlaInput(`"${c.timeZone}" is not an IANA time zone (e.g. Europe/Paris)`, 'timeZone');
  }
  const cut = minutesOfDay(c.receiptCutoff, 'receiptCutoff');
  const dead = minutesOfDay(c.entryDeadline, 'entryDeadline');
  // A cut-off after the deadline would make a 17:30 receipt due at 17:00 the same day, before it arrived.
  if (cut > dead) throw new InvalidSlaInput(`the receipt cut-off ${c.receiptCutoff} is after the entry deadline ${c.entryDeadline}`, 'receiptCutoff');
  if (!Number.isFinite(c.atRiskMinutes) || c.atRiskMinutes < 0) throw new InvalidSlaInput(`expected a number of minutes ≥ 0, got ${String(c.atRiskMinutes)}`, 'atRiskMinutes');
  for (const d of c.closingDays) {
    if (!isCalendarDate(d)) throw new InvalidSlaInput(`"${d}" is not a date as YYYY-MM-DD`, 'closingDays');
  }
  return c;
}

// ------------------------------------------------------------------ time-zone arithmetic

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallTime {
  date: string;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time at an instant in a time zone. */
export function wallTime(epochMs: number, timeZone: string): WallTime {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) % 24, minute: Number(p.minute), second: Number(p.second) };
}

/** Offset of the zone from UTC at an instant, in minutes (Paris: +60 in winter, +120 in summer). */
export function offsetMinutes(epochMs: number, timeZone: string): number {
  const w = wallTime(epochMs, timeZone);
  const [y, m, d] = w.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** The instant a wall-clock time occurs in a zone; a time skipped by a DST jump maps to just after it. */
export function instantOf(date: string, hhmm: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  const second = guess - offsetMinutes(first, timeZone) * 60_000;
  return Math.max(first, second);
}

/** ISO 8601 with the zone's offset: 2026-11-23T17:00:00+01:00 (milliseconds only when present). */
export function formatInZone(epochMs: number, timeZone: string): string {
  const w = wallTime(epochMs, timeZone);
  const off = offsetMinutes(epochMs, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const ms = ((epochMs % 1000) + 1000) % 1000;
  const frac = ms ? `.${String(ms).padStart(3, '0')}` : '';
  return `${w.date}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}${frac}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Epoch milliseconds of a Date or an ISO 8601 string. A string without offset is read as wall-clock
 * time in the SLA zone (what a person at the Lyon office means), never in the machine's zone.
 */
export function toEpochMs(value: Date | string | number, field: string, timeZone = DEFAULT_SLA_CONFIG.timeZone): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidSlaInput('expected a time', field);
    return value;
  }
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new InvalidSlaInput('invalid Date', field);
    return t;
  }
  const m = ISO.exec(value.trim());
  if (!m) throw new InvalidSlaInput(`"${value}" is not an ISO 8601 date-time (e.g. 2026-11-23T16:59:59+01:00)`, field);
  const [, ys, mos, ds, hs, mis, ss, fs, zone] = m as unknown as [string, string, string, string, string, string, string | undefined, string | undefined, string | undefined];
  const y = Number(ys), mo = Number(mos), d = Number(ds), h = Number(hs), mi = Number(mis), s = Number(ss ?? 0);
  const ms = fs ? Math.floor(Number(`0.${fs}`) * 1000) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw new InvalidSlaInput(`"${value}" is not a valid calendar date and time`, field);
  }
  const date = `${ys}-${mos}-${ds}`;
  if (!zone) {
    // Keep the seconds: 16:59:59 must stay before a 17:00 cut-off.
    return instantOf(date, `${hs}:${mis}`, timeZone) + s * 1000 + ms;
  }
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * (zone.startsWith('-') ? -1 : 1);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}

// ------------------------------------------------------------------ business days

/** Why a date is not a business day ("samedi", "jour férié : Ascension", "fermeture"), or null if it is one. */
export function nonBusinessReason(date: string, config: SlaConfig = DEFAULT_SLA_CONFIG): string | null {
  const dow = dayOfWeek(date);
  if (dow === 6) return 'samedi';
  if (dow === 0) return 'dimanche';
  const holiday = frenchPublicHoliday(date, { alsaceMoselle: config.alsaceMoselle });
  if (holiday) return `jour férié : ${holiday.name}`;
  if (config.closingDays.includes(date)) return 'fermeture de l’entreprise';
  return null;
}

export function isBusinessDay(date: string, config: SlaConfig = DEFAULT_SLA_CONFIG): boolean {
  return nonBusinessReason(date, config) === null;
}

/** The first business day strictly after a date. */
export function nextBusinessDay(date: string, config: SlaConfig = DEFAULT_SLA_CONFIG): string {
  let d = date;
  // A year of closing days would be a configuration error, not a calendar.
  for (let i = 0; i < 400; i++) {
    d = addDays(d, 1);
    if (isBusinessDay(d, config)) return d;
  }
  throw new InvalidSlaInput(`no business day within 400 days after ${date}`, 'closingDays');
}

// ------------------------------------------------------------------ the rule

/** The due time of an order first received at `receivedAt`. */
export function computeDue(receivedAt: Date | string | number, config: SlaConfig = DEFAULT_SLA_CONFIG): DueTime {
  const t = toEpochMs(receivedAt, 'receivedAt', config.timeZone);
  const w = wallTime(t, config.timeZone);
  const received = w.hour * 60 + w.minute + w.second / 60 + (((t % 1000) + 1000) % 1000) / 60_000;
  const beforeCutoff = received < minutesOfDay(config.receiptCutoff, 'receiptCutoff');
  const dueDay = isBusinessDay(w.date, config) && beforeCutoff ? w.date : nextBusinessDay(w.date, config);
  const dueAtMs = instantOf(dueDay, config.entryDeadline, config.timeZone);
  const atRiskAtMs = Math.max(dueAtMs - config.atRiskMinutes * 60_000, Math.min(t, dueAtMs));
  return {
    dueAt: formatInZone(dueAtMs, config.timeZone),
    atRiskAt: formatInZone(atRiskAtMs, config.timeZone),
    dueAtMs,
    atRiskAtMs,
    dueDay,
  };
}

/**
 * Where an order stands. Entered orders are 'met' (entered at or before the due time) or 'missed';
 * open ones are 'on-time', 'at-risk' (from atRiskMinutes before due) or 'late'. Pass dueAt null to
 * derive it from receivedAt.
 */
export function slaState(
  now: Date | string | number,
  receivedAt: Date | string | number,
  dueAt: Date | string | number | null,
  enteredAt: Date | string | number | null,
  config: SlaConfig = DEFAULT_SLA_CONFIG,
): SlaState {
  const due = dueAt === null ? computeDue(receivedAt, config).dueAtMs : toEpochMs(dueAt, 'dueAt', config.timeZone);
  const entered = enteredAt === null ? null : toEpochMs(enteredAt, 'enteredAt', config.timeZone);
  return stateAt(toEpochMs(now, 'now', config.timeZone), due, due - config.atRiskMinutes * 60_000, entered);
}

/** The SLA clock an order carries (OrderState.sla): due and at-risk times once the workflow set them. */
export interface SlaClock {
  receivedAt: string;
  dueAt: string | null;
  atRiskAt: string | null;
  enteredAt: string | null;
}

/**
 * The one SLA state of an order, for every reader (web, API, CLI, metrics): null once the SLA no
 * longer concerns it (rejected, cancelled). Until the workflow has recorded a due time, the rule is
 * applied to the first receipt (`dueAt` may be given when the caller already computed it).
 */
export function slaStateOf(s: { status: string; sla: SlaClock }, now: Date | number, config: SlaConfig = DEFAULT_SLA_CONFIG, dueAt?: string): SlaState | null {
  if (s.status === 'rejected' || s.status === 'cancelled') return null;
  const due = Date.parse(s.sla.dueAt ?? dueAt ?? computeDue(s.sla.receivedAt, config).dueAt);
  const atRisk = s.sla.dueAt && s.sla.atRiskAt ? Date.parse(s.sla.atRiskAt) : due - config.atRiskMinutes * 60_000;
  return stateAt(typeof now === 'number' ? now : now.getTime(), due, atRisk, s.sla.enteredAt === null ? null : Date.parse(s.sla.enteredAt));
}

function stateAt(now: number, due: number, atRisk: number, entered: number | null): SlaState {
  if (entered !== null) return entered <= due ? 'met' : 'missed';
  if (now > due) return 'late';
  if (now >= atRisk) return 'at-risk';
  return 'on-time';
}

// ------------------------------------------------------------------ helpers

function minutesOfDay(hhmm: string, field: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new InvalidSlaInput(`"${hhmm}" is not a time as HH:MM`, field);
  return Number(m[1]) * 60 + Number(m[2]);
}

function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= daysInMonth(Number(m[1]), Number(m[2]));
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
