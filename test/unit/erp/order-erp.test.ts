import { describe, expect, it } from 'vitest';
import { ActionRefused, applyErpAnswer, applyRoute, checkCreateInErp, newOrderState, setStatus } from '../../../domain/order-state';
import { InvalidErpConfig, parseErpConfig } from '../../../erp/config';
import type { Order } from '../../../domain/order';

const order: Order = {
  poNumber: 'CDE-9', orderDate: '2026-12-01', requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
  customer: { id: 'C001', name: 'Quincaillerie Dupont', matchedBy: 'api' },
  shipTo: { code: null, gln: null, name: null, street: null, postalCode: null, city: null, country: null },
  lines: [{ lineNumber: 1, sku: 'VIS-440', customerPartNumber: null, ean: null, description: null, quantity: 2, unit: null, unitPrice: 18.9, confidence: 1, doubts: [] }],
  confidence: 1, provenance: { parser: 'api-json', location: null, signals: [] },
};
const at = '2026-12-01T09:00:00.000Z';
const routed = () => {
  const s = newOrderState('C001-CDE9', { document: { sha256: 'a'.repeat(64), fileName: 'a.order.json', mediaType: 'application/json', channel: 'api', receivedAt: at }, index: 0, order, problems: [] }, at);
  return applyRoute(setStatus({ ...s, sla: { ...s.sla, dueAt: '2026-12-01T16:00:00.000Z' } }, 'extracted', at), { team: 'ADV', agent: null, ruleId: 'r', rulesVersion: 'v', reason: 'test' }, at);
};

describe("Créer dans l'ERP: the order's side", () => {
  it("enters the order with the ERP's number and says when the ERP already had it", () => {
    const s = applyErpAnswer(routed(), 'lea', '2026-12-01T10:00:00.000Z', { kind: 'created', connector: 'tryton', erpRef: '7', number: 'SO-7', state: 'processing', created: false });
    expect(s.status).toBe('entered');
    expect(s.erp).toMatchObject({ connector: 'tryton', erpRef: '7', number: 'SO-7', by: 'lea' });
    expect(s.sla.state).toBe('met');
    expect(s.history.slice(-2).map((h) => [h.event, h.detail])).toEqual([['created in ERP', "tryton n° SO-7 (processing) — déjà présente dans l'ERP"], ['entered', 'référence ERP SO-7']]);
  });

  it("keeps a refusal's reason in the history and the order to enter", () => {
    const before = routed();
    const s = applyErpAnswer(before, 'lea', at, { kind: 'refused', reason: 'tryton : over credit limit' });
    expect(s.status).toBe(before.status);
    expect(s.erp ?? null).toBeNull();
    expect(s.history.at(-1)).toMatchObject({ event: 'ERP refused', by: 'lea', detail: 'tryton : over credit limit' });
  });

  it('keeps the ERP order on record when the order was closed meanwhile, and refuses a second click in flight', () => {
    const rejected = setStatus(routed(), 'rejected', at, 'lea', 'doublon');
    const s = applyErpAnswer(rejected, 'lea', at, { kind: 'created', connector: 'tryton', erpRef: '8', number: '8', state: 'confirmed', created: true });
    expect(s.status).toBe('rejected');
    expect(s.erp?.number).toBe('8');
    expect(() => checkCreateInErp(routed(), 'lea', true)).toThrow(ActionRefused);
    expect(() => checkCreateInErp(s, 'lea', false)).toThrow(ActionRefused);
  });
});

describe('config/erp.yaml', () => {
  it('takes the example as it is shipped, with the demo Tryton by default', () => {
    expect(parseErpConfig('erp.yaml', 'connector: tryton\n')).toMatchObject({ connector: 'tryton', tryton: { url: 'http://127.0.0.1:8000', database: 'aiguillage', managed: true } });
  });
  it('names the file, line and field of each mistake', () => {
    const text = 'connector: webhook\nwebhook:\n  url: ftp://x\n  secretEnv: lower\n  colour: red\n';
    const err = (() => { try { parseErpConfig('config/erp.yaml', text); } catch (e) { return e; } })() as InvalidErpConfig;
    expect(err).toBeInstanceOf(InvalidErpConfig);
    const byField = Object.fromEntries(err.errors.map((e) => [e.field, e.line]));
    expect(byField).toMatchObject({ 'webhook.url': 3, 'webhook.secretEnv': 4, 'webhook.colour': 5 });
    expect(err.message).toContain('config/erp.yaml:3');
    expect(() => parseErpConfig('e.yaml', 'connector: sap-rfc\n')).toThrow(/e\.yaml:1: connector/);
    expect(() => parseErpConfig('e.yaml', 'connector: [\n')).toThrow(/e\.yaml:\d+: \(yaml\)/);
  });
});
