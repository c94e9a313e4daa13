import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { largestImageShare, readPdfPages, splitItem } from '../../../parsers/pdf/read';
import { generateOrder } from '../../../fixtures/docgen/generate';
import { encryptedPdf, truncated, zeroPagePdf } from '../../../fixtures/docgen/hostile';
import { LAYOUTS, type OrderTruth } from '../../../fixtures/docgen/orders';
import { renderOrderPdf } from '../../../fixtures/docgen/pdf';

const root = join(import.meta.dirname, '../../..');
const md = loadMasterData(join(root, 'fixtures/masterdata'));

async function extract(bytes: Buffer, fileName: string) {
  const meta = describeDocument(bytes, { fileName, channel: 'folder', receivedAt: '2026-11-23T09:00:00Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

function committed(name: string): { pdf: Buffer; truth: OrderTruth & { pages: number } } {
  return {
    pdf: readFileSync(join(root, 'fixtures/pdf', `${name}.pdf`)),
    truth: JSON.parse(readFileSync(join(root, 'fixtures/pdf', `${name}.truth.json`), 'utf8')),
  };
}

const SAMPLES = ['classic-1000', 'erp-2000', 'public-3000', 'as400-4000', 'english-5000', 'columnwise-6000'];

describe('committed sample PDFs', () => {
  it.each(SAMPLES)('%s: header fields and lines exactly as in its truth file', async (name) => {
    const { pdf, truth } = committed(name);
    const result = await extract(pdf, `${name}.pdf`);
    expect(result.orders).toHaveLength(1);
    const o = result.orders[0]!;
    expect({ po: o.poNumber, date: o.orderDate, delivery: o.requestedDeliveryDate, customer: o.customer.id }).toEqual({
      po: truth.poNumber,
      date: truth.orderDate,
      delivery: truth.requestedDeliveryDate,
      customer: truth.customerId,
    });
    expect(o.shipTo.code).toBe(truth.shipTo.code);
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual(truth.lines.map((l) => [l.sku, l.quantity]));
    // A clean text PDF whose arithmetic holds needs no review.
    expect(o.confidence).toBe(1);
    expect(result.problems.filter((p) => p.severity !== 'info')).toEqual([]);
    expect(o.provenance.parser).toBe('pdf-text');
  });
});

describe('table written column by column', () => {
  it('defeats plain getText, and is rebuilt row by row from positions', async () => {
    const { pdf, truth } = committed('columnwise-6000');
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    // getText puts each column's cells on lines of their own: no line holds a reference and its quantity.
    const first = truth.lines[0]!;
    expect(text.split('\n').some((l) => l.includes(first.sku) && l.includes(String(first.quantity)))).toBe(false);

    const o = (await extract(pdf, 'columnwise.pdf')).orders[0]!;
    expect(o.lines).toHaveLength(truth.lines.length);
    expect(o.lines.map((l) => `${l.sku}×${l.quantity}`)).toEqual(truth.lines.map((l) => `${l.sku}×${l.quantity}`));
  });
});

describe('multi-page orders', () => {
  it('continues the table over the page break without footer, carried total or repeated header as lines', async () => {
    const { pdf, truth } = committed('classic-1000');
    expect(truth.pages).toBe(2);
    const pages = await readPdfPages(pdf);
    expect(pages.map((p) => p.words.find((w) => /^Page \d\/2$/.test(w.text))?.text)).toEqual(['Page 1/2', 'Page 2/2']);
    const o = (await extract(pdf, 'classic.pdf')).orders[0]!;
    expect(o.lines).toHaveLength(34);
    // The last lines are on page 2, after the repeated header and the "Report" line.
    expect(o.lines.at(-1)!.sku).toBe(truth.lines.at(-1)!.sku);
    expect(o.lines.every((l) => l.sku !== null && l.quantity !== null)).toBe(true);
  });
});

describe('our own company', () => {
  it('is printed on every order as the supplier, never taken for the customer', async () => {
    for (const layout of LAYOUTS) {
      const g = await generateOrder(md, layout, 42);
      const pages = await readPdfPages(g.pdf);
      const text = pages.flatMap((p) => p.words.map((w) => w.text)).join(' ');
      expect(text).toContain(md.company.vatNumber);
      const o = (await extract(g.pdf, `${layout}.pdf`)).orders[0]!;
      expect(o.customer.id).toBe(g.truth.customerId);
      expect(o.customer.name).not.toBe(md.company.name);
    }
  });

  it('leaves the customer unknown when the only identity printed is ours', async () => {
    // A buyer that printed no letterhead: our block, a PO and a table, nothing else.
    const doc = new PDFDocument({ size: 'A4', margin: 40 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => doc.on('end', r));
    const co = md.company;
    [`Fournisseur : ${co.name}`, co.street, `${co.postalCode} ${co.city}`, `TVA : ${co.vatNumber}`, `SIRET ${co.siret}`].forEach((t, i) => doc.text(t, 320, 40 + i * 12));
    doc.text('BON DE COMMANDE N° CDE-2026-00777', 40, 140);
    [['Réf.', 40], ['Désignation', 120], ['Qté', 350]].forEach(([t, x]) => doc.text(String(t), Number(x), 200, { lineBreak: false }));
    [['VIS-440', 40], ['Vis inox A2 4x40', 120], ['12', 350]].forEach(([t, x]) => doc.text(String(t), Number(x), 220, { lineBreak: false }));
    doc.end();
    await done;
    const r = await extract(Buffer.concat(chunks), 'anonymous.pdf');
    const o = r.orders[0]!;
    expect(o.poNumber).toBe('CDE-2026-00777');
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 12]]);
    expect(o.customer).toEqual({ id: null, name: null, matchedBy: null });
    expect(r.problems.map((p) => p.code)).toContain('UNKNOWN_CUSTOMER');
  });
});

describe('checks that lower confidence', () => {
  it('flags a line whose quantity × price is not its amount, and the total that does not add up', async () => {
    const g = await generateOrder(md, 'classic', 11, 4);
    const truth = g.truth;
    // One quantity changed after the total was computed: the total no longer adds up.
    const typo = { ...truth, lines: truth.lines.map((l, i) => (i === 1 ? { ...l, quantity: l.quantity + 9 } : l)) };
    const { pdf } = await renderOrderPdf(typo, md);
    const result = await extract(pdf, 'typo.pdf');
    const o = result.orders[0]!;
    // The total printed is the original order's, so the sum of the lines no longer matches it.
    expect(result.problems.map((p) => p.code)).toContain('TOTAL_MISMATCH');
    expect(o.confidence).toBeLessThan(0.7);
    expect(o.lines[1]!.doubts.join(' ')).toMatch(/printed total/);
  });
});

describe('a line whose amount is not quantity × price', () => {
  it('is flagged with the arithmetic in its doubts, and only that line', async () => {
    const g = await generateOrder(md, 'erp', 12, 3);
    const l = g.truth.lines[1]!;
    const slip = { ...g.truth, lines: g.truth.lines.map((x, i) => (i === 1 ? { ...x, printedAmount: Math.round((x.quantity + 1) * x.unitPrice * 100) / 100 } : x)) };
    const { pdf } = await renderOrderPdf(slip, md);
    const o = (await extract(pdf, 'slip.pdf')).orders[0]!;
    expect(o.lines.map((x) => x.confidence < 0.7)).toEqual([false, true, false]);
    expect(o.lines[1]!.doubts[0]).toContain(`quantity ${l.quantity} × unit price ${l.unitPrice}`);
    // The quantity printed is kept as printed: the agent decides, nothing is invented.
    expect(o.lines[1]!.quantity).toBe(l.quantity);
  });
});

describe('hostile and damaged files', () => {
  it('a truncated PDF gives PDF_INVALID, not a crash', async () => {
    const { pdf } = committed('erp-2000');
    const r = await extract(truncated(pdf, 0.4), 'cut.pdf');
    expect(r.orders).toEqual([]);
    expect(r.problems[0]!.code).toMatch(/^PDF_(INVALID|UNREADABLE|EMPTY)$/);
    expect(r.problems[0]!.message).toContain('cut.pdf');
  });

  it('a password-protected PDF says so', async () => {
    const r = await extract(await encryptedPdf(), 'locked.pdf');
    expect(r.problems.map((p) => p.code)).toEqual(['PDF_ENCRYPTED']);
    expect(r.problems[0]!.message).toMatch(/password/);
  });

  it('a PDF with zero pages says so', async () => {
    const r = await extract(zeroPagePdf(), 'empty.pdf');
    expect(r.orders).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['PDF_NO_PAGES']);
  });

  it('garbage after a PDF signature is reported, not thrown', async () => {
    const r = await extract(Buffer.from('%PDF-1.7\n' + 'x'.repeat(500)), 'junk.pdf');
    expect(r.orders).toEqual([]);
    expect(r.problems[0]!.code).toMatch(/^PDF_/);
  });
});

describe('splitItem', () => {
  it('cuts a monospace line at every space and a proportional run only at wide gaps', () => {
    const mono = splitItem('VIS-440  Vis inox    12,000 BTE', 0, 0, 310, 10, true);
    expect(mono.map((w) => [w.text, w.x0])).toEqual([['VIS-440', 0], ['Vis', 90], ['inox', 130], ['12,000', 210], ['BTE', 280]]);
    const prop = splitItem('Vis inox A2  (boîte de 200)', 0, 0, 270, 10, false);
    expect(prop.map((w) => w.text)).toEqual(['Vis inox A2', '(boîte de 200)']);
  });
});

describe('scanned PDF (image-only pages)', () => {
  it('sends the page image to OCR and flags every line it is not sure of', { timeout: 120_000 }, async () => {
    const { renderPages } = await import('../../../fixtures/docgen/raster');
    const { scannedPdf } = await import('../../../fixtures/docgen/scan');
    const { closeSharedOcrPool } = await import('../../../parsers/ocr/index');
    const g = await generateOrder(md, 'classic', 21, 5);
    const scan = await scannedPdf(await renderPages(g.pdf, 200));
    const pages = await readPdfPages(scan);
    expect(pages.map((p) => [p.imageOnly, p.textItems])).toEqual([[true, 0]]);
    try {
      const r = await extract(scan, 'scan.pdf');
      const o = r.orders[0]!;
      expect(o.provenance.parser).toBe('pdf-ocr');
      expect(o.poNumber).toBe(g.truth.poNumber);
      const want = new Set(g.truth.lines.map((l) => `${l.sku}×${l.quantity}`));
      const right = o.lines.filter((l) => want.has(`${l.sku}×${l.quantity}`));
      expect(right.length).toBeGreaterThanOrEqual(4);
      // Whatever OCR got wrong must be below the review threshold, never silently certain.
      for (const l of o.lines.filter((x) => !want.has(`${x.sku}×${x.quantity}`))) expect(l.confidence).toBeLessThan(0.7);
      // Every line and the PO can be highlighted on the scanned page: boxes on page 0, rows going down.
      const boxes = o.lines.map((l) => l.source);
      expect(boxes.every((b) => b && b.page === 0 && b.x0 < b.x1 && b.y0 < b.y1 && b.y1 <= 1)).toBe(true);
      expect(boxes.map((b) => b!.y0)).toEqual([...boxes.map((b) => b!.y0)].sort((a, b) => a - b));
      expect(o.sources?.poNumber).toMatchObject({ page: 0 });
    } finally {
      await closeSharedOcrPool();
    }
  });
});

describe('largestImageShare', () => {
  it('tells a page-sized scan from a logo, through nested transforms', () => {
    const page = { w: 595, h: 842 };
    const scan = { fnArray: [10, 12, 85, 11], argsArray: [null, [595, 0, 0, 842, 0, 0], null, null] };
    expect(largestImageShare(scan, page.w, page.h)).toBeCloseTo(1);
    const logo = { fnArray: [10, 12, 10, 12, 85, 11, 11], argsArray: [null, [1, 0, 0, 1, 40, 700], null, [120, 0, 0, 60, 0, 0], null, null, null] };
    expect(largestImageShare(logo, page.w, page.h)).toBeLessThan(0.02);
  });
});
