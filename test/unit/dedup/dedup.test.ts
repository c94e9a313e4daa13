import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copySignal, DEFAULT_DEDUP_CONFIG, deduplicate, diffOrders, normalisePo, type DedupOrder } from '../../../domain/dedup';
import { editDistance } from '../../../domain/names';
import { loadScenarios } from '../../../bench/dedup-fixtures';
import { PO_DOUBTFUL } from '../../../domain/resolve';

const SCENARIOS = loadScenarios();

describe('dedup: scenarios with known answers', () => {
  it.each(SCENARIOS.map((s) => [`${s.kind}: ${s.name}`, s] as const))('%s', (_n, s) => {
    const r = deduplicate(s.incoming, s.existing);
    expect({ decision: r.decision, match: r.matchOrderId, certainty: r.certainty }).toEqual(s.expect);
  });

  it('never links an order to the wrong one, hard cases included (precision first)', () => {
    for (const s of SCENARIOS) {
      const r = deduplicate(s.incoming, s.existing);
      if (r.matchOrderId !== null) expect([s.name, r.matchOrderId]).toEqual([s.name, s.expect.match]);
    }
  });

  it('covers every channel pair and trap the brief names', () => {
    const kinds = new Set(SCENARIOS.map((s) => s.kind));
    for (const k of ['duplicate fax+email', 'duplicate edi+pdf', 'duplicate api+email', 'duplicate email+api', 'repeat', 'amendment', 'cancellation']) expect(kinds).toContain(k);
  });

  it('explains a duplicate with the fields that matched', () => {
    const s = SCENARIOS.find((x) => x.name.startsWith('EDI puis copie PDF « transmise'))!;
    const r = deduplicate(s.incoming, s.existing);
    expect(r.evidence.map((e) => e.field)).toEqual(expect.arrayContaining(['poNumber', 'lines', 'shipTo', 'signals']));
    expect(r.evidence.find((e) => e.field === 'lines')?.how).toBe('4/4 lignes identiques (article et quantité)');
    expect(r.evidence.find((e) => e.field === 'signals')?.how).toBe('document marqué comme copie : « COPIE - commande transmise par EDI »');
    expect(r.score).toBeGreaterThan(0.8);
  });

  it('says why the closest candidate was not taken', () => {
    const s = SCENARIOS.find((x) => x.name.startsWith('même commande renouvelée'))!;
    const r = deduplicate(s.incoming, s.existing);
    expect(r.evidence[0]?.how).toBe('la plus proche est R01-A, écartée :');
    expect(r.evidence.find((e) => e.field === 'poNumber')?.how).toBe('différent (« CDE-2026-0431 » / « CDE-2026-0371 »)');
  });
});

describe('dedup: probable duplicates', () => {
  const d15 = SCENARIOS.find((x) => x.name.startsWith('fax sans n°, sans date ni adresse'))!;
  const fax = d15.incoming;
  const email = d15.existing[0]!;
  const at = (o: DedupOrder, hoursAfterEmail: number): DedupOrder => ({ ...o, receivedAt: new Date(Date.parse(email.receivedAt) + hoursAfterEmail * 3_600_000).toISOString() });
  const withOrder = (o: DedupOrder, over: Partial<DedupOrder['order']>): DedupOrder => ({ ...o, order: { ...o.order, ...over } });

  it('says in French why the link is only probable', () => {
    const r = deduplicate(fax, [email]);
    expect([r.decision, r.matchOrderId, r.certainty]).toEqual(['duplicate', 'D15-A', 'probable']);
    const why = r.evidence.find((e) => e.field === 'certainty')!.how;
    expect(why).toMatch(/^doublon probable seulement : document lu par OCR \(fax\) sans n° de commande, sans date, sans adresse de livraison lisible/);
    expect(why).toContain('reçues à 16 h d’intervalle');
  });

  it('stops at the configured window, both ways in time', () => {
    expect(deduplicate(at(fax, 35.9), [email]).certainty).toBe('probable');
    expect(deduplicate(at(fax, 36.1), [email]).decision).toBe('new');
    expect(deduplicate(at(fax, 47), [email], { ...DEFAULT_DEDUP_CONFIG, probableWindowHours: 48 }).certainty).toBe('probable');
    // The fax stamped before the e-mail (clock of the fax machine, or the e-mail delayed): still close.
    expect(deduplicate(at(fax, -10), [email]).certainty).toBe('probable');
  });

  it('needs every line, with its quantity, and the same number of lines', () => {
    const lines = fax.order.lines;
    expect(deduplicate(withOrder(fax, { lines: [lines[0]!, { ...lines[1]!, quantity: 20 }] }), [email]).decision).toBe('new');
    expect(deduplicate(withOrder(fax, { lines: [lines[0]!] }), [email]).decision).toBe('new');
    expect(deduplicate(withOrder(fax, { lines: [...lines, { ...lines[0]!, lineNumber: 3 }] }), [email]).decision).toBe('new');
  });

  it('keeps a sure match first and never links to a cancelled or rejected order', () => {
    const marked = withOrder(fax, { provenance: { ...fax.order.provenance, signals: ['COPIE'] } });
    const m = deduplicate(marked, [email]);
    expect([m.decision, m.certainty]).toEqual(['duplicate', 'sure']);
    expect(deduplicate(fax, [{ ...email, status: 'cancelled' }]).decision).toBe('new');
    expect(deduplicate(fax, [{ ...email, status: 'rejected' }]).decision).toBe('new');
    // A sure duplicate of one order and a probable one of another: the sure one wins.
    const sameDate = withOrder(fax, { orderDate: '2026-11-24' });
    const other = { ...email, orderId: 'OTHER', order: { ...email.order, orderDate: null } };
    const r = deduplicate(sameDate, [email, other]);
    expect([r.matchOrderId, r.certainty]).toEqual(['D15-A', 'sure']);
  });

  it('makes a new order when two earlier orders are equally plausible, and says so', () => {
    const s = SCENARIOS.find((x) => x.name.includes('identique à deux commandes'))!;
    const r = deduplicate(s.incoming, s.existing);
    expect([r.decision, r.matchOrderId]).toEqual(['new', null]);
    expect(r.evidence[0]!.how).toBe('mêmes lignes que plusieurs commandes récentes (P05-A, P05-B) : aucune n’est plus probable que l’autre, nouvelle commande');
  });

  it('every decision other than that rule is sure', () => {
    for (const sc of SCENARIOS) if (sc.expect.certainty === 'sure') expect([sc.name, deduplicate(sc.incoming, sc.existing).certainty]).toEqual([sc.name, 'sure']);
  });
});

describe('dedup: a PO number OCR doubted', () => {
  const d16 = SCENARIOS.find((x) => x.expect.match === 'D16-A')!;
  const misread = (signals: string[], over: Partial<DedupOrder['order']> = {}): DedupOrder => ({
    ...d16.incoming,
    order: { ...d16.incoming.order, poNumber: '20266-00871', ...over, provenance: { ...d16.incoming.order.provenance, signals } },
  });

  it('proves nothing either way: the lines and the order date decide, as without a PO', () => {
    const r = deduplicate(misread([`${PO_DOUBTFUL} (OCR 0.00)`]), d16.existing);
    expect([r.decision, r.matchOrderId, r.certainty]).toEqual(['duplicate', 'D16-A', 'sure']);
    expect(r.evidence.find((e) => e.field === 'poNumber')!.how).toBe('différent (« 20266-00871 » / « SAT-ACH-2026-00871 »), mais lu avec doute par l’OCR (OCR 0.00) : ni preuve ni contre-preuve');
  });

  it('read with confidence, the same number is another order', () => {
    expect(deduplicate(misread([]), d16.existing).decision).toBe('new');
  });

  it('doubted, it still does not merge an order dated otherwise', () => {
    expect(deduplicate(misread([`${PO_DOUBTFUL} (OCR 0.12)`], { orderDate: '2026-11-24' }), d16.existing).decision).toBe('new');
  });
});

describe('dedup: building blocks', () => {
  it('normalises PO numbers without eating their letters', () => {
    expect(normalisePo(' N° CDE 2026/0412 ')).toBe('CDE20260412');
    expect(normalisePo('cde-2026-0412')).toBe('CDE20260412');
    expect(normalisePo('NORD-0412')).toBe('NORD0412');
    expect(normalisePo('No. 0412')).toBe('0412');
    expect(normalisePo('NO 2026 1234')).toBe(normalisePo('NO-2026-1234'));
    expect(normalisePo('ref.2026.123')).toBe(normalisePo('REF-2026-123'));
    expect(normalisePo('Réf : AFB/26/0933')).toBe('AFB260933');
    expect(normalisePo('  ')).toBeNull();
    expect(normalisePo(null)).toBeNull();
  });
  it('computes edit distances', () => {
    expect(editDistance('OPM771245', 'OPM7712A5')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('recognises copy markings', () => {
    const o = SCENARIOS[0]!.incoming.order;
    const withSignals = (signals: string[]) => ({ ...o, provenance: { ...o.provenance, signals } });
    expect(copySignal(withSignals(['marked COPIE']))).toBe('marked COPIE');
    expect(copySignal(withSignals(['Commande transmise par EDI le 19/11']))).not.toBeNull();
    expect(copySignal(withSignals(['confirmation de notre commande']))).not.toBeNull();
    expect(copySignal(withSignals(['test indicator', 'urgent']))).toBeNull();
  });
  it('diffs an order and its amendment for the agent', () => {
    const s = SCENARIOS.find((x) => x.name.startsWith('EDI BEG01=05'))!;
    const d = diffOrders(s.existing[0]!.order, s.incoming.order);
    expect(d.identical).toBe(false);
    expect(d.summary).toEqual(['CHV-8 ajouté (quantité 100)']);
    const a = SCENARIOS.find((x) => x.name.startsWith('« annule et remplace »'))!;
    expect(diffOrders(a.existing[0]!.order, a.incoming.order).summary).toEqual(['VIS-440 : quantité 10 → 20']);
    const removed = { ...a.incoming.order, lines: a.incoming.order.lines.slice(1), requestedDeliveryDate: '2026-12-02' };
    expect(diffOrders({ ...a.existing[0]!.order, requestedDeliveryDate: '2026-11-30' }, removed).summary).toEqual([
      'date de livraison souhaitée : 2026-11-30 → 2026-12-02',
      'VIS-440 supprimé (était 10)',
    ]);
    expect(diffOrders(a.existing[0]!.order, a.existing[0]!.order).identical).toBe(true);
  });
});

describe('dedup: properties', () => {
  const base = SCENARIOS.find((x) => x.name.startsWith('e-mail puis API'))!;
  const clean = (po: string, receivedAt: string, orderId = 'x'): DedupOrder => ({ ...base.existing[0]!, orderId, receivedAt, order: { ...base.existing[0]!.order, poNumber: po } });
  // Prefixes that look like labels (NO, REF, NUM, N) are part of these numbers and must survive.
  const po = fc.stringMatching(/^(NO|REF|NUM|N|[A-Z]{2,3})-20[0-9]{2}-[0-9]{3,5}$/);

  it('two clean orders with different PO numbers are never merged, whatever else they share', () => {
    fc.assert(fc.property(po, po, fc.integer({ min: 0, max: 30 * 24 }), (a, b, hours) => {
      fc.pre(normalisePo(a) !== normalisePo(b));
      const when = new Date(Date.parse('2026-11-23T08:00:00Z') + hours * 3_600_000).toISOString();
      const r = deduplicate(clean(b, when, 'incoming'), [clean(a, '2026-11-23T08:00:00Z', 'A')]);
      expect(r.decision).toBe('new');
    }), { numRuns: 300 });
  });

  it('a PO number and a longer one that extends it are two orders', () => {
    fc.assert(fc.property(po, fc.stringMatching(/^[-/]?[0-9A-Z]{1,3}$/), (a, extra) => {
      const r = deduplicate(clean(a + extra, '2026-11-23T09:00:00Z', 'incoming'), [clean(a, '2026-11-23T08:00:00Z', 'A')]);
      expect(r.decision).toBe('new');
    }), { numRuns: 300 });
  });

  it('a PO number with and without its letters-only label is one order', () => {
    const r = deduplicate(clean('2026-00871', '2026-11-23T09:00:00Z', 'incoming'), [clean('CDE-2026-00871', '2026-11-23T08:00:00Z', 'A')]);
    expect([r.decision, r.matchOrderId]).toEqual(['duplicate', 'A']);
  });

  it('the same PO with the same lines is always the same order, however it is written', () => {
    fc.assert(fc.property(po, fc.constantFrom(' ', '/', '.', ''), (a, sep) => {
      const written = a.toLowerCase().replaceAll('-', sep);
      const r = deduplicate(clean(written, '2026-11-23T09:00:00Z', 'incoming'), [clean(a, '2026-11-23T08:00:00Z', 'A')]);
      expect([r.decision, r.matchOrderId]).toEqual(['duplicate', 'A']);
    }), { numRuns: 1000 });
  });
});

describe('dedup: what the readers infer is not evidence of sameness', () => {
  const d15 = SCENARIOS.find((x) => x.name.startsWith('fax sans n°, sans date ni adresse'))!;
  const p05 = SCENARIOS.find((x) => x.existing.some((e) => e.orderId === 'P05-A'))!;

  it('a fax whose order date was taken from its transmission day is still a probable copy of the e-mail', () => {
    const sent = d15.incoming.receivedAt.slice(0, 10);
    const fax: DedupOrder = { ...d15.incoming, order: { ...d15.incoming.order, orderDate: sent, evidence: { orderDate: { source: 'channel', rule: 'fax transmission day', text: null, corroboratedBy: [], flagged: false } } } };
    const r = deduplicate(fax, d15.existing);
    expect([r.decision, r.matchOrderId, r.certainty]).toEqual(['duplicate', 'D15-A', 'probable']);
    // Printed, the same date would contradict the e-mail's.
    const printed: DedupOrder = { ...fax, order: { ...fax.order, evidence: { orderDate: { ...fax.order.evidence!.orderDate!, source: 'document' } } } };
    expect(deduplicate(printed, d15.existing).matchOrderId).toBeNull();
  });

  it('two typed e-mails with near PO numbers stay two orders, even when a field of one is doubtful', () => {
    const [a, b] = [p05.existing.find((e) => e.orderId === 'P05-A')!, p05.existing.find((e) => e.orderId === 'P05-B')!];
    const doubtful: DedupOrder = { ...b, order: { ...b.order, confidence: 0.6 } };
    expect(deduplicate(doubtful, [a]).decision).toBe('new');
  });
});
