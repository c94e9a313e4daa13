// Workflow code: what each workflow evaluates when it starts, and replay. Orders already running when
// the workflow code changes must replay with the new code: each history in histories/ was recorded by
// the code before a change that uses patched() (workflows/order.ts) and is replayed with today's
// bundle; a change without its patch fails with a non-determinism error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

const HISTORIES = join(import.meta.dirname, 'histories');

describe('the workflow bundle', () => {
  // Every workflow evaluates the modules of the bundle it uses when it starts (three per order): the
  // readers' schemas and resolution stay out of it (domain/po-limits.ts, domain/signals.ts).
  it('holds no zod schemas and no reader code', async () => {
    const { code } = await workflowBundle();
    expect(code).not.toContain('./node_modules/zod/');
    expect(code).not.toContain('./domain/resolve.ts');
    expect(code).not.toContain('./domain/order.ts');
    expect(code).toContain('./domain/order-state.ts');
  }, 120_000);
});

describe('recorded order histories', () => {
  it('replays an EDI order routed, at risk and late, recorded before it wrote less before its route', async () => {
    const json = JSON.parse(readFileSync(join(HISTORIES, 'order-edi-before-fewer-writes.json'), 'utf8'));
    const history = historyFromJSON(json);
    // Recorded by the old code: the 'received' state had its own publication (a local activity marker).
    const markers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(markers.length).toBeGreaterThanOrEqual(3);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: 'order-edi-before-fewer-writes' }, history);
  }, 120_000);
});
