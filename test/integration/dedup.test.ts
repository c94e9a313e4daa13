// Cross-document decisions through the real workflows: an amendment and a cancellation whose PO was
// misread still find their order; a repeat order with a new PO weeks later stays a new order; a fax
// that is only probably a copy is attached for an agent, who confirms it or splits it off.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, startStack, startTemporal, type TestStack } from '../support/temporal';
import { confirmDuplicateUpdate, orderIdFromWorkflowId, orderStateQuery, splitDocumentUpdate, type IntakeResult, type OrderState } from '../../workflows/definitions';
import { ActionRefused, runAgentAction } from '../../web/actions';
import { orderKey } from '../../domain/keys';
import { loadMasterData } from '../../storage/masterdata-source';
import { loadScenarios } from '../../bench/dedup-fixtures';
import { documentFor } from '../../bench/dedup-workflows/documents';

let env: TestWorkflowEnvironment;
let stack: TestStack;
beforeAll(async () => {
  env = await startTemporal();
  stack = await startStack(env, 'dedup');
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

const lines = [{ sku: 'BOU-M8', quantity: 20 }, { sku: 'ECR-M8', quantity: 20 }, { sku: 'RON-M8', quantity: 10 }];
async function send(body: object, channel: 'api' | 'email' | 'fax', receivedAt: string): Promise<IntakeResult> {
  const r = await stack.ingestor.submit(Buffer.from(JSON.stringify(body)), { fileName: `${channel}.order.json`, channel, receivedAt });
  return env.client.workflow.getHandle(`doc-${r.sha256}`).result();
}

describe('dedup through the workflows', () => {
  it('applies an amendment and a cancellation with a misread PO to the original order', async () => {
    const first = await send({ customerId: 'C006', poNumber: 'IMJ-2026-0412', orderDate: '2026-11-20', lines }, 'email', '2026-11-20T08:00:00Z');
    const id = first.orders[0]!.orderWorkflowId;
    await eventually(() => stack.readModel.get(id.replace(/^order-/, '')), (s) => s?.route != null, 20_000, 'original routed');

    const amended = await send({ customerId: 'C006', poNumber: 'IMJ-2026-O412', purpose: 'replace', orderDate: '2026-11-20', lines: [...lines.slice(0, 2), { sku: 'RON-M8', quantity: 30 }] }, 'fax', '2026-11-20T09:30:00Z');
    expect(amended.orders[0]!.orderWorkflowId).toBe(id);
    const s1 = await eventually(() => env.client.workflow.getHandle(id).query(orderStateQuery), (s) => s.documents.length === 2, 20_000, 'amendment attached');
    expect(s1.documents[1]!.role).toBe('amendment');
    expect(s1.order.lines.find((l) => l.sku === 'RON-M8')!.quantity).toBe(30);
    expect(s1.documents[1]!.evidence?.some((e) => e.field === 'poNumber')).toBe(true);

    const cancelled = await send({ customerId: 'C006', poNumber: 'IMJ 2026 0412', purpose: 'cancel', lines }, 'email', '2026-11-20T11:00:00Z');
    expect(cancelled.orders[0]!.orderWorkflowId).toBe(id);
    const s2 = await eventually(() => env.client.workflow.getHandle(id).query(orderStateQuery), (s) => s.status === 'cancelled', 20_000, 'cancelled');
    expect(s2.documents.map((d) => d.role)).toEqual(['original', 'amendment', 'cancellation']);
  });

  it('keeps a repeat order (same lines, new PO, weeks later) as a new order', async () => {
    const a = await send({ customerId: 'C009', poNumber: 'OPM-7001', lines }, 'api', '2026-10-20T08:00:00Z');
    await eventually(() => stack.readModel.get(a.orders[0]!.orderWorkflowId.replace(/^order-/, '')), (s) => s?.route != null, 20_000, 'first routed');
    const b = await send({ customerId: 'C009', poNumber: 'OPM-7342', lines }, 'api', '2026-11-17T08:00:00Z');
    expect(b.orders[0]!.orderWorkflowId).not.toBe(a.orders[0]!.orderWorkflowId);
  });
});

describe('probable duplicates through the workflows', () => {
  // Scenario D15 of fixtures/dedup/scenarios.yaml, as real documents: an e-mail, then a fax of the same
  // lines the next morning with no PO, date or address read and no copy mark.
  const d15 = loadScenarios().find((x) => x.name.startsWith('fax sans n°, sans date ni adresse'))!;
  const md = loadMasterData(join(import.meta.dirname, '../../fixtures/masterdata'));
  let n = 0;
  const submit = async (on: TestStack, o: typeof d15.incoming) => {
    const doc = await documentFor(o, md, 9000 + n++);
    const r = await on.ingestor.submit(doc.bytes, { fileName: doc.fileName, channel: doc.channel, receivedAt: doc.receivedAt });
    const res: IntakeResult = await env.client.workflow.getHandle(`doc-${r.sha256}`).result();
    return { sha256: r.sha256, workflowId: res.orders[0]!.orderWorkflowId };
  };
  const stateOf = async (on: TestStack, workflowId: string, ok: (s: OrderState | null) => boolean, what: string): Promise<OrderState> =>
    (await eventually(() => on.readModel.get(orderIdFromWorkflowId(workflowId)), ok, 20_000, what))!;

  /** The e-mail routed, then the fax attached to it as a probable duplicate. */
  async function emailThenFax(on: TestStack, po: string) {
    // Workflow IDs are global to the server: each test's e-mail gets its own PO, hence its own order.
    const e = d15.existing[0]!;
    const email = await submit(on, { ...e, order: { ...e.order, poNumber: po } });
    await stateOf(on, email.workflowId, (s) => s?.route != null, 'e-mail order routed');
    const fax = await submit(on, d15.incoming);
    expect(fax.workflowId).toBe(email.workflowId);
    const s = await stateOf(on, email.workflowId, (x) => x?.documents.length === 2, 'fax attached');
    expect(s.documents[1]).toMatchObject({ sha256: fax.sha256, role: 'duplicate', probable: true, channel: 'fax' });
    expect(s.documents[1]!.evidence?.find((e) => e.field === 'certainty')?.how).toMatch(/^doublon probable seulement/);
    expect(s.history.map((e) => e.event)).toContain('probable duplicate attached');
    // No order of its own: the agents' list holds one order.
    expect(on.readModel.list({ customerId: 'C013' })).toHaveLength(1);
    return { orderId: s.orderId, email, fax };
  }

  it('splits it into its own order, routed like any other; a second click changes nothing', async () => {
    const on = await startStack(env, 'dedup-split');
    try {
      const { orderId, fax } = await emailThenFax(on, 'HCC-ACH-26-1180');
      const ref = { sha256: fax.sha256, index: 0 };
      const after = await runAgentAction(env.client, orderId, splitDocumentUpdate, { by: 'lea', ...ref, reason: 'autre livraison, confirmé par téléphone' });
      const newId = orderKey('C013', null, fax.sha256, 0);
      expect(after.documents.map((d) => [d.role, d.splitTo ?? null])).toEqual([['original', null], ['split', newId]]);
      expect(after.history.at(-1)).toMatchObject({ event: 'document split', by: 'lea' });

      const born = await stateOf(on, `order-${newId}`, (s) => s?.route != null, 'split order routed');
      expect(born.documents).toMatchObject([{ sha256: fax.sha256, role: 'original' }]);
      expect(born.history.find((e) => e.event === 'split from')).toMatchObject({ by: 'lea', detail: `séparée de la commande ${orderId} : autre livraison, confirmé par téléphone` });
      expect(born.order.lines.map((l) => `${l.sku}*${l.quantity}`)).toEqual(['MAS-FFP2*40', 'GAN-NIT*200']);
      expect(on.readModel.list({ customerId: 'C013' }).map((s) => s.orderId).sort()).toEqual([orderId, newId].sort());

      await expect(runAgentAction(env.client, orderId, splitDocumentUpdate, { by: 'lea', ...ref })).rejects.toThrow(ActionRefused);
      await expect(runAgentAction(env.client, orderId, confirmDuplicateUpdate, { by: 'lea', ...ref })).rejects.toThrow(/a déjà été séparé de cette commande/);
      const still = await env.client.workflow.getHandle(`order-${newId}`).query(orderStateQuery);
      expect(still.documents).toHaveLength(1);
    } finally {
      await on.stop();
    }
  });

  it('confirms it: the doubt is cleared and nothing else is created', async () => {
    const on = await startStack(env, 'dedup-confirm');
    try {
      const { orderId, email, fax } = await emailThenFax(on, 'HCC-ACH-26-1191');
      await expect(runAgentAction(env.client, orderId, confirmDuplicateUpdate, { by: 'lea', sha256: email.sha256, index: 0 })).rejects.toThrow(/n'est pas un doublon de cette commande \(c'est l'original\)/);
      const after = await runAgentAction(env.client, orderId, confirmDuplicateUpdate, { by: 'lea', sha256: fax.sha256, index: 0 });
      expect(after.documents[1]).toMatchObject({ role: 'duplicate', confirmedBy: 'lea' });
      expect(after.documents[1]!.probable).toBeUndefined();
      const s = await stateOf(on, `order-${orderId}`, (x) => x?.history.some((e) => e.event === 'duplicate confirmed') ?? false, 'confirmation published');
      expect(s.documents[1]!.probable).toBeUndefined();
      expect(on.readModel.list({ customerId: 'C013' })).toHaveLength(1);
    } finally {
      await on.stop();
    }
  });
});
