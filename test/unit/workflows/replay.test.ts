// Histories recorded with the intake workflow as it was before its patched('intake-quarantines-failures')
// change (fixtures/replay, made by scripts/record-replay-histories.ts from commit 4392d00) replay with
// today's workflow code: a run started before a deploy finishes after it. A run that failed then must
// fail again on replay, never quarantine: without the patched() guard, replay breaks, as the last test
// shows with the guard taken out.
import { readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../../support/temporal';
import { ROOT } from '../../../worker/config';

const DIR = join(ROOT, 'fixtures/replay');
const histories = readdirSync(DIR).filter((f) => f.startsWith('intake-') && f.endsWith('.json'));
const history = (file: string) => historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

describe('intake histories of the previous workflow code', () => {
  it('are all there: a delivered intake, a failed reading, a failed delivery', () => {
    expect(histories.map((f) => f.split('.')[0]).sort()).toEqual(['intake-delivered', 'intake-delivery-failed', 'intake-extract-failed']);
  });

  for (const file of histories) {
    it(`${file} replays with today's code`, { timeout: 180_000 }, async () => {
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, history(file));
    });
  }

  it('would not replay without the patched() guard (the test can fail)', { timeout: 180_000 }, async () => {
    // Today's intake with the guard taken out: a failed reading now always quarantines.
    const source = readFileSync(join(ROOT, 'workflows/intake.ts'), 'utf8');
    const unguarded = source.replaceAll('if (!patched(QUARANTINE_FAILURES)) throw e;', '');
    expect(unguarded).not.toBe(source);
    const dir = mkdtempSync(join(tmpdir(), 'aiguillage-unguarded-'));
    writeFileSync(join(dir, 'intake.ts'), unguarded);
    const bundle = await bundleWorkflowCode({
      workflowsPath: join(dir, 'intake.ts'),
      logger: quiet,
      webpackConfigHook: (c) => ({ ...c, resolve: { ...c.resolve, modules: [join(ROOT, 'node_modules'), 'node_modules'] } }),
    });
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'unguarded' }, history(histories.find((f) => f.startsWith('intake-extract-failed'))!))).rejects.toThrow(/[Nn]ondetermin/);
  });
});
