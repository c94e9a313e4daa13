// Grouping that does not depend on arrival order or concurrency (issue #14): one set of real documents
// (copies by other channels, amendments, cancellations, an orphan cancellation, repeat-order traps),
// from fixtures/dedup/scenarios.yaml through bench/dedup-workflows/documents.ts, ingested in order of
// receipt, in reverse order, and 64 at a time in a shuffled order — each run on a fresh dev server.
// The three runs must give identical groupings: the same sets of documents per order, the same roles.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, startStack, startTemporal } from '../support/temporal';
import type { IntakeResult, OrderState } from '../../workflows/definitions';
import { loadMasterData } from '../../storage/masterdata-source';
import { normalisePo, type DedupOrder } from '../../domain/dedup';
import { loadScenarios } from '../../bench/dedup-fixtures';
import { documentFor, type GeneratedDocument } from '../../bench/dedup-workflows/documents';

const md = loadMasterData(join(import.meta.dirname, '../../fixtures/masterdata'));
const DAY = 86_400_000;

interface Planned {
  doc: GeneratedDocument;
  /** The fixture order it belongs to (scenario + order ID): the truth. */
  truth: string;
}

/**
 * The scenarios' documents, each scenario moved 100 days after the previous one (they reuse customers
 * and dates, and were written to be judged apart: 100 days is beyond every dedup window). Scenarios
 * whose answer is a probable duplicate are left out: an agent decides those, by design.
 */
async function plan(): Promise<Planned[]> {
  const out: Planned[] = [];
  const scenarios = loadScenarios().filter((sc) => sc.expect.certainty !== 'probable');
  let repeats = 0;
  let n = 0;
  for (const [k, sc] of scenarios.entries()) {
    if (sc.kind === 'repeat' && ++repeats > 8) continue;
    const shift = (o: DedupOrder, extraMs = 0): DedupOrder => ({ ...o, receivedAt: new Date(Date.parse(o.receivedAt) + k * 100 * DAY + extraMs).toISOString() });
    for (const e of sc.existing) {
      out.push({ doc: await documentFor(shift(e), md, n++, { fax: false }), truth: `${k}/${e.orderId}` });
      if (e.status === 'cancelled') out.push({ doc: await documentFor({ ...shift(e, 3_600_000), status: undefined, order: { ...e.order, purpose: 'cancel' } }, md, n++, { fax: false }), truth: `${k}/${e.orderId}` });
    }
    out.push({ doc: await documentFor(shift(sc.incoming), md, n++, { fax: false }), truth: `${k}/${sc.expect.match ?? 'incoming'}` });
  }
  return out;
}

/**
 * Orders as sets of "sha256#index:role", sorted: what must not depend on the run. A document split
 * off an order (a probable duplicate that a late document made doubtful) is in its history only.
 */
function grouping(orders: OrderState[]): string[] {
  return orders
    .map((s) => s.documents.filter((d) => d.role !== 'split').map((d) => `${d.sha256.slice(0, 16)}#${d.index}:${d.role}${d.probable ? '?' : ''}`).sort().join(' '))
    .sort();
}

async function run(docs: Planned[], mode: 'in order' | 'reverse' | 'parallel'): Promise<{ groups: string[]; orders: OrderState[] }> {
  const env = await startTemporal();
  const stack = await startStack(env, `dedup-order-${mode.replace(' ', '-')}`);
  try {
    const byReceipt = [...docs].sort((a, b) => Date.parse(a.doc.receivedAt) - Date.parse(b.doc.receivedAt));
    let queue = mode === 'reverse' ? byReceipt.reverse() : byReceipt;
    // A fixed shuffle (no Math.random: the run must be repeatable to be debugged).
    if (mode === 'parallel') queue = queue.map((p, i) => ({ p, k: (i * 7919) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.p);
    let delivered = 0;
    const ingest = async (p: Planned) => {
      const r = await stack.ingestor.submit(p.doc.bytes, { fileName: p.doc.fileName, channel: p.doc.channel, receivedAt: p.doc.receivedAt });
      const res: IntakeResult = await env.client.workflow.getHandle(`doc-${r.sha256}`).result();
      delivered += res.orders.length;
    };
    if (mode === 'parallel') {
      let next = 0;
      await Promise.all(Array.from({ length: 64 }, async () => {
        for (let i = next++; i < queue.length; i = next++) await ingest(queue[i]!);
      }));
    } else for (const p of queue) await ingest(p);
    const orders = await eventually(
      () => stack.readModel.list({ limit: 10_000 }),
      (list) => list.reduce((n, s) => n + s.documents.filter((d) => d.role !== 'split').length, 0) === delivered && list.every((s) => s.status !== 'received' && s.status !== 'extracted'),
      120_000,
      `${mode}: every delivered document published`,
    );
    return { groups: grouping(orders), orders };
  } finally {
    await stack.stop();
    await env.teardown();
  }
}

describe('dedup decided once per customer', () => {
  it('groups the same documents the same way in order, in reverse order and 64 at a time', async () => {
    const docs = await plan();
    const forward = await run(docs, 'in order');
    const reverse = await run(docs, 'reverse');
    const parallel = await run(docs, 'parallel');
    expect.soft(reverse.groups, 'reverse order').toEqual(forward.groups);
    expect.soft(parallel.groups, '64 at a time').toEqual(forward.groups);

    // Not a trivial grouping: copies, amendments and cancellations were attached, repeat orders kept apart.
    const roles = forward.groups.join(' ');
    for (const role of [':duplicate', ':amendment', ':cancellation']) expect(roles).toContain(role);
    const truthOf = new Map(docs.map((p) => [p.doc.fileName, p.truth]));
    for (const o of forward.orders) {
      // Precision: an order never holds documents of two fixture orders.
      expect(new Set(o.documents.map((d) => truthOf.get(d.fileName))).size).toBe(1);
    }
    // The order whose EDI original came after its PDF copy in the reverse run still reads from the EDI.
    const edi = reverse.orders.filter((o) => o.documents.some((d) => d.channel === 'edi' && (d.role === 'original' || d.role === 'duplicate')) && o.documents.length > 1);
    expect(edi.length).toBeGreaterThan(0);
    for (const o of edi) expect(o.documents.find((d) => d.role === 'original')?.channel).toBe('edi');
    // An orphan cancellation stays an anomaly, never an order to enter.
    const orphan = forward.orders.find((o) => o.documents.every((d) => d.role === 'cancellation'));
    expect(orphan?.problems.map((p) => p.message).join()).toMatch(/^Annulation d'une commande introuvable/);
    expect(normalisePo(orphan?.poNumber ?? null)).not.toBeNull();
  }, 900_000);

  it('splits a probable duplicate off its order when a second order with the same lines comes late', async () => {
    // Two e-mailed orders with the same lines and a fax with neither PO nor date: processed in order of
    // receipt, the fax is an order of its own (two equally plausible originals). Here the first e-mail
    // is processed last: the fax was first attached as a probable duplicate, then split off.
    const sc = loadScenarios().find((x) => x.existing.length === 2 && x.incoming.channel === 'fax' && x.incoming.order.poNumber === null && x.expect.decision === 'new' && x.existing.every((e) => e.order.poNumber))!;
    const [a, b] = await Promise.all(sc.existing.map((e, i) => documentFor(e, md, i, { fax: false })));
    const fax = await documentFor(sc.incoming, md, 2, { fax: false });
    const env = await startTemporal();
    const stack = await startStack(env, 'dedup-late-original');
    try {
      for (const d of [b!, fax, a!]) {
        const r = await stack.ingestor.submit(d.bytes, { fileName: d.fileName, channel: d.channel, receivedAt: d.receivedAt });
        await env.client.workflow.getHandle(`doc-${r.sha256}`).result();
      }
      const orders = await eventually(
        () => stack.readModel.list({ limit: 100 }),
        (list) => list.length === 3 && list.some((o) => o.documents.some((d) => d.role === 'split')),
        60_000,
        'the fax split off into its own order',
      );
      const faxOrder = orders.find((o) => o.documents.length === 1 && o.documents[0]!.fileName === fax.fileName)!;
      expect(faxOrder.documents[0]).toMatchObject({ role: 'original' });
      expect(faxOrder.documents[0]!.probable).toBeUndefined();
      const first = orders.find((o) => o.documents.some((d) => d.role === 'split'))!;
      expect(first.documents.map((d) => d.fileName)).toEqual([b!.fileName, fax.fileName]);
      expect(first.history.some((h) => h.by === 'aiguillage (dédoublonnage)' && /séparé automatiquement/.test(h.detail ?? ''))).toBe(true);
    } finally {
      await stack.stop();
      await env.teardown();
    }
  }, 300_000);
});
