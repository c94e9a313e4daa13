// Order states for the workspace tests, built with the same pure functions the workflow uses.
import { applyEntered, applyRoute, newOrderState, setStatus } from '../../../domain/order-state';
import type { Order } from '../../../domain/order';
import type { Channel } from '../../../domain/order';
import type { OrderState } from '../../../workflows/definitions';

export function order(po: string, customerId: string, name: string, lines: [string, number, number | null, number?][]): Order {
  return {
    poNumber: po,
    orderDate: '2026-11-23',
    requestedDeliveryDate: null,
    purpose: 'original',
    currency: 'EUR',
    customer: { id: customerId, name, matchedBy: 'email_domain' },
    shipTo: { code: null, gln: null, name: null, street: null, postalCode: '69003', city: 'Lyon', country: 'FR' },
    lines: lines.map(([sku, quantity, unitPrice, confidence], i) => ({
      lineNumber: i + 1, sku, customerPartNumber: null, ean: null, description: null, quantity, unit: 'PCE', unitPrice, confidence: confidence ?? 1, doubts: [],
    })),
    confidence: Math.min(1, ...lines.map((l) => l[3] ?? 1)),
    provenance: { parser: 'email-body', location: null, signals: [] },
  };
}

export function routedState(opts: { id: string; po: string; team: string; agent?: string | null; receivedAt: string; channel?: Channel; dueAt?: string | null; o?: Order }): OrderState {
  const o = opts.o ?? order(opts.po, 'C001', 'Quincaillerie Dupont', [['VIS-440', 10, 4.2]]);
  let s = newOrderState(opts.id, { document: { sha256: 'a'.repeat(64), fileName: `${opts.po}.eml`, mediaType: 'message/rfc822', channel: opts.channel ?? 'email', receivedAt: opts.receivedAt }, index: 0, order: o, problems: [] }, opts.receivedAt);
  s = setStatus(s, 'extracted', opts.receivedAt);
  s = applyRoute(s, { team: opts.team, agent: opts.agent ?? null, ruleId: 'sud-est', rulesVersion: 'sha256:test', reason: 'livraison dans le 69' }, opts.receivedAt);
  if (opts.dueAt !== undefined) s = { ...s, sla: { ...s.sla, dueAt: opts.dueAt, atRiskAt: opts.dueAt ? new Date(Date.parse(opts.dueAt) - 30 * 60_000).toISOString() : null } };
  return s;
}

export const entered = (s: OrderState, by: string, at: string): OrderState => applyEntered(s, by, at);
