// Cross-document decisions through the real workflows: an amendment and a cancellation whose PO was
// misread still find their order; a repeat order with a new PO weeks later stays a new order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, startStack, startTemporal, type TestStack } from '../support/temporal';
import { orderStateQuery, type IntakeResult } from '../../workflows/definitions';

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
