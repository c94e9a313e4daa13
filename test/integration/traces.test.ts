// One document in over HTTP gives one connected trace: the receipt, the intake workflow and its
// activities, the order workflow it signals and that workflow's activities, all under one trace ID,
// each span's parent among them, with the document hash and the order ID on the activities' spans.
import { spans } from '../support/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, quietLog, startTemporal, testConfig } from '../support/temporal';
import { createAiguillageWorker, WORKFLOWS_PATH } from '../../worker/worker';
import { buildHttpServer } from '../../http/server';
import { Ingestor } from '../../intake/submit';
import { DocumentStore } from '../../storage/document-store';
import { ATTR, clientInterceptors, shutdownTracing, WORKFLOW_TRACING_MODULE } from '../../worker/telemetry';
import { markEnteredUpdate } from '../../workflows/definitions';
import { runAgentAction } from '../../web/actions';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await shutdownTracing();
  await env?.teardown();
});

describe('traces', () => {
  it('gives one connected trace for one document, HTTP receipt to the order workflow', async () => {
    const client = new Client({ connection: env.connection, interceptors: clientInterceptors() });
    // A closed order stops listening after ~1 s here, so that its workflow span ends and is exported.
    const cfg = testConfig(env, 'traces', { retentionDays: 0.00001, apiToken: 'obs-test-token-0123456789abcdefghijklmnop' });
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: [WORKFLOW_TRACING_MODULE], logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
    const { worker, readModel, router } = await createAiguillageWorker({ cfg, client, log: quietLog, workflowBundle: bundle, connection: env.nativeConnection });
    const running = worker.run();
    const app = buildHttpServer({ cfg, ingestor: new Ingestor(new DocumentStore(cfg.dataDir), client, cfg.taskQueue, quietLog), readModel, client, log: quietLog });
    try {
      const body = JSON.stringify({ customerId: 'C001', poNumber: 'TRACE-1', lines: [{ sku: 'VIS-440', quantity: 3 }] });
      const res = await app.inject({ method: 'POST', url: '/api/documents?channel=api', headers: { authorization: `Bearer ${cfg.apiToken}`, 'content-type': 'application/octet-stream', 'x-aiguillage-file-name': 'trace.order.json' }, payload: body });
      expect(res.statusCode).toBe(202);
      const { sha256 } = res.json() as { sha256: string };
      await eventually(() => readModel.get('C001-TRACE1'), (s) => s?.status === 'routed' || s?.status === 'needs-review', 60_000, 'order routed');
      await runAgentAction(env.client, 'C001-TRACE1', markEnteredUpdate, { by: 'lea', erpReference: 'T-1' });
      await client.workflow.getHandle('order-C001-TRACE1').result();

      const receipt = await eventually(() => spans.getFinishedSpans().find((s) => s.name === 'receive api document'), (s) => s !== undefined, 10_000, 'receipt span');
      const traceId = receipt!.spanContext().traceId;
      const story = await eventually(
        () => spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
        (l) => l.some((s) => s.name === 'RunWorkflow:orderWorkflow') && l.some((s) => s.name === 'RunActivity:routeOrder'),
        30_000,
        'the order workflow span',
      );
      const byId = new Map(story.map((s) => [s.spanContext().spanId, s]));
      const parentOf = (s: ReadableSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
      const chain = (name: string) => {
        const out: string[] = [];
        for (let s = story.find((x) => x.name === name); s; s = parentOf(s)) out.unshift(s.name);
        return out;
      };
      // Every span of the story but the receipt has its parent in the same trace.
      for (const s of story) if (s !== receipt) expect(parentOf(s), `${s.name} has its parent in the trace`).toBeDefined();
      expect(receipt!.parentSpanId).toBeUndefined();
      expect(chain('RunActivity:extract')).toEqual(['receive api document', 'StartWorkflow:intakeDocument', 'RunWorkflow:intakeDocument', 'StartActivity:extract', 'RunActivity:extract']);
      expect(chain('RunActivity:routeOrder')).toEqual([
        'receive api document', 'StartWorkflow:intakeDocument', 'RunWorkflow:intakeDocument', 'StartActivity:deliverOrders', 'RunActivity:deliverOrders',
        'SignalWithStartWorkflow:orderWorkflow', 'RunWorkflow:orderWorkflow', 'StartActivity:routeOrder', 'RunActivity:routeOrder',
      ]);
      // No span of this document's pipeline went to another trace.
      const pipeline = /^(RunWorkflow:(intakeDocument|orderWorkflow)|RunActivity:(extract|deliverOrders|routeOrder))$/;
      expect(spans.getFinishedSpans().filter((s) => pipeline.test(s.name) && s.spanContext().traceId !== traceId)).toEqual([]);
      expect(receipt!.attributes[ATTR.sha256]).toBe(sha256);
      expect(story.find((s) => s.name === 'RunActivity:extract')!.attributes[ATTR.sha256]).toBe(sha256);
      expect(story.find((s) => s.name === 'RunActivity:routeOrder')!.attributes[ATTR.orderId]).toBe('C001-TRACE1');
    } finally {
      await app.close();
      worker.shutdown();
      await running;
      router?.close();
      readModel.close();
    }
  });
});
