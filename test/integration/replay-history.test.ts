// Orders already running when the workflow code changes must replay with the new code. Each history
// here was recorded by the code before a change that uses patched() (workflows/order.ts) and is
// replayed with today's bundle: a change without its patch fails with a non-determinism error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

const HISTORIES = join(import.meta.dirname, 'histories');

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
