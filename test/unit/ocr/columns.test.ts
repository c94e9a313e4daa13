// Wide faxed tables whose columns OCR cuts wrong: price and amount columns whose titles were lost
// (found where the rows' numbers align), each page's cells cropped in its own page's bands, and a
// price or an amount the page lost read again from its crop so that the line's check holds.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { Column, PositionedWord, TableRow } from '../../../parsers/layout/types';
import { extractTable, joinTitlesTheRowsCross, wordsThatFitTheQuantity } from '../../../parsers/layout/table';
import { cellsToReadAgain, readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { cellBox, type CellRereads } from '../../../parsers/ocr/reread';
import { REREAD_ALONE, settleNumbers } from '../../../parsers/ocr/settle';
import { REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');
const rereads = (entries: [string, [string, number][]][]): CellRereads => new Map(entries.map(([k, v]) => [k, v.map(([text, confidence]) => ({ text, confidence }))]));
/** A number right-aligned on `right` (ocrLine: 20 px a character). */
const right = (x1: number, text: string): [number, string] => [x1 - text.length * 20, text];

describe('price and amount columns whose titles OCR lost', () => {
  // "ARTIKEL BEZEICHNUNG MENGE ME" read, "PREIS" and "BETRAG" lost: the rows' numbers still align.
  const header = ocrLine(100, [[100, 'ARTIKEL'], [300, 'BEZEICHNUNG'], [860, 'MENGE'], [960, 'ME']]);
  const rows: [string, string, string, string | null, string][] = [
    ['GIL-HV', 'WARNWESTE', '295,000', null, '979,40'],
    ['CHV-6', 'DUBEL 6X30', '12,000', '5,600', '67,20'],
    ['VIS-450', 'SCHRAUBE 4X50', '24,000', '20,330', '487,92'],
    ['LUN-PRO', 'SCHUTZBRILLE', '17,000', '4,180', '71,06'],
    ['EQU-100', 'WINKELVERBINDER', '24,000', '1,380', '33,12'],
  ];
  const words = (): PositionedWord[] => [
    ...header,
    ...rows.flatMap(([ref, desc, qty, price, amount], i) => ocrLine(160 + i * 40, [[100, ref], [300, desc], right(960, qty), [980, 'ST'], ...(price ? [right(1160, price)] : []), right(1360, amount)])),
  ];

  it('finds them where many rows’ numbers end at one x, the amount rightmost, and keeps their numbers out of the unit cell', () => {
    const { table } = extractTable([{ page: 1, words: words() }], { titlesMayBeLost: true });
    expect(table!.columns.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unit', 'unitPrice', 'amount']);
    expect(table!.rows.map((r) => [r.cells.unit?.text, r.cells.unitPrice?.text, r.cells.amount?.text])).toEqual([
      ['ST', undefined, '979,40'],
      ['ST', '5,600', '67,20'],
      ['ST', '20,330', '487,92'],
      ['ST', '4,180', '71,06'],
      ['ST', '1,380', '33,12'],
    ]);
  });

  it('adds nothing to a text PDF’s header, nor for numbers right-aligned under the last title read', () => {
    expect(extractTable([{ page: 1, words: words() }]).table!.columns).toHaveLength(4);
    // "P.U." read and left-aligned over its numbers, which start under it: its own column, no new one.
    const priced = [
      ...ocrLine(100, [[100, 'ARTIKEL'], [300, 'BEZEICHNUNG'], [860, 'MENGE'], [1000, 'P.U.']]),
      ...['12,50', '1.234,50', '7,00', '112,40'].flatMap((p, i) => ocrLine(160 + i * 40, [[100, `VIS-45${i}`], [300, 'SCHRAUBE'], right(960, '4'), right(1180, p)])),
    ];
    const { table } = extractTable([{ page: 1, words: priced }], { titlesMayBeLost: true });
    expect(table!.columns.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unitPrice']);
  });

  it('takes no column of dates for a price or an amount', () => {
    const dated = [...header, ...rows.flatMap(([ref, desc, qty], i) => ocrLine(160 + i * 40, [[100, ref], [300, desc], right(960, qty), [980, 'ST'], right(1360, `1${i}/10/2026`)]))];
    expect(extractTable([{ page: 1, words: dated }], { titlesMayBeLost: true }).table!.columns).toHaveLength(4);
  });

  it('keeps a lone alignment a column of its own when both titles are lost (price or amount, nothing says which)', () => {
    const lone = [...header, ...rows.flatMap(([ref, desc, qty, , amount], i) => ocrLine(160 + i * 40, [[100, ref], [300, desc], right(960, qty), [980, 'ST'], right(1360, amount)]))];
    const { table } = extractTable([{ page: 1, words: lone }], { titlesMayBeLost: true });
    expect(table!.columns.at(-1)!.role).toBe('other');
    expect(table!.rows[0]!.cells.unit?.text).toBe('ST');
  });
});

describe('titles the rows’ words do not keep apart', () => {
  // "Totaal" and "(LV)" read a gap apart: two titles, the second of no known role, over one column of amounts.
  const words = (): PositionedWord[] => [
    ...ocrLine(100, [[100, 'Artikelnr.'], [400, 'Omschrijving'], [1000, 'Aantal'], [1200, 'Prijs'], [1440, 'Totaal'], [1600, '(LV)']]),
    ...['1.360,80', '182,70', '55,08', '2.458,33'].flatMap((a, i) => ocrLine(160 + i * 40, [[100, `VIS-45${i}`], [400, 'Schroef'], right(1120, '12'), right(1300, '8,70'), right(1680, a)])),
  ];

  it('makes them one column when the cut between them runs through many rows’ numbers', () => {
    const { table } = extractTable([{ page: 1, words: words() }]);
    expect(table!.columns.map((c) => [c.role, c.label])).toEqual([['reference', 'Artikelnr.'], ['description', 'Omschrijving'], ['quantity', 'Aantal'], ['unitPrice', 'Prijs'], ['amount', 'Totaal (LV)']]);
    expect(table!.rows.map((r) => r.cells.amount?.text)).toEqual(['1.360,80', '182,70', '55,08', '2.458,33']);
  });

  it('leaves titles apart when a gutter separates their cells, and text columns alone', () => {
    const columns: Column[] = [
      { role: 'amount', label: 'Totaal', x0: 1440, x1: 1560 },
      { role: 'other', label: 'BTW', x0: 1600, x1: 1660 },
    ];
    const line = (x0: number, x1: number) => ({ page: 1, words: [{ text: '21%', x0, x1, y0: 0, y1: 30 }], x0, x1, y0: 0, y1: 30, text: '21%', confidence: 1 });
    expect(joinTitlesTheRowsCross(columns, [line(1610, 1670), line(1612, 1672)], [1580])).toBe(false);
    const text: Column[] = [
      { role: 'reference', label: 'Code', x0: 100, x1: 180 },
      { role: 'other', label: 'Libené', x0: 200, x1: 300 },
    ];
    expect(joinTitlesTheRowsCross(text, [line(150, 260), line(150, 260)], [190])).toBe(false);
  });
});

describe('a quantity cell holds only words that fit a quantity', () => {
  const columns: Column[] = [
    { role: 'reference', label: 'Article', x0: 100, x1: 180 },
    { role: 'description', label: 'Désignation', x0: 300, x1: 440 },
    { role: 'quantity', label: 'Qté', x0: 900, x1: 960 },
    { role: 'unit', label: 'UM', x0: 990, x1: 1030 },
  ];
  const w = (text: string, x0: number, x1: number): PositionedWord => ({ text, x0, x1, y0: 100, y1: 124 });

  it('gives a long designation’s last words back to the designation, and a unit read inside the band to the unit column', () => {
    const perColumn: PositionedWord[][] = [[w('VIS-450', 100, 200)], [w('Vis', 300, 350)], [w('zinguée', 800, 880), w('1.250,00', 850, 955), w('BTE', 965, 985)], []];
    wordsThatFitTheQuantity(columns, perColumn);
    expect(perColumn.map((ws) => ws.map((x) => x.text))).toEqual([['VIS-450'], ['Vis', 'zinguée'], ['1.250,00'], ['BTE']]);
  });

  it('keeps a number overhanging the title, a word under the title, and everything when no text column is on its left', () => {
    const perColumn: PositionedWord[][] = [[], [], [w('12', 860, 890), w('lO', 910, 940)], []];
    wordsThatFitTheQuantity(columns, perColumn);
    expect(perColumn[2]!.map((x) => x.text)).toEqual(['12', 'lO']);
    const first: Column[] = [columns[2]!, columns[0]!];
    const alone: PositionedWord[][] = [[w('douze', 800, 880)], []];
    wordsThatFitTheQuantity(first, alone);
    expect(alone[0]!.map((x) => x.text)).toEqual(['douze']);
  });
});

const COLS = { ref: 140, desc: 380, qty: 1140, pu: 1290, amount: 1420 };
function page(n: number, shift: number, rows: PositionedWord[][]): OcrPage {
  const words = [
    ...ocrLine(200, [[130, 'QUINCAILLERIE DUPONT']]),
    ...ocrLine(1100, [[COLS.ref + shift, 'Réf.'], [COLS.desc + shift, 'Désignation'], [COLS.qty + shift, 'Qté'], [COLS.pu - 20 + shift, 'P.U. HT'], [COLS.amount + shift, 'Montant HT']]),
    ...rows.flat(),
  ];
  return { page: n, words, meanConfidence: 0.9, width: 1700, height: 2200 };
}
const row = (y: number, shift: number, ref: string, qty: string, pu: string, amount: string | null) =>
  ocrLine(y, [[COLS.ref + shift, ref], [COLS.desc + shift, 'Article'], [COLS.qty + shift, qty], [COLS.pu + shift, pu], ...(amount ? [[COLS.amount + shift, amount] as [number, string]] : [])], 0.95);

describe('cells read again when OCR lost a price or an amount', () => {
  it('crops the number cells of a row whose amount the page lost, though its quantity was read clearly', () => {
    const crops = cellsToReadAgain([page(1, 0, [row(1160, 0, 'CHV-8', '36', '7,20', null), row(1220, 0, 'CHV-8', '30', '7,20', '216,00')])], md);
    expect(crops.map((c) => c.key)).toEqual(['1/1/quantity', '1/1/amount']);
  });

  it('crops each page’s cells in that page’s own column bands (a repeated header sits elsewhere on the next page)', () => {
    const p1 = page(1, 0, [row(1160, 0, 'CHV-8', '2455', '7,20', '1 612,80')]);
    const p2 = page(2, -250, [row(1160, -250, 'CAD-40', '10', '9,52', '95,20')]);
    const q = cellsToReadAgain([p1, p2], md).find((c) => c.key === '1/1/quantity')!;
    expect(q.box.x0).toBeLessThanOrEqual(COLS.qty);
    expect(q.box.x1).toBeGreaterThanOrEqual(COLS.qty + 4 * 20);
  });

  it('reaches left to the gutter the rows leave before the column, for a long quantity overhanging its title ("2.600,000" under "MENGE")', () => {
    const columns: Column[] = [
      { role: 'description', label: 'BEZEICHNUNG', x0: 300, x1: 450 },
      { role: 'quantity', label: 'MENGE', x0: 860, x1: 930 },
      { role: 'unit', label: 'ME', x0: 945, x1: 970 },
    ];
    const r: TableRow = { page: 1, index: 1, y0: 1116, y1: 1140, cells: {}, lineCount: 1, text: '' };
    expect(cellBox(columns, r, 'quantity')!.x0).toBeGreaterThan(780);
    expect(cellBox(columns, r, 'quantity', [700, 937])!.x0).toBe(700);
    // A cut no further left than the usual reach changes nothing.
    expect(cellBox(columns, r, 'quantity', [850, 937])).toEqual(cellBox(columns, r, 'quantity'));
  });

  it('takes a price the page lost from its crop, under review, so the check can settle the quantity', () => {
    const r: TableRow = { page: 1, index: 1, y0: 1160, y1: 1190, cells: { quantity: { text: '351,600', confidence: 0.9 }, amount: { text: '954,72', confidence: 0.95 } }, lineCount: 1, text: '' };
    const num = (t: string) => (Number.isFinite(Number(t.replace(',', '.'))) ? Number(t.replace(',', '.')) : null);
    const s = settleNumbers(r, rereads([['1/1/unitPrice', [['2,720', 0.94]]]]), num, num);
    expect(s.cells.unitPrice).toEqual({ text: '2,720', confidence: 0.94 });
    expect(s.cap).toBe(REREAD_ALONE);
    expect(s.evidence).toContain('unit price unread on the page; read from its cell as "2,720"');
    // With a faint amount its own re-reading makes surer, the lost price is still taken.
    const faint: TableRow = { ...r, cells: { ...r.cells, amount: { text: '954,72', confidence: 0.7 } } };
    const both = settleNumbers(faint, rereads([['1/1/unitPrice', [['2,720', 0.94]]], ['1/1/amount', [['954,72', 0.92]]]]), num, num);
    expect(both.cells).toMatchObject({ unitPrice: { text: '2,720' }, amount: { text: '954,72', confidence: 0.92 } });
    expect(both.evidence).toContain('read alike again from its cell');
    // A faint re-reading, or two that disagree, give nothing.
    expect(settleNumbers(r, rereads([['1/1/unitPrice', [['2,720', 0.5]]]]), num, num).cells.unitPrice).toBeUndefined();
    expect(settleNumbers(r, rereads([['1/1/unitPrice', [['2,720', 0.94], ['2,120', 0.9]]]]), num, num).cells.unitPrice).toBeUndefined();
  });

  it('offers each number of a crop that caught a neighbour’s word ("1,000 51": the unit beside it on a skewed page), the arithmetic picking one', () => {
    const num = (t: string) => (/^\d+(?:,\d+)?$/.test(t) ? Number(t.replace(',', '.')) : null);
    const r: TableRow = { page: 1, index: 1, y0: 1160, y1: 1190, cells: { quantity: { text: '1,006', confidence: 0.6 }, unitPrice: { text: '1,950', confidence: 0.95 }, amount: { text: '1,95', confidence: 0.95 } }, lineCount: 1, text: '' };
    expect(settleNumbers(r, rereads([['1/1/quantity', [['1,000 51', 0.8]]]]), num, num).cells.quantity!.text).toBe('1,000');
    // Two such numbers are never an agreement by themselves.
    const noCheck: TableRow = { ...r, cells: { quantity: { text: '25', confidence: 0.45 } } };
    expect(settleNumbers(noCheck, rereads([['1/1/quantity', [['22 6', 0.9], ['22', 0.9]]]]), num, num).cells.quantity!.text).toBe('25');
  });

  it('corrects the quantity by the amount re-read from its crop, flagged', () => {
    const p = page(1, 0, [row(1160, 0, 'CHV-8', '36', '7,20', null)]);
    expect(readImageOrder([p], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!.quantity).toBe(36);
    const line = readImageOrder([p], { masterData: md, fileName: 'fax.tif', rereads: rereads([['1/1/amount', [['216,00', 0.95]]]]) }).draft!.lines[0]!;
    expect(line).toMatchObject({ sku: 'CHV-8', quantity: 30, unitPrice: 7.2 });
    expect(line.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
});
