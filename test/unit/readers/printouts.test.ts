// Monospace printouts (issue #13, class 5): dotted leaders between labels and values, abbreviated
// column labels, and lines printed with no header row at all, read by content and flagged.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readOrder } from '../../../parsers/layout/order';
import { readImageOrder } from '../../../parsers/ocr/order';
import { findOrderDate, findPoNumber } from '../../../parsers/text/header';
import type { PageWords, PositionedWord } from '../../../parsers/layout/types';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

/** A fixed-width line: every character 6 units wide, words where the text puts them. */
function mono(y: number, text: string, confidence?: number): PositionedWord[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], x0: 20 + m.index * 6, x1: 20 + (m.index + m[0].length) * 6, y0: y, y1: y + 10, ...(confidence ? { confidence } : {}) }));
}

const SCREEN = [
  'QUINCAILLERIE DUPONT                          PAGE 1',
  'N° COMMANDE.........: CDE26/00412',
  'DATE COMMANDE.......: 01.10.26',
  'DATE LIVRAISON......: 08.10.26',
  '',
  'VIS-440     VIS INOX A2 4X40                12   BTE     18,90',
  'CHV-6       CHEVILLE NYLON 6X30              5   BTE      5,60',
  'MET-5M      METRE RUBAN 5M                   3   U        8,70',
];

function page(): PageWords {
  return { page: 1, words: SCREEN.flatMap((t, i) => mono(40 + i * 14, t)), width: 600, height: 840 };
}

describe('dotted leaders', () => {
  it('reads the value after a label and its leader', () => {
    expect(findPoNumber('N° COMMANDE.........: CDE26/00412')?.value).toBe('CDE26/00412');
    expect(findOrderDate('DATE COMMANDE.......: 01.10.26', new Date('2026-10-01'))).toBe('2026-10-01');
  });
});

describe('a printout without a header row', () => {
  it('is read from the columns content as a text PDF, every line flagged', () => {
    const r = readOrder([page()], md, { parser: 'pdf-text', ref: new Date('2026-10-01') });
    expect(r.draft?.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 12], ['CHV-6', 5], ['MET-5M', 3]]);
    expect(r.draft?.lines.every((l) => (l.confidence ?? 1) < 0.7)).toBe(true);
    expect(r.problems.map((p) => p.code)).toContain('TABLE_WITHOUT_HEADER');
    expect(r.draft?.poNumber).toBe('CDE26/00412');
  });

  it('is read the same from a fax, not quarantined as holding no table', () => {
    const words = SCREEN.flatMap((t, i) => mono(40 + i * 14, t, 0.9));
    const { draft, problems } = readImageOrder([{ page: 1, words, meanConfidence: 0.9, width: 600, height: 840 }], { masterData: md, fileName: 'as400.tif', receivedAt: '2026-10-01T09:00:00Z' });
    expect(problems.map((p) => p.code)).not.toContain('NO_ORDER_TABLE');
    expect(draft?.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 12], ['CHV-6', 5], ['MET-5M', 3]]);
    expect(draft?.poNumber).toBe('CDE26/00412');
    expect(draft?.orderDate).toBe('2026-10-01');
  });
});
