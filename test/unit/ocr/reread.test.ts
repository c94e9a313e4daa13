// A line's EAN as a witness for its reference; number cells read again from their own crops (parsers/ocr/reread.ts) and the choice among the
// page's reading and the re-readings (parsers/ocr/settle.ts): by quantity × unit price = amount,
// else by re-readings agreeing (flagged). The crop itself is read by the real OCR engine.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { PositionedWord, TableRow } from '../../../parsers/layout/types';
import { cellsToReadAgain, eanInCell, quantityInUnitCell, readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { cellBox, cellKey, rereadCells, wordsUnder, type CellRereads } from '../../../parsers/ocr/reread';
import { REREAD_ALONE, REREAD_CONFIRMED, REREAD_FAINT, settleNumbers } from '../../../parsers/ocr/settle';
import { OcrPool } from '../../../parsers/ocr/engine';
import { REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');

const line = ocrLine;

const COLS = { ref: 140, desc: 380, qty: 1140, pu: 1290, amount: 1420 };
function page(rows: PositionedWord[][]): OcrPage {
  const words = [
    ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
    ...line(700, [[130, 'N° de commande : CDE-2026-1142'], [1000, 'Date : 23/11/2026']]),
    ...line(1100, [[COLS.ref, 'Réf.'], [COLS.desc, 'Désignation'], [COLS.qty, 'Qté'], [COLS.pu - 20, 'P.U. HT'], [COLS.amount, 'Montant HT']]),
    ...rows.flat(),
  ];
  return { page: 1, words, meanConfidence: 0.9, width: 1700, height: 2200 };
}

const row = (y: number, ref: string, qty: [string, number], pu: [string, number], amount: [string, number]) =>
  line(y, [[COLS.ref, ref], [COLS.desc, 'Article'], [COLS.qty, ...qty], [COLS.pu, ...pu], [COLS.amount, ...amount]]);

function tableRow(cells: TableRow['cells'], index = 1): TableRow {
  return { page: 1, index, y0: 1160, y1: 1190, cells, lineCount: 1, text: Object.values(cells).map((c) => c!.text).join(' ') };
}
const num = (t: string) => {
  const n = Number(t.replace(/\s/g, '').replace(',', '.'));
  return Number.isFinite(n) && n > 0 ? n : null;
};
const rereads = (entries: [string, [string, number][]][]): CellRereads => new Map(entries.map(([k, v]) => [k, v.map(([text, confidence]) => ({ text, confidence }))]));

describe('cellsToReadAgain: only rows whose numbers fail a check', () => {
  it('asks for the number cells of an article’s row whose quantity the amount contradicts, or that is unread; not of a row that agrees, one the amount corrects, or one naming no article', () => {
    const p = page([
      row(1160, 'CHV-8', ['30', 0.95], ['7,20', 0.95], ['216,00', 0.95]),
      row(1220, 'CHV-8', ['2455', 0.5], ['7,20', 0.95], ['1 612,80', 0.95]),
      row(1280, 'CAD-40', ['co', 0.1], ['9,52', 0.95], ['85,00', 0.6]),
      // Quantity × price ≠ amount, but one zero misread explains it: the page's own check settles it (flagged).
      row(1340, 'CHV-8', ['66', 0.9], ['6,50', 0.95], ['390,00', 0.95]),
      // No article named: never worth a second look.
      row(1400, 'Adresse', ['73', 0.2], ['', 0.9], ['', 0.9]),
    ]);
    const crops = cellsToReadAgain([p], md);
    // A price or an amount read clearly is not read again; a faint one is.
    expect(crops.map((c) => c.key)).toEqual(['1/2/quantity', '1/3/quantity', '1/3/amount']);
    expect(crops[0]!.check).toEqual({ unitPrice: 7.2, amount: 1612.8 });
    // The quantity crop holds the quantity's words, within its column band and its row.
    const q = crops[0]!;
    expect(q.box.x0).toBeLessThanOrEqual(COLS.qty);
    expect(q.box.x1).toBeGreaterThanOrEqual(COLS.qty + 4 * 20);
    expect(q.box.x1).toBeLessThan(COLS.pu);
    expect(q.box.y0).toBeLessThanOrEqual(1220);
    expect(q.box.y1).toBeGreaterThanOrEqual(1250);
    expect(q.box.y1).toBeLessThan(1280);
  });

  it('never reaches past halfway to the neighbouring column', () => {
    const columns = [
      { role: 'description' as const, label: 'Désignation', x0: 380, x1: 600 },
      { role: 'quantity' as const, label: 'Qté', x0: 1140, x1: 1200 },
      { role: 'unitPrice' as const, label: 'P.U.', x0: 1230, x1: 1300 },
    ];
    const box = cellBox(columns, tableRow({}), 'quantity')!;
    expect(box.x1).toBeLessThanOrEqual((1200 + 1230) / 2 + 1);
    expect(box.x0).toBeGreaterThan(600);
  });
});

describe('settleNumbers: which reading of a row’s numbers to believe', () => {
  const cells = { quantity: { text: '2455', confidence: 0.21 }, unitPrice: { text: '7,20', confidence: 0.95 }, amount: { text: '1612,80', confidence: 0.95 } };

  it('takes the re-read quantity that makes quantity × unit price = amount hold, and says so', () => {
    const s = settleNumbers(tableRow(cells), rereads([['1/1/quantity', [['224', 0.9], ['2241', 0.5]]]]), num);
    expect(s.cells.quantity!.text).toBe('224');
    expect(s.cap).toBe(REREAD_CONFIRMED);
    expect(s.evidence).toBe('quantity read as "2455" on the page; re-read from its cell as "224": 224 × 7,2 = 1612,8');
  });

  it('takes nothing when two re-read quantities each make the arithmetic hold with a different price', () => {
    const s = settleNumbers(tableRow(cells), rereads([['1/1/quantity', [['224', 0.9], ['112', 0.9]]], ['1/1/unitPrice', [['14,40', 0.9]]]]), num);
    expect(s.cells.quantity!.text).toBe('2455');
    expect(s.evidence).toBeNull();
  });

  it('without a price and an amount, takes a doubtful quantity two sure re-readings agree on, flagged', () => {
    const noCheck = { quantity: { text: '22', confidence: 0.45 } };
    const s = settleNumbers(tableRow(noCheck), rereads([['1/1/quantity', [['252', 0.97], ['252', 0.96], ['25', 0.5]]]]), num);
    expect(s.cells.quantity!.text).toBe('252');
    expect(s.cap).toBe(REREAD_ALONE);
    expect(s.cap).toBeLessThan(REVIEW_THRESHOLD);
    expect(s.evidence).toContain('re-read from its cell as "252" 2 times; nothing confirms it');
    // One sure re-reading is no agreement; a quantity the page read with confidence is left alone.
    expect(settleNumbers(tableRow(noCheck), rereads([['1/1/quantity', [['252', 0.97], ['25', 0.5]]]]), num).cells.quantity!.text).toBe('22');
    expect(settleNumbers(tableRow({ quantity: { text: '22', confidence: 0.9 } }), rereads([['1/1/quantity', [['252', 0.97], ['252', 0.96]]]]), num).cells.quantity!.text).toBe('22');
  });

  it('makes a faint amount surer when its re-reading reads it alike', () => {
    const faint = { quantity: { text: '1.106,000', confidence: 0.74 }, unitPrice: { text: '3,700', confidence: 0.75 }, amount: { text: '4070,00', confidence: 0.71 } };
    const s = settleNumbers(tableRow(faint), rereads([['1/1/amount', [['4070,00', 0.95]]]]), num);
    expect(s.cells.amount).toEqual({ text: '4070,00', confidence: 0.95 });
    expect(s.evidence).toContain('read alike again from its cell');
  });
});

describe('settleNumbers: a quantity the page could not read at all', () => {
  it('takes two faint re-readings that agree, well under review, saying how faint', () => {
    const cells = { quantity: { text: 'co a00-', confidence: 0 }, unitPrice: { text: '4,18', confidence: 0.6 } };
    const s = settleNumbers(tableRow(cells), rereads([['1/1/quantity', [['1400', 0.18], ['1400', 0.02]]]]), num);
    expect(s.cells.quantity).toEqual({ text: '1400', confidence: REREAD_FAINT });
    expect(s.cap).toBe(REREAD_FAINT);
    expect(s.evidence).toContain('2 times (OCR 0.02); nothing confirms it');
    // One faint re-reading alone, or two that disagree: the page's reading stands.
    expect(settleNumbers(tableRow(cells), rereads([['1/1/quantity', [['1400', 0.18]]]]), num).evidence).toBeNull();
    expect(settleNumbers(tableRow(cells), rereads([['1/1/quantity', [['1400', 0.18], ['1460', 0.2]]]]), num).evidence).toBeNull();
  });
  it('still wants sure re-readings against a number the page did read', () => {
    const cells = { quantity: { text: '7', confidence: 0.08 }, unitPrice: { text: '4,88', confidence: 0.6 } };
    expect(settleNumbers(tableRow(cells), rereads([['1/1/quantity', [['29', 0.5], ['29', 0.4]]]]), num).evidence).toBeNull();
  });
});

describe('readImageOrder with re-read cells', () => {
  // Read at 0.5: not so faint that the amount alone would replace it (snap.ts, barely read).
  const p = page([row(1160, 'CHV-8', ['2455', 0.5], ['7,20', 0.95], ['1 612,80', 0.95])]);

  it('reads the line from the re-read quantity the amount confirms, with that evidence; the page’s reading alone stays flagged', () => {
    const without = readImageOrder([p], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(without.quantity).toBe(2455);
    expect(without.confidence).toBeLessThan(REVIEW_THRESHOLD);
    const withRereads = readImageOrder([p], { masterData: md, fileName: 'fax.tif', rereads: rereads([['1/1/quantity', [['224', 0.93]]]]) }).draft!.lines[0]!;
    expect(withRereads).toMatchObject({ sku: 'CHV-8', quantity: 224, unitPrice: 7.2 });
    expect(withRereads.confidence).toBe(REREAD_CONFIRMED);
    expect(withRereads.doubts).toEqual(['quantity read as "2455" on the page; re-read from its cell as "224": 224 × 7,2 = 1612,8']);
  });

  it('never makes a line of a row naming no known article', () => {
    const note = page([row(1160, 'Adresse', ['73', 0.2], ['', 0.9], ['', 0.9])]);
    const r = readImageOrder([note], { masterData: md, fileName: 'fax.tif', rereads: rereads([['1/1/quantity', [['73901', 0.97], ['73901', 0.96]]]]) });
    expect(r.draft?.lines.some((l) => l.quantity === 73901) ?? false).toBe(false);
  });
});

describe('rereadCells: the real OCR engine on a cell crop', () => {
  const pool = new OcrPool({ size: 1 });
  afterAll(() => pool.close());

  it('reads the digits of the crop, and only the words under the column', async () => {
    const width = 800;
    const height = 120;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><text x="40" y="75" font-family="DejaVu Sans" font-size="40">boîte de 200)</text><text x="560" y="75" font-family="DejaVu Sans" font-size="40">252</text></svg>`;
    const grey = await sharp(Buffer.from(svg)).toColourspace('b-w').raw().toBuffer();
    const image = Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), grey]);
    const crop = { key: cellKey({ page: 1, index: 1 }, 'quantity'), role: 'quantity' as const, page: 1, box: { x0: 0, y0: 20, x1: width, y1: 100 }, column: { x0: 540, x1: 700 }, row: '1/1' };
    const page = async () => ({ image, width, height, dpi: 200 });
    const out = await rereadCells([crop], page, pool);
    const readings = out.get(crop.key)!;
    expect(readings.length).toBeGreaterThan(1);
    expect(readings.every((r) => r.text === '252')).toBe(true);
    // A reading the page's price and amount confirm settles the row: nothing more of it is read.
    const price = { ...crop, key: cellKey({ page: 1, index: 1 }, 'unitPrice'), role: 'unitPrice' as const };
    const settled = await rereadCells([price, { ...crop, check: { unitPrice: 2, amount: 504 } }], page, pool);
    expect(settled.get(crop.key)!.map((r) => r.text)).toEqual(['252']);
    expect(settled.has(price.key)).toBe(false);
  }, 60_000);

  it('reads a quantity nothing confirms a third time, enlarged three times, and its price and amount at two scales', async () => {
    const width = 800;
    const height = 120;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><text x="560" y="75" font-family="DejaVu Mono" font-size="40">301</text></svg>`;
    const grey = await sharp(Buffer.from(svg)).toColourspace('b-w').raw().toBuffer();
    const image = Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), grey]);
    const box = { x0: 0, y0: 20, x1: width, y1: 100 };
    const column = { x0: 540, x1: 700 };
    const crops = (['quantity', 'unitPrice', 'amount'] as const).map((role) => ({ key: cellKey({ page: 1, index: 1 }, role), role, page: 1, box, column, row: '1/1', ...(role === 'quantity' ? { check: { unitPrice: 0.6, amount: 999 } } : {}) }));
    const dpis: number[] = [];
    const recording = { size: pool.size, recognize: (img: Buffer, opts: { dpi: number; psm?: '6' }, px?: number) => (dpis.push(opts.dpi), pool.recognize(img, opts, px)) };
    await rereadCells(crops, async () => ({ image, width, height, dpi: 200 }), recording);
    expect(dpis).toEqual([400, 200, 600, 400, 600, 400, 600]);
  }, 60_000);

  it('reads a grey scan\'s crop again keeping only its darkest pixels, and a black-and-white crop never twice alike', async () => {
    const width = 400;
    const height = 100;
    const render = async (background: string, ink: string) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${background}"/><text x="200" y="65" font-family="DejaVu Sans" font-size="36" fill="${ink}">224</text></svg>`;
      const grey = await sharp(Buffer.from(svg)).toColourspace('b-w').raw().toBuffer();
      return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), grey]);
    };
    const crop = { key: cellKey({ page: 1, index: 1 }, 'quantity'), role: 'quantity' as const, page: 1, box: { x0: 100, y0: 10, x1: 320, y1: 90 }, column: { x0: 190, x1: 280 }, row: '1/1', check: { unitPrice: 5.9, amount: 999 } };
    const readAt = async (image: Buffer) => {
      const dpis: number[] = [];
      const recording = { size: pool.size, recognize: (img: Buffer, opts: { dpi: number; psm?: '6' }, px?: number) => (dpis.push(opts.dpi), pool.recognize(img, opts, px)) };
      const out = await rereadCells([crop], async () => ({ image, width, height, dpi: 200 }), recording);
      return { dpis, texts: out.get(crop.key)!.map((r) => r.text) };
    };
    const bw = await readAt(await render('white', 'black'));
    expect(bw.dpis).toEqual([400, 200, 600]);
    const grey = await readAt(await render('#c8c8c8', '#303030'));
    expect(grey.dpis).toEqual([400, 200, 600, 400, 200]);
    expect(grey.texts.at(-1)).toBe('224');
  }, 60_000);
});

describe('the EAN column as a witness for the reference', () => {
  const EAN = { ref: 140, ean: 330, desc: 640, qty: 1140, pu: 1290, amount: 1420 };
  function eanPage(ref: string, ean: string): OcrPage {
    const words = [
      ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
      ...line(700, [[130, 'N° de commande : CDE-2026-1142'], [1000, 'Date : 23/11/2026']]),
      ...line(1100, [[EAN.ref, 'Réf.'], [EAN.ean, 'EAN'], [EAN.desc, 'Désignation'], [EAN.qty, 'Qté'], [EAN.pu - 20, 'P.U. HT'], [EAN.amount, 'Montant HT']]),
      ...line(1160, [[EAN.ref, ref, 0.3], [EAN.ean, ean], [EAN.desc, 'Cheville'], [EAN.qty, '7'], [EAN.pu, '5,04'], [EAN.amount, '35,28']]),
    ];
    return { page: 1, words, meanConfidence: 0.9, width: 1700, height: 2200 };
  }
  const chv6 = md.products.find((p) => p.sku === 'CHV-6')!;

  it('finds a known EAN whose check digit holds in a cell OCR dirtied, and nothing when the check digit fails', () => {
    expect(eanInCell(`‘${chv6.ean}`, md)).toEqual({ ean: chv6.ean, sku: 'CHV-6' });
    expect(eanInCell(`7 ${chv6.ean}`, md)).toEqual({ ean: chv6.ean, sku: 'CHV-6' });
    const broken = chv6.ean!.slice(0, 12) + String((Number(chv6.ean!.at(-1)) + 1) % 10);
    expect(eanInCell(broken, md)).toBeNull();
  });

  it('gives an unreadable reference the article its EAN names, with that evidence', () => {
    const l = readImageOrder([eanPage('CHve', chv6.ean!)], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(l).toMatchObject({ sku: 'CHV-6', quantity: 7, ean: chv6.ean });
    expect(l.doubts!.join(' ')).toContain(`reference read as "CHve"; the EAN ${chv6.ean} (check digit valid) is CHV-6's`);
  });

  it('lets the same article’s EAN confirm a faint reference, and keeps a reference its EAN contradicts as read', () => {
    const same = readImageOrder([eanPage('CHV-6', chv6.ean!)], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(same.sku).toBe('CHV-6');
    expect(same.confidence).toBeGreaterThanOrEqual(0.9);
    const vis = md.products.find((p) => p.sku === 'VIS-440')!;
    const other = readImageOrder([eanPage('CHV-6', vis.ean!)], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(other).toMatchObject({ sku: 'CHV-6', ean: vis.ean });
  });
});

describe('a quantity pushed into the unit column', () => {
  const U = { ref: 140, desc: 380, qty: 1000, unit: 1120, pu: 1290, amount: 1420 };
  function unitPage(qty: string, unit: string, pu: string, amount: string): OcrPage {
    const words = [
      ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
      ...line(700, [[130, 'N° de commande : CDE-2026-1142'], [1000, 'Date : 23/11/2026']]),
      ...line(1100, [[U.ref, 'Réf.'], [U.desc, 'Désignation'], [U.qty, 'Quantité'], [U.unit, 'Unité'], [U.pu - 20, 'P.U. HT'], [U.amount, 'Montant HT']]),
      ...line(1160, [[U.ref, 'CHV-8'], [U.desc, 'Cheville'], ...(qty ? ([[U.qty, qty]] as [number, string][]) : []), [U.unit, unit], [U.pu, pu], [U.amount, amount]]),
    ];
    return { page: 1, words, meanConfidence: 0.9, width: 1700, height: 2200 };
  }

  it('reads the number at the start of the unit cell, faint', () => {
    expect(quantityInUnitCell({ text: '10:67', confidence: 0.58 })).toEqual({ text: '10', confidence: 0.5 });
    expect(quantityInUnitCell({ text: 'BTE', confidence: 0.9 })).toBeUndefined();
  });

  it('takes it when quantity × price = amount confirms it, says where it was read, and leaves it flagged otherwise', () => {
    const sure = readImageOrder([unitPage('', '10:67', '7,20', '72,00')], { masterData: md, fileName: 'scan.pdf' }).draft!.lines[0]!;
    expect(sure).toMatchObject({ sku: 'CHV-8', quantity: 10 });
    expect(sure.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
    expect(sure.doubts!.join(' ')).toContain('no quantity in its column; 10 read at the start of the unit column ("10:67")');
    const alone = readImageOrder([unitPage('', '10:67', '7,20', '')], { masterData: md, fileName: 'scan.pdf' }).draft!.lines[0]!;
    expect(alone.quantity).toBe(10);
    expect(alone.confidence).toBeLessThan(REVIEW_THRESHOLD);
    // A quantity in its own column is never replaced by the unit's.
    expect(readImageOrder([unitPage('12', '10:67', '7,20', '86,40')], { masterData: md, fileName: 'scan.pdf' }).draft!.lines[0]!.quantity).toBe(12);
  });
});

describe('wordsUnder: the words a cell\'s crop gives back', () => {
  const w = (text: string, x0: number) => ({ text, x0, x1: x0 + text.length * 10, y0: 0, y1: 20 });
  const column = { x0: 100, x1: 180 };
  it('keeps the thousands group a right-aligned number puts left of its column ("2" of "2 600,000")', () => {
    expect(wordsUnder([w('2', 80), w('600,000', 96)], column, (x) => x).map((x) => x.text)).toEqual(['2', '600,000']);
  });
  it('leaves a neighbour column\'s number and a word without digits out', () => {
    expect(wordsUnder([w('12', 20), w('BTE', 60), w('600,00', 110)], column, (x) => x).map((x) => x.text)).toEqual(['600,00']);
    expect(wordsUnder([w('5', 60), w('12,50', 110)], column, (x) => x).map((x) => x.text)).toEqual(['12,50']);
  });
});

describe('a zero OCR read as "©" in a number cell', () => {
  const w = (text: string, x0: number) => ({ text, x0, x1: x0 + text.length * 10, y0: 0, y1: 20 });
  it('stays with the cell\'s words ("©," before "600": 0,600)', () => {
    expect(wordsUnder([w('©,', 100), w('600', 125)], { x0: 100, x1: 180 }, (x) => x).map((x) => x.text)).toEqual(['©,', '600']);
  });
});

describe('cellsToReadAgain: a row whose code OCR read between two articles', () => {
  it('is read again when its designation names one of them, never when nothing names an article', () => {
    const named = page([line(1160, [[COLS.ref, 'BOU-MI6'], [COLS.desc, 'Boulon TH M10x50 classe 8.8'], [COLS.qty, '(T7', 0.3], [COLS.pu, '21,00'], [COLS.amount, '1,99', 0.5]])]);
    expect(cellsToReadAgain([named], md).map((c) => c.key)).toContain('1/1/quantity');
    const unnamed = page([line(1160, [[COLS.ref, 'BOU-MI6'], [COLS.desc, 'Article'], [COLS.qty, '(T7', 0.3], [COLS.pu, '21,00'], [COLS.amount, '1,99', 0.5]])]);
    expect(cellsToReadAgain([unnamed], md)).toEqual([]);
  });

  it('takes the re-read quantity the arithmetic confirms, under the article its designation names', () => {
    const p = page([line(1160, [[COLS.ref, 'BOU-MI6'], [COLS.desc, 'Boulon TH M10x50 classe 8.8'], [COLS.qty, '(T7', 0.3], [COLS.pu, '21,00'], [COLS.amount, '1,99', 0.5]])]);
    const again = rereads([['1/1/quantity', [['307', 0.56]]], ['1/1/amount', [['6447,00', 0.6]]]]);
    const l = readImageOrder([p], { masterData: md, fileName: 'fax.tif', rereads: again }).draft!.lines[0]!;
    expect(l).toMatchObject({ sku: 'BOU-M10', quantity: 307 });
    expect(l.doubts!.join(' ')).toContain('re-read from its cell as "307"');
  });
});
