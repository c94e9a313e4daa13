// The order page says which document each field comes from: the best document, once a better copy
// took over; an agent's correction when there is one.
import { describe, expect, it } from 'vitest';
import { applyCorrections, attachDocument } from '../../../domain/order-state';
import { orderPage } from '../../../web/pages';
import type { User } from '../../../web/auth';
import type { OrderDocument } from '../../../workflows/definitions';
import { order, routedState } from './states';

const lea: User = { login: 'lea', name: 'Léa', role: 'agent', teams: ['sud-est'], passwordHash: '' };
const T = '2026-11-25T07:21:00Z';
const render = (state: Parameters<typeof orderPage>[0]['state']) => orderPage({ user: lea, csrf: 'tok', state, now: Date.parse(T), canAct: true, teams: [], document: null, diffs: [], flash: null });
const sourceOf = (html: string, field: string) => new RegExp(`data-source="${field}">source : ([^<]*)<`).exec(html)?.[1];

describe('field sources on the order page', () => {
  const email = routedState({ id: 'C001-A1', po: 'A-1', team: 'sud-est', agent: 'lea', receivedAt: '2026-11-24T15:10:00Z', dueAt: '2026-11-25T16:00:00Z' });
  const edi: OrderDocument = {
    document: { sha256: 'e'.repeat(64), fileName: 'A-1.edi', mediaType: 'application/edi-x12', channel: 'edi', receivedAt: '2026-11-24T16:00:00Z' },
    index: 0,
    order: { ...order('A-1', 'C001', 'Quincaillerie Dupont', [['VIS-440', 10, 18.9]]), provenance: { parser: 'x12-850', location: null, signals: [] } },
    problems: [],
    decision: 'duplicate',
  };

  it('names the document each header field and the lines come from', () => {
    const html = render(email);
    expect(sourceOf(html, 'poNumber')).toBe('EMAIL A-1.eml');
    const better = attachDocument(email, edi, T).state;
    const page = render(better);
    for (const f of ['poNumber', 'orderDate', 'requestedDeliveryDate', 'customer', 'shipTo', 'lines']) expect(sourceOf(page, f), f).toBe('EDI A-1.edi');
    const corrected = applyCorrections(better, 'lea', T, [{ lineNumber: 1, field: 'quantity', value: 12 }]);
    expect(sourceOf(render(corrected), 'lines')).toBe('corrigé par lea');
    expect(sourceOf(render(corrected), 'poNumber')).toBe('EDI A-1.edi');
  });
});
