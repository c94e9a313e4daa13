// The requested delivery date on text PDFs (issues #13, #15): label variants in six languages, a date
// printed in a form's grid cell under its label, a per-line date column, a calendar week flagged.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readOrder } from '../../../parsers/layout/order';
import { labelValueLines } from '../../../parsers/layout/blocks';
import { groupLines } from '../../../parsers/layout/table';
import type { PositionedWord } from '../../../parsers/layout/types';
import { findDeliveryDate } from '../../../parsers/text/header';
import { cellWords, onePageOrder } from '../../support/words';

const corpusMd = loadMasterData(join(import.meta.dirname, '../../../fixtures/corpus/masterdata'));
const ref = new Date('2026-10-05T00:00:00Z');

describe('delivery-date labels the dictionaries lacked', () => {
  it('reads the Dutch nouns in full: "Leveringsdatum", "Leveringstermijn", "Afleverdatum"', () => {
    expect(findDeliveryDate('Bestelnummer  4512   Besteldatum 01-10-2026\nLeveringsdatum  13-10-2026', ref)).toBe('2026-10-13');
    expect(findDeliveryDate('Leveringstermijn: 13/10/2026', ref)).toBe('2026-10-13');
    expect(findDeliveryDate('Leveringstermijn: week 42 2026', ref)).toBe('2026-10-12');
    expect(findDeliveryDate('Afleverdatum 13.10.2026', ref)).toBe('2026-10-13');
  });

  it('reads a receiving dock\'s date: "Date de réception souhaitée", "Réception prévue"', () => {
    expect(findDeliveryDate('Date de réception souhaitée : 13/10/2026', ref)).toBe('2026-10-13');
    expect(findDeliveryDate('Réception prévue le 13/10/2026', ref)).toBe('2026-10-13');
  });

  it('reads "Consegna prevista" and "Wunschlieferdatum"', () => {
    expect(findDeliveryDate('Consegna prevista: 13/10/2026', ref)).toBe('2026-10-13');
    expect(findDeliveryDate('Wunschlieferdatum 13.10.2026', ref)).toBe('2026-10-13');
  });

  it('never takes a receipt acknowledgment or the receiving site for a date label', () => {
    expect(findDeliveryDate('Merci de nous retourner l\'accusé de réception 13/10/2026', ref)).toBeNull();
  });
});

/** Words of a page: a title, then the given printed lines of [x, text] cells at their y. */
function pageOf(rows: [number, [number, string][]][]): { page: number; words: PositionedWord[]; width: number; height: number }[] {
  return [{ page: 1, words: rows.flatMap(([y, cells]) => cellWords(y, cells)), width: 595, height: 842 }];
}

describe('a date in a form\'s grid cell under its label', () => {
  const labels: [number, string][] = [[40, 'Commande n°'], [160, 'Date'], [250, 'Date de livraison'], [400, 'Chantier']];

  it('pairs a value printed well below its label (a tall cell)', () => {
    const lines = groupLines(pageOf([[100, labels], [128, [[40, 'CDE26/0042'], [160, '01/10/2026'], [250, '13/10/2026'], [400, 'CH26-114 Montpellier']]]])[0]!);
    expect(labelValueLines(lines)).toContain('Date de livraison : 13/10/2026');
  });

  it('cuts values that run together at the cells\' edges, as the labels above them set them', () => {
    // The order number fills its cell: only one space is left before the date of the next cell.
    const lines = groupLines(pageOf([[100, labels], [114, [[40, 'CDE26/0042-BIS-LYON-NORD'], [160, '01/10/2026'], [250, '13/10/2026'], [400, 'CH26-114']]]])[0]!);
    const pairs = labelValueLines(lines);
    expect(pairs).toContain('Date de livraison : 13/10/2026');
    expect(pairs).toContain('Date : 01/10/2026');
  });
});

/** A one-page French order with no delivery date in its header. */
function order(cols: [string, number][], rows: string[][]) {
  return onePageOrder({ title: 'COMMANDE D\'ACHAT', letterhead: ['Mécanique Précision Dauphiné', 'TVA FR12345678901'], header: [['N° commande', 'CA2612345'], ['Date', '01/10/2026']], shipTo: ['Site de réception', 'Quai 3', '38000 Grenoble'], cols, rows });
}

describe('a per-line delivery-date column', () => {
  const cols: [string, number][] = [['Article', 40], ['Désignation', 110], ['Date de réception souhaitée', 230], ['Qté', 400], ['PU HT', 450]];

  it('gives the order its date when every line asks for the same one, under a label variant', () => {
    const r = readOrder(order(cols, [['VIS-440', 'Vis 4x40', '13/10/2026', '12', '18,90'], ['CHV-6', 'Cheville 6', '13/10/2026', '10', '5,60']]), corpusMd, { parser: 'pdf-text', ref });
    expect(r.draft!.requestedDeliveryDate).toBe('2026-10-13');
    expect(r.draft!.evidence!.requestedDeliveryDate).toMatchObject({ rule: 'the "Date de réception souhaitée" column of the lines' });
    expect(r.draft!.evidence!.requestedDeliveryDate!.flag).toBeUndefined();
  });

  it('flags a week asked for on every line ("Leveringstermijn week 45 2026")', () => {
    const nl: [string, number][] = [['Artikel', 40], ['Omschrijving', 110], ['Leveringstermijn', 230], ['Aantal', 400], ['Prijs', 450]];
    const r = readOrder(order(nl, [['VIS-440', 'Schroef 4x40', 'week 45 2026', '12', '18,90'], ['CHV-6', 'Plug 6', 'week 45 2026', '10', '5,60']]), corpusMd, { parser: 'pdf-text', ref });
    expect(r.draft!.requestedDeliveryDate).toBe('2026-11-02');
    expect(r.draft!.evidence!.requestedDeliveryDate!.flag).toContain('week 45 2026');
  });
});

describe('the receiving site as the delivery address', () => {
  it('reads the block under "Site de réception"', () => {
    const r = readOrder(order([['Article', 40], ['Désignation', 110], ['Qté', 400], ['PU HT', 450]], [['VIS-440', 'Vis 4x40', '12', '18,90']]), corpusMd, { parser: 'pdf-text', ref });
    expect(r.draft!.shipTo).toMatchObject({ postalCode: '38000' });
  });
});
