// A worker process killed with SIGKILL in the middle of 50 documents, then restarted: 50 orders,
// none duplicated, none lost. A real process and a real kill, against the real dev server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, quietLog, startTemporal, testConfig } from '../support/temporal';
import { ROOT, type Config } from '../../worker/config';
import { DocumentStore } from '../../activities/store';
import { ReadModel } from '../../activities/readmodel';
import { Ingestor } from '../../worker/ingest';
import type { IntakeResult } from '../../workflows/definitions';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

function startWorkerProcess(cfg: Config): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker/worker-main.ts')], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC', TEMPORAL_ADDRESS: cfg.temporalAddress, AIGUILLAGE_TASK_QUEUE: cfg.taskQueue, AIGUILLAGE_DATA: cfg.dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => process.env.TEST_LOG && process.stderr.write(d));
  return child;
}

const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.signalCode ?? c.exitCode) : c.once('exit', (code, sig) => r(sig ?? code))));

describe('crash safety', () => {
  it('loses and duplicates nothing when the worker is killed mid-run', async () => {
    const cfg = testConfig(env, 'crash');
    const store = new DocumentStore(cfg.dataDir);
    const ingestor = new Ingestor(store, env.client, cfg.taskQueue, quietLog);
    let worker = startWorkerProcess(cfg);
    const docs = Array.from({ length: 50 }, (_, i) =>
      Buffer.from(JSON.stringify({ customerId: `C0${String((i % 25) + 1).padStart(2, '0')}`, poNumber: `CRASH-${i + 1}`, lines: [{ sku: 'VIS-440', quantity: i + 1 }, { sku: 'CHV-8', quantity: 2 }] })),
    );
    const shas: string[] = [];
    for (const d of docs) shas.push((await ingestor.submit(d, { fileName: 'crash.order.json', channel: 'api', receivedAt: new Date().toISOString() })).sha256);

    const readModel = await eventually(() => { try { return new ReadModel(join(cfg.dataDir, 'readmodel.sqlite')); } catch { return null; } }, (r) => r !== null, 60_000, 'read model');
    const atKill = await eventually(() => readModel!.count(), (n) => n >= 3, 90_000, 'the worker to make progress');
    worker.kill('SIGKILL');
    expect(await exited(worker)).toBe('SIGKILL');
    expect(atKill).toBeLessThan(50); // killed in the middle, not after the end

    worker = startWorkerProcess(cfg);
    try {
      const results = await Promise.all(shas.map((s) => env.client.workflow.getHandle(`doc-${s}`).result() as Promise<IntakeResult>));
      expect(results.every((r) => r.status === 'delivered' && r.orders.length === 1)).toBe(true);
      const orders = await eventually(() => readModel!.list({ limit: 1000 }), (l) => l.length === 50 && l.every((s) => s.route !== null), 90_000, '50 routed orders');
      expect(new Set(orders.map((o) => o.orderId)).size).toBe(50);
      expect(orders.every((o) => o.documents.length === 1)).toBe(true);
      // Visibility is eventually consistent: wait until every order workflow is listed.
      const listIds = async () => {
        const out: string[] = [];
        for await (const w of env.client.workflow.list({ query: `TaskQueue = '${cfg.taskQueue}' AND WorkflowType = 'orderWorkflow'` })) out.push(w.workflowId);
        return out;
      };
      const ids = await eventually(listIds, (l) => l.length >= 50, 20_000, '50 order workflows listed');
      expect(new Set(ids).size).toBe(50);
      expect(ids).toHaveLength(50);
    } finally {
      worker.kill('SIGTERM');
      await exited(worker);
      readModel!.close();
    }
  });
});
