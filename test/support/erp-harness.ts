// The harness the ERP integration tests share: a Tryton of the file's own (a copy of the demo
// database, test/support/tryton.ts) and a Temporal dev server, started together before the file's
// tests and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTestTryton, type TestTryton } from './tryton';
import { startTemporal } from './temporal';

export interface ErpHarness {
  readonly tryton: TestTryton;
  readonly env: TestWorkflowEnvironment;
}

/** Registers the file's beforeAll/afterAll; the fields are there once beforeAll has run. */
export function useTrytonAndTemporal(): ErpHarness {
  const h = {} as { tryton: TestTryton; env: TestWorkflowEnvironment };
  beforeAll(async () => {
    [h.tryton, h.env] = await Promise.all([startTestTryton(), startTemporal()]);
  }, 30 * 60_000);
  afterAll(async () => {
    await h.tryton?.stop();
    await h.env?.teardown();
  });
  return h;
}
