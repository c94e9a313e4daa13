// Lines whose article code OCR garbled past snapping, or left between two articles, and lines whose
// quantity carries a unit OCR misspelt (issue #13, stress renditions of the development layouts):
// the article is taken only when the line itself vouches for it (its designation, its price), and
// always under review; a line nothing vouches for keeps the code as read.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { PositionedWord } from '../../../parsers/layout/types';
import { codeInDesignation, readImageOrder, readQuantityCell, settleByDesignation, type OcrPage } from '../../../parsers/ocr/order';
import { nearestVouched, rivalByNearPrice } from '../../../parsers/ocr/near-code';
import { referenceCandidates, snapReference, REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');
const candidates = referenceCandidates(md, null);
const line = (y: number, pieces: [number, string][]): PositionedWord[] => ocrLine(y, pieces, 0.93);

function page(rows: [string, string, string, string, string][]): OcrPage {
  const table = [line(1100, [[140, 'Référence'], [400, 'Désignation'], [1000, 'Qté'], [1200, 'Prix unitaire'], [1450, 'Montant']])];
  for (const [i, r] of rows.entries()) table.push(line(1160 + i * 60, [[140, r[0]], [400, r[1]], [1000, r[2]], [1200, r[3]], [1450, r[4]]]));
  const words = [...line(200, [[130, 'QUINCAILLERIE DUPONT']]), ...line(700, [[130, 'Bon de commande N° CDE-2026-1142'], [1000, 'Date : 23/11/2026']]), ...table.flat()];
  return { page: 1, words, meanConfidence: 0.9, width: 1800, height: 2200 };
}

const read = (rows: [string, string, string, string, string][]) => readImageOrder([page(rows)], { masterData: md, fileName: 'fax.tif' }).draft!.lines;

describe('OCR reader: a code too garbled to snap, settled by the line', () => {
  it('takes the nearest article when the designation names it, under review', () => {
    const [l] = read([['CHV8B', 'Cheville nylon 8x40 (boîte de 100)', '165', '7,20', '1188,00']]);
    expect([l!.sku, l!.quantity]).toEqual(['CHV-8', 165]);
    expect(l!.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(l!.doubts!.join(' | ')).toContain('nearest CHV-8');
  });

  it('takes the nearest article when its price is near the list price and the amount holds', () => {
    const [l] = read([['MASCFRP2', 'ATEN PL', '1200', '13,05', '15660,00']]);
    expect([l!.sku, l!.quantity]).toEqual(['MAS-FFP2', 1200]);
    expect(l!.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('keeps the code as read when nothing on the line vouches for the nearest article', () => {
    const [l] = read([['CHV8B', 'Article divers', '165', '99,00', '16335,00']]);
    expect(l!.sku).not.toBe('CHV-8');
    expect(l!.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('refuses the nearest article when the designation names another', () => {
    const best = snapReference('CHV8B', 0.9, candidates);
    expect(best.value).toBeNull();
    expect(nearestVouched(best, 'CHV8B', { description: 'Cheville nylon 6x30 (boîte de 100)', unitPrice: 7.2, amountAgrees: true }, md)).toBeNull();
  });

  it('takes no article for a reading two real differences from every entry and close to two', () => {
    const best = snapReference('CHV9X', 0.9, candidates);
    expect(nearestVouched(best, 'CHV9X', { description: 'Cheville nylon 8x40 (boîte de 100)', unitPrice: 7.2, amountAgrees: true }, md)).toBeNull();
  });
});

describe('OCR reader: a code between two articles', () => {
  it('settles it by the price near one list price and far from the other, under review', () => {
    const [l] = read([['GOU-MIO', 'Anchor boit M10x30', '230', '36,57', '8411,10']]);
    expect([l!.sku, l!.quantity]).toEqual(['GOU-M10', 230]);
    expect(l!.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('settles nothing when the price is near both list prices', () => {
    const rivals = candidates.filter((c) => c.sku === 'CHV-6' || c.sku === 'CHV-8');
    expect(rivalByNearPrice(rivals, 'CHVS', { description: undefined, unitPrice: 6.5, amountAgrees: true }, md)).toBeNull();
  });

  it('settles it by a size in the designation that only one of them has', () => {
    const rivals = candidates.filter((c) => c.sku === 'CHV-6' || c.sku === 'CHV-8');
    expect(settleByDesignation(rivals, 'Cheville nylon 8x40 (boîte de 100)', md, 'cHvs', [])?.sku).toBe('CHV-8');
    expect(settleByDesignation(rivals, 'Cheville nylon (boîte de 100)', md, 'cHvs', [])).toBeNull();
  });
});

describe('OCR reader: codes glued or cut', () => {
  it('reads a code behind its position joined by one underscore', () => {
    const [l] = read([['13_FOR-HSs6', 'Bohrer 6 mm', '110', '2,12', '233,20']]);
    expect([l!.sku, l!.quantity]).toEqual(['FOR-HSS6', 110]);
    expect(l!.doubts!.join(' | ')).not.toContain('nothing close');
  });

  it('finds a code that lost its dash in the designation', () => {
    const found = codeInDesignation({ text: 'Spiegelklem Uw artikelnummer: PATANG', confidence: 0.9 }, candidates);
    expect(found?.best.value).toBe('PAT-ANG');
    expect(codeInDesignation({ text: 'SECHSKANTSCHRAUBE HANDSCHUHE', confidence: 0.9 }, candidates)).toBeNull();
  });
});

describe('OCR reader: a quantity whose unit OCR misspelt', () => {
  it('reads the number and the unit one letter off, as a cleaned cell', () => {
    expect(readQuantityCell('264 Kaiton')).toEqual({ qty: { value: 264, unit: 'BTE' }, changed: true });
    // An address's postal code and town is no quantity.
    expect(readQuantityCell('21200 Beaune').qty).toBeNull();
    expect(readQuantityCell('5 route').qty).toBeNull();
    expect(readQuantityCell('Kaiton').qty).toBeNull();
    expect(readQuantityCell('OZ OL').qty).toBeNull();
  });
});
