// Never lose a document from view: each way an intake can fail, forced against the real dev server
// with the real activities (dependencies handed in, nothing mocked): a reader that throws, one that
// hangs, a full disk when the extraction is kept, the extraction lost before delivery, OCR past the
// reading deadline. Each ends in the quarantine with its code, and a retry once the cause is fixed
// ends delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, quietLog, startStack, startTemporal, type TestStack } from '../support/temporal';
import { DocumentStore } from '../../storage/document-store';
import { extractDocument, failedExtraction } from '../../parsers/index';
import { problem } from '../../domain/order';
import { READER_BUSY } from '../../activities/extract-runner';
import { closeSharedOcrPool } from '../../parsers/ocr/index';
import { ROOT } from '../../worker/config';
import { listQuarantine, retryIntake, RetryRefused, type QuarantineDeps } from '../../intake/quarantine';
import { buildHttpServer } from '../../http/server';
import type { IntakeResult } from '../../workflows/definitions';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTemporal();
});
afterAll(async () => {
  await closeSharedOcrPool();
  await env?.teardown();
});

const order = (po: string) => Buffer.from(JSON.stringify({ customerId: 'C001', poNumber: po, orderDate: '2026-11-23', lines: [{ sku: 'VIS-440', quantity: 10 }] }));
const result = (sha: string) => env.client.workflow.getHandle(`doc-${sha}`).result() as Promise<IntakeResult>;
const depsOf = (stack: TestStack): QuarantineDeps => ({ store: stack.store, readModel: stack.readModel, client: env.client, taskQueue: stack.cfg.taskQueue, log: quietLog });

/** Quarantined with `code`; the same bytes sent again are "already received"; a retry once fixed delivers. */
async function quarantinedThenRetried(stack: TestStack, sha: string, code: string, fix: () => void): Promise<void> {
  const failed = await result(sha);
  expect(failed.status).toBe('quarantined');
  expect(failed.problems[0]!.code).toBe(code);
  const listed = (await listQuarantine(depsOf(stack))).find((q) => q.sha256 === sha);
  expect(listed?.problems[0]?.code).toBe(code);

  fix();
  await retryIntake(depsOf(stack), sha, 'test:claire');
  const delivered = await result(sha);
  expect(delivered.status).toBe('delivered');
  expect(delivered.orders).toHaveLength(1);
  await eventually(() => stack.readModel.list({ query: sha }), (l) => l.length === 1, 60_000, 'the order in the read model');
  expect((await listQuarantine(depsOf(stack))).some((q) => q.sha256 === sha)).toBe(false);
  expect(stack.readModel.quarantineRecord(sha)?.retries).toEqual([expect.objectContaining({ by: 'test:claire' })]);
  // Delivered: nothing left to retry.
  await expect(retryIntake(depsOf(stack), sha, 'test:claire')).rejects.toMatchObject({ kind: 'delivered' });
}

describe('an intake that cannot complete ends in the quarantine', () => {
  it('a reader that throws: EXTRACTION_FAILED with its message; retried once fixed', async () => {
    let broken = true;
    const stack = await startStack(env, 'fail-throw', {
      activityDeps: {
        extractDocument: async (bytes, meta, md) => {
          if (broken) throw new Error('reader crashed on this layout');
          return extractDocument(bytes, meta, md);
        },
      },
    });
    try {
      const r = await stack.ingestor.submit(order('FAIL-THROW-1'), { fileName: 'throws.order.json', channel: 'api', receivedAt: '2026-11-23T08:00:00Z' });
      const failed = await result(r.sha256);
      expect(failed.problems[0]!.message).toContain('reader crashed on this layout');
      // Sending the same bytes again still says "already received" (and points at the quarantine).
      expect((await stack.ingestor.submit(order('FAIL-THROW-1'), { fileName: 'again.order.json', channel: 'api', receivedAt: '2026-11-23T08:05:00Z' })).status).toBe('already-received');
      await quarantinedThenRetried(stack, r.sha256, 'EXTRACTION_FAILED', () => (broken = false));
      // What `aiguillage retry` calls: refused with the reason once the document is delivered.
      const token = 'retry-token-retry-token-retry-token-0001';
      const app = buildHttpServer({ cfg: { ...stack.cfg, apiToken: token }, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog });
      const authorization = `Bearer ${token}`;
      try {
        const again = await app.inject({ method: 'POST', url: `/api/documents/${r.sha256}/retry`, payload: { by: 'cli:test' }, headers: { authorization } });
        expect(again.statusCode).toBe(409);
        expect(again.json().error).toContain('already delivered');
        expect((await app.inject({ method: 'POST', url: `/api/documents/${'0'.repeat(64)}/retry`, payload: {}, headers: { authorization } })).statusCode).toBe(404);
        const listed = await app.inject({ method: 'GET', url: '/api/quarantine', headers: { authorization } });
        expect(listed.json().some((q: { sha256: string }) => q.sha256 === r.sha256)).toBe(false);
      } finally {
        await app.close();
      }
    } finally {
      await stack.stop();
    }
  });

  it('a reader the busy machine stopped (READER_BUSY): read again by Temporal, delivered, never quarantined', async () => {
    let calls = 0;
    const stack = await startStack(env, 'fail-busy', {
      activityDeps: {
        extractDocument: async (bytes, meta, md) => {
          calls++;
          if (calls === 1) return failedExtraction(meta, problem(READER_BUSY, `${meta.fileName}: not read yet, the machine was too busy`, 'error', meta.fileName));
          return extractDocument(bytes, meta, md);
        },
      },
    });
    try {
      const r = await stack.ingestor.submit(order('FAIL-BUSY-1'), { fileName: 'busy.order.json', channel: 'api', receivedAt: '2026-11-23T08:00:00Z' });
      const done = await result(r.sha256);
      expect(done.status).toBe('delivered');
      expect(calls).toBe(2);
      expect((await listQuarantine(depsOf(stack))).some((q) => q.sha256 === r.sha256)).toBe(false);
    } finally {
      await stack.stop();
    }
  });

  it('a reader that hangs: abandoned at its deadline, EXTRACTION_FAILED; a retry while one runs is refused', async () => {
    let hang = true;
    const stack = await startStack(env, 'fail-hang', {
      activityDeps: {
        extractDeadlineMs: 1500,
        extractDocument: (bytes, meta, md) => (hang ? new Promise(() => undefined) : extractDocument(bytes, meta, md)),
      },
    });
    try {
      const r = await stack.ingestor.submit(order('FAIL-HANG-1'), { fileName: 'hangs.order.json', channel: 'api', receivedAt: '2026-11-23T08:00:00Z' });
      const refused = await retryIntake(depsOf(stack), r.sha256, 'test:claire').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RetryRefused);
      expect((refused as RetryRefused).kind).toBe('running');
      const failed = await result(r.sha256);
      expect(failed.problems[0]!.message).toMatch(/reading took more than 1\.5 s/);
      await quarantinedThenRetried(stack, r.sha256, 'EXTRACTION_FAILED', () => (hang = false));
    } finally {
      await stack.stop();
    }
  });

  it('an intake stopped by hand in Temporal: listed as INTAKE_FAILED, and retried', async () => {
    let hang = true;
    const stack = await startStack(env, 'fail-terminated', { activityDeps: { extractDocument: (bytes, meta, md) => (hang ? new Promise(() => undefined) : extractDocument(bytes, meta, md)) } });
    try {
      const r = await stack.ingestor.submit(order('FAIL-TERM-1'), { fileName: 'terminated.order.json', channel: 'api', receivedAt: '2026-11-23T08:00:00Z' });
      await env.client.workflow.getHandle(r.intakeWorkflowId).terminate('stopped by an operator');
      const listed = await eventually(() => listQuarantine(depsOf(stack)), (l) => l.some((q) => q.sha256 === r.sha256), 30_000, 'the terminated intake listed');
      const entry = listed.find((q) => q.sha256 === r.sha256)!;
      expect(entry).toMatchObject({ fileName: 'terminated.order.json', channel: 'api' });
      expect(entry.problems[0]!.code).toBe('INTAKE_FAILED');
      expect(entry.problems[0]!.message).toContain('terminated');
      hang = false;
      await retryIntake(depsOf(stack), r.sha256, 'test:claire');
      expect((await result(r.sha256)).status).toBe('delivered');
      expect((await listQuarantine(depsOf(stack))).some((q) => q.sha256 === r.sha256)).toBe(false);
    } finally {
      await stack.stop();
    }
  });

  it('a full disk when the extraction is kept: EXTRACTION_FAILED naming ENOSPC; retried once space is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-full-'));
    const disk = { full: true };
    // The store the activities write through: its result write fails as a full disk does.
    class FullDiskStore extends DocumentStore {
      override async putResult(hash: string, value: unknown): Promise<void> {
        if (disk.full) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${hash}.result.json'`), { code: 'ENOSPC' });
        return super.putResult(hash, value);
      }
    }
    const stack = await startStack(env, 'fail-disk', { cfg: { dataDir, inboxDir: join(dataDir, 'inbox') }, activityDeps: { store: new FullDiskStore(dataDir) } });
    try {
      const r = await stack.ingestor.submit(order('FAIL-DISK-1'), { fileName: 'disk.order.json', channel: 'api', receivedAt: '2026-11-23T08:00:00Z' });
      expect((await result(r.sha256)).problems[0]!.message).toContain('ENOSPC');
      await quarantinedThenRetried(stack, r.sha256, 'EXTRACTION_FAILED', () => (disk.full = false));
    } finally {
      await stack.stop();
    }
  });

  it('the reading kept for delivery lost after extraction: DELIVERY_FAILED at once, saying what; the document stays in view; retried', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-lost-'));
    const disk = { losing: true };
    // The real store; the extraction it keeps is then really deleted, as a clean-up run or a replaced disk would.
    class LosingStore extends DocumentStore {
      override async putResult(hash: string, value: unknown): Promise<void> {
        await super.putResult(hash, value);
        if (disk.losing) await unlink(join(this.root, 'documents', hash.slice(0, 2), `${hash}.result.json`));
      }
    }
    const stack = await startStack(env, 'fail-deliver', { cfg: { dataDir, inboxDir: join(dataDir, 'inbox') }, activityDeps: { store: new LosingStore(dataDir) } });
    try {
      const r = await stack.ingestor.submit(order('FAIL-DELIVER-1'), { fileName: 'lost.order.json', channel: 'api', receivedAt: '2026-11-23T08:00:00Z' });
      const failed = await result(r.sha256);
      expect(failed.problems[0]!.message).toMatch(/^its orders could not be handed to their order workflows after its retries: the reading kept for this document is missing or damaged \(ENOENT/);
      expect(failed.orders).toEqual([]);
      // Visible with its reason where people look: the workspace's quarantine (read model).
      expect(stack.readModel.quarantineRecord(r.sha256)).toMatchObject({ fileName: 'lost.order.json', problems: [expect.objectContaining({ code: 'DELIVERY_FAILED', severity: 'error' })] });
      await quarantinedThenRetried(stack, r.sha256, 'DELIVERY_FAILED', () => (disk.losing = false));
    } finally {
      await stack.stop();
    }
  });

  it('OCR of a fax past the reading deadline: EXTRACTION_FAILED; retried with time enough, the fax is read', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-ocr-'));
    const cfg = { dataDir, inboxDir: join(dataDir, 'inbox'), taskQueue: `fail-ocr-${process.pid}-${Date.now()}` };
    const fax = readFileSync(join(ROOT, 'fixtures/fax/dupont-fine.tif'));
    // The real OCR engine, given 50 ms a document: no fax page is read that fast.
    let stack = await startStack(env, 'fail-ocr', { cfg, activityDeps: { extractDeadlineMs: 50 } });
    let sha: string;
    try {
      sha = (await stack.ingestor.submit(fax, { fileName: 'dupont-fine.tif', channel: 'fax', receivedAt: '2026-11-23T08:00:00Z' })).sha256;
      const failed = await result(sha);
      expect(failed.status).toBe('quarantined');
      expect(failed.problems[0]).toMatchObject({ code: 'EXTRACTION_FAILED' });
      expect(failed.problems[0]!.message).toContain('reading took more than 0.05 s');
    } finally {
      await stack.stop();
    }
    // The cause fixed: a worker with the default deadline on the same queue and data.
    stack = await startStack(env, 'fail-ocr', { cfg });
    try {
      await retryIntake(depsOf(stack), sha, 'test:claire');
      const delivered = await result(sha);
      expect(delivered.status).toBe('delivered');
      expect(delivered.orders[0]!.customerId).not.toBeNull();
      expect((await listQuarantine(depsOf(stack))).some((q) => q.sha256 === sha)).toBe(false);
    } finally {
      await stack.stop();
    }
  });
});
