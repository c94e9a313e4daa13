// Where lines and header fields were read: boxes in fractions of the page, from a text PDF
// (pdf.js points) and a fax (tesseract pixels) alike, for the order page's highlights.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { Order, SourceBox } from '../../../domain/order';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { findDateSource, findValueSource, normaliseBox, rowSource } from '../../../parsers/layout/source';
import { groupLines } from '../../../parsers/layout/table';
import type { TableRow } from '../../../parsers/layout/types';
import { closeSharedOcrPool } from '../../../parsers/ocr/engine';

const md = loadMasterData('fixtures/masterdata');
afterAll(closeSharedOcrPool);

async function read(path: string, channel: 'folder' | 'fax'): Promise<Order> {
  const bytes = readFileSync(path);
  const meta = describeDocument(bytes, { fileName: path.split('/').pop()!, channel, receivedAt: '2026-11-23T09:00:00Z' });
  const { result } = await extractDocument(bytes, meta, md);
  expect(result.orders).toHaveLength(1);
  return result.orders[0]!;
}

function expectInsidePage(b: SourceBox) {
  for (const v of [b.x0, b.y0, b.x1, b.y1]) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
  expect(b.x1).toBeGreaterThan(b.x0);
  expect(b.y1).toBeGreaterThan(b.y0);
  // A row is a strip across the table, never the whole page.
  expect(b.y1 - b.y0).toBeLessThan(0.1);
}

/** Every line boxed, boxes in reading order: page by page, y increasing with the line number. */
function expectReadingOrder(o: Order) {
  const boxes = o.lines.map((l) => l.source);
  expect(boxes.every((b) => b)).toBe(true);
  boxes.forEach((b) => expectInsidePage(b!));
  for (let i = 1; i < boxes.length; i++) {
    const a = boxes[i - 1]!;
    const b = boxes[i]!;
    expect(b.page > a.page || (b.page === a.page && b.y0 >= a.y1 - 0.002)).toBe(true);
  }
}

describe('text PDF', () => {
  it('classic-1000: each line boxed on its page, in reading order, the table continued on page 2', async () => {
    const o = await read('fixtures/pdf/classic-1000.pdf', 'folder');
    expectReadingOrder(o);
    expect(new Set(o.lines.map((l) => l.source!.page))).toEqual(new Set([0, 1]));
    // The header fields were found above the table.
    const po = o.sources?.poNumber;
    expect(po).toBeDefined();
    expectInsidePage(po!);
    expect(po!.y1).toBeLessThan(o.lines[0]!.source!.y0);
    expect(o.sources?.orderDate?.page).toBe(0);
  });
});

describe('fax (OCR)', () => {
  it('martin-normal-cover: lines boxed on page 2 (after the cover), in reading order', async () => {
    const o = await read('fixtures/fax/martin-normal-cover.tif', 'fax');
    expectReadingOrder(o);
    expect(o.lines.every((l) => l.source!.page === 1)).toBe(true);
    expect(o.sources?.poNumber?.page).toBe(1);
  }, 60_000);
});

describe('boxes from words', () => {
  const page = { page: 2, width: 600, height: 800 };
  const words = [
    { text: 'Commande', x0: 60, y0: 100, x1: 130, y1: 110 },
    { text: 'n°', x0: 134, y0: 100, x1: 146, y1: 110 },
    { text: 'CF-2026/118', x0: 150, y0: 100, x1: 260, y1: 110 },
    { text: 'du', x0: 300, y0: 100, x1: 315, y1: 110 },
    { text: '05/03/2026', x0: 320, y0: 100, x1: 400, y1: 110 },
  ];
  const lines = groupLines({ ...page, words });

  it('finds the value as printed, not its label, as fractions of the page with a 0-based page', () => {
    expect(findValueSource(lines, [page], 'CF-2026/118')).toEqual({ page: 1, x0: 0.25, y0: 0.125, x1: 0.4333, y1: 0.1375 });
    expect(findDateSource(lines, [page], '2026-03-05')).toEqual({ page: 1, x0: 0.5333, y0: 0.125, x1: 0.6667, y1: 0.1375 });
  });

  it('gives no box for a value not printed, too short to place, or on a page of unknown size', () => {
    expect(findValueSource(lines, [page], 'CF-2026/119')).toBeNull();
    expect(findValueSource(lines, [page], '18')).toBeNull();
    expect(findDateSource(lines, [page], '2026-03-06')).toBeNull();
    expect(findValueSource(lines, [{ page: 2 }], 'CF-2026/118')).toBeNull();
    expect(normaliseBox([page], 3, { x0: 0, y0: 0, x1: 1, y1: 1 })).toBeNull();
  });

  it('a row box is the union of its words, clamped to the page', () => {
    const row: TableRow = { page: 2, index: 1, x0: 40, x1: 640, y0: 400, y1: 420, cells: {}, lineCount: 1, text: '' };
    expect(rowSource(row, [page])).toEqual({ page: 1, x0: 0.0667, y0: 0.5, x1: 1, y1: 0.525 });
  });
});
