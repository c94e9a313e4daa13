// Workflow code: what each workflow evaluates when it starts, and replay. Orders already running when
// the workflow code changes must replay with the new code: each history in histories/ was recorded by
// the code before a change that uses patched() (workflows/order.ts) and is replayed with today's
// bundle; a change without its patch fails with a non-determinism error.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';
import { ROOT } from '../../worker/config';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

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

  // Recorded by the code before orders carried their code version (bench/e2e-counts.ts --record): patch
  // markers, and touchless decided by an activity. Orders begun since write neither.
  for (const kind of ['edi', 'email']) {
    it(`replays ${kind === 'edi' ? 'an EDI order' : 'a text e-mail order'} routed and decided, recorded before orders carried their code version`, async () => {
      const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, `order-${kind}-before-lean.json`), 'utf8')));
      const patches = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
      expect(patches.length).toBeGreaterThanOrEqual(2);
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: `order-${kind}-before-lean` }, history);
    }, 120_000);
  }

  it('replays a customer coordinator with two decisions, recorded when it restarted its idle timer at each', async () => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, 'customer-before-one-idle-timer.json'), 'utf8')));
    expect(history.events!.filter((e) => e.timerCanceledEventAttributes).length).toBeGreaterThanOrEqual(1);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: 'customer-before-one-idle-timer' }, history);
  }, 120_000);

  it('would not replay them if new orders were told apart without their history (the test can fail)', async () => {
    // Today's workflows, with every order taken as begun with code version 2: old histories then meet
    // no patch markers where they recorded some. Built from a copy of workflows/ beside links to the rest.
    const dir = mkdtempSync(join(tmpdir(), 'aiguillage-versionless-'));
    for (const top of readdirSync(ROOT)) if (top !== 'workflows' && !top.startsWith('.')) symlinkSync(join(ROOT, top), join(dir, top));
    mkdirSync(join(dir, 'workflows'));
    for (const f of readdirSync(join(ROOT, 'workflows'))) symlinkSync(join(ROOT, 'workflows', f), join(dir, 'workflows', f));
    const source = readFileSync(join(ROOT, 'workflows/order.ts'), 'utf8');
    const versionless = source.replace('version: input.codeVersion ?? 0', 'version: 2');
    expect(versionless).not.toBe(source);
    rmSync(join(dir, 'workflows/order.ts'));
    writeFileSync(join(dir, 'workflows/order.ts'), versionless);
    const bundle = await bundleWorkflowCode({ workflowsPath: join(dir, 'workflows/index.ts'), logger: quiet, webpackConfigHook: (c) => ({ ...c, resolve: { ...c.resolve, symlinks: false } }) });
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, 'order-edi-before-lean.json'), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'versionless' }, history)).rejects.toThrow(/[Nn]ondetermin/);
  }, 180_000);
});
