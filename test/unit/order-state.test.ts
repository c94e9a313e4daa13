import { describe, expect, it } from 'vitest';
import {
  ActionRefused, applyClaim, applyCorrections, applyEntered, applyReassign, applyReject, applyRoute, attachDocument, needsReview, newOrderState,
  nextSlaMark, passSlaMark, withDue,
} from '../../domain/order-state';
import { orderKey, normalisePo } from '../../domain/keys';
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
    expect(cancelled.state.documents.map((d) => d.role)).toEqual(['original', 'duplicate', 'amendment', 'cancellation']);
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

describe('order keys', () => {
  it('keys an order by customer and normalised PO, else by its document', () => {
    expect(orderKey('C001', 'N° CDE 2026/0412', 'f'.repeat(64), 0)).toBe(orderKey('C001', 'cde-2026-0412', 'a'.repeat(64), 3));
    expect(orderKey('C001', null, 'abcdef0123456789ffff'.padEnd(64, '0'), 1)).toBe('C001-doc-abcdef0123456789-2');
    expect(orderKey(null, 'CDE-1', 'abcdef0123456789ffff'.padEnd(64, '0'), 0)).toBe('unknown-doc-abcdef0123456789-1');
    expect(normalisePo('  ')).toBe('');
  });
});
