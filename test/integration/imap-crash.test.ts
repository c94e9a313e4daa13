// The mailbox listener as a real process (`worker/mail.ts`), killed with SIGKILL after it
// started intake workflows but before it moved their messages out of INBOX, then started again:
// every message ends in Processed and none becomes a second intake workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, startTemporal, uniqueQueue } from '../support/temporal';
import { ROOT } from '../../worker/config';
import { startDovecot, type Dovecot } from '../../worker/dovecot';
import { orderMail } from '../../scripts/dovecot/messages';
import { DeliveryIndex } from '../../storage/mail-delivery-index';
import { deliveryIndexPath } from '../../channels/email/index';

let env: TestWorkflowEnvironment;
let dovecot: Dovecot;
beforeAll(async () => {
  [env, dovecot] = await Promise.all([startTemporal(), startDovecot({ users: ['commandes'] })]);
});
afterAll(async () => {
  await dovecot?.stop();
  await env?.teardown();
});

/** The number (#12): kill -9 with 300 documents in flight. */
const MESSAGES = 300;

const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.signalCode ?? c.exitCode) : c.once('exit', (code, sig) => r(sig ?? code))));

describe('mail listener crash safety', () => {
  it('creates no duplicate intake when killed between workflow start and MOVE', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-imap-crash-'));
    const taskQueue = uniqueQueue('imap-crash');
    writeFileSync(join(dataDir, 'dovecot.pem'), dovecot.certPem);
    writeFileSync(join(dataDir, 'mailboxes.yaml'), `mailboxes:
  - name: commandes
    host: 127.0.0.1
    port: ${dovecot.imapsPort}
    tls: implicit
    servername: localhost
    caFile: dovecot.pem
    user: commandes
    passwordEnv: TEST_IMAP_PASSWORD
`);
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker/mail.ts')], {
        cwd: ROOT,
        env: { ...process.env, TZ: 'UTC', TEMPORAL_ADDRESS: env.address, AIGUILLAGE_TASK_QUEUE: taskQueue, AIGUILLAGE_DATA: dataDir, AIGUILLAGE_MAILBOXES: join(dataDir, 'mailboxes.yaml'), TEST_IMAP_PASSWORD: dovecot.users[0]!.password, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (d: Buffer) => process.env.TEST_LOG && process.stderr.write(d));
      return child;
    };
    const intakes = async () => Number((await env.client.workflow.count(`TaskQueue = '${taskQueue}' AND WorkflowType = 'intakeDocument'`)).count);
    const processed = async () => {
      const c = await dovecot.client('commandes');
      try {
        const s = await c.status('Processed', { messages: true }).catch(() => false as const);
        return s ? (s.messages ?? 0) : 0;
      } finally {
        await c.logout();
      }
    };

    await dovecot.deliver('commandes', Array.from({ length: MESSAGES }, (_, i) => orderMail(7000 + i, { attachment: i % 2 === 1 }).bytes));
    let child = start();
    await eventually(intakes, (n) => n >= 20, 90_000, 'the listener to start intakes');
    child.kill('SIGKILL');
    expect(await exited(child)).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000)); // visibility catches up with what was started
    const [startedAtKill, movedAtKill] = [await intakes(), await processed()];
    expect(startedAtKill).toBeLessThan(MESSAGES);
    expect(movedAtKill).toBeLessThan(startedAtKill); // workflows started whose messages were still in INBOX

    child = start();
    try {
      await eventually(processed, (n) => n === MESSAGES, 120_000, `all ${MESSAGES} messages in Processed`);
      // Visibility is eventually consistent: the last starts may take a moment to be listed.
      const listIds = async () => {
        const out: string[] = [];
        for await (const w of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = 'intakeDocument'` })) out.push(w.workflowId);
        return out;
      };
      const ids = await eventually(listIds, (l) => l.length >= MESSAGES, 20_000, `${MESSAGES} intake workflows listed`);
      expect(ids).toHaveLength(MESSAGES);
      expect(new Set(ids).size).toBe(MESSAGES);
    } finally {
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0); // a clean stop: the batch in hand is finished first
    }
    const index = new DeliveryIndex(deliveryIndexPath(dataDir));
    expect(index.count()).toBe(MESSAGES);
    index.close();
  });
});
