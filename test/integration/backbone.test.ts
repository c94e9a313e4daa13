// The backbone against the real Temporal dev server: one document → one intake, one order; the
// same PO twice → one order with both documents; agent actions as updates; the API channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { eventually, quietLog, startStack, startTemporal, workflowBundle, type TestStack } from '../support/temporal';
import { buildHttpServer } from '../../http/server';
import { apiAuthorization } from '../../storage/secrets';
import { claimUpdate, correctUpdate, markEnteredUpdate, orderStateQuery, rejectUpdate, type IntakeResult } from '../../workflows/definitions';
import { ROOT } from '../../worker/config';
import { ActionRefused, runAgentAction } from '../../web/actions';

const SAMPLE = readFileSync(join(ROOT, 'fixtures/samples/api-C005-BTP-2026-1187.order.json'));

function apiOrder(po: string, extra: Record<string, unknown> = {}) {
  return { customerId: 'C001', poNumber: po, orderDate: '2026-11-23', lines: [{ sku: 'VIS-440', quantity: 10 }, { sku: 'CHV-6', quantity: 3 }], ...extra };
}

let env: TestWorkflowEnvironment;
let stack: TestStack;

beforeAll(async () => {
  env = await startTemporal();
  stack = await startStack(env, 'backbone');
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

async function intake(sha: string): Promise<IntakeResult> {
  return env.client.workflow.getHandle(`doc-${sha}`).result();
}

async function workflowsOfQueue(type: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of env.client.workflow.list({ query: `TaskQueue = '${stack.cfg.taskQueue}' AND WorkflowType = '${type}'` })) ids.push(w.workflowId);
  return ids;
}

describe('backbone', () => {
  it('takes the same file twice as one intake and one order', async () => {
    const first = await stack.ingestor.submit(SAMPLE, { fileName: 'a.order.json', channel: 'api', receivedAt: '2026-11-23T09:00:00Z' });
    const second = await stack.ingestor.submit(SAMPLE, { fileName: 'copy-of-a.order.json', channel: 'api', receivedAt: '2026-11-23T09:05:00Z' });
    expect(first.status).toBe('accepted');
    expect(second.status).toBe('already-received');
    expect(second.sha256).toBe(first.sha256);
    const r = await intake(first.sha256);
    expect(r.status).toBe('delivered');
    expect(r.orders.map((o) => o.orderWorkflowId)).toEqual(['order-C005-BTP20261187']);
    const state = await eventually(() => stack.readModel.get('C005-BTP20261187'), (s) => s?.status === 'routed', 30_000, 'order routed');
    expect(state!.documents).toHaveLength(1);
    expect(state!.order.lines.map((l) => [l.sku, l.quantity])).toEqual([['CHV-MET8', 12], ['GOU-M10', 4], ['GAN-CUI', 24], ['CAS-ANT', 6]]);
    // Routed by the example rules: delivery in Isère (38) → team Sud-Est, with the rule and its version.
    expect(state!.route).toMatchObject({ team: 'sud-est', teamName: 'Sud-Est' });
    expect(state!.route!.ruleId).not.toBe('fallback');
    expect(state!.route!.rulesVersion).toMatch(/^sha256:/);
    await eventually(() => workflowsOfQueue('intakeDocument'), (ids) => ids.filter((i) => i === `doc-${first.sha256}`).length === 1, 20_000, 'visibility');
  });

  it('gathers two documents with the same customer and PO into one order', async () => {
    const a = Buffer.from(JSON.stringify(apiOrder('PO-7781')));
    const b = Buffer.from(JSON.stringify(apiOrder(' po 7781', { orderDate: '2026-11-22' }), null, 2));
    const ra = await stack.ingestor.submit(a, { fileName: 'email-body.order.json', channel: 'email', receivedAt: '2026-11-23T10:00:00Z' });
    await intake(ra.sha256);
    const rb = await stack.ingestor.submit(b, { fileName: 'fax.order.json', channel: 'fax', receivedAt: '2026-11-23T08:30:00Z' });
    const r = await intake(rb.sha256);
    expect(r.orders[0]!.orderWorkflowId).toBe('order-C001-PO7781');
    const state = await eventually(() => env.client.workflow.getHandle('order-C001-PO7781').query(orderStateQuery), (s) => s.documents.length === 2, 20_000, 'second document attached');
    expect(state.documents.map((d) => [d.channel, d.role])).toEqual([['email', 'original'], ['fax', 'duplicate']]);
    // The clock starts at the first receipt in any channel.
    expect(state.sla.receivedAt).toBe('2026-11-23T08:30:00.000Z');
  });

  it('takes agent actions as updates and refuses what the state does not allow', async () => {
    const r = await stack.ingestor.submit(Buffer.from(JSON.stringify(apiOrder('ACT-1'))), { fileName: 'act.order.json', channel: 'api', receivedAt: new Date().toISOString() });
    await intake(r.sha256);
    const h = env.client.workflow.getHandle('order-C001-ACT1');
    await eventually(() => h.query(orderStateQuery), (s) => s.status === 'routed', 20_000, 'routed');
    const claimed = await runAgentAction(env.client, 'C001-ACT1', claimUpdate, { by: 'lea' });
    expect(claimed.claimedBy).toBe('lea');
    await expect(runAgentAction(env.client, 'C001-ACT1', claimUpdate, { by: 'marc' })).rejects.toThrow(/déjà prise par lea/);
    await expect(runAgentAction(env.client, 'C001-ACT1', rejectUpdate, { by: 'lea', reason: '' })).rejects.toThrow(ActionRefused);
    const entered = await runAgentAction(env.client, 'C001-ACT1', markEnteredUpdate, { by: 'lea', erpReference: 'CDE-55012' });
    expect(entered.status).toBe('entered');
    expect(entered.sla.enteredAt).not.toBeNull();
    await expect(runAgentAction(env.client, 'C001-ACT1', markEnteredUpdate, { by: 'lea' })).rejects.toThrow(/déjà faite/);
    const projected = await eventually(() => stack.readModel.get('C001-ACT1'), (s) => s?.status === 'entered', 10_000, 'read model');
    // (SLA marks may interleave, depending on the hour the suite runs.)
    expect(projected!.history.map((e) => e.event).filter((e) => e !== 'at risk' && e !== 'late')).toEqual(['received', 'extracted', 'routed', 'claimed', 'entered']);
  });

  it('flags anomalies for review and clears them when the agent corrects the line', async () => {
    const body = apiOrder('ANO-1', { lines: [{ sku: 'VIS-440', quantity: 10, unitPrice: 12 }, { customerPartNumber: 'ZZ-UNKNOWN', quantity: 2 }] });
    const r = await stack.ingestor.submit(Buffer.from(JSON.stringify(body)), { fileName: 'ano.order.json', channel: 'api', receivedAt: new Date().toISOString() });
    await intake(r.sha256);
    const s = await eventually(() => stack.readModel.get('C001-ANO1'), (x) => x?.status === 'needs-review', 20_000, 'needs-review');
    expect(s!.problems.map((p) => [p.code, p.where])).toEqual([
      ['PRICE_OFF_LIST', 'line 1 / unitPrice'],
      ['UNKNOWN_ITEM', 'line 2 / sku'],
    ]);
    expect(s!.problems[0]!.message).toBe('Ligne 1 (VIS-440) : prix 12,00 € au lieu de 18,90 € au tarif (−36,5 %).');
    expect(s!.route?.team).toBe('sud-est'); // flagged, but with its team: never in limbo
    const fixed = await runAgentAction(env.client, 'C001-ANO1', correctUpdate, { by: 'lea', lines: [{ lineNumber: 1, field: 'unitPrice', value: 18.9 }, { lineNumber: 2, field: 'sku', value: 'chv-8' }] });
    expect(fixed.problems).toEqual([]);
    expect(fixed.status).toBe('routed');
    expect(fixed.order.lines[1]!.sku).toBe('CHV-8');
    expect(fixed.corrections.map((c) => [c.field, c.from, c.to])).toEqual([['lines.1.unitPrice', 12, 18.9], ['lines.2.sku', null, 'chv-8']]);
  });

  it('quarantines an unreadable document with its reason', async () => {
    const r = await stack.ingestor.submit(Buffer.from('{"customerId": "C001", "lines": "oops"}'), { fileName: 'broken.order.json', channel: 'api', receivedAt: new Date().toISOString() });
    const res = await intake(r.sha256);
    expect(res.status).toBe('quarantined');
    expect(res.problems.map((p) => p.code)).toContain('INVALID_ORDER_JSON');
    expect(stack.readModel.quarantined().find((q) => q.sha256 === r.sha256)?.problems[0]?.where).toMatch(/broken\.order\.json/);
    expect(stack.store.has(r.sha256)).toBe(true);
  });

  it('answers the API: 400 for a bad body with nothing started, 202 then 200 for a duplicate', async () => {
    const app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog });
    // No AIGUILLAGE_API_TOKEN: the server made one in the data folder, where the CLI finds it.
    const headers = apiAuthorization(stack.cfg);
    expect(headers.authorization).toMatch(/^Bearer [\w-]{43}$/);
    const before = (await workflowsOfQueue('intakeDocument')).length;
    const bad = await app.inject({ method: 'POST', url: '/api/orders', headers, payload: { customerId: 'C001', poNumber: 'X', lines: [{ sku: 'VIS-440', quantity: -2 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([{ path: 'lines.0.quantity', message: 'quantity must be more than 0' }]);
    const notJson = await app.inject({ method: 'POST', url: '/api/orders', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"customerId": ' });
    expect(notJson.statusCode).toBe(400);
    const ok = await app.inject({ method: 'POST', url: '/api/orders', headers, payload: apiOrder('API-900') });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ status: 'accepted', orderId: 'C001-API900' });
    await intake(ok.json().sha256);
    const again = await app.inject({ method: 'POST', url: '/api/orders', headers, payload: apiOrder('API-900') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'already-received', orderId: 'C001-API900', links: { order: '/api/orders/C001-API900' } });
    const other = await app.inject({ method: 'POST', url: '/api/orders', headers, payload: apiOrder('API-900', { requestedDeliveryDate: '2026-12-01' }) });
    expect(other.statusCode).toBe(200);
    expect(other.json().status).toBe('duplicate');
    // Only the accepted body and its variant started intakes; the bad ones started nothing.
    await eventually(() => workflowsOfQueue('intakeDocument'), (ids) => ids.length === before + 2, 20_000, 'two new intakes');
    await app.close();
  });

  it('requires the API token when one is configured', async () => {
    const app = buildHttpServer({ cfg: { ...stack.cfg, apiToken: 's3cret-token-s3cret-token-s3cret-token' }, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog });
    expect((await app.inject({ method: 'GET', url: '/api/orders' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/orders', headers: { authorization: 'Bearer wrong-token!' } })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'GET', url: '/api/orders', headers: { authorization: 'Bearer s3cret-token-s3cret-token-s3cret-token' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().some((o: { orderId: string }) => o.orderId === 'C001-ACT1')).toBe(true);
    await app.close();
  });

  it('replays an order history deterministically', async () => {
    const history = await env.client.workflow.getHandle('order-C001-ACT1').fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: 'order-C001-ACT1' }, history);
  });
});
