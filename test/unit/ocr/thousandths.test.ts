// A quantity column printed with three decimals (SAP: "12,000 ST", "1.400,000"): a cell whose
// ",000" OCR read with a dot ("50.000") or without its mark ("1400000") is read as its siblings are
// (50, 1 400), below review; a column that does not print three decimals is left alone.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { PositionedWord } from '../../../parsers/layout/types';
import { asThousandthsSibling, readImageOrder, thousandthsColumn, type OcrPage } from '../../../parsers/ocr/order';
import { REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');

const line = (y: number, pieces: [number, string][]): PositionedWord[] => ocrLine(y, pieces, 0.93);

function page(quantities: string[]): OcrPage {
  const words = [
    ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
    ...line(700, [[130, 'Bon de commande N° CDE-2026-1142'], [1000, 'Date : 23/11/2026']]),
    ...line(1100, [[140, 'Poste'], [300, 'Article'], [520, 'Désignation'], [1100, 'Quantité'], [1400, 'Unité']]),
    ...quantities.flatMap((q, i) => line(1160 + i * 60, [[140, `000${i + 1}0`], [300, 'CHV-8'], [520, 'Cheville nylon'], [1100, q], [1400, 'BTE']])),
  ];
  return { page: 1, words, meanConfidence: 0.9, width: 1800, height: 2200 };
}

describe('OCR reader: a column of three-decimal quantities', () => {
  it('tells such a column by two thirds of its numbers', () => {
    expect(thousandthsColumn(['12,000 ST', '1.400,000', '5,000', '50.000'], 'fr')).toBe(true);
    expect(thousandthsColumn(['12', '14', '5,000', '50'], 'fr')).toBe(false);
    expect(thousandthsColumn(['1,250.000', '12.000', '3.000'], 'en')).toBe(true);
  });

  it('reads a cell whose mark OCR misread or lost as its siblings are, and leaves one that reads alike', () => {
    expect(asThousandthsSibling({ text: '50.000', confidence: 0.9 }, 'fr')).toEqual({ text: '50,000', confidence: 0.6 });
    expect(asThousandthsSibling({ text: '1400000', confidence: 0.9 }, 'fr')).toEqual({ text: '1400,000', confidence: 0.6 });
    expect(asThousandthsSibling({ text: '12,000 ST', confidence: 0.9 }, 'fr')).toBeNull();
    expect(asThousandthsSibling({ text: '1.400,000', confidence: 0.9 }, 'fr')).toBeNull();
  });

  it('gives the order line the sibling reading, flagged', () => {
    const lines = readImageOrder([page(['12,000', '30,000', '8,000', '6,000', '50.000', '1400000'])], { masterData: md, fileName: 'scan.pdf' }).draft!.lines;
    expect(lines.map((l) => l.quantity)).toEqual([12, 30, 8, 6, 50, 1400]);
    expect(lines[4]!.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(lines[4]!.doubts!.join(' ')).toContain('three-decimal');
  });

  it('leaves "50.000" as fifty thousand in a column that does not print three decimals', () => {
    const lines = readImageOrder([page(['12', '30', '50.000'])], { masterData: md, fileName: 'scan.pdf' }).draft!.lines;
    expect(lines.map((l) => l.quantity)).toEqual([12, 30, 50000]);
  });
});
