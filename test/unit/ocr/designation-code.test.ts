// A fax or a scan whose table has no column of our codes: the code printed in the designation
// ("[CHV-8] Cheville…", a sub-line "Ihre Materialnummer: VIS-440" under the buyer's own number) names
// the article, flagged as found there; two different articles as close name none.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { PositionedWord } from '../../../parsers/layout/types';
import { codeInDesignation, readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { referenceCandidates } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');

const line = (y: number, pieces: [number, string][]): PositionedWord[] => ocrLine(y, pieces, 0.93);

function page(table: PositionedWord[][]): OcrPage {
  const words = [...line(200, [[130, 'QUINCAILLERIE DUPONT']]), ...line(700, [[130, 'Bon de commande N° CDE-2026-1142'], [1000, 'Date : 23/11/2026']]), ...table.flat()];
  return { page: 1, words, meanConfidence: 0.9, width: 1800, height: 2200 };
}

describe('OCR reader: our code inside the designation', () => {
  it('takes the code printed in brackets at the head of the designation when no column holds codes', () => {
    const p = page([
      line(1100, [[140, 'Description'], [900, 'Qté'], [1100, 'Prix unitaire'], [1400, 'Montant']]),
      line(1160, [[140, '[CHV-8] Cheville nylon 8x40'], [900, '30,00 U'], [1100, '7,20'], [1400, '216,00']]),
      line(1220, [[140, '[VIS-440] Vis agglo 4x40'], [900, '2,00 BTE'], [1100, '5,00'], [1400, '10,00']]),
    ]);
    const lines = readImageOrder([p], { masterData: md, fileName: 'scan.pdf' }).draft!.lines;
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['CHV-8', 30],
      ['VIS-440', 2],
    ]);
    expect(lines[0]!.doubts).toContain('reference found inside the designation');
    expect(lines[0]!.confidence).toBeLessThanOrEqual(0.9);
  });

  it('takes our code from the sub-line under the buyer’s own article number', () => {
    const p = page([
      line(1100, [[140, 'Pos.'], [260, 'Menge'], [480, 'Artikel'], [760, 'Bezeichnung'], [1400, 'Preis'], [1600, 'Wert']]),
      line(1160, [[140, '1'], [260, '30 Stück'], [480, '825317579'], [760, 'Dübel 8x40'], [1400, '7,20'], [1600, '216,00']]),
      line(1200, [[760, 'Ihre Materialnummer: CHV-8']]),
    ]);
    const lines = readImageOrder([p], { masterData: md, fileName: 'scan.pdf' }).draft!.lines;
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([['CHV-8', 30]]);
  });

  it('makes no order line of a freight row, and says so', () => {
    const p = page([
      line(1100, [[140, 'Artikelnr.'], [400, 'Omschrijving'], [1000, 'Aantal'], [1200, 'Prijs'], [1450, 'Totaal']]),
      line(1160, [[140, 'CHV-8'], [400, 'Plug 8x40'], [1000, '30'], [1200, '7,20'], [1450, '216,00']]),
      line(1220, [[400, 'Vrachtkosten'], [1000, '4'], [1200, '20,00'], [1450, '80,00']]),
      // Its position in a "#" column read as the reference is no article code either.
      line(1280, [[140, '6'], [400, 'Frais de port'], [1000, '1'], [1200, '15,00'], [1450, '15,00']]),
    ]);
    const reading = readImageOrder([p], { masterData: md, fileName: 'scan.pdf' });
    expect(reading.draft!.lines.map((l) => [l.sku, l.quantity])).toEqual([['CHV-8', 30]]);
    expect(reading.problems.filter((x) => x.code === 'CHARGE_ROW')).toHaveLength(2);
  });

  it('names no article when two codes in the designation are equally close to different ones', () => {
    const cands = referenceCandidates(md, null);
    expect(codeInDesignation({ text: 'CHV-8 ou VIS-440', confidence: 0.9 }, cands)).toBeNull();
    expect(codeInDesignation({ text: 'Cheville nylon 8x40', confidence: 0.9 }, cands)).toBeNull();
    expect(codeInDesignation({ text: 'Cheville CHV-8 (boîte de 100)', confidence: 0.9 }, cands)?.best.value).toBe('CHV-8');
  });
});
