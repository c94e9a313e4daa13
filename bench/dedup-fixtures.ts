// Reads fixtures/dedup/scenarios.yaml (compact orders with known answers) into DedupOrder values;
// shared by the dedup unit tests and bench/dedup.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadMasterData } from '../storage/masterdata-source';
import { emptyAddress, type Order } from '../domain/order';
import type { DedupDecision, DedupOrder } from '../domain/dedup';

const ROOT = join(import.meta.dirname, '..');
export const SCENARIOS_FILE = join(ROOT, 'fixtures/dedup/scenarios.yaml');

const compactOrder = z.strictObject({
  id: z.string().optional(),
  channel: z.enum(['email', 'fax', 'scan', 'edi', 'api', 'folder']),
  received: z.string(),
  customer: z.string().nullable(),
  po: z.string().nullable(),
  date: z.string().nullable().default(null),
  delivery: z.string().nullable().default(null),
  ship: z.union([z.string(), z.strictObject({ postal_code: z.string(), city: z.string() })]).nullable().default(null),
  lines: z.string(),
  parser: z.string().default('email-body'),
  conf: z.number().default(1),
  signals: z.array(z.string()).default([]),
  purpose: z.enum(['original', 'replace', 'cancel']).default('original'),
  status: z.string().optional(),
});
const scenario = z.strictObject({
  name: z.string(),
  kind: z.string(),
  existing: z.array(compactOrder),
  incoming: compactOrder,
  expect: z.strictObject({ decision: z.enum(['new', 'duplicate', 'amendment', 'cancellation']), match: z.string().nullable().optional(), certainty: z.enum(['sure', 'probable']).default('sure') }),
});

export interface Scenario {
  name: string;
  kind: string;
  existing: DedupOrder[];
  incoming: DedupOrder;
  /** certainty: 'probable' for a link an agent must confirm (domain/dedup.ts); 'sure' otherwise. */
  expect: { decision: DedupDecision; match: string | null; certainty: 'sure' | 'probable' };
}

export function loadScenarios(file = SCENARIOS_FILE): Scenario[] {
  const md = loadMasterData(join(ROOT, 'fixtures/masterdata'));
  const raw = z.array(scenario).parse(parse(readFileSync(file, 'utf8')));
  const build = (o: z.infer<typeof compactOrder>, where: string): DedupOrder => {
    const shipTo = emptyAddress();
    if (typeof o.ship === 'string') {
      const a = md.addresses.find((x) => x.code === o.ship);
      if (!a) throw new Error(`${where}: unknown address code ${o.ship}`);
      Object.assign(shipTo, { code: a.code, gln: a.gln, name: a.name, street: a.street, postalCode: a.postalCode, city: a.city, country: a.country });
    } else if (o.ship) Object.assign(shipTo, { postalCode: o.ship.postal_code, city: o.ship.city, country: 'FR' });
    const lines: Order['lines'] = o.lines.split(/\s+/).filter(Boolean).map((tok, i) => {
      const m = /^([A-Z0-9?-]+)\*(\d+(?:\.\d+)?)(?:@(\d+(?:\.\d+)?))?$/.exec(tok);
      if (!m) throw new Error(`${where}: line "${tok}" is not SKU*quantity[@price]`);
      const sku = m[1] === '?' ? null : m[1]!;
      if (sku && !md.product(sku)) throw new Error(`${where}: unknown SKU ${sku}`);
      return { lineNumber: i + 1, sku, customerPartNumber: null, ean: null, description: sku ? md.product(sku)!.description : null, quantity: Number(m[2]), unit: sku ? md.product(sku)!.unit : null, unitPrice: m[3] ? Number(m[3]) : null, confidence: o.conf, doubts: [] };
    });
    const customer = o.customer ? md.customer(o.customer) : null;
    if (o.customer && !customer) throw new Error(`${where}: unknown customer ${o.customer}`);
    return {
      orderId: o.id ?? 'incoming',
      channel: o.channel,
      receivedAt: o.received,
      status: o.status,
      order: {
        poNumber: o.po, orderDate: o.date, requestedDeliveryDate: o.delivery, purpose: o.purpose, currency: 'EUR',
        customer: { id: customer?.id ?? null, name: customer?.name ?? null, matchedBy: customer ? 'email_domain' : null },
        shipTo, lines, confidence: o.conf, provenance: { parser: o.parser, location: null, signals: o.signals },
      },
    };
  };
  return raw.map((s) => ({
    name: s.name,
    kind: s.kind,
    existing: s.existing.map((e) => build(e, `${s.name} / ${e.id}`)),
    incoming: build(s.incoming, `${s.name} / incoming`),
    expect: { decision: s.expect.decision, match: s.expect.match ?? null, certainty: s.expect.certainty },
  }));
}
