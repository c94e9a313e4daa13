// Kill -9 of each process with documents in flight, then a restart: every document becomes its
// order once — 0 lost, 0 duplicated. Real processes, real kills, against real dev servers:
// the worker; the Temporal dev server itself (restarted on its SQLite file, as `start` runs it);
// and `start --no-dev-server` (HTTP server, watched folder and worker in one process).
// The 300-document run of the same is `npm run bench:crash`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, quietLog, startTemporal, testConfig, uniqueQueue } from '../support/temporal';
import { connect, exited, freePort, orderDocuments, routedSoFar, settle, spawnDevServer, spawnStack, spawnWorker } from '../support/crash';
import { DocumentStore } from '../../storage/document-store';
import { Ingestor } from '../../intake/submit';
import type { IntakeResult } from '../../workflows/definitions';

const N = 40;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

describe('crash safety (kill -9, then restart)', () => {
  it('the worker: nothing lost, nothing duplicated', async () => {
    const cfg = testConfig(env, 'crash');
    const ingestor = new Ingestor(new DocumentStore(cfg.dataDir), env.client, cfg.taskQueue, quietLog);
    const workerEnv = { TEMPORAL_ADDRESS: cfg.temporalAddress, AIGUILLAGE_TASK_QUEUE: cfg.taskQueue, AIGUILLAGE_DATA: cfg.dataDir };
    let worker = spawnWorker(workerEnv);
    const docs = orderDocuments(N, 'CRASH-W');
    const shas: string[] = [];
    for (const d of docs) shas.push((await ingestor.submit(d.bytes, { fileName: 'crash.order.json', channel: 'api', receivedAt: new Date().toISOString() })).sha256);

    const atKill = await eventually(() => routedSoFar(cfg.dataDir), (n) => n >= 3, 90_000, 'the worker to make progress');
    worker.kill('SIGKILL');
    expect(await exited(worker)).toBe('SIGKILL');
    expect(atKill).toBeLessThan(N); // killed in the middle, not after the end

    worker = spawnWorker(workerEnv);
    try {
      const results = await Promise.all(shas.map((s) => env.client.workflow.getHandle(`doc-${s}`).result() as Promise<IntakeResult>));
      expect(results.every((r) => r.status === 'delivered' && r.orders.length === 1)).toBe(true);
      const t = await settle(env.client, cfg.taskQueue, cfg.dataDir, docs.map((d) => d.po), 90_000);
      expect(t).toMatchObject({ orders: N, lost: [], duplicated: [], workflows: N });
    } finally {
      worker.kill('SIGTERM');
      await exited(worker);
    }
  });

  it('the Temporal dev server: restarted on its SQLite file, nothing lost, nothing duplicated', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-crash-dev-'));
    const [port, httpPort] = [await freePort(), await freePort()];
    const db = join(dataDir, 'temporal.sqlite');
    let dev = await spawnDevServer(db, port, httpPort);
    const taskQueue = uniqueQueue('crash-dev');
    const worker = spawnWorker({ TEMPORAL_ADDRESS: dev.address, AIGUILLAGE_TASK_QUEUE: taskQueue, AIGUILLAGE_DATA: dataDir });
    let client = await connect(dev.address);
    try {
      const ingestor = new Ingestor(new DocumentStore(dataDir), client, taskQueue, quietLog);
      const docs = orderDocuments(N, 'CRASH-D');
      for (const d of docs) await ingestor.submit(d.bytes, { fileName: 'crash.order.json', channel: 'api', receivedAt: new Date().toISOString() });

      const atKill = await eventually(() => routedSoFar(dataDir), (n) => n >= 3, 90_000, 'the worker to make progress');
      dev.child.kill('SIGKILL');
      expect(await exited(dev.child)).toBe('SIGKILL');
      expect(atKill).toBeLessThan(N);
      await client.connection.close();

      dev = await spawnDevServer(db, port, httpPort);
      client = await connect(dev.address);
      // The worker reconnects by itself; every document was recorded before the kill.
      const t = await settle(client, taskQueue, dataDir, docs.map((d) => d.po), 150_000);
      expect(t).toMatchObject({ orders: N, lost: [], duplicated: [], workflows: N });
      // And submitting them all again after the restart starts nothing new.
      const again = new Ingestor(new DocumentStore(dataDir), client, taskQueue, quietLog);
      for (const d of docs.slice(0, 5)) expect((await again.submit(d.bytes, { fileName: 'again.order.json', channel: 'api', receivedAt: new Date().toISOString() })).status).toBe('already-received');
    } finally {
      worker.kill('SIGTERM');
      await exited(worker);
      await client.connection.close().catch(() => undefined);
      dev.child.kill('SIGTERM');
      await exited(dev.child);
    }
  });

  it('the HTTP + watched folder + worker process (`start --no-dev-server`): every dropped file once', async () => {
    const cfg = testConfig(env, 'crash-stack');
    const inbox = join(cfg.dataDir, 'inbox');
    mkdirSync(inbox, { recursive: true });
    const docs = orderDocuments(N, 'CRASH-S');
    docs.forEach((d, i) => writeFileSync(join(inbox, `po-${String(i + 1).padStart(3, '0')}.order.json`), d.bytes));
    const stackEnv = {
      TEMPORAL_ADDRESS: cfg.temporalAddress, AIGUILLAGE_TASK_QUEUE: cfg.taskQueue, AIGUILLAGE_DATA: cfg.dataDir, AIGUILLAGE_INBOX: inbox,
      AIGUILLAGE_HTTP_PORT: String(await freePort()), AIGUILLAGE_PARTNERS: '', AIGUILLAGE_MAILBOXES: '',
    };
    let stack = spawnStack(stackEnv);
    const pending = () => readdirSync(inbox).filter((n) => !n.startsWith('.')).length;
    try {
      await eventually(() => routedSoFar(cfg.dataDir), (n) => n >= 3, 120_000, 'the stack to make progress');
      stack.kill('SIGKILL');
      expect(await exited(stack)).toBe('SIGKILL');
      expect(routedSoFar(cfg.dataDir)).toBeLessThan(N);

      stack = spawnStack(stackEnv);
      const t = await settle(env.client, cfg.taskQueue, cfg.dataDir, docs.map((d) => d.po), 150_000);
      expect(t).toMatchObject({ orders: N, lost: [], duplicated: [], workflows: N });
      await eventually(pending, (n) => n === 0, 30_000, 'the inbox emptied');
      expect(existsSync(join(inbox, '.done'))).toBe(true);
      const intakes = Number((await env.client.workflow.count(`TaskQueue = '${cfg.taskQueue}' AND WorkflowType = 'intakeDocument'`)).count);
      expect(intakes).toBe(N);
    } finally {
      stack.kill('SIGTERM');
      await exited(stack);
    }
  });
});
