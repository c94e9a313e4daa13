// The email channel against a real Dovecot (LMTP delivery, IMAPS and STARTTLS) and the real Temporal
// dev server: every message becomes exactly one intake workflow and leaves the INBOX, whatever
// happens to the mail server or the mailbox in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, quietLog, startStack, startTemporal, uniqueQueue } from '../support/temporal';
import { startDovecot, type Dovecot } from '../../worker/dovecot';
import { orderMail } from '../../scripts/dovecot/messages';
import { startMailChannel, type MailChannel } from '../../channels/email/index';
import type { MailboxConfig } from '../../channels/email/config';
import type { ListenerOptions, MailboxListenerEvents } from '../../channels/email/listener';
import { DocumentStore } from '../../storage/document-store';
import { Ingestor } from '../../intake/submit';

let env: TestWorkflowEnvironment;
let dovecot: Dovecot;
beforeAll(async () => {
  [env, dovecot] = await Promise.all([startTemporal(), startDovecot({ users: ['commandes', 'fax', 'panne', 'migration', 'volume'] })]);
});
afterAll(async () => {
  await dovecot?.stop();
  await env?.teardown();
});

function mailbox(user: string, over: Partial<MailboxConfig> = {}): MailboxConfig {
  const u = dovecot.users.find((x) => x.name === user)!;
  return {
    name: user, host: '127.0.0.1', port: dovecot.imapsPort, tls: 'implicit', user, password: u.password, ca: dovecot.certPem, servername: 'localhost',
    inbox: 'INBOX', processed: 'Processed', quarantine: 'Quarantine', maxMessageBytes: 10_000_000, pollSeconds: 60, ...over,
  };
}

/** Message counts per folder; null while the server is down (the tests kill it). */
async function folders(user: string): Promise<{ inbox: number; processed: number; quarantine: number } | null> {
  const c = await dovecot.client(user).catch(() => null);
  if (!c) return null;
  try {
    const n = async (p: string) => {
      const s = await c.status(p, { messages: true }).catch(() => false as const);
      return s ? (s.messages ?? 0) : 0;
    };
    return { inbox: await n('INBOX'), processed: await n('Processed'), quarantine: await n('Quarantine') };
  } finally {
    await c.logout().catch(() => c.close());
  }
}

async function intakeIds(taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = 'intakeDocument'` })) ids.push(w.workflowId);
  return ids;
}

/** An ingestor without a worker: intakes are started (what the listener owes), not run. */
function bareIngestor(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `aiguillage-${name}-`));
  const taskQueue = uniqueQueue(name);
  const store = new DocumentStore(dataDir);
  return { dataDir, taskQueue, store, ingestor: new Ingestor(store, env.client, taskQueue, quietLog) };
}

function listen(mailboxes: MailboxConfig[], ingestor: Ingestor, dataDir: string, options: ListenerOptions = {}, events: MailboxListenerEvents = {}): MailChannel {
  return startMailChannel({ mailboxes, ingestor, dataDir, log: quietLog, options, events });
}

describe('email channel (IMAP listener)', () => {
  it('submits each message once with its INTERNALDATE and context, then files it away', async () => {
    const stack = await startStack(env, 'imap');
    const channel = listen([mailbox('commandes', { port: dovecot.imapPort, tls: 'starttls', maxMessageBytes: 200_000 }), mailbox('fax')], stack.ingestor, stack.cfg.dataDir);
    try {
      const mails = [0, 1, 2, 3].map((i) => orderMail(i, { attachment: i % 2 === 0 }));
      const noId = orderMail(4, { messageId: false });
      await dovecot.deliver('commandes', [...mails.map((m) => m.bytes), noId.bytes]);
      // The same messages again, as a second MTA hop would hand them over: other Received headers.
      await dovecot.deliver('commandes', [mails[0]!.bytes, noId.bytes]);
      await dovecot.deliver('fax', mails[1]!.bytes); // sent to both of our addresses
      const appended = orderMail(5);
      await dovecot.append('commandes', 'INBOX', appended.bytes, { internalDate: new Date('2026-11-20T08:15:00Z') });
      const scan = Buffer.from(`${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4'}\r\n`.repeat(4000));
      await dovecot.deliver('commandes', Buffer.concat([orderMail(6).bytes, scan])); // ~300 kB, above this mailbox's limit

      await eventually(() => folders('commandes'), (f) => !!f && f.inbox === 0 && f.processed === 8 && f.quarantine === 1, 60_000, 'commandes INBOX emptied');
      await eventually(() => folders('fax'), (f) => !!f && f.inbox === 0 && f.processed === 1, 60_000, 'fax INBOX emptied');
      const all = await eventually(() => intakeIds(stack.cfg.taskQueue), (l) => l.length >= 7, 30_000, '7 intakes');
      // 4 + the one without Message-ID + the appended one + the refusal notice of the oversized one.
      expect(all).toHaveLength(7);
      const allMetas = await Promise.all(all.map((id) => stack.store.meta(id.replace(/^doc-/, ''))));
      const notices = allMetas.filter((m) => m.context.notice === 'mail-refused');
      expect(notices.map((m) => [m.mediaType, m.context.mailbox])).toEqual([['application/vnd.aiguillage.notice+json', 'commandes']]);
      const ids = all.filter((_, i) => allMetas[i]!.context.notice === undefined);

      const metas = await Promise.all(ids.map((id) => stack.store.meta(id.replace(/^doc-/, ''))));
      expect(metas.every((m) => m.channel === 'email')).toBe(true);
      const a = metas.find((m) => m.context.messageId === appended.messageId)!;
      expect(a.receivedAt).toBe('2026-11-20T08:15:00.000Z');
      expect(a.context).toEqual({ mailbox: 'commandes', messageId: appended.messageId, from: 'jean@dupont-quincaillerie.fr', subject: `Commande n° ${appended.poNumber}` });
      expect(a.fileName).toBe(`Commande n° ${appended.poNumber}.eml`);
      expect(metas.filter((m) => !m.context.messageId)).toHaveLength(1);

      const c = await dovecot.client('commandes');
      try {
        await c.mailboxOpen('Quarantine');
        const [q] = await c.fetchAll('1:*', { flags: true, envelope: true });
        expect([...q!.flags!]).toContain('Aiguillage-too-large');
      } finally {
        await c.logout();
      }
      expect(channel.index.count()).toBe(6);
      // The worker runs them: each intake ends (an order or a quarantine), none hangs.
      const results = await Promise.all(all.map((id) => env.client.workflow.getHandle(id).result() as Promise<{ status: string }>));
      expect(results.every((r) => r.status === 'delivered' || r.status === 'quarantined')).toBe(true);
      // The oversized message is in Aiguillage's quarantine list, with why and where it waits.
      const q = stack.readModel.quarantined().find((r) => r.sha256 === notices[0]!.sha256)!;
      expect(q.problems.map((p) => [p.code, p.where])).toEqual([['MAIL_TOO_LARGE', expect.stringMatching(/^commandes \/ Quarantine, UID \d+ \(UIDVALIDITY \d+\)$/)]]);
      expect(q.problems[0]!.message).toContain('above the 200000-byte limit of this mailbox');
    } finally {
      await channel.stop();
      await stack.stop();
    }
  });

  it('processes every message exactly once when Dovecot is killed mid-fetch and mid-batch', async () => {
    const { dataDir, taskQueue, ingestor } = bareIngestor('imap-kill');
    const mails = Array.from({ length: 240 }, (_, i) => orderMail(1000 + i, { attachment: true }));
    // Padding makes each fetch long enough to be cut in the middle.
    await dovecot.deliver('panne', mails.map((m) => Buffer.concat([m.bytes, Buffer.from(`\r\n${'Conditions générales de vente jointes. '.repeat(600)}\r\n`)])));
    let fetches = 0;
    let outcomes = 0;
    let kills = 0;
    const killThenRestart = () => {
      kills++;
      void dovecot.kill().then(() => new Promise((r) => setTimeout(r, 300))).then(() => dovecot.restart());
    };
    const channel = listen([mailbox('panne')], ingestor, dataDir, { batchSize: 40, concurrency: 8 }, {
      onFetch: () => {
        if (++fetches === 3) setTimeout(killThenRestart, 5); // the FETCH response is streaming by then
      },
      onOutcome: () => {
        if (++outcomes === 150) killThenRestart(); // submissions done, MOVE not yet sent
      },
    });
    try {
      await eventually(() => folders('panne'), (f) => !!f && f.inbox === 0 && f.processed === 240, 120_000, 'every message processed');
      expect(kills).toBe(2);
      const stats = channel.listeners[0]!.stats;
      expect(stats.connections).toBeGreaterThanOrEqual(3);
      expect(stats.duplicates).toBeGreaterThan(0); // submitted before a kill, found again in INBOX after it
      expect(stats.submitted + stats.duplicates).toBeGreaterThan(240);
      const ids = await eventually(() => intakeIds(taskQueue), (l) => l.length >= 240, 30_000, '240 intakes');
      expect(new Set(ids).size).toBe(240);
      expect(ids).toHaveLength(240);
      expect(channel.index.count()).toBe(240);
    } finally {
      await channel.stop();
    }
  });

  it('does not process a message twice when the mailbox is recreated with a new UIDVALIDITY', async () => {
    const { dataDir, taskQueue, ingestor } = bareIngestor('imap-uidvalidity');
    const first = Array.from({ length: 10 }, (_, i) => orderMail(2000 + i));
    await dovecot.deliver('migration', first.map((m) => m.bytes));
    let channel = listen([mailbox('migration')], ingestor, dataDir);
    await eventually(() => folders('migration'), (f) => !!f && f.inbox === 0 && f.processed === 10, 60_000, 'first 10 processed');
    await channel.stop();
    const before = await uidValidity('migration');

    // The mailbox is restored elsewhere: same messages, new UIDs, new UIDVALIDITY, and 3 new ones.
    // (Dovecot's UIDVALIDITY is a time in seconds: a mailbox recreated within the same second keeps it.)
    await new Promise((r) => setTimeout(r, 1100));
    await dovecot.wipeMailbox('migration');
    await dovecot.deliver('migration', [...first, ...Array.from({ length: 3 }, (_, i) => orderMail(2100 + i))].map((m) => m.bytes));
    expect(await uidValidity('migration')).not.toBe(before);
    channel = listen([mailbox('migration')], ingestor, dataDir);
    try {
      await eventually(() => folders('migration'), (f) => !!f && f.inbox === 0 && f.processed === 13, 60_000, 'restored mailbox processed');
      expect(channel.listeners[0]!.stats).toMatchObject({ submitted: 3, duplicates: 10 });
      const ids = await eventually(() => intakeIds(taskQueue), (l) => l.length >= 13, 30_000, '13 intakes');
      expect(ids).toHaveLength(13);
    } finally {
      await channel.stop();
    }
  });

  it('turns 1,000 delivered messages into 1,000 intake workflows', async () => {
    const { dataDir, taskQueue, ingestor } = bareIngestor('imap-volume');
    const channel = listen([mailbox('volume')], ingestor, dataDir);
    try {
      for (let from = 0; from < 1000; from += 250) await dovecot.deliver('volume', Array.from({ length: 250 }, (_, k) => orderMail(5000 + from + k, { attachment: (from + k) % 3 === 0 }).bytes));
      await eventually(() => folders('volume'), (f) => !!f && f.inbox === 0 && f.processed === 1000, 120_000, '1,000 messages processed');
      const n = await eventually(async () => Number((await env.client.workflow.count(`TaskQueue = '${taskQueue}' AND WorkflowType = 'intakeDocument'`)).count), (c) => c >= 1000, 30_000, '1,000 intakes');
      expect(n).toBe(1000);
      expect(channel.listeners[0]!.stats).toMatchObject({ submitted: 1000, duplicates: 0, quarantined: 0 });
    } finally {
      await channel.stop();
    }
  });
});

async function uidValidity(user: string): Promise<bigint> {
  const c = await dovecot.client(user);
  try {
    const s = await c.status('INBOX', { uidValidity: true });
    return (s || { uidValidity: 0n }).uidValidity!;
  } finally {
    await c.logout();
  }
}
