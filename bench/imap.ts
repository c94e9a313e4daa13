// Email channel speed, extraction excluded (no worker: an intake counts once its workflow started):
//   - throughput: 1,000 messages waiting in INBOX, listener started → all submitted and moved;
//   - latency: 200 messages delivered one by one over LMTP → their intake workflow started
//     (IDLE notice, NOOP, SEARCH, FETCH, store, workflow start), p50 / p95.
// Run: TZ=UTC npx tsx bench/imap.ts [messages=1000] [latencySamples=200]
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTemporal, quietLog, uniqueQueue } from '../test/support/temporal';
import { startDovecot } from '../worker/dovecot';
import { orderMail } from '../scripts/dovecot/messages';
import { DocumentStore } from '../storage/document-store';
import { Ingestor } from '../intake/submit';
import { startMailChannel } from '../channels/email/index';
import type { MailboxConfig } from '../channels/email/config';
import type { Outcome } from '../channels/email/listener';

const TARGET = { p95Ms: 1500, perSecond: 200 };
const N = Number(process.argv[2] ?? 1000);
const SAMPLES = Number(process.argv[3] ?? 200);
const CONCURRENCY = Number(process.env.MAIL_CONCURRENCY ?? 64); // submissions in flight (listener option)

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const env = await startTemporal();
const dovecot = await startDovecot({ users: ['debit', 'latence'] });
try {
  const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-bench-imap-'));
  const store = new DocumentStore(dataDir);
  const ingestor = new Ingestor(store, env.client, uniqueQueue('bench-imap'), quietLog);
  let submitMs = 0;
  const timed = { submit: async (...a: Parameters<Ingestor['submit']>) => { const t = performance.now(); try { return await ingestor.submit(...a); } finally { submitMs += performance.now() - t; } } };
  const mailbox = (user: string): MailboxConfig => ({
    name: user, host: '127.0.0.1', port: dovecot.imapsPort, tls: 'implicit', user, password: dovecot.users.find((u) => u.name === user)!.password,
    ca: dovecot.certPem, servername: 'localhost', inbox: 'INBOX', processed: 'Processed', quarantine: 'Quarantine', maxMessageBytes: 10_000_000, pollSeconds: 60,
  });

  // Throughput.
  const mails = Array.from({ length: N }, (_, i) => orderMail(i, { attachment: i % 2 === 0 }).bytes);
  let t = performance.now();
  for (let i = 0; i < N; i += 250) await dovecot.deliver('debit', mails.slice(i, i + 250));
  const lmtpS = (performance.now() - t) / 1000;
  let done = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((r) => (allDone = r));
  t = performance.now();
  let channel = startMailChannel({ mailboxes: [mailbox('debit')], ingestor: timed, dataDir, log: quietLog, options: { concurrency: CONCURRENCY }, events: { onOutcome: () => ++done === N && allDone() } });
  await finished;
  const submittedS = (performance.now() - t) / 1000;
  const c = await dovecot.client('debit');
  while (((await c.status('INBOX', { messages: true })) || { messages: 1 }).messages! > 0) await new Promise((r) => setTimeout(r, 20));
  const movedS = (performance.now() - t) / 1000;
  await c.logout();
  await channel.stop();

  // The listener's own ceiling: the same, with the document stored but no workflow started.
  const storeOnly = new DocumentStore(mkdtempSync(join(tmpdir(), 'aiguillage-bench-imap-store-')));
  for (let i = 0; i < N; i += 250) await dovecot.deliver('debit', mails.slice(i, i + 250));
  done = 0;
  const finished2 = new Promise<void>((r) => (allDone = r));
  t = performance.now();
  channel = startMailChannel({
    mailboxes: [mailbox('debit')],
    ingestor: {
      async submit(bytes, s) {
        const { meta } = await storeOnly.put(bytes, { ...s, mediaType: 'message/rfc822', context: s.context ?? {} });
        return { status: 'accepted' as const, sha256: meta.sha256, intakeWorkflowId: `doc-${meta.sha256}`, meta };
      },
    },
    dataDir: mkdtempSync(join(tmpdir(), 'aiguillage-bench-imap-idx-')),
    log: quietLog,
    events: { onOutcome: () => ++done === N && allDone() },
  });
  await finished2;
  const listenerOnlyS = (performance.now() - t) / 1000;
  await channel.stop();

  // Baseline: workflow starts alone at the same concurrency, no IMAP and no store — the ceiling
  // the dev server on this machine leaves to any channel.
  const queue = uniqueQueue('bench-start');
  let next = 0;
  t = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) {
      const i = next++;
      await env.client.workflow.start('intakeDocument', { workflowId: `bench-start-${queue}-${i}`, taskQueue: queue, args: [{ document: { sha256: String(i).padStart(64, '0'), fileName: 'x.eml', channel: 'email', receivedAt: new Date().toISOString() } }] });
    }
  }));
  const startOnlyS = (performance.now() - t) / 1000;

  // Latency.
  const sent = new Map<string, number>();
  const lat: number[] = [];
  let got!: () => void;
  const all = new Promise<void>((r) => (got = r));
  channel = startMailChannel({
    mailboxes: [mailbox('latence')], ingestor, dataDir, log: quietLog,
    events: { onOutcome: (o: Outcome) => {
      if (o.kind !== 'submitted' || !o.messageId) return;
      lat.push(performance.now() - sent.get(o.messageId)!);
      if (lat.length === SAMPLES) got();
    } },
  });
  await new Promise((r) => setTimeout(r, 500)); // connected and idle
  for (let i = 0; i < SAMPLES; i++) {
    const m = orderMail(100_000 + i);
    sent.set(m.messageId!, performance.now());
    await dovecot.deliver('latence', m.bytes);
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
  }
  await all;
  await channel.stop();

  const perS = N / submittedS;
  console.log(`IMAP listener bench — concurrency ${CONCURRENCY}, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}, Temporal dev server + Dovecot on this machine, no worker`);
  console.log(`  LMTP delivery (setup)       ${N} messages in ${lmtpS.toFixed(2)} s (${(N / lmtpS).toFixed(0)}/s)`);
  console.log(`  throughput, submitted       ${N} in ${submittedS.toFixed(2)} s = ${perS.toFixed(0)} msg/s   (target ≥ ${TARGET.perSecond}/s: ${perS >= TARGET.perSecond ? 'met' : 'MISSED'})`);
  console.log(`  throughput, moved           INBOX empty after ${movedS.toFixed(2)} s = ${(N / movedS).toFixed(0)} msg/s`);
  console.log(`  baseline: workflow.start only ${N} in ${startOnlyS.toFixed(2)} s = ${(N / startOnlyS).toFixed(0)} starts/s   (same concurrency; the listener's submitted rate above is ${((perS / (N / startOnlyS)) * 100).toFixed(0)} % of it)`);
  console.log(`  listener + store, no Temporal ${N} in ${listenerOnlyS.toFixed(2)} s = ${(N / listenerOnlyS).toFixed(0)} msg/s   (the IMAP side's own ceiling)`);
  console.log(`  time inside Ingestor.submit ${(submitMs / N).toFixed(1)} ms per message (sum over concurrent calls)`);
  console.log(`  latency delivery → intake   p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms, max ${Math.max(...lat).toFixed(0)} ms over ${lat.length}   (target p95 ≤ ${TARGET.p95Ms} ms: ${pct(lat, 95) <= TARGET.p95Ms ? 'met' : 'MISSED'})`);
} finally {
  await dovecot.stop();
  await env.teardown();
}
