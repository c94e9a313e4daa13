// The order page outlines, over the page image, where each line and header field was read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../domain/order';
import { highlightsOf, pdfPageCount, pdfPagePng, renderDocument, sheetHtml } from '../../../web/document';
import { orderPage } from '../../../web/pages';
import type { User } from '../../../web/auth';
import { order, routedState } from './states';

const lea: User = { login: 'lea', name: 'Léa', role: 'agent', teams: ['sud-est'], passwordHash: '' };

function boxedOrder(): Order {
  const o = order('CDE-2026-1142', 'C001', 'Quincaillerie Dupont', [['VIS-440', 200, 4.2], ['CHV-8', 50, 0.3, 0.55]]);
  o.lines[0]!.source = { page: 0, x0: 0.08, y0: 0.47, x1: 0.92, y1: 0.489 };
  o.lines[1]!.source = { page: 0, x0: 0.08, y0: 0.496, x1: 0.92, y1: 0.515 };
  o.lines[1]!.doubts = ['SKU read as CHV-B, snapped to CHV-8'];
  o.sources = { poNumber: { page: 0, x0: 0.26, y0: 0.318, x1: 0.41, y1: 0.329 } };
  return o;
}
const doc = { orderId: 'ord-1', sha256: 'b'.repeat(64), mediaType: 'image/tiff', fileName: 'dupont-fine.tif' };

describe('highlights', () => {
  it('one per boxed line and header field; doubtful lines marked low with their doubt', () => {
    const hs = highlightsOf(boxedOrder());
    expect(hs.map((h) => [h.key, h.low])).toEqual([['poNumber', false], ['line-1', false], ['line-2', true]]);
    expect(hs[2]!.doubt).toBe('SKU read as CHV-B, snapped to CHV-8');
    // Orders from EDI, API or email bodies carry no boxes: nothing to draw.
    expect(highlightsOf(order('X', 'C001', 'Dupont', [['VIS-440', 1, 1]]))).toEqual([]);
  });

  it('draws each box on its own page only, in per-mille of the page, with a tooltip', () => {
    const hs = highlightsOf(boxedOrder());
    const p0 = String(sheetHtml('/p1.png', 'page 1', 0, hs));
    expect(p0).toContain('<rect data-hl="line-1" class="ok" x="77" y="468" width="846" height="23">');
    expect(p0).toMatch(/<rect data-hl="line-2" class="low"[^>]*><title>Ligne 2 · CHV-8 — doute : SKU read as CHV-B, snapped to CHV-8<\/title>/);
    expect(p0).toContain('data-hl="poNumber"');
    expect(String(sheetHtml('/p2.png', 'page 2', 1, hs))).not.toContain('<rect');
  });

  it('a fax: every TIFF page as an image, the boxes over the page they were read on', async () => {
    const bytes = readFileSync('fixtures/fax/martin-normal-cover.tif');
    const o = boxedOrder();
    for (const l of o.lines) l.source = { ...l.source!, page: 1 };
    const out = String(await renderDocument(doc, bytes, highlightsOf(o)));
    const figures = out.split('<figure').slice(1);
    expect(figures).toHaveLength(2);
    expect(figures[0]).not.toContain('data-hl="line-1"');
    expect(figures[1]).toContain('data-hl="line-1"');
    expect(figures[1]).toContain('/page/2.png');
  });

  it('a PDF with boxes: rendered pages with the boxes, the PDF itself one click away', async () => {
    const bytes = readFileSync('fixtures/pdf/classic-1000.pdf');
    expect(await pdfPageCount(bytes)).toBe(2);
    const out = String(await renderDocument({ ...doc, mediaType: 'application/pdf', fileName: 'classic-1000.pdf' }, bytes, highlightsOf(boxedOrder())));
    expect(out.match(/<figure class="sheet"/g)).toHaveLength(2);
    expect(out).toContain('<iframe');
    // Without boxes the PDF viewer alone, as before.
    expect(String(await renderDocument({ ...doc, mediaType: 'application/pdf' }, bytes, []))).not.toContain('<figure');
  });

  it('renders a PDF page to PNG, and says which page is missing', async () => {
    const bytes = readFileSync('fixtures/pdf/classic-1000.pdf');
    const png = await pdfPagePng(bytes, 1, 30);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await expect(pdfPagePng(bytes, 5, 30)).rejects.toThrow(/page|Wrong page range/i);
  });

  it('the order page ties each table line and header field to its box (data-hl), with the script loaded', async () => {
    const o = boxedOrder();
    const s = routedState({ id: 'ord-1', po: o.poNumber!, team: 'sud-est', receivedAt: '2026-11-23T08:00:00Z', channel: 'fax', o });
    const documentHtml = await renderDocument(doc, readFileSync('fixtures/fax/dupont-fine.tif'), highlightsOf(s.order));
    const out = orderPage({ user: lea, csrf: 't', state: s, now: Date.parse('2026-11-23T09:00:00Z'), canAct: true, teams: [], document: { sha256: doc.sha256, html: documentHtml }, diffs: [], flash: null });
    expect(out).toContain('<tr data-line="2" data-hl="line-2">');
    expect(out).toContain('<dd data-hl="poNumber">');
    expect(out).toContain('<rect data-hl="line-2" class="low"');
    expect(out).toContain('<script src="/assets/app.js" defer></script>');
  });
});
