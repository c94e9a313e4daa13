// A number cell OCR misread on the whole page (a quantity unread, "2455" for 224, "1.106" for 1.100)
// read again from its own crop: the cell's column band on the row, enlarged and read as one block
// of text. The page's reading and these re-readings are alternatives; order.ts chooses among them
// by quantity × unit price = amount, and keeps a re-reading nothing confirms flagged. Crops are
// small (a few ms each on the native engine) and asked for only on rows whose numbers fail a check.
import sharp from 'sharp';
import type { Column, Table, TableRow } from '../layout/types';
import { parseNumber, type NumberLocale } from '../text/numbers';
import type { OcrRecognizer } from './engine';
import { isBilevel } from './image';
import { clearFlatMarks } from './rules';
import { cleanNumberCell } from './snap';

export type NumberRole = 'quantity' | 'unitPrice' | 'amount';
const NUMBER_ROLES: NumberRole[] = ['quantity', 'unitPrice', 'amount'];

/** One cell to read again: where it is on its page (the prepared image's pixels). */
export interface CellCrop {
  key: string;
  role: NumberRole;
  page: number;
  box: { x0: number; y0: number; x1: number; y1: number };
  /** The column's header span: only words overlapping it are the cell's (a long designation may reach into the band). */
  column: { x0: number; x1: number };
  /** The row's key: a quantity re-read that the page's price and amount confirm settles the row. */
  row: string;
  /** On a quantity's crop: the unit price and amount the page read on its row (null when unread). */
  check?: { unitPrice: number | null; amount: number | null };
  /** How the document writes its numbers ("2,100" is 2100 in an English order): French when absent. */
  locale?: NumberLocale;
}

/** What a re-reading of a cell gave: the digits-bearing words joined, with OCR's lowest confidence among them. */
export interface CellReading {
  text: string;
  confidence: number;
}

/** Key → re-readings of that cell (none when nothing with a digit came back). */
export type CellRereads = Map<string, CellReading[]>;

export const cellKey = (row: Pick<TableRow, 'page' | 'index'>, role: NumberRole) => `${row.page}/${row.index}/${role}`;

/** At most this many rows of a document are read again (bounded time on a long, badly faxed table). */
export const MAX_REREAD_ROWS = 40;
/** A price or an amount read at this OCR confidence is not read again. */
const SURE_CELL = 0.8;
/** A first reading under this OCR confidence is worth a second look. */
const DOUBTFUL_CELL = 0.7;

/** The number a cell gives: quantity cells may carry a unit or junk; order.ts owns that reading. */
export type CellNumber = (text: string) => number | null;

/** A price or amount cell's number, in the document's way of writing numbers. */
export const numberCell =
  (locale: NumberLocale): CellNumber =>
  (text) =>
    parseNumber(cleanNumberCell(text).text, locale);

export const plainNumber: CellNumber = numberCell('fr');

/**
 * The rows whose numbers fail a check (no quantity, a quantity read with low confidence, or
 * quantity × unit price ≠ amount) that are worth it (the caller's say: a row naming an article
 * whose numbers its own checks cannot settle), and the crop of each of their number cells; at
 * most MAX_REREAD_ROWS rows. A row without a digit is no order line.
 */
export function cellsToReread(table: Table | null, quantityOf: CellNumber, worthIt: (row: TableRow) => boolean = () => true, locale: NumberLocale = 'fr'): CellCrop[] {
  if (!table) return [];
  const numberOf = numberCell(locale);
  const crops: CellCrop[] = [];
  let rows = 0;
  for (const row of table.rows) {
    if (rows >= MAX_REREAD_ROWS) break;
    if (!/\d/.test(row.text) || !numbersDoubtful(row, quantityOf, numberOf, checkColumns(table, row.page)) || !worthIt(row)) continue;
    rows++;
    const check = { unitPrice: row.cells.unitPrice ? numberOf(row.cells.unitPrice.text) : null, amount: row.cells.amount ? numberOf(row.cells.amount.text) : null };
    for (const role of NUMBER_ROLES) {
      // The bands of the row's own page: a header repeated on the next page sits elsewhere.
      const columns = table.pageColumns?.[row.page] ?? table.columns;
      const box = cellBox(columns, row, role, table.pageCuts?.[row.page]);
      const col = columns.find((c) => c.role === role);
      // A price or an amount the page read clearly is taken as read (the quantity is the doubt).
      const cell = row.cells[role];
      if (role !== 'quantity' && cell && cell.confidence >= SURE_CELL && numberOf(cell.text) !== null) continue;
      if (box && col) crops.push({ key: cellKey(row, role), role, page: row.page, box, column: { x0: col.x0, x1: col.x1 }, row: `${row.page}/${row.index}`, ...(role === 'quantity' ? { check } : {}), ...(locale !== 'fr' ? { locale } : {}) });
    }
  }
  return crops;
}

/** The table prints both a unit price and an amount column on the row's page: each row can be checked. */
export function checkColumns(table: Table | null, page: number): boolean {
  const columns = table ? (table.pageColumns?.[page] ?? table.columns) : [];
  return columns.some((c) => c.role === 'unitPrice') && columns.some((c) => c.role === 'amount');
}

function numbersDoubtful(row: TableRow, quantityOf: CellNumber, numberOf: CellNumber, checkable: boolean): boolean {
  const qCell = row.cells.quantity;
  const q = qCell ? quantityOf(qCell.text) : null;
  if (q === null) return true;
  const p = row.cells.unitPrice ? numberOf(row.cells.unitPrice.text) : null;
  const a = row.cells.amount ? numberOf(row.cells.amount.text) : null;
  // The arithmetic vouches for a faint quantity; without it, a faint one is worth a second look.
  if (p !== null && a !== null) return !agrees(q, p, a);
  // A price without its amount, or an amount without its price, under columns that print both: OCR lost one, and the check with it.
  if ((p !== null || a !== null) && checkable) return true;
  return (qCell?.confidence ?? 0) < DOUBTFUL_CELL;
}

/** quantity × price = amount, to the cent (within the amount's rounding for a whole quantity). */
export function agrees(q: number, p: number, a: number): boolean {
  if (!(q > 0) || !(p > 0)) return false;
  if (Number.isInteger(q)) return Math.abs(q * p - a) <= Math.max(0.011, Math.abs(a) * 0.002);
  return Math.round(q * p * 100) === Math.round(a * 100);
}

/**
 * The cell's band: the column's header span widened by three text heights each way (a
 * right-aligned number overhangs a short label), never past halfway to the next column, over the
 * row's height; on the left, as far as the gutter the page's rows leave before the column (`cuts`,
 * in `columns`' order: a long quantity, "2.600,000", overhangs its title by more). Null when the
 * table has no such column.
 */
export function cellBox(columns: Column[], row: TableRow, role: NumberRole, cuts?: number[]): CellCrop['box'] | null {
  const at = columns.findIndex((c) => c.role === role);
  const gutter = at > 0 ? cuts?.[at - 1] : undefined;
  const sorted = [...columns].sort((a, b) => a.x0 - b.x0);
  const i = sorted.findIndex((c) => c.role === role);
  if (i < 0) return null;
  const col = sorted[i]!;
  const prev = sorted[i - 1];
  const next = sorted[i + 1];
  const height = row.y1 - row.y0;
  const reach = (3 * height) / Math.max(1, row.lineCount);
  const x0 = Math.min(Math.max(col.x0 - reach, prev ? (prev.x1 + col.x0) / 2 : 0), gutter !== undefined && prev && gutter > prev.x1 ? gutter : Infinity);
  const x1 = Math.min(col.x1 + reach, next ? (col.x1 + next.x0) / 2 : Infinity);
  // Not more: a neighbouring row's digits (and the rule between) would join the cell.
  const pad = 2;
  return { x0: Math.max(0, Math.floor(x0)), y0: Math.max(0, Math.floor(row.y0 - pad)), x1: Math.ceil(x1), y1: Math.ceil(row.y1 + pad) };
}

/** A prepared page image (PGM, as image.ts makes them) and the resolution OCR was told. */
export interface PageImage {
  image: Buffer;
  width: number;
  height: number;
  dpi: number;
}

// A quantity enlarged twice, then as it is, each read as one block (psm 6; one line, psm 7, read
// the same as psm 6 at the same scale on dev crops, so it is no second witness): a rule or a faint
// digit that defeats one reading seldom defeats both, and when both agree that is a witness. A
// price or an amount only enlarged twice: the arithmetic, not agreement, settles those. Each
// reading of a crop costs a few ms (dev faxes: 69 readings, under 0.03 s per document).
// Then, when neither settled the row, all three enlarged three times: a fax's thin glyphs ("0"
// read as "6" in a dotted monospace font, a "9" as "8") that both scales misread alike often read
// right larger, and quantity × price = amount says which reading to believe.
// Then, when the crop holds flat marks (a rule's dashes the page's rule removal left inside the
// cell: "(TT 7 307"), the crop without them (rules.ts clearFlatMarks), enlarged; and on a grey
// scan, the crop keeping only its darkest pixels (DARK_ONLY): a scanner's grey rule dashes and
// grain, lighter than the print, made "224" into "7". Neither is read when it would be the
// plain crop again (no marks to clear, a black-and-white fax): a copy is no second witness.
const READINGS: Record<NumberRole, Reading[]> = {
  quantity: [
    { scale: 2, psm: '6' },
    { scale: 1, psm: '6' },
    { scale: 3, psm: '6' },
    { scale: 2, psm: '6', pre: 'cleared' },
    { scale: 3, psm: '6', pre: 'cleared' },
    { scale: 2, psm: '6', pre: 'dark' },
    { scale: 1, psm: '6', pre: 'dark' },
  ],
  unitPrice: [
    { scale: 2, psm: '6' },
    { scale: 3, psm: '6' },
    { scale: 2, psm: '6', pre: 'cleared' },
    { scale: 2, psm: '6', pre: 'dark' },
  ],
  amount: [
    { scale: 2, psm: '6' },
    { scale: 3, psm: '6' },
    { scale: 2, psm: '6', pre: 'cleared' },
    { scale: 2, psm: '6', pre: 'dark' },
  ],
};

interface Reading {
  scale: number;
  psm: '6';
  /** Read from the crop cleared of its flat marks, or keeping only its darkest pixels. */
  pre?: 'cleared' | 'dark';
}

/** On a grey scan, the print is darker than this; the grain, a scanned rule's dashes and the background lighter. */
const DARK_ONLY = 100;

/** The crop as a reading's `pre` asks for it, or null when that is the plain crop again. */
function prepared(cell: Buffer, w: number, h: number, dpi: number, pre: Reading['pre']): Buffer | null {
  if (!pre) return cell;
  if (pre === 'dark') return isBilevel(cell) ? null : Buffer.from(cell.map((v) => (v < DARK_ONLY ? 0 : 255)));
  const copy = Buffer.from(cell);
  const n = clearFlatMarks(copy, w, h, { maxThickness: Math.max(3, Math.round(dpi / 40)), minWidth: Math.max(6, Math.round(dpi * 0.03)) });
  return n > 0 ? copy : null;
}

/**
 * Each crop read again (READINGS), row by row: the quantity first, and when one of its readings
 * makes quantity × the page's unit price = the page's amount, the row is settled and nothing more
 * of it is read. A crop that fails to read gives no reading, never an error.
 */
export async function rereadCells(crops: CellCrop[], pageImage: (page: number) => Promise<PageImage | null>, ocr: OcrRecognizer): Promise<CellRereads> {
  const out: CellRereads = new Map();
  const byPage = new Map<number, CellCrop[]>();
  for (const c of crops) byPage.set(c.page, [...(byPage.get(c.page) ?? []), c]);
  for (const [page, list] of byPage) {
    const img = await pageImage(page);
    if (!img) continue;
    const pixels = img.image.subarray(img.image.length - img.width * img.height);
    const rows = new Map<string, CellCrop[]>();
    for (const c of list) rows.set(c.row, [...(rows.get(c.row) ?? []), c]);
    await Promise.all([...rows.values()].map((row) => rereadRow(pixels, img, row, ocr, out)));
  }
  return out;
}

async function rereadRow(pixels: Buffer, img: PageImage, crops: CellCrop[], ocr: OcrRecognizer, out: CellRereads): Promise<void> {
  const ordered = [...crops].sort((a, b) => NUMBER_ROLES.indexOf(a.role) - NUMBER_ROLES.indexOf(b.role));
  for (const crop of ordered) {
    const { unitPrice, amount } = crop.check ?? { unitPrice: null, amount: null };
    const numberOf = numberCell(crop.locale ?? 'fr');
    const confirmed = (r: CellReading) => unitPrice !== null && amount !== null && agrees(numberOf(r.text) ?? 0, unitPrice, amount);
    const readings = await readCrop(pixels, img, crop, ocr, confirmed);
    out.set(crop.key, readings);
    if (readings.some(confirmed)) return;
  }
}

const MARGIN = 16;

async function readCrop(pixels: Buffer, img: PageImage, { box, column, role }: CellCrop, ocr: OcrRecognizer, enough: (r: CellReading) => boolean): Promise<CellReading[]> {
  const x0 = Math.min(box.x0, img.width - 1);
  const y0 = Math.min(box.y0, img.height - 1);
  const w = Math.min(box.x1, img.width) - x0;
  const h = Math.min(box.y1, img.height) - y0;
  if (w < 4 || h < 4) return [];
  const plain = cropPixels(pixels, img.width, { x0, y0, w, h });
  const crops = new Map<Reading['pre'], Buffer | null>();
  const readings: CellReading[] = [];
  for (const { scale, psm, pre } of READINGS[role]) {
    if (!crops.has(pre)) crops.set(pre, prepared(plain, w, h, img.dpi, pre));
    const cell = crops.get(pre);
    if (!cell) continue;
    try {
      const W = w * scale + 2 * MARGIN;
      const H = h * scale + 2 * MARGIN;
      const big = scale === 1 ? cell : await sharp(cell, { raw: { width: w, height: h, channels: 1 } }).resize(w * scale, h * scale, { kernel: 'cubic' }).toColourspace('b-w').raw().toBuffer();
      const image = pgm(framed(big, w * scale, h * scale), W, H);
      const r = await ocr.recognize(image, { dpi: img.dpi * scale, psm }, W * H);
      // Back in page pixels: the words under the column's label are the cell's.
      const onPage = (x: number) => x0 + (x - MARGIN) / scale;
      const words = wordsUnder(r.words, column, onPage);
      if (words.length) readings.push({ text: words.map((wd) => wd.text).join(' '), confidence: Math.min(...words.map((wd) => wd.confidence)) });
      if (readings.length && enough(readings.at(-1)!)) break;
    } catch {
      // A crop the engine could not read: the page's own reading stands.
    }
  }
  return readings;
}

/**
 * A crop's words with digits under the column's label (`onPage`: crop x → page x), and the group a
 * thousands space left of them ("2" of "2 600,000": a right-aligned number overhangs its label).
 */
export function wordsUnder<W extends { text: string; x0: number; x1: number; y0: number; y1: number }>(words: W[], column: { x0: number; x1: number }, onPage: (x: number) => number): W[] {
  // A zero OCR read as "©" or "®" ("©," before "600") is a digit too (snap.ts fixDigits reads it).
  const digits = words.filter((wd) => /[\d©®]/.test(wd.text)).sort((a, b) => a.x0 - b.x0);
  const under = digits.filter((wd) => onPage(wd.x1) >= column.x0 && onPage(wd.x0) <= column.x1);
  const first = under[0];
  const group = first ? digits.filter((wd) => wd.x1 <= first.x0 && /^\d{1,3}$/.test(wd.text) && first.x0 - wd.x1 <= wd.y1 - wd.y0 && /^\d{3}(?:[.,]\d{1,3})?$/.test(first.text)).at(-1) : undefined;
  return group ? [group, ...under] : under;
}

/** The crop's pixels, copied out of the page (grey, one byte each). */
function cropPixels(pixels: Buffer, width: number, r: { x0: number; y0: number; w: number; h: number }): Buffer {
  const out = Buffer.alloc(r.w * r.h);
  for (let y = 0; y < r.h; y++) pixels.copy(out, y * r.w, (r.y0 + y) * width + r.x0, (r.y0 + y) * width + r.x0 + r.w);
  return out;
}

/** The crop on a white margin (Tesseract misses glyphs that touch the image's edge). */
function framed(data: Buffer, w: number, h: number): Buffer {
  const W = w + 2 * MARGIN;
  const out = Buffer.alloc(W * (h + 2 * MARGIN), 255);
  for (let y = 0; y < h; y++) data.copy(out, (y + MARGIN) * W + MARGIN, y * w, (y + 1) * w);
  return out;
}

function pgm(data: Buffer, width: number, height: number): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), data]);
}
