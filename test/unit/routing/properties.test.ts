import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadMasterData } from '../../../storage/masterdata-source';
import { CHANNELS, emptyAddress, type Order } from '../../../domain/order';
import { explainRoute, decideRoute, type RouteInput } from '../../../routing-rules/index';
import { loadRuleSet } from '../../../routing-rules/load';

const ROOT = join(import.meta.dirname, '../../..');
const MD = loadMasterData(join(ROOT, 'fixtures/masterdata'));
const RULES = loadRuleSet(join(ROOT, 'routing-rules/examples'));
const AGENTS = RULES.teams.flatMap((t) => t.agents.map((a) => a.id));

const inputs = fc
  .record({
    customer: fc.option(fc.constantFrom(...MD.customers), { nil: null }),
    address: fc.option(fc.constantFrom(...MD.addresses), { nil: null }),
    lines: fc.array(fc.record({ product: fc.option(fc.constantFrom(...MD.products), { freq: 8, nil: null }), quantity: fc.option(fc.integer({ min: 1, max: 900 }), { freq: 9, nil: null }) }), { minLength: 0, maxLength: 6 }),
    channel: fc.option(fc.constantFrom(...CHANNELS), { nil: null }),
    loads: fc.dictionary(fc.constantFrom(...AGENTS), fc.record({ open: fc.integer({ min: 0, max: 80 }) })),
    day: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ customer, address, lines, channel, loads, day }): RouteInput => {
    const order: Order = {
      poNumber: null, orderDate: null, requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
      customer: { id: customer?.id ?? null, name: null, matchedBy: null },
      shipTo: address ? { ...emptyAddress(), code: address.code, postalCode: address.postalCode, city: address.city, country: address.country } : emptyAddress(),
      lines: lines.map((l, i) => ({ lineNumber: i + 1, sku: l.product?.sku ?? null, customerPartNumber: null, ean: null, description: null, quantity: l.quantity, unit: null, unitPrice: null, confidence: 1, doubts: [] })),
      confidence: 1, provenance: { parser: 'test', location: null, signals: [] },
    };
    const now = new Date(Date.UTC(2026, 10, 15 + day, 9)).toISOString();
    return { order, channel, customer: customer ? { id: customer.id, market: customer.market } : null, products: [...MD.products], loads, now };
  });

describe('routing properties', () => {
  it('always decides: a defined team, a present agent of that team, the first matching rule', () => {
    fc.assert(fc.property(inputs, (input) => {
      const d = decideRoute(RULES, input);
      const team = RULES.teams.find((t) => t.id === d.team);
      expect(team).toBeDefined();
      const x = explainRoute(RULES, input);
      expect(x.decision).toEqual(d);
      const firstMatch = x.rules.find((r) => r.matched);
      expect(d.ruleId).toBe(firstMatch?.ruleId ?? 'fallback');
      if (d.agent !== null) {
        const agent = team!.agents.find((a) => a.id === d.agent);
        expect(agent).toBeDefined();
        const today = String(input.now).slice(0, 10);
        expect(agent!.absences.some((ab) => ab.from <= today && today <= ab.to)).toBe(false);
      } else {
        const today = String(input.now).slice(0, 10);
        expect(team!.agents.every((a) => a.absences.some((ab) => ab.from <= today && today <= ab.to))).toBe(true);
      }
      expect(d.reason).toContain(`équipe ${team!.name}`);
    }), { numRuns: 500 });
  });

  it('is deterministic', () => {
    fc.assert(fc.property(inputs, (input) => {
      expect(decideRoute(RULES, input)).toEqual(decideRoute(RULES, structuredClone(input)));
    }), { numRuns: 100 });
  });
});
