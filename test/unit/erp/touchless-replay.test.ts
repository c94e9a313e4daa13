// `touchless replay --since 7d` over a real read model (SQLite) in a temporary data folder: how many
// recent orders would have gone through, which of those an agent later changed, and why the others did not.
import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyCorrections, applyRoute, newOrderState, setStatus } from '../../../domain/order-state';
import { orderAsRead } from '../../../domain/touchless';
import type { Channel, Order } from '../../../domain/order';
import type { OrderState } from '../../../domain/order-model';
import { ReadModel } from '../../../storage/read-model';
import { registerErpCommands, sinceInstant } from '../../../erp/commands';
import { ROOT } from '../../../worker/config';

const line = (n: number, sku: string, quantity: number) => ({ lineNumber: n, sku, customerPartNumber: null, ean: null, description: null, quantity, unit: null, unitPrice: 18.9, confidence: 1, doubts: [] });
const order = (customer: string, po: string, over: Partial<Order> = {}): Order => ({
  poNumber: po, orderDate: '2026-12-01', requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
  customer: { id: customer, name: null, matchedBy: 'api' }, shipTo: { code: null, gln: null, name: null, street: null, postalCode: null, city: null, country: 'FR' },
  lines: [line(1, 'VIS-440', 10)], confidence: 1, provenance: { parser: 'api-json', location: null, signals: [] }, ...over,
});
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
function routed(id: string, o: Order, channel: Channel, at: string, problems: OrderState['problems'] = []): OrderState {
  const s = newOrderState(id, { document: { sha256: id.padEnd(64, '0').slice(0, 64).replace(/[^0-9a-f]/g, 'a'), fileName: `${id}.txt`, mediaType: 'text/plain', channel, receivedAt: at }, index: 0, order: o, problems }, at);
  return applyRoute(setStatus(s, 'extracted', at), { team: 'ADV', agent: 'lea', ruleId: 'r', rulesVersion: 'v', reason: 'test' }, at);
}

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (s: string) => out.push(s);
  console.error = (s: string) => err.push(s);
  process.exitCode = undefined;
  try {
    const program = new Command().exitOverride();
    registerErpCommands(program);
    await program.parseAsync(['node', 'aiguillage', ...args]);
    return { out: out.join('\n'), err: err.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    console.log = log;
    console.error = error;
    process.exitCode = undefined;
  }
}

describe('touchless replay', () => {
  const data = mkdtempSync(join(tmpdir(), 'touchless-replay-'));
  const rules = mkdtempSync(join(tmpdir(), 'touchless-replay-rules-'));
  copyFileSync(join(ROOT, 'routing-rules', 'examples', 'touchless.yaml'), join(rules, 'touchless.yaml'));
  const rm = new ReadModel(join(data, 'readmodel.sqlite'));
  const wrong = applyCorrections(routed('C001-P3', order('C001', 'P3'), 'edi', hoursAgo(20)), 'lea', hoursAgo(19), [{ lineNumber: 1, field: 'quantity', value: 12 }]);
  const states = [
    routed('C001-P0', order('C001', 'P0'), 'edi', hoursAgo(24 * 30)), // outside the window: only makes C001 known
    routed('C001-P1', order('C001', 'P1'), 'edi', hoursAgo(48)),
    routed('C001-P2', order('C001', 'P2'), 'api', hoursAgo(30)),
    wrong,
    routed('C002-P1', order('C002', 'P1'), 'email', hoursAgo(10)), // C002's first order
    routed('C001-P4', order('C001', 'P4'), 'fax', hoursAgo(5)),
    routed('C001-P5', order('C001', 'P5'), 'email', hoursAgo(4), [{ code: 'PRICE_DEVIATION', message: 'prix ligne 1 très différent du tarif', severity: 'warning', where: 'line 1 / unitPrice' }]),
  ];
  for (const s of states) rm.upsert(s);
  rm.close();

  it('undoes agents\' corrections to judge the order as it was read', () => {
    expect(orderAsRead(wrong).lines[0]!.quantity).toBe(10);
    expect(wrong.order.lines[0]!.quantity).toBe(12);
  });

  it('prints the rate per channel, the entries an agent later changed, and why the others did not go', async () => {
    const before = statSync(join(data, 'readmodel.sqlite')).mtimeMs;
    const r = await run('touchless', 'replay', '--since', '7d', '--rules', rules, '--data', data, '--json');
    expect(r.code).toBe(0);
    const sum = JSON.parse(r.out);
    expect(sum.orders).toBe(6);
    expect(sum.byChannel).toEqual({ edi: { orders: 2, touchless: 2, wrong: 1 }, api: { orders: 1, touchless: 1, wrong: 0 }, email: { orders: 2, touchless: 0, wrong: 0 }, fax: { orders: 1, touchless: 0, wrong: 0 } });
    expect(sum.wrong.map((w: { orderId: string; wrong: string }) => [w.orderId, w.wrong])).toEqual([['C001-P3', 'corrigée par lea (lines.1.quantity)']]);
    expect(Object.fromEntries(sum.reasons.map((x: { code: string; orders: number }) => [x.code, x.orders]))).toEqual({ 'first-order': 1, channel: 1, status: 1, anomalies: 1 });
    const text = await run('touchless', 'replay', '--since', '7d', '--rules', rules, '--data', data);
    expect(text.out).toMatch(/edi\s+2\s+2\s+100 %\s+1/);
    expect(text.out).toContain('C001-P3: corrigée par lea');
    expect(text.out).toMatch(/1 {2}first-order +première commande de ce client/);
    expect(statSync(join(data, 'readmodel.sqlite')).mtimeMs).toBe(before);
  });

  it('says what is wrong with the policy or the arguments', async () => {
    expect((await run('touchless', 'replay', '--since', 'last week', '--rules', rules, '--data', data)).code).toBe(2);
    expect((await run('touchless', 'replay', '--rules', data, '--data', data)).err).toMatch(/no touchless\.yaml/);
    expect(sinceInstant('2026-12-01', 0)).toBe('2026-12-01T00:00:00.000Z');
    expect(sinceInstant('48h', Date.parse('2026-12-03T00:00:00Z'))).toBe('2026-12-01T00:00:00.000Z');
  });
});
