// Rule test cases (`*.cases.yaml`): an order in a few lines, the team/agent/rule expected.
// Pure: load.ts reads the files and the master data and hands them in.
import { z } from 'zod';
import { CHANNELS, emptyAddress, type Channel, type Order } from '../domain/order';
import { decideRoute } from './engine';
import type { RuleError } from './errors';
import type { AgentLoad, ProductFact, RouteDecision, RouteInput, RuleSet } from './types';
import { YamlSource } from './yaml-source';

/** What the router needs from master data (MasterData satisfies it). */
export interface RoutingFacts {
  customers: readonly { id: string; market: string }[];
  products: readonly ProductFact[];
  addresses: readonly { customerId: string; code: string; postalCode: string; city: string; country: string; type: string }[];
}

const loadsSchema = z.record(z.string(), z.strictObject({ open: z.number().int().nonnegative(), last_assigned_at: z.string().optional() }));
const lineSchema = z.strictObject({ sku: z.string().nullable(), quantity: z.number().positive().nullable().default(1), unit_price: z.number().nonnegative().nullable().default(null) });
const shortOrderSchema = z.strictObject({
  customer: z.string().nullable().default(null),
  /** An address code of addresses.csv ("C001-L1"), or the address itself. */
  ship_to: z.union([z.string(), z.strictObject({ postal_code: z.string().nullable().default(null), city: z.string().nullable().default(null), country: z.string().nullable().default(null) })]).optional(),
  lines: z.array(lineSchema).min(1, 'an order needs at least one line'),
});
const caseSchema = z.strictObject({
  name: z.string().min(1),
  order: shortOrderSchema,
  channel: z.enum(CHANNELS, { error: `expected one of: ${CHANNELS.join(', ')}` }),
  market: z.string().optional(),
  now: z.string().optional(),
  loads: loadsSchema.optional(),
  expect: z.strictObject({ team: z.string().optional(), agent: z.string().nullable().optional(), rule: z.string().optional() }).refine((e) => Object.keys(e).length > 0, 'expect needs team, agent or rule'),
});
const casesFileSchema = z.strictObject({
  /** Master-data directory, relative to the cases file. */
  masterdata: z.string().optional(),
  now: z.string().default('2026-11-24T09:00:00+01:00'),
  loads: loadsSchema.default({}),
  cases: z.array(caseSchema).min(1, 'expected at least one case'),
});
export type CasesFile = z.infer<typeof casesFileSchema>;

export interface CaseResult {
  name: string;
  file: string;
  line: number;
  ok: boolean;
  /** "équipe attendue nord-est, obtenue sud-est". */
  mismatches: string[];
  decision: RouteDecision | null;
}

export function parseCasesFile(name: string, text: string): { cases: CasesFile | null; src: YamlSource; errors: RuleError[] } {
  const src = new YamlSource(name, text);
  if (src.errors.length) return { cases: null, src, errors: src.errors };
  const r = casesFileSchema.safeParse(src.value() ?? {});
  if (!r.success) return { cases: null, src, errors: src.zodErrors(r.error.issues) };
  return { cases: r.data, src, errors: [] };
}

export function runCases(ruleSet: RuleSet, parsed: { cases: CasesFile; src: YamlSource }, facts: RoutingFacts): { results: CaseResult[]; errors: RuleError[] } {
  const { cases, src } = parsed;
  const results: CaseResult[] = [];
  const errors: RuleError[] = [];
  cases.cases.forEach((c, i) => {
    const line = src.position(['cases', i]).line;
    const built = buildInput(c, cases, facts);
    if ('error' in built) {
      errors.push(src.error(['cases', i, 'order', ...built.path], `case "${c.name}": ${built.error}`));
      return;
    }
    const decision = decideRoute(ruleSet, built.input);
    const mismatches: string[] = [];
    if (c.expect.team !== undefined && c.expect.team !== decision.team) mismatches.push(`équipe attendue ${c.expect.team}, obtenue ${decision.team}`);
    if (c.expect.rule !== undefined && c.expect.rule !== decision.ruleId) mismatches.push(`règle attendue ${c.expect.rule}, obtenue ${decision.ruleId}`);
    if (c.expect.agent !== undefined && c.expect.agent !== decision.agent) mismatches.push(`agent attendu ${c.expect.agent ?? 'aucun'}, obtenu ${decision.agent ?? 'aucun'}`);
    results.push({ name: c.name, file: src.file, line, ok: mismatches.length === 0, mismatches, decision });
  });
  return { results, errors };
}

type Built = { input: RouteInput } | { error: string; path: (string | number)[] };

function buildInput(c: CasesFile['cases'][number], file: CasesFile, facts: RoutingFacts): Built {
  const o = c.order;
  const customer = o.customer ? facts.customers.find((x) => x.id === o.customer) : undefined;
  if (o.customer && !customer) return { error: `unknown customer "${o.customer}" (not in customers.csv)`, path: ['customer'] };
  const shipTo = emptyAddress();
  if (typeof o.ship_to === 'string') {
    const a = facts.addresses.find((x) => x.code === o.ship_to);
    if (!a) return { error: `unknown address code "${o.ship_to}" (not in addresses.csv)`, path: ['ship_to'] };
    Object.assign(shipTo, { code: a.code, postalCode: a.postalCode, city: a.city, country: a.country });
  } else if (o.ship_to) {
    Object.assign(shipTo, { postalCode: o.ship_to.postal_code, city: o.ship_to.city, country: o.ship_to.country });
  }
  const lines: Order['lines'] = [];
  for (const [i, l] of o.lines.entries()) {
    if (l.sku && !facts.products.some((p) => p.sku.toUpperCase() === l.sku!.toUpperCase())) {
      return { error: `unknown SKU "${l.sku}" (not in products.csv; use sku: null for an unknown item)`, path: ['lines', i, 'sku'] };
    }
    lines.push({ lineNumber: i + 1, sku: l.sku, customerPartNumber: null, ean: null, description: null, quantity: l.quantity, unit: null, unitPrice: l.unit_price, confidence: 1, doubts: [] });
  }
  const loads: Record<string, AgentLoad> = {};
  for (const [id, v] of Object.entries({ ...file.loads, ...(c.loads ?? {}) })) loads[id] = { open: v.open, lastAssignedAt: v.last_assigned_at ?? null };
  return {
    input: {
      order: { customer: { id: customer?.id ?? null, name: null, matchedBy: null }, shipTo, lines },
      channel: c.channel as Channel,
      customer: customer ? { id: customer.id, market: c.market ?? customer.market } : null,
      products: facts.products as ProductFact[],
      loads,
      now: c.now ?? file.now,
    },
  };
}
