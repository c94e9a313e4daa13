// Records intake histories with the intake workflow of an earlier commit, for the replay test
// (test/unit/workflows/replay.test.ts): a workflow change guarded by patched() must still replay the
// histories of runs started before it. The old workflow file is taken from git as it was and run on a
// local Temporal dev server; its activities are scripted (the subject is the workflow's commands).
//   TZ=UTC npx tsx scripts/record-replay-histories.ts [commit=6edeb3a^]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { startTemporal, uniqueQueue } from '../test/support/temporal';
import { ROOT } from '../worker/config';

const commit = process.argv[2] ?? '6edeb3a^';
const OUT = join(ROOT, 'fixtures/replay');
// Beside workflows/, so that the old file's relative imports (types only) resolve as they did.
const OLD = join(ROOT, '.replay-old');
rmSync(OLD, { recursive: true, force: true });
mkdirSync(OLD, { recursive: true });
mkdirSync(OUT, { recursive: true });
const rev = execFileSync('git', ['rev-parse', '--short', commit], { cwd: ROOT, encoding: 'utf8' }).trim();
writeFileSync(join(OLD, 'intake.ts'), execFileSync('git', ['show', `${rev}:workflows/intake.ts`], { cwd: ROOT }));

const env = await startTemporal();
try {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: join(OLD, 'intake.ts') });
  const taskQueue = uniqueQueue('record-replay');
  const document = { sha256: 'a'.repeat(64), fileName: 'order.json', channel: 'api' as const, receivedAt: '2026-11-23T08:00:00.000Z' };
  // Each case: what extract and deliverOrders do for the document of that name.
  const CASES: Record<string, { extract: () => unknown; deliver: () => unknown }> = {
    delivered: { extract: () => ({ orderCount: 1, problems: [] }), deliver: () => [{ orderWorkflowId: 'order-C001-P1', poNumber: 'P1', customerId: 'C001' }] },
    'extract-failed': {
      extract: () => {
        throw ApplicationFailure.create({ message: 'reader crashed on this layout', nonRetryable: true });
      },
      deliver: () => [],
    },
    'delivery-failed': {
      extract: () => ({ orderCount: 1, problems: [] }),
      deliver: () => {
        throw ApplicationFailure.create({ message: 'order workflow update refused', nonRetryable: true });
      },
    },
  };
  const caseOf = (sha256: string) => CASES[sha256.split(':')[0]!]!;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: {
      extract: async ({ sha256 }: { sha256: string }) => caseOf(sha256).extract(),
      deliverOrders: async ({ sha256 }: { sha256: string }) => caseOf(sha256).deliver(),
      quarantine: async () => undefined,
    },
  });
  await worker.runUntil(async () => {
    for (const name of Object.keys(CASES)) {
      const workflowId = `replay-intake-${name}`;
      const handle = await env.client.workflow.start('intakeDocument', { taskQueue, workflowId, args: [{ document: { ...document, sha256: `${name}:${document.sha256}` } }] });
      const outcome = await handle.result().then(
        () => 'completed',
        (e: Error) => `failed (${e.message})`,
      );
      const history = await handle.fetchHistory();
      writeFileSync(join(OUT, `intake-${name}.${rev}.json`), `${historyToJSON(history)}\n`);
      console.log(`intake ${name}: ${outcome}, ${history.events?.length} events → fixtures/replay/intake-${name}.${rev}.json`);
    }
  });
} finally {
  await env.teardown();
  rmSync(OLD, { recursive: true, force: true });
}
