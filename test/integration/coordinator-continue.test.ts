// A customer's coordinator continuing-as-new under load (issue #16): documents placed while its run
// closes are refused by the server ("workflow is closing") and must land on the next run, each
// answered once, none lost, none failed. The coordinator here continues-as-new every 3 decisions, so
// that 60 documents placed 6 at a time meet many closing runs (in production: every 500).
import { describe, expect, it } from 'vitest';
import { eventually, startStack, startTemporal } from '../support/temporal';
import { customerWorkflowId } from '../../workflows/definitions';
import { CUSTOMER_CODE_VERSION, customerWorkflow } from '../../workflows/customer';
import { isClosingRefusal, placementClient, placementRetryOptions, placeWithCoordinator } from '../../activities/coordinator';
import { perKeyLimit } from '../../activities/per-key-limit';
import { slimOrder } from '../../domain/customer-dedup';
import { loadScenarios } from '../../bench/dedup-fixtures';

const DOCUMENTS = 60;

describe('the customer coordinator continuing as new', () => {
  it("retries the server's closing refusal at once, and anything else as the SDK does", () => {
    // The server's words for an update that reached a closing run (gRPC RESOURCE_EXHAUSTED).
    const closing = { code: 8, details: 'MultiOperation could not be executed: Update failed: workflow operation can not be applied because workflow is closing', metadata: undefined as never };
    const overload = { code: 8, details: 'namespace rate limit exceeded', metadata: undefined as never };
    const r = placementRetryOptions();
    expect(isClosingRefusal(closing)).toBe(true);
    expect(isClosingRefusal(overload)).toBe(false);
    expect(r.retryableDecider(1, closing)).toBe(true);
    expect(r.retryableDecider(12, closing)).toBe(true);
    expect(r.delayFunction(1, closing)).toBeLessThanOrEqual(25);
    expect(r.delayFunction(10, closing)).toBeLessThanOrEqual(600);
    // An overload keeps the SDK's backoff (a second and more), and its 10 attempts.
    expect(r.delayFunction(1, overload)).toBeGreaterThanOrEqual(1000);
    expect(r.retryableDecider(10, overload)).toBe(false);
  });


  it('places every document sent while its runs close, each in its own new order', { timeout: 240_000 }, async () => {
    const env = await startTemporal();
    const stack = await startStack(env, 'coordinator-continue');
    try {
      const t = loadScenarios().flatMap((s) => [...s.existing, s.incoming]).find((o) => o.channel === 'edi')!;
      const customerId = t.order.customer.id!;
      const workflowId = customerWorkflowId(customerId, stack.cfg.taskQueue);
      await env.client.workflow.start(customerWorkflow, { workflowId, taskQueue: stack.cfg.taskQueue, args: [{ customerId, decisionsPerRun: 3, codeVersion: CUSTOMER_CODE_VERSION }] });
      // Placements go through a connection of their own, with the retry above.
      expect(placementClient(env.client)).not.toBe(env.client);
      const limit = perKeyLimit(6);
      const receivedAt = new Date().toISOString();
      const placements = await Promise.all(Array.from({ length: DOCUMENTS }, (_, i) => {
        const po = `CAN-${String(i).padStart(4, '0')}`;
        const doc = { sha256: `${'c'.repeat(60)}${String(i).padStart(4, '0')}`, index: 0, channel: 'edi' as const, receivedAt, order: slimOrder({ ...t.order, poNumber: po }) };
        return limit(customerId, () => placeWithCoordinator({ client: env.client, taskQueue: stack.cfg.taskQueue, customerId, doc}));
      }));
      // Each document its own new order: none lost, none answered twice.
      expect(placements.map((p) => p.role)).toEqual(Array(DOCUMENTS).fill('original'));
      expect(new Set(placements.map((p) => p.orderKey)).size).toBe(DOCUMENTS);
      // The runs did change under the load (at least 10 times).
      const runs = async () => {
        const out: string[] = [];
        for await (const w of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) out.push(w.status.name);
        return out;
      };
      // (A run may take more than 3 decisions: updates that arrive together are decided in one task.)
      // Listed as visibility catches up: at least 10 runs continued-as-new, and one (the last) running.
      const seen = await eventually(runs, (r) => r.filter((s) => s === 'CONTINUED_AS_NEW').length >= DOCUMENTS / 6 && r.filter((s) => s === 'RUNNING').length === 1, 30_000, 'the coordinator runs listed');
      expect(seen.filter((s) => s !== 'CONTINUED_AS_NEW' && s !== 'RUNNING')).toEqual([]);
      // The same document again (a retried delivery) gets the same answer from whichever run holds it now.
      const again = await placeWithCoordinator({ client: env.client, taskQueue: stack.cfg.taskQueue, customerId, doc: { sha256: `${'c'.repeat(60)}0007`, index: 0, channel: 'edi', receivedAt, order: slimOrder({ ...t.order, poNumber: 'CAN-0007' }) } });
      expect(again.orderKey).toBe(placements[7]!.orderKey);
    } finally {
      await stack.stop();
      await env.teardown();
    }
  });

  it('finishes once no document came for a whole idle period, after placing the ones that came', { timeout: 120_000 }, async () => {
    const env = await startTemporal();
    const stack = await startStack(env, 'coordinator-idle');
    try {
      const t = loadScenarios().flatMap((s) => [...s.existing, s.incoming]).find((o) => o.channel === 'edi')!;
      const customerId = t.order.customer.id!;
      const workflowId = customerWorkflowId(customerId, stack.cfg.taskQueue);
      // An idle period of about 2 s (0.000025 days).
      const handle = await env.client.workflow.start(customerWorkflow, { workflowId, taskQueue: stack.cfg.taskQueue, args: [{ customerId, idleDays: 0.000025, codeVersion: CUSTOMER_CODE_VERSION }] });
      const receivedAt = new Date().toISOString();
      for (const i of [1, 2]) {
        const doc = { sha256: `${'d'.repeat(63)}${i}`, index: 0, channel: 'edi' as const, receivedAt, order: slimOrder({ ...t.order, poNumber: `IDLE-${i}` }) };
        expect((await placeWithCoordinator({ client: env.client, taskQueue: stack.cfg.taskQueue, customerId, doc })).role).toBe('original');
      }
      await handle.result();
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    } finally {
      await stack.stop();
      await env.teardown();
    }
  });
});
