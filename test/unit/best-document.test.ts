// The best document wins, whatever the processing order (domain/order-state.ts): every permutation of
// one order's documents gives the same content, roles, clock and status.
import { describe, expect, it } from 'vitest';
import { attachDocument, checkEntered, compareSources, fieldSources, newOrderState, sourceRef } from '../../domain/order-state';
import type { Order, Problem } from '../../domain/order';
import type { OrderDocument, OrderState } from '../../workflows/definitions';
import { SHIP_TO_DEFAULTED } from '../../domain/resolve';

const T = '2026-11-25T12:00:00Z';
const line = (n: number, sku: string, quantity: number, confidence = 1) => ({ lineNumber: n, sku, customerPartNumber: null, ean: null, description: null, quantity, unit: 'PCE', unitPrice: null, confidence, doubts: [] });
const order = (over: Partial<Order> = {}): Order => ({
  poNumber: 'CDE-77',
  orderDate: '2026-11-24',
  requestedDeliveryDate: '2026-12-01',
  purpose: 'original',
  currency: 'EUR',
  customer: { id: 'C001', name: 'Quincaillerie Dupont', matchedBy: 'x12_id' },
  shipTo: { code: 'C001-LIV1', gln: null, name: null, street: null, postalCode: '69200', city: 'Vénissieux', country: 'FR' },
  lines: [line(1, 'VIS-440', 12), line(2, 'CHV-8', 3)],
  confidence: 1,
  provenance: { parser: 'x12-850', location: null, signals: [] },
  ...over,
});
const doc = (sha: string, channel: OrderDocument['document']['channel'], receivedAt: string, o: Order, problems: Problem[] = []): OrderDocument => ({
  document: { sha256: sha.repeat(64).slice(0, 64), fileName: `${sha}.${channel}`, mediaType: 'application/octet-stream', channel, receivedAt },
  index: 0,
  order: o,
  problems,
});

// The EDI original came 21 hours after its PDF copy (ship-to from master data, a line misread) and after a fax.
const edi = doc('e', 'edi', '2026-11-25T07:21:00Z', order());
const pdf = doc('p', 'email', '2026-11-24T10:21:00Z', order({ provenance: { parser: 'pdf-text', location: null, signals: [SHIP_TO_DEFAULTED] }, shipTo: { code: 'C001-FACT', gln: null, name: null, street: null, postalCode: '69003', city: 'Lyon', country: 'FR' }, lines: [line(1, 'VIS-440', 12), line(2, 'CHV-8', 8, 0.7)] }));
const fax = doc('f', 'fax', '2026-11-24T11:00:00Z', order({ provenance: { parser: 'ocr', location: null, signals: [] }, confidence: 0.7, lines: [line(1, 'VIS-440', 12, 0.7), line(2, 'CHV-8', 3, 0.7)] }));
const amend = doc('a', 'email', '2026-11-25T09:00:00Z', order({ purpose: 'replace', provenance: { parser: 'email-body', location: null, signals: [] }, lines: [line(1, 'VIS-440', 20), line(2, 'CHV-8', 3)] }));
const cancel = doc('c', 'email', '2026-11-25T10:00:00Z', order({ purpose: 'cancel', lines: [], provenance: { parser: 'email-body', location: null, signals: [] } }), [
  { code: 'REVISION_WITHOUT_ORIGINAL', message: "Annulation d'une commande introuvable", severity: 'error', where: 'poNumber' },
]);

/** As the customer's coordinator decides: an original completing an order that has none yet, else a copy. */
function deliver(docs: OrderDocument[]): OrderState {
  let s: OrderState | null = null;
  for (const d of docs) {
    if (!s) {
      s = newOrderState('C001-CDE77', { ...d, decision: d.order.purpose === 'replace' ? 'amendment' : undefined }, T);
      continue;
    }
    const hasOriginal: boolean = s.documents.some((x) => x.role === 'original');
    const decision: OrderDocument['decision'] = d.order.purpose === 'replace' ? 'amendment' : d.order.purpose === 'cancel' ? 'cancellation' : hasOriginal ? 'duplicate' : 'original';
    s = attachDocument(s, { ...d, decision }, T).state;
  }
  return s!;
}

function permutations<X>(xs: X[]): X[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

const normal = (s: OrderState) => ({
  roles: Object.fromEntries(s.documents.map((d) => [d.fileName, d.role])),
  lines: s.order.lines.map((l) => `${l.sku}*${l.quantity}`),
  shipTo: s.order.shipTo.code,
  receivedAt: s.sla.receivedAt,
  status: s.status,
  problems: s.problems.map((p) => p.code),
});

describe('the best document wins', () => {
  it('ranks EDI over a text PDF over an e-mail body over OCR, then fields read for sure', () => {
    const ranked = [fax, amend, pdf, edi].map(sourceRef).sort(compareSources);
    expect(ranked.map((r) => r.sha256[0])).toEqual(['e', 'p', 'a', 'f']);
    // One reliability: the document that reads more fields without doubt wins, then the earlier one.
    const sure = sourceRef(doc('x', 'email', '2026-11-25T08:00:00Z', order({ provenance: { parser: 'pdf-text', location: null, signals: [] } })));
    expect(compareSources(sure, sourceRef(pdf))).toBeLessThan(0);
  });

  it('gives the EDI original the content although its PDF copy was processed first; a weaker copy never demotes it', () => {
    const s = deliver([pdf, edi, fax]);
    expect(normal(s)).toMatchObject({ roles: { 'p.email': 'duplicate', 'e.edi': 'original', 'f.fax': 'duplicate' }, lines: ['VIS-440*12', 'CHV-8*3'], shipTo: 'C001-LIV1' });
    // The clock runs from the earliest receipt (the PDF's), whatever came first.
    expect(s.sla.receivedAt).toBe('2026-11-24T10:21:00Z');
    expect(s.history.map((e) => e.event)).toContain('better document');
    expect(fieldSources(s).find((f) => f.field === 'lines')).toEqual({ field: 'lines', label: 'EDI e.edi', sha256: edi.document.sha256 });
  });

  it('gives the same order for every processing order of its documents (120 orders of 5 documents)', () => {
    const all = permutations([pdf, edi, fax, amend, cancel]).map((p) => normal(deliver(p)));
    for (const n of all) expect(n).toEqual(all[0]);
    expect(all[0]).toEqual({
      roles: { 'p.email': 'duplicate', 'e.edi': 'original', 'f.fax': 'duplicate', 'a.email': 'amendment', 'c.email': 'cancellation' },
      lines: ['VIS-440*20', 'CHV-8*3'],
      shipTo: 'C001-LIV1',
      receivedAt: '2026-11-24T10:21:00Z',
      status: 'cancelled',
      problems: [],
    });
    const amended = permutations([pdf, edi, fax, amend]).map((p) => normal(deliver(p)));
    for (const n of amended) expect(n).toEqual(amended[0]);
    expect(amended[0]!.lines).toEqual(['VIS-440*20', 'CHV-8*3']);
  });

  it('keeps the latest amendment whatever the processing order, and the earlier one in the history', () => {
    const later = doc('b', 'email', '2026-11-25T11:00:00Z', order({ purpose: 'replace', provenance: { parser: 'email-body', location: null, signals: [] }, lines: [line(1, 'VIS-440', 30)] }));
    for (const p of permutations([edi, amend, later])) expect(deliver(p).order.lines.map((l) => l.quantity)).toEqual([30]);
    expect(deliver([edi, later, amend]).history.map((e) => e.event)).toContain('earlier amendment attached');
    // The amendment keeps what it replaced in the history.
    expect(deliver([edi, amend]).history.find((e) => e.event === 'amended')?.detail).toContain('VIS-440 : quantité 12 → 20');
  });

  it('keeps a cancellation of an unknown order as an anomaly, never an order to enter; the late original completes it', () => {
    const orphan = deliver([cancel]);
    expect(orphan.documents.map((d) => d.role)).toEqual(['cancellation']);
    expect(orphan.problems.map((p) => p.message)).toEqual(["Annulation d'une commande introuvable"]);
    expect(() => checkEntered({ ...orphan, status: 'needs-review' }, 'lea')).toThrow(/Annulation d'une commande introuvable : rien à saisir/);
    const completed = deliver([cancel, edi]);
    expect(completed.status).toBe('cancelled');
    expect(completed.documents.map((d) => d.role)).toEqual(['cancellation', 'original']);
    expect(completed.problems).toEqual([]);
    expect(completed.order.lines).toHaveLength(2);
  });

  it('does not let a better copy overwrite an agent’s corrections', () => {
    const s = deliver([pdf]);
    const corrected: OrderState = { ...s, status: 'needs-review', corrections: [{ at: T, by: 'lea', field: 'lines.2.quantity', from: 8, to: 3 }] };
    const after = attachDocument(corrected, { ...edi, decision: 'duplicate' }, T);
    expect(after.contentChanged).toBe(false);
    expect(after.state.documents.map((d) => d.role)).toEqual(['duplicate', 'original']);
    expect(fieldSources(after.state).find((f) => f.field === 'lines')!.label).toBe('corrigé par lea');
    expect(fieldSources(after.state).find((f) => f.field === 'shipTo')!.label).toMatch(/^référentiel/);
  });
});

describe('review reasons', () => {
  it('names a field for every reason, and drops the document-wide doubt when the doubtful lines are named', async () => {
    const { reviewReasons, needsReview } = await import('../../domain/order-state');
    const low = order({ confidence: 0.6 });
    const whole: Problem = { code: 'LOW_CONFIDENCE', severity: 'warning', where: null, message: 'Document lu avec une confiance de 60 %' };
    const line: Problem = { code: 'LOW_CONFIDENCE', severity: 'warning', where: 'line 2', message: 'Ligne 2 (CHV-8) lue avec une confiance de 60 %' };
    const info: Problem = { code: 'UNIT_DIFFERS', severity: 'info', where: 'line 1 / unit', message: 'unité' };
    expect(reviewReasons([whole, line, info], low).map((p) => p.where)).toEqual(['line 2']);
    expect(reviewReasons([whole], low).map((p) => p.where)).toEqual(['lines']);
    expect(reviewReasons([], low)).toMatchObject([{ code: 'LOW_CONFIDENCE', where: 'lines' }]);
    expect(needsReview([info], order())).toBe(false);
  });
});

describe('an unannounced change read less reliably', () => {
  it('keeps the better reading and asks the agent, whichever came first', () => {
    const email = doc('m', 'email', '2026-11-24T09:10:00Z', order({ provenance: { parser: 'email-body', location: null, signals: [] } }));
    const ocr = doc('o', 'fax', '2026-11-24T09:25:00Z', order({ provenance: { parser: 'ocr', location: null, signals: [] }, lines: [line(1, 'VIS-440', 12), line(2, 'CHV-8', 8)] }));
    // As the coordinator decides: the first is the original, the second (same PO, other lines) an amendment.
    const run = (a: OrderDocument, b: OrderDocument) => attachDocument(newOrderState('C001-CDE77', a, T), { ...b, decision: 'amendment' }, T);
    const forward = run(email, ocr);
    const reverse = run(ocr, email);
    for (const r of [forward, reverse]) {
      expect(r.contentChanged).toBe(true);
      expect(r.state.order.lines.map((l) => `${l.sku}*${l.quantity}`)).toEqual(['VIS-440*12', 'CHV-8*3']);
      expect(Object.fromEntries(r.state.documents.map((d) => [d.fileName, d.role]))).toEqual({ 'm.email': 'original', 'o.fax': 'amendment' });
    }
    expect(forward.state.problems).toEqual(reverse.state.problems);
    expect(forward.state.problems[0]).toMatchObject({ code: 'UNANNOUNCED_CHANGE', where: 'lines', message: expect.stringContaining('CHV-8 : quantité 3 → 8') });
  });
});

describe('an unannounced change whose delivery overtook its original', () => {
  // The coordinator saw the later document first (original) and the earlier one as its unannounced
  // change (same PO, other lines); the earlier one then reached the order first.
  const first = doc('m', 'email', '2026-11-24T09:10:00Z', order({ provenance: { parser: 'email-body', location: null, signals: [] } }));
  const change = (channel: 'email' | 'fax') =>
    doc('n', channel, '2026-11-24T09:50:00Z', order({ provenance: { parser: channel === 'fax' ? 'ocr' : 'email-body', location: null, signals: [] }, lines: [line(1, 'VIS-440', 12), line(2, 'CHV-8', 3), line(3, 'EMB-PZ2', 5)] }));
  const view = (s: OrderState) => ({ roles: Object.fromEntries(s.documents.map((d) => [d.fileName, d.role])), lines: s.order.lines.map((l) => `${l.sku}*${l.quantity}`), problems: s.problems.map((p) => p.code), source: s.source?.sha256, amendedBy: s.amendedBy?.sha256 });
  it.each(['email', 'fax'] as const)('ends as if they had come in order (the change by %s)', (channel) => {
    const later = change(channel);
    const inOrder = attachDocument(newOrderState('C001-CDE77', { ...first, decision: 'original' }, T), { ...later, decision: 'amendment' }, T).state;
    const overtaken = attachDocument(newOrderState('C001-CDE77', { ...first, decision: 'amendment' }, T), { ...later, decision: 'original' }, T);
    expect(overtaken.contentChanged).toBe(true);
    expect(view(overtaken.state)).toEqual(view(inOrder));
    expect(view(inOrder).roles).toEqual({ 'm.email': 'original', [`n.${channel}`]: 'amendment' });
  });
});

