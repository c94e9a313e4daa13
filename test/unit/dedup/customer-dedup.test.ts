// The customer's coordinator decides with domain/customer-dedup.ts; grouping must not depend on the
// processing order. The scenarios of fixtures/dedup/scenarios.yaml, in order and in reverse, through
// placeDocument and the order state (domain/order-state.ts), without a server.
import { describe, expect, it } from 'vitest';
import { emptyMemory, placeAndRemember, placeDocument, remember, type CustomerMemory, type IncomingDocument } from '../../../domain/customer-dedup';
import { applySplitDocument, attachDocument, newOrderState } from '../../../domain/order-state';
import { loadScenarios } from '../../../bench/dedup-fixtures';
import type { OrderState } from '../../../workflows/definitions';

const T = '2026-11-25T12:00:00Z';

function docsOf(sc: ReturnType<typeof loadScenarios>[number]): IncomingDocument[] {
  const out: IncomingDocument[] = [];
  const add = (o: (typeof sc)['incoming'], label: string) => out.push({ sha256: label.padEnd(64, '0'), index: 0, channel: o.channel, receivedAt: o.receivedAt, order: o.order });
  for (const e of sc.existing) {
    add(e, `${e.orderId}`);
    if (e.status === 'cancelled') add({ ...e, receivedAt: new Date(Date.parse(e.receivedAt) + 3_600_000).toISOString(), order: { ...e.order, purpose: 'cancel' } }, `${e.orderId}-cancel`);
  }
  add(sc.incoming, 'incoming');
  return out;
}

/** Through the coordinator (one memory per customer) and the order states, as the workflows do. */
function ingest(docs: IncomingDocument[]): string[] {
  const memories = new Map<string, CustomerMemory>();
  const orders = new Map<string, OrderState>();
  for (const d of docs) {
    const customer = d.order.customer.id;
    let key = `nocustomer-${d.sha256}`;
    let decision: 'original' | 'duplicate' | 'amendment' | 'cancellation' | undefined;
    let probable = false;
    let revisions: NonNullable<ReturnType<typeof placeDocument>['revisions']> = [];
    if (customer) {
      const placed = placeAndRemember(memories.get(customer) ?? emptyMemory(customer), d, T);
      memories.set(customer, placed.memory);
      key = placed.placement.orderKey;
      decision = placed.placement.role;
      probable = placed.placement.probable;
      revisions = placed.placement.revisions ?? [];
    }
    const od = { document: { sha256: d.sha256, fileName: trimZeros(d.sha256), mediaType: 'text/plain', channel: d.channel, receivedAt: d.receivedAt }, index: 0, order: d.order, problems: [], ...(decision ? { decision } : {}), ...(probable ? { probable: true as const } : {}) };
    const s = orders.get(key);
    orders.set(key, s ? attachDocument(s, od, T).state : newOrderState(key, od, T));
    // As the delivery activity does: the documents this one made doubtful become orders of their own.
    for (const r of revisions) {
      const from = orders.get(r.fromOrderKey)!;
      const split = applySplitDocument(from, 'aiguillage', { sha256: r.sha256, index: r.index }, r.reason, T);
      expect(split.splitTo).toBe(r.toOrderKey);
      orders.set(r.fromOrderKey, split.state);
      const moved = from.documents.find((x) => x.sha256 === r.sha256)!;
      const { probable: _p, ...plain } = moved;
      orders.set(r.toOrderKey, newOrderState(r.toOrderKey, { document: plain, index: r.index, order: docs.find((x) => x.sha256 === r.sha256)!.order, problems: [] }, T));
    }
  }
  // A document split off stays in its first order's history (role 'split'): it is no longer part of it.
  return [...orders.values()].map((s) => s.documents.filter((x) => x.role !== 'split').map((x) => `${x.fileName}:${x.role}${x.probable ? '?' : ''}`).sort().join(' ')).filter(Boolean).sort();
}

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('placing documents, one customer at a time', () => {
  const scenarios = loadScenarios().filter((sc) => sc.expect.certainty !== 'probable');
  it.each(scenarios.map((sc) => [sc.name, sc] as const))('%s: the same grouping in order and in reverse', (_name, sc) => {
    const docs = docsOf(sc).sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
    expect(ingest([...docs].reverse())).toEqual(ingest(docs));
  });

  it.each(scenarios.filter((sc) => docsOf(sc).length >= 3 && docsOf(sc).length <= 5).map((sc) => [sc.name, sc] as const))('%s: the same grouping whatever the processing order', (_name, sc) => {
    const docs = docsOf(sc).sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
    const expected = ingest(docs);
    for (const order of permutations(docs)) expect(ingest(order), order.map((d) => trimZeros(d.sha256)).join(' → ')).toEqual(expected);
  });

  it('splits a probable duplicate off when a second order with the same lines, received before it, comes late', () => {
    const sc = scenarios.find((x) => x.existing.length === 2 && x.incoming.order.poNumber === null && x.expect.decision === 'new' && x.incoming.channel === 'fax' && x.existing.every((e) => e.order.poNumber))!;
    const [a, b, fax] = docsOf(sc);
    const m1 = placeAndRemember(placeAndRemember(emptyMemory(fax!.order.customer.id!), b!, T).memory, fax!, T);
    expect(m1.placement.probable).toBe(true);
    const late = placeAndRemember(m1.memory, a!, T);
    expect(late.placement.revisions).toEqual([expect.objectContaining({ sha256: fax!.sha256, fromOrderKey: m1.placement.orderKey })]);
    expect(late.memory.entries.find((e) => e.sha256 === fax!.sha256)?.placement).toMatchObject({ role: 'original', probable: false, orderKey: late.placement.revisions![0]!.toOrderKey });
    // A retried delivery of the late document gets its revisions again; nothing is revised twice.
    expect(placeAndRemember(late.memory, a!, T).placement.revisions).toEqual(late.placement.revisions);
    expect(placeAndRemember(late.memory, { ...a!, sha256: 'other'.padEnd(64, '0'), order: { ...a!.order, poNumber: 'X-1' } }, T).placement.revisions).toBeUndefined();
  });

  it('forgets by placing time, not receipt time: a backlog replayed newest first keeps every document', () => {
    const sc = scenarios.find((x) => x.kind === 'amendment')!;
    const [a, b] = docsOf(sc);
    const far = { ...a!, sha256: 'far'.padEnd(64, '0'), receivedAt: '2030-01-01T00:00:00Z', order: { ...a!.order, poNumber: 'ZZ-1' } };
    let m = emptyMemory(a!.order.customer.id!);
    m = remember(m, far, placeDocument(m, far), T);
    m = remember(m, a!, placeDocument(m, a!), T);
    expect(placeDocument(m, b!).orderKey).toBe(m.entries[1]!.placement.orderKey);
    // Placed 61 days later, the first ones are gone.
    const later = remember(m, b!, placeDocument(m, b!), '2027-01-30T00:00:00Z');
    expect(later.entries.map((e) => e.sha256)).toEqual([b!.sha256]);
  });

  it('answers the same document again with the same placement (a retried delivery)', () => {
    const sc = scenarios.find((x) => x.kind === 'amendment')!;
    const [a, b] = docsOf(sc);
    let m = emptyMemory(a!.order.customer.id!);
    const pa = placeDocument(m, a!);
    m = remember(m, a!, pa, T);
    const pb = placeDocument(m, b!);
    m = remember(m, b!, pb, T);
    expect(placeDocument(m, b!)).toEqual(pb);
    expect(pb.orderKey).toBe(pa.orderKey);
  });
});

/** The fixture's name from its padded hash (trailing zeros removed). */
function trimZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '0') end--;
  return s.slice(0, end);
}
