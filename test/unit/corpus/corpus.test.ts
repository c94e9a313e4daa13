// The evaluation corpus (fixtures/corpus): complete, split by layout, every truth resolvable in its
// master data, reproducible from its generator; and the bench's scoring rules.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import type { DocumentResult, Order } from '../../../domain/order';
import { allLayouts, buildDoc, type Manifest } from '../../../fixtures/corpus/generate';
import { CORPUS_CHANNELS, type CorpusTruth } from '../../../fixtures/corpus/model';
import { scoreDocument } from '../../../bench/corpus-score';

const DIR = join(import.meta.dirname, '../../../fixtures/corpus');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;
const md = loadMasterData(join(DIR, 'masterdata'));
const truthOf = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as CorpusTruth;

describe('evaluation corpus', () => {
  it('has at least 40 layouts, each wholly in one half, and every channel in both halves', () => {
    expect(manifest.layouts.length).toBeGreaterThanOrEqual(40);
    expect(new Set(manifest.layouts.map((l) => l.id)).size).toBe(manifest.layouts.length);
    for (const l of manifest.layouts) {
      const docs = manifest.documents.filter((d) => d.layout === l.id);
      expect(docs.length, l.id).toBeGreaterThanOrEqual(4);
      expect(new Set(docs.map((d) => d.split)), l.id).toEqual(new Set([l.split]));
    }
    for (const split of ['dev', 'heldout'] as const) {
      for (const c of CORPUS_CHANNELS) expect(manifest.documents.filter((d) => d.split === split && d.channel === c).length, `${split} ${c}`).toBeGreaterThan(0);
    }
    expect(manifest.documents.filter((d) => d.split === 'heldout' && d.channel === 'fax-tiff').length).toBeGreaterThanOrEqual(25);
  });

  it('holds every document and a truth that our master data resolves', () => {
    for (const d of manifest.documents) {
      expect(existsSync(join(DIR, d.file)), d.file).toBe(true);
      const t = truthOf(d.truth);
      const c = md.customer(t.customerId);
      expect(c, `${d.id} customer`).toBeDefined();
      const ship = md.addressesOf(t.customerId).find((a) => a.code === t.shipTo.code);
      expect(ship?.postalCode, `${d.id} ship-to`).toBe(t.shipTo.postalCode);
      expect(t.lines.length, d.id).toBeGreaterThan(0);
      for (const l of t.lines) {
        expect(md.products.some((p) => p.sku === l.sku), `${d.id} ${l.sku}`).toBe(true);
        expect(l.quantity).toBeGreaterThan(0);
        // What the page prints leads to our SKU: the SKU itself, the customer's part number, the EAN, or nothing (description only).
        const ok = l.printedRef === '' || l.printedRef === l.sku || md.products.find((p) => p.sku === l.sku)?.ean === l.printedRef || md.crossReferences.some((x) => x.customerId === t.customerId && x.customerPartNumber === l.printedRef && x.sku === l.sku);
        expect(ok, `${d.id}: ${l.printedRef} → ${l.sku}`).toBe(true);
      }
      expect(t.orderDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.receivedAt.slice(0, 10) >= t.orderDate, d.id).toBe(true);
    }
  });

  it('is reproducible: a document rebuilt from its layout and index has the committed bytes and truth', async () => {
    const layouts = allLayouts();
    for (const id of ['mail-prose-fr-2', 'mail-html-erp-1', 'mail-forward-outlook-html-3']) {
      const entry = manifest.documents.find((d) => d.id === id)!;
      const layout = layouts.find((l) => l.id === entry.layout)!;
      const { built } = await buildDoc(md, layout, Number(id.split('-').at(-1)) - 1);
      expect(built.bytes.equals(readFileSync(join(DIR, entry.file))), id).toBe(true);
      expect(built.truth.lines).toEqual(truthOf(entry.truth).lines);
    }
  });
});

describe('corpus scoring', () => {
  const entry = manifest.documents.find((d) => d.channel === 'pdf-text')!;
  const truth = truthOf(entry.truth);
  const order = (over: Partial<Order> = {}): Order => ({
    poNumber: truth.poNumber,
    orderDate: truth.orderDate,
    requestedDeliveryDate: truth.requestedDeliveryDate,
    purpose: 'original',
    currency: 'EUR',
    customer: { id: truth.customerId, name: null, matchedBy: 'vat_number' },
    shipTo: { code: truth.shipTo.code, gln: null, name: null, street: null, postalCode: truth.shipTo.postalCode, city: truth.shipTo.city, country: truth.shipTo.country },
    lines: truth.lines.map((l, i) => ({ lineNumber: i + 1, sku: l.sku, customerPartNumber: null, ean: null, description: null, quantity: l.quantity, unit: null, unitPrice: l.unitPrice, confidence: 0.97, doubts: [] })),
    confidence: 0.95,
    provenance: { parser: 'pdf-text', location: null, signals: [] },
    ...over,
  });
  const result = (o: Order[], problems: DocumentResult['problems'] = []): DocumentResult => ({ document: { sha256: '0'.repeat(64), fileName: 'x.pdf', mediaType: 'application/pdf', channel: 'scan', receivedAt: entry.receivedAt, context: {} }, orders: o, problems });

  it('counts a right document as right', () => {
    const s = scoreDocument(entry, truth, result([order()]), false, 0.1);
    expect(s.wrong).toBe(false);
    expect(s.matched).toBe(truth.lines.length);
  });

  it('counts a confident wrong PO with no problem as wrong and unflagged, and a flagged one as flagged', () => {
    const bad = order({ poNumber: 'X' });
    expect(scoreDocument(entry, truth, result([bad]), false, 0.1).wrongUnflagged).toBe(true);
    const flagged = scoreDocument(entry, truth, result([bad], [{ code: 'OCR_PO_DOUBTFUL', message: 'doubt', severity: 'warning', where: 'poNumber' }]), false, 0.1);
    expect(flagged.wrong).toBe(true);
    expect(flagged.wrongUnflagged).toBe(false);
    expect(scoreDocument(entry, truth, result([order({ poNumber: 'X', confidence: 0.6 })]), false, 0.1).wrongUnflagged).toBe(false);
  });

  it('counts a line lost without a line problem as unflagged, and a quarantined document apart', () => {
    const lost = order({ lines: order().lines.slice(1) });
    expect(scoreDocument(entry, truth, result([lost]), false, 0.1).wrongUnflagged).toBe(true);
    expect(scoreDocument(entry, truth, result([lost], [{ code: 'TOTAL_MISMATCH', message: 'sum', severity: 'warning', where: 'total' }]), false, 0.1).wrongUnflagged).toBe(false);
    const q = scoreDocument(entry, truth, result([], [{ code: 'NO_TABLE', message: 'none', severity: 'error', where: 'page 1' }]), true, 0.1);
    expect(q.quarantined).toBe(true);
    expect(q.wrongUnflagged).toBe(false);
  });
});
