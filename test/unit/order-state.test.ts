import { describe, expect, it } from 'vitest';
import {
  ActionRefused, applyClaim, applyConfirmDuplicate, applyCorrections, applyEntered, applyReassign, applyReject, applyRoute, applySplitDocument, attachDocument,
  checkConfirmDuplicate, checkSplitDocument, duplicatesToCheck, needsReview, newOrderState, nextSlaMark, passSlaMark, withDue,
} from '../../domain/order-state';
import { orderKey } from '../../domain/keys';
import { normalisePo } from '../../domain/dedup';
import type { OrderDocument, RouteDecision } from '../../workflows/definitions';
import type { Order } from '../../domain/order';

const order = (over: Partial<Order> = {}): Order => ({
  poNumber: 'CDE-1',
  orderDate: '2026-11-23',
  requestedDeliveryDate: null,
  purpose: 'original',
  currency: 'EUR',
  customer: { id: 'C001', name: 'Quincaillerie Dupont', matchedBy: 'email_domain' },
  shipTo: { code: null, gln: null, name: null, street: null, postalCode: '69200', city: 'Vénissieux', country: 'FR' },
  lines: [
    { lineNumber: 1, sku: 'VIS-440', customerPartNumber: null, ean: null, description: null, quantity: 12, unit: 'BTE', unitPrice: 18.9, confidence: 1, doubts: [] },
    { lineNumber: 2, sku: 'CHV-8', customerPartNumber: null, ean: null, description: null, quantity: 3, unit: 'BTE', unitPrice: null, confidence: 0.6, doubts: ['read as CHV-B'] },
  ],
  confidence: 0.6,
  provenance: { parser: 'ocr', location: null, signals: [] },
  ...over,
});
const doc = (sha: string, channel: OrderDocument['document']['channel'], receivedAt: string, o = order()): OrderDocument => ({
  document: { sha256: sha.padEnd(64, '0'), fileName: `${sha}.pdf`, mediaType: 'application/pdf', channel, receivedAt },
  index: 0,
  order: o,
  problems: [],
});
const route: RouteDecision = { team: 'sud-est', agent: 'lea', ruleId: 'rhone-alpes', rulesVersion: 'sha256:x', reason: 'livraison dans le 69' };
const T = '2026-11-23T09:00:00.000Z';

describe('order state', () => {
  it('attaches copies, amendments and cancellations, keeping the earliest receipt', () => {
    let s = newOrderState('C001-CDE1', doc('a', 'email', '2026-11-23T09:00:00Z'), T);
    expect(attachDocument(s, doc('a', 'email', '2026-11-23T09:00:00Z'), T).role).toBe('already-attached');
    const dup = attachDocument(s, doc('b', 'fax', '2026-11-23T08:10:00Z'), T);
    expect(dup.role).toBe('duplicate');
    expect(dup.state.sla.receivedAt).toBe('2026-11-23T08:10:00Z');
    s = applyRoute(dup.state, route, T);
    const amended = attachDocument(s, doc('c', 'email', '2026-11-23T10:00:00Z', order({ purpose: 'replace', lines: [order().lines[0]!] })), T);
    expect(amended.role).toBe('amendment');
    expect(amended.state.order.lines).toHaveLength(1);
    const cancelled = attachDocument(amended.state, doc('d', 'email', '2026-11-23T11:00:00Z', order({ purpose: 'cancel', lines: [] })), T);
    expect(cancelled.state.status).toBe('cancelled');
    // Both read by OCR, as reliable as each other: the earlier receipt (the fax) is the original.
    expect(cancelled.state.documents.map((d) => d.role)).toEqual(['duplicate', 'original', 'amendment', 'cancellation']);
  });

  it('sends a doubtful order to review with its team, and routes a clean one', () => {
    const s = newOrderState('C001-CDE1', doc('a', 'fax', T), T);
    expect(needsReview(s.problems, s.order)).toBe(true);
    expect(applyRoute(s, route, T).status).toBe('needs-review');
    const clean = newOrderState('C001-CDE2', doc('b', 'api', T, order({ confidence: 1, lines: [order().lines[0]!] })), T);
    expect(applyRoute(clean, route, T).status).toBe('routed');
  });

  it('refuses what the state does not allow, in the agents’ words', () => {
    let s = applyRoute(newOrderState('C001-CDE1', doc('a', 'fax', T), T), route, T);
    s = applyClaim(s, 'lea', T);
    expect(() => applyClaim(s, 'karim', T)).toThrow(new ActionRefused('La commande est déjà prise par lea.'));
    expect(() => applyReject(s, 'lea', ' ', T)).toThrow(/motif de rejet est obligatoire/);
    expect(() => applyReassign(s, 'lea', 'nord-est', null, '', T)).toThrow(/motif/);
    expect(() => applyCorrections(s, 'lea', T, [{ lineNumber: 9, field: 'quantity', value: 2 }])).toThrow(/Ligne 9 inconnue/);
    expect(() => applyCorrections(s, 'lea', T, [{ lineNumber: 1, field: 'quantity', value: 0 }])).toThrow(/nombre positif/);
    const entered = applyEntered(s, 'lea', T);
    expect(() => applyEntered(entered, 'lea', T)).toThrow(/déjà faite/);
    expect(() => applyCorrections(entered, 'lea', T, [{ lineNumber: 1, field: 'quantity', value: 2 }])).toThrow(/ne peut plus être corrigée/);
  });

  it('makes corrections the order’s values and records them', () => {
    const s = applyRoute(newOrderState('C001-CDE1', doc('a', 'fax', T), T), route, T);
    const c = applyCorrections(s, 'lea', T, [{ lineNumber: 2, field: 'sku', value: 'chv-6' }], [{ field: 'requestedDeliveryDate', value: '2026-11-30' }]);
    expect(c.order.lines[1]).toMatchObject({ sku: 'CHV-6', confidence: 1, doubts: [] });
    expect(c.order.requestedDeliveryDate).toBe('2026-11-30');
    expect(c.corrections.map((x) => [x.field, x.from, x.to])).toEqual([['lines.2.sku', 'CHV-8', 'chv-6'], ['requestedDeliveryDate', null, '2026-11-30']]);
    expect(c.status).toBe('routed'); // nothing doubtful is left
    expect(() => applyCorrections(s, 'lea', T, [], [{ field: 'orderDate', value: '23/11/2026' }])).toThrow(/AAAA-MM-JJ/);
  });

  it('passes the SLA marks in order and records met or missed', () => {
    let s = withDue(applyRoute(newOrderState('C001-CDE1', doc('a', 'api', T, order({ confidence: 1 })), T), route, T), { dueAt: '2026-11-23T17:00:00+01:00', atRiskAt: '2026-11-23T16:30:00+01:00' });
    expect(nextSlaMark(s)).toEqual({ kind: 'at-risk', at: '2026-11-23T16:30:00+01:00' });
    s = passSlaMark(s, 'at-risk', '2026-11-23T15:30:00Z');
    expect(nextSlaMark(s)).toEqual({ kind: 'late', at: '2026-11-23T17:00:00+01:00' });
    expect(applyEntered(s, 'lea', '2026-11-23T15:59:59Z').sla.state).toBe('met');
    expect(applyEntered(s, 'lea', '2026-11-23T16:00:01Z').sla.state).toBe('missed');
    expect(nextSlaMark(applyEntered(s, 'lea', '2026-11-23T15:00:00Z'))).toBeNull();
  });
});

describe('probable duplicates', () => {
  const evidence = [{ field: 'certainty', how: 'doublon probable seulement : document lu par OCR (fax) sans n° de commande' }];
  const email = doc('a', 'email', '2026-11-24T15:10:00Z', order({ provenance: { parser: 'email-body', location: null, signals: [] } }));
  const fax: OrderDocument = { ...doc('b', 'fax', '2026-11-25T07:20:00Z', order({ poNumber: null })), decision: 'duplicate', probable: true, matchEvidence: evidence };
  const entered = applyEntered(applyRoute(newOrderState('C001-CDE1', email, T), route, T), 'lea', '2026-11-24T16:00:00Z');
  const withFax = attachDocument(entered, fax, '2026-11-25T07:21:00Z').state;
  const faxRef = { sha256: fax.document.sha256, index: 0 };

  it('attaches it flagged, without moving the clock or reopening the order', () => {
    expect(withFax.documents[1]).toMatchObject({ role: 'duplicate', probable: true, evidence });
    expect(withFax.history.at(-1)).toMatchObject({ event: 'probable duplicate attached', detail: expect.stringContaining('doublon probable seulement') });
    expect(duplicatesToCheck(withFax).map((d) => d.fileName)).toEqual(['b.pdf']);
    expect(withFax.status).toBe('entered');
    // Received before the e-mail, it would move the clock if it were sure; a probable one does not.
    const early = attachDocument(entered, { ...fax, document: { ...fax.document, receivedAt: '2026-11-24T14:00:00Z' } }, T).state;
    expect(early.sla.receivedAt).toBe('2026-11-24T15:10:00Z');
    expect(applyConfirmDuplicate(early, 'lea', faxRef, T).sla.receivedAt).toBe('2026-11-24T14:00:00Z');
  });

  it('confirms it: the doubt is cleared, who decided is kept', () => {
    const s = applyConfirmDuplicate(withFax, 'karim', faxRef, '2026-11-25T08:00:00Z');
    expect(duplicatesToCheck(s)).toEqual([]);
    expect(s.documents[1]).toMatchObject({ role: 'duplicate', confirmedBy: 'karim' });
    expect(s.documents[1]!.probable).toBeUndefined();
    expect(s.history.at(-1)).toEqual({ at: '2026-11-25T08:00:00Z', event: 'duplicate confirmed', by: 'karim', detail: 'b.pdf (fax)' });
    expect(() => checkConfirmDuplicate(s, 'lea', faxRef)).toThrow(new ActionRefused("b.pdf n'attend pas de confirmation : déjà confirmé par karim."));
    // Confirmed, then found out to be a new order after all: it can still be split off.
    expect(applySplitDocument(s, 'lea', faxRef, null, T).state.documents[1]!.role).toBe('split');
  });

  it('splits it into the order its own document would have started', () => {
    const { state: s, splitTo } = applySplitDocument(withFax, 'karim', faxRef, ' autre chantier ', '2026-11-25T08:00:00Z');
    expect(splitTo).toBe(orderKey('C001', null, fax.document.sha256, 0));
    expect(s.documents.map((d) => d.role)).toEqual(['original', 'split']);
    expect(s.documents[1]).toMatchObject({ splitTo });
    expect(duplicatesToCheck(s)).toEqual([]);
    expect(s.history.at(-1)).toEqual({ at: '2026-11-25T08:00:00Z', event: 'document split', by: 'karim', detail: `b.pdf (fax) devient la commande ${splitTo} : autre chantier` });
    expect(() => checkSplitDocument(s, 'karim', faxRef)).toThrow(`b.pdf a déjà été séparé de cette commande (commande ${splitTo}).`);
    expect(() => checkConfirmDuplicate(s, 'karim', faxRef)).toThrow(/déjà été séparé/);
    // The new order says where it came from.
    const born = newOrderState(splitTo, { ...fax, decision: undefined, probable: undefined, splitFrom: { orderId: s.orderId, by: 'karim', reason: 'autre chantier' } }, T);
    expect(born.documents[0]!.role).toBe('original');
    expect(born.history.map((e) => [e.event, e.by, e.detail])).toEqual([['received', null, 'b.pdf (fax)'], ['split from', 'karim', 'séparée de la commande C001-CDE1 : autre chantier']]);
  });

  it('gives the clock back to the documents that remain', () => {
    const early = attachDocument(entered, { ...fax, probable: undefined, document: { ...fax.document, receivedAt: '2026-11-24T14:00:00Z' } }, T).state;
    expect(early.sla.receivedAt).toBe('2026-11-24T14:00:00Z');
    expect(applySplitDocument(early, 'lea', faxRef, null, T).state.sla.receivedAt).toBe('2026-11-24T15:10:00Z');
  });

  it('refuses what is not a duplicate of this order, in the agents’ words', () => {
    const a = { sha256: email.document.sha256, index: 0 };
    expect(() => checkSplitDocument(withFax, 'lea', a)).toThrow("a.pdf n'est pas un doublon de cette commande (c'est l'original) : il ne peut pas en être séparé.");
    expect(() => checkConfirmDuplicate(withFax, 'lea', a)).toThrow("a.pdf n'est pas un doublon de cette commande (c'est l'original).");
    expect(() => checkSplitDocument(withFax, 'lea', { ...faxRef, index: 1 })).toThrow(/ne fait pas partie de cette commande/);
    expect(() => checkSplitDocument(withFax, 'lea', { sha256: 'f'.repeat(64), index: 0 })).toThrow('Le document ffffffffffff… (commande n° 1 du document) ne fait pas partie de cette commande.');
    expect(() => checkConfirmDuplicate(withFax, '', faxRef)).toThrow('Agent inconnu.');
    const sure = attachDocument(entered, { ...fax, probable: undefined }, T).state;
    expect(() => checkConfirmDuplicate(sure, 'lea', faxRef)).toThrow("b.pdf n'attend pas de confirmation : doublon reconnu sans doute possible.");
  });
});

describe('order keys', () => {
  it('keys an order by customer and normalised PO, else by its document', () => {
    expect(orderKey('C001', 'N° CDE 2026/0412', 'f'.repeat(64), 0)).toBe(orderKey('C001', 'cde-2026-0412', 'a'.repeat(64), 3));
    expect(orderKey('C001', null, 'abcdef0123456789ffff'.padEnd(64, '0'), 1)).toBe('C001-doc-abcdef0123456789-2');
    expect(orderKey(null, 'CDE-1', 'abcdef0123456789ffff'.padEnd(64, '0'), 0)).toBe('unknown-doc-abcdef0123456789-1');
    expect(normalisePo('  ')).toBeNull();
    expect(orderKey('C001', '  ', 'abcdef0123456789ffff'.padEnd(64, '0'), 0)).toBe('C001-doc-abcdef0123456789-1');
  });
});
