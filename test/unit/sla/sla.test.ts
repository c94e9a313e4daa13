import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import fc from 'fast-check';
import { Command } from 'commander';
import { computeDue, formatInZone, InvalidSlaInput, isBusinessDay, slaConfig, slaState, toEpochMs, wallTime, type SlaConfig } from '../../../domain/sla';
import { registerSlaCommands } from '../../../worker/sla-command';
import { easterSunday, frenchPublicHolidays } from '../../../domain/holidays';

interface DueCase { name: string; receivedAt: string; dueAt: string; config?: Partial<SlaConfig> }
const CASES = parse(readFileSync(join(import.meta.dirname, '../../../fixtures/sla/due-cases.yaml'), 'utf8')) as DueCase[];

describe('French public holidays', () => {
  it('computes Easter Sunday for known years', () => {
    expect(['2024', '2025', '2026', '2027', '2038', '2285'].map((y) => easterSunday(Number(y)))).toEqual([
      '2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2038-04-25', '2285-03-22',
    ]);
  });
  it('lists the eleven holidays of 2026, Easter-based ones included', () => {
    const h = frenchPublicHolidays(2026);
    expect(h.map((x) => x.date)).toEqual([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25',
      '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ]);
    expect(h.find((x) => x.date === '2026-05-14')?.name).toBe('Ascension');
    expect(frenchPublicHolidays(2026, { alsaceMoselle: true }).map((x) => x.date)).toContain('2026-04-03');
  });
});

describe('computeDue: known answers', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const config = slaConfig(c.config ?? {});
    expect(computeDue(c.receivedAt, config).dueAt).toBe(c.dueAt);
  });

  it('puts "at risk" 30 minutes before due, never before receipt', () => {
    expect(computeDue('2026-11-23T09:00:00+01:00').atRiskAt).toBe('2026-11-23T16:30:00+01:00');
    expect(computeDue('2026-11-23T16:50:00+01:00').atRiskAt).toBe('2026-11-23T16:50:00+01:00');
    expect(computeDue('2026-11-23T09:00:00+01:00', slaConfig({ atRiskMinutes: 120 })).atRiskAt).toBe('2026-11-23T15:00:00+01:00');
  });

  it('does not depend on the machine time zone (string input with offset, Date input)', () => {
    const d = new Date(Date.UTC(2026, 10, 23, 15, 59, 59));
    expect(computeDue(d).dueAt).toBe('2026-11-23T17:00:00+01:00');
    expect(computeDue(d.getTime() + 1000).dueAt).toBe('2026-11-24T17:00:00+01:00');
  });

  it('rejects unreadable input and inconsistent configuration with a typed error naming the field', () => {
    expect(() => computeDue('23/11/2026 16:00')).toThrow(InvalidSlaInput);
    expect(() => computeDue('23/11/2026 16:00')).toThrow(/receivedAt: "23\/11\/2026 16:00" is not an ISO 8601/);
    expect(() => computeDue('2026-02-30T10:00:00Z')).toThrow(/not a valid calendar date/);
    expect(() => slaConfig({ receiptCutoff: '18:00', entryDeadline: '17:00' })).toThrow(/receiptCutoff: the receipt cut-off 18:00 is after/);
    expect(() => slaConfig({ closingDays: ['24/12/2026'] })).toThrow(/closingDays/);
    expect(() => slaConfig({ timeZone: 'Europe/Lyon' })).toThrow(/timeZone/);
  });
});

describe('slaState', () => {
  const rx = '2026-11-23T10:00:00+01:00';
  const due = '2026-11-23T17:00:00+01:00';
  it('walks on-time → at-risk → late while open', () => {
    expect(slaState('2026-11-23T16:29:59+01:00', rx, due, null)).toBe('on-time');
    expect(slaState('2026-11-23T16:30:00+01:00', rx, due, null)).toBe('at-risk');
    expect(slaState('2026-11-23T17:00:00+01:00', rx, due, null)).toBe('at-risk');
    expect(slaState('2026-11-23T17:00:01+01:00', rx, due, null)).toBe('late');
  });
  it('is met when entered at or before the due time, missed after', () => {
    expect(slaState('2026-11-24T09:00:00+01:00', rx, due, '2026-11-23T17:00:00+01:00')).toBe('met');
    expect(slaState('2026-11-24T09:00:00+01:00', rx, due, '2026-11-23T17:00:01+01:00')).toBe('missed');
  });
  it('derives the due time from the receipt when dueAt is null', () => {
    expect(slaState('2026-11-27T18:00:00+01:00', '2026-11-27T17:30:00+01:00', null, null)).toBe('on-time');
    expect(slaState('2026-11-30T17:00:01+01:00', '2026-11-27T17:30:00+01:00', null, null)).toBe('late');
  });
});

describe('computeDue: properties', () => {
  // 2020–2035, to cross many DST nights, Easters and weekends.
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) });
  const configs = fc.record({
    cutoff: fc.integer({ min: 6 * 60, max: 17 * 60 }),
    extra: fc.integer({ min: 0, max: 4 * 60 }),
    closing: fc.array(fc.integer({ min: 0, max: 16 * 366 }), { maxLength: 5 }),
  }).map(({ cutoff, extra, closing }): SlaConfig => slaConfig({
    receiptCutoff: hhmm(cutoff),
    entryDeadline: hhmm(Math.min(cutoff + extra, 23 * 60 + 59)),
    closingDays: closing.map((d) => new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10)),
  }));

  it('is never before receipt, lands on a business day at the deadline', () => {
    fc.assert(fc.property(instant, configs, (t, config) => {
      const due = computeDue(t, config);
      expect(due.dueAtMs).toBeGreaterThanOrEqual(t);
      const w = wallTime(due.dueAtMs, 'Europe/Paris');
      expect(isBusinessDay(w.date, config)).toBe(true);
      expect(`${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`).toBe(config.entryDeadline);
      expect(w.second).toBe(0);
      expect(toEpochMs(due.dueAt, 'dueAt')).toBe(due.dueAtMs);
    }), { numRuns: 400 });
  });

  it('is monotonic in the receipt time', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 10 * 24 * 3600 * 1000 }), (t, delta) => {
      expect(computeDue(t + delta).dueAtMs).toBeGreaterThanOrEqual(computeDue(t).dueAtMs);
    }), { numRuns: 400 });
  });

  it('formats and reads back any instant with its Paris offset', () => {
    fc.assert(fc.property(instant, (t) => {
      const iso = formatInZone(t, 'Europe/Paris');
      expect(iso).toMatch(/[+-]0[12]:00$/);
      expect(toEpochMs(iso, 'x')).toBe(t);
    }), { numRuns: 300 });
  });
});

describe('sla due (CLI)', () => {
  async function run(args: string[]): Promise<{ out: string[]; err: string[]; code: number | undefined }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log, error = console.error;
    console.log = (s: string) => out.push(s);
    console.error = (s: string) => err.push(s);
    const before = process.exitCode;
    process.exitCode = undefined;
    try {
      const program = new Command().exitOverride();
      registerSlaCommands(program);
      await program.parseAsync(['node', 'aiguillage', ...args]);
      return { out, err, code: process.exitCode as number | undefined };
    } finally {
      console.log = log;
      console.error = error;
      process.exitCode = before;
    }
  }
  it('prints the due time with its offset', async () => {
    expect((await run(['sla', 'due', '--received-at', '2026-11-20T17:00:00+01:00'])).out).toEqual(['2026-11-23T17:00:00+01:00']);
    expect((await run(['sla', 'due', '--received-at', '2026-12-24T10:00:00+01:00', '--closing-days', '2026-12-24'])).out).toEqual(['2026-12-28T17:00:00+01:00']);
  });
  it('exits 2 with a message on an unreadable time', async () => {
    const r = await run(['sla', 'due', '--received-at', 'hier soir']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/"hier soir" is not an ISO 8601 date-time/);
  });
});

function hhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

