import { describe, expect, it } from 'vitest';
import { guessLocale, normaliseUnit, parseNumber, parseQuantity } from '../../../parsers/text/numbers';
import { findDates, parseDate } from '../../../parsers/text/dates';

describe('parseNumber', () => {
  it.each([
    ['1 250,50', 1250.5],
    ['1\u00a0250,50', 1250.5],
    ['1\u202f250,50', 1250.5],
    ['1.250,50', 1250.5],
    ['1,250.50', 1250.5],
    ["1'250.50", 1250.5],
    ['12,5', 12.5],
    ['12', 12],
    ['0,85', 0.85],
    ['0.850', 0.85],
    ['18,90 €', 18.9],
    ['€ 18.90', 18.9],
    ['147,60 EUR HT', 147.6],
    ['-3,5', -3.5],
    ['1 000 000', 1_000_000],
    ['1.000.000', 1_000_000],
  ])('reads %j as %d', (s, n) => {
    expect(parseNumber(s)).toBe(n);
  });

  it.each(['VIS-440', '', '  ', '12 13', '1,25,0', '1.2.3', '4x40', '23/11/2026', 'douze', '1 25,00'])('refuses %j', (s) => {
    expect(parseNumber(s)).toBeNull();
  });

  it('reads an ambiguous "1,250" as French unless told the text is English', () => {
    expect(parseNumber('1,250')).toBe(1.25);
    expect(parseNumber('1,250', 'en')).toBe(1250);
    expect(parseNumber('1.250')).toBe(1250);
    expect(parseNumber('1.250', 'en')).toBe(1.25);
  });

  it('guesses the locale from how decimals are written, ignoring dates', () => {
    expect(guessLocale('Qty 1,200  Unit price 18.90  total 22,680.00')).toBe('en');
    expect(guessLocale('Qté 12  PU 18,90  le 23.11.26')).toBe('fr');
    expect(guessLocale('nothing numeric')).toBe('fr');
  });
});

describe('parseQuantity', () => {
  it.each([
    ['12', 12, null],
    ['12 BTE', 12, 'BTE'],
    ['12 boîtes', 12, 'BTE'],
    ['x 12', 12, null],
    ['12x', 12, null],
    ['1 000 pcs', 1000, 'U'],
    ['2,5 kg', 2.5, 'KG'],
    ['3 paires', 3, 'PAI'],
    ['Qté : 4', 4, null],
  ])('reads %j', (s, value, unit) => {
    expect(parseQuantity(s)).toEqual({ value, unit });
  });

  it('refuses zero, negatives and unknown unit words rather than guess', () => {
    expect(parseQuantity('0')).toBeNull();
    expect(parseQuantity('-2')).toBeNull();
    expect(parseQuantity('12 zorglubs')).toBeNull();
    expect(normaliseUnit('zorglub')).toBeNull();
  });
});

describe('parseDate', () => {
  const ref = new Date('2026-11-23T09:00:00Z');
  it.each([
    ['23/11/2026', '2026-11-23'],
    ['23.11.26', '2026-11-23'],
    ['23-11-2026', '2026-11-23'],
    ['23 nov. 2026', '2026-11-23'],
    ['23 novembre 2026', '2026-11-23'],
    ['Nov 23, 2026', '2026-11-23'],
    ['November 23rd 2026', '2026-11-23'],
    ['2026-11-23', '2026-11-23'],
    ['lundi 23 novembre 2026', '2026-11-23'],
    ['Monday, November 23, 2026', '2026-11-23'],
    ['1er décembre 2026', '2026-12-01'],
    ['le 3 févr. 2027', '2027-02-03'],
    ['11/23/2026', '2026-11-23'],
  ])('reads %j', (s, iso) => {
    expect(parseDate(s, ref)).toBe(iso);
  });

  it('gives null for dates that do not exist and for non-dates', () => {
    expect(parseDate('31/02/2026', ref)).toBeNull();
    expect(parseDate('VIS-440', ref)).toBeNull();
    expect(parseDate('', ref)).toBeNull();
    expect(parseDate('13/13/2026', ref)).toBeNull();
  });

  it('takes a missing year from the reference date, rolling into next year for a past month', () => {
    expect(parseDate('livraison le 27/11', ref)).toBe('2026-11-27');
    expect(parseDate('pour le 5 janvier', ref)).toBe('2027-01-05');
    expect(findDates('le 27/11', ref)[0]?.yearInferred).toBe(true);
  });

  it('finds every date of a text in reading order', () => {
    expect(findDates('Commande du 23/11/2026, livraison le 2 décembre 2026', ref).map((d) => d.iso)).toEqual(['2026-11-23', '2026-12-02']);
  });
});
