// The SLA clock inside the order workflow, on the real dev server: the due time follows the earliest
// receipt, the at-risk and late marks fire as durable timers and alert the team lead's webhook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, startStack, startTemporal, type TestStack } from '../support/temporal';
import { orderStateQuery } from '../../workflows/definitions';

let env: TestWorkflowEnvironment;
let stack: TestStack;
let hook: Server;
const alerts: { event: string; orderId: string; dueAt: string }[] = [];

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      alerts.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  env = await startTemporal();
  stack = await startStack(env, 'sla', { cfg: { slaWebhook: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts` } });
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
  hook?.close();
});

const order = (po: string) => Buffer.from(JSON.stringify({ customerId: 'C003', poNumber: po, lines: [{ sku: 'VIS-560', quantity: 8 }] }));

describe('SLA in the order workflow', () => {
  it('marks an order received Friday morning and not entered as at risk, then late, and alerts', async () => {
    const r = await stack.ingestor.submit(order('SLA-1'), { fileName: 'sla1.order.json', channel: 'api', receivedAt: '2026-11-20T09:12:00Z' });
    await env.client.workflow.getHandle(`doc-${r.sha256}`).result();
    const h = env.client.workflow.getHandle('order-C003-SLA1');
    const s = await eventually(() => h.query(orderStateQuery), (x) => x.sla.state === 'late', 30_000, 'late');
    expect(s.sla.dueAt).toBe('2026-11-20T17:00:00+01:00');
    expect(s.sla.atRiskAt).toBe('2026-11-20T16:30:00+01:00');
    expect(s.history.map((e) => e.event)).toEqual(['received', 'extracted', 'routed', 'at risk', 'late']);
    await eventually(() => alerts.filter((a) => a.orderId === 'C003-SLA1').map((a) => a.event), (ev) => ev.length === 2, 10_000, 'alerts');
    expect(alerts.filter((a) => a.orderId === 'C003-SLA1').map((a) => a.event)).toEqual(['sla.at-risk', 'sla.late']);
  });

  it('moves the due time to the earliest receipt when a copy received earlier arrives', async () => {
    const a = await stack.ingestor.submit(order('SLA-2'), { fileName: 'email.order.json', channel: 'email', receivedAt: '2026-11-24T17:05:00+01:00' });
    await env.client.workflow.getHandle(`doc-${a.sha256}`).result();
    const h = env.client.workflow.getHandle('order-C003-SLA2');
    // Tuesday 17:05 is after the cut-off: due Wednesday 17:00.
    expect((await eventually(() => h.query(orderStateQuery), (x) => x.sla.dueAt !== null, 10_000, 'due')).sla.dueAt).toBe('2026-11-25T17:00:00+01:00');
    const b = await stack.ingestor.submit(Buffer.concat([order('SLA-2'), Buffer.from('\n')]), { fileName: 'fax.order.json', channel: 'fax', receivedAt: '2026-11-24T16:40:00+01:00' });
    await env.client.workflow.getHandle(`doc-${b.sha256}`).result();
    const s = await eventually(() => h.query(orderStateQuery), (x) => x.documents.length === 2, 10_000, 'copy attached');
    expect(s.sla.receivedAt).toBe('2026-11-24T15:40:00.000Z');
    expect(s.sla.dueAt).toBe('2026-11-24T17:00:00+01:00');
  });
});
