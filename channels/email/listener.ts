// One IMAP mailbox read as a queue: every message in INBOX is submitted to the pipeline (intake
// workflow doc-<sha256>, receipt time = INTERNALDATE), then moved to Processed — or to Quarantine
// when it cannot be submitted at all. Safe to kill at any point: what is still in INBOX is done
// again, and the delivery index and doc-<sha256> make "again" a no-op.
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Logger } from 'pino';
import type { Ingestor } from '../../intake/submit';
import { describeMailbox, type MailboxConfig } from './config';
import type { DeliveryIndex } from '../../storage/mail-delivery-index';
import { backoffMs, deliveryIdentity, messageFileName, nextBatch, onlyRequested, quarantineKeyword, refuseBeforeSubmit, refusalNotice, uidSet, type QuarantineReason } from './message';

export interface ListenerOptions {
  /** Messages looked at per round trip. */
  batchSize?: number;
  /** Submissions in flight at once (store + workflow start). */
  concurrency?: number;
  /** Bytes of message sources held in memory at once. */
  fetchBytes?: number;
  /** IDLE starts this long after the last command; imapflow's 15 s default would delay every notice. */
  autoIdleDelayMs?: number;
}

export interface ListenerStats {
  submitted: number;
  duplicates: number;
  quarantined: number;
  retried: number;
  connections: number;
  connectionFailures: number;
}

export type Outcome =
  | { kind: 'submitted'; uid: number; sha256: string; messageId: string | null }
  | { kind: 'duplicate'; uid: number; sha256: string; messageId: string | null }
  | { kind: 'quarantine'; uid: number; reason: QuarantineReason; detail: string; about: MessageFacts }
  | { kind: 'retry'; uid: number; error: string };

/** What the envelope says of a message: kept in the refusal notice of one we do not submit. */
export interface MessageFacts {
  messageId: string | null;
  from: string | null;
  subject: string | null;
  receivedAt: string | null;
  size: number | null;
}

function factsOf(m: FetchMessageObject): MessageFacts {
  const date = m.internalDate ? new Date(m.internalDate) : null;
  return {
    messageId: m.envelope?.messageId ?? null,
    from: m.envelope?.from?.[0]?.address ?? null,
    subject: m.envelope?.subject ?? null,
    receivedAt: date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
    size: m.size ?? null,
  };
}

export interface MailboxListenerEvents {
  /** After each message's fate is known (and, for submitted ones, the intake workflow started). */
  onOutcome?(o: Outcome): void;
  /** Just before message sources are fetched (tests use it to break the connection mid-fetch). */
  onFetch?(uids: number[]): void;
}

type Submitter = Pick<Ingestor, 'submit'>;

export class MailboxListener {
  readonly stats: ListenerStats = { submitted: 0, duplicates: 0, quarantined: 0, retried: 0, connections: 0, connectionFailures: 0 };
  /** For /healthz: connected now, or why the last session ended. */
  state: { connected: boolean; lastError: string | null } = { connected: false, lastError: null };

  get name(): string {
    return this.mb.name;
  }
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wakeFlag = false;
  private wakeUp: (() => void) | null = null;
  private log: Logger;
  private opts: Required<ListenerOptions>;

  constructor(
    private mb: MailboxConfig,
    private ingestor: Submitter,
    private index: DeliveryIndex,
    log: Logger,
    opts: ListenerOptions = {},
    private events: MailboxListenerEvents = {},
  ) {
    this.log = log.child({ mailbox: mb.name });
    this.opts = { batchSize: 200, concurrency: 64, fetchBytes: 32 * 1024 * 1024, autoIdleDelayMs: 200, ...opts };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Finishes the batch in hand (submissions and moves), then logs out. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  private wake(): void {
    this.wakeFlag = true;
    this.wakeUp?.();
  }

  private async pause(ms: number): Promise<void> {
    if (!this.wakeFlag && !this.stopping) {
      await new Promise<void>((res) => {
        const t = setTimeout(res, ms);
        this.wakeUp = () => {
          clearTimeout(t);
          res();
        };
      });
    }
    this.wakeUp = null;
    this.wakeFlag = false;
  }

  private newClient(): ImapFlow {
    const m = this.mb;
    const client = new ImapFlow({
      host: m.host,
      port: m.port,
      secure: m.tls === 'implicit',
      doSTARTTLS: m.tls === 'starttls' ? true : m.tls === 'none' ? false : undefined,
      servername: m.servername,
      auth: { user: m.user, pass: m.password },
      tls: { ca: m.ca ? [m.ca] : undefined, minVersion: 'TLSv1.2' },
      autoIdleDelay: this.opts.autoIdleDelayMs,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
      disableCompression: ['127.0.0.1', 'localhost', '::1'].includes(m.host),
      logger: imapLogger(this.log),
      clientInfo: { name: 'aiguillage' },
    });
    // Without a listener an 'error' event would crash the process; the loop below reacts to 'close'.
    client.on('error', (e: Error) => this.log.warn({ ...describeMailbox(m), error: e.message }, 'IMAP connection error'));
    client.on('exists', () => this.wake());
    client.on('close', () => this.wake());
    return client;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      // A closed ImapFlow never reconnects: every session gets a new client.
      const client = this.newClient();
      try {
        await client.connect();
        this.stats.connections++;
        this.state = { connected: true, lastError: null };
        this.log.info({ ...describeMailbox(this.mb) }, 'connected to mailbox');
        for (const folder of [this.mb.processed, this.mb.quarantine]) await client.mailboxCreate(folder).catch((e: Error & { serverResponseCode?: string }) => {
          if (e.serverResponseCode !== 'ALREADYEXISTS') throw e;
        });
        let failedRounds = 0;
        while (!this.stopping && client.usable) {
          // The lock is held only while draining: imapflow starts IDLE (new-mail notices) only when free.
          const lock = await client.getMailboxLock(this.mb.inbox);
          let retries: number;
          try {
            ({ retries } = await this.drain(client));
          } finally {
            lock.release();
          }
          attempt = 0;
          failedRounds = retries ? failedRounds + 1 : 0;
          await this.pause(retries ? backoffMs(failedRounds - 1) : this.mb.pollSeconds * 1000);
        }
        this.state = { connected: false, lastError: 'connection closed by the server' };
        if (!this.stopping) this.log.warn({ ...describeMailbox(this.mb) }, 'mailbox connection closed by the server; reconnecting');
      } catch (e) {
        this.stats.connectionFailures++;
        const err = e as Error & { authenticationFailed?: boolean; responseText?: string };
        const why = err.authenticationFailed ? `authentication refused for ${this.mb.user}` : (err.responseText ?? err.message);
        this.state = { connected: false, lastError: why };
        this.log.warn({ ...describeMailbox(this.mb), error: why, attempt }, 'mailbox session ended; reconnecting');
      } finally {
        if (client.usable) await client.logout().catch(() => client.close());
        else client.close();
      }
      if (!this.stopping) await this.sleepUnlessStopped(backoffMs(attempt++));
    }
  }

  /** Back-off between sessions: a closing client's events must not cut it short, only stop() does. */
  private async sleepUnlessStopped(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopping && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }

  /** NOOP, SEARCH, process, move — again until the INBOX holds nothing we can act on. */
  async drain(client: ImapFlow): Promise<{ retries: number }> {
    const giveUpThisRound = new Set<number>();
    let retries = 0;
    while (!this.stopping && client.usable) {
      // Mail delivered by another session only shows up in this one after a command.
      await client.noop();
      const found = (await client.search({ deleted: false }, { uid: true })) || [];
      const batch = nextBatch(found, giveUpThisRound, this.opts.batchSize);
      if (batch.length === 0) break;
      const metas = onlyRequested(batch, await client.fetchAll(uidSet(batch), { uid: true, size: true, internalDate: true, envelope: true }, { uid: true }));
      const missing = new Set(batch);
      for (const m of metas) missing.delete(m.uid);
      for (const uid of missing) giveUpThisRound.add(uid); // gone meanwhile (another client took it)

      const outcomes: Outcome[] = [];
      const readable: FetchMessageObject[] = [];
      for (const m of metas) {
        const refused = refuseBeforeSubmit(m.size, this.mb.maxMessageBytes);
        if (refused) outcomes.push(this.outcome({ kind: 'quarantine', uid: m.uid, ...refused, about: factsOf(m) }));
        else readable.push(m);
      }
      // Sources are fetched whole (fetchAll) before any submission: an IMAP command issued while a
      // fetch stream is being iterated would deadlock the connection.
      for (const chunk of bySize(readable, this.opts.fetchBytes)) {
        const uids = chunk.map((m) => m.uid);
        this.events.onFetch?.(uids);
        const sources = new Map(onlyRequested(uids, await client.fetchAll(uidSet(uids), { uid: true, source: true }, { uid: true })).map((m) => [m.uid, m.source]));
        outcomes.push(...(await pool(chunk, this.opts.concurrency, (m) => this.handle(m, sources.get(m.uid)))));
      }
      const unsettled = await this.settle(client, outcomes);
      for (const o of outcomes) {
        if (o.kind === 'retry' || unsettled.has(o.uid)) {
          giveUpThisRound.add(o.uid);
          retries++;
        }
      }
    }
    return { retries };
  }

  private async handle(m: FetchMessageObject, source: Buffer | undefined): Promise<Outcome> {
    const uid = m.uid;
    if (!source) return this.outcome({ kind: 'retry', uid, error: 'the server did not return this message (moved away meanwhile?)' });
    if (source.length === 0) return this.outcome({ kind: 'quarantine', uid, reason: 'empty', detail: 'the server returned no content', about: factsOf(m) });
    const id = deliveryIdentity(source);
    const env = m.envelope;
    const internalDate = m.internalDate ? new Date(m.internalDate) : null;
    const receivedAt = internalDate && !Number.isNaN(internalDate.getTime()) ? internalDate : new Date();
    const context: Record<string, string> = { mailbox: this.mb.name };
    if (id.messageId) context.messageId = id.messageId;
    const from = env?.from?.[0]?.address;
    if (from) context.from = from;
    if (env?.subject) context.subject = env.subject;
    try {
      const r = await this.index.once(id, this.mb.name, async () => {
        const s = await this.ingestor.submit(source, { fileName: messageFileName(env?.subject), channel: 'email', receivedAt: receivedAt.toISOString(), context });
        return s.sha256;
      });
      this.log.info({ uid, messageId: id.messageId, sha256: r.sha256, workflowId: `doc-${r.sha256}`, duplicate: r.duplicate }, r.duplicate ? 'message already submitted (another delivery of it)' : 'message submitted');
      return this.outcome({ kind: r.duplicate ? 'duplicate' : 'submitted', uid, sha256: r.sha256, messageId: id.messageId });
    } catch (e) {
      const err = e as Error;
      // The store refuses what it cannot describe (schema); anything else (Temporal or disk away) passes.
      if (err.name === 'ZodError') return this.outcome({ kind: 'quarantine', uid, reason: 'rejected', detail: `the document store refused it: ${err.message.slice(0, 300)}`, about: factsOf(m) });
      this.log.warn({ uid, messageId: id.messageId, error: err.message }, 'message could not be submitted yet; it stays in the inbox');
      return this.outcome({ kind: 'retry', uid, error: err.message });
    }
  }

  private outcome(o: Outcome): Outcome {
    if (o.kind === 'submitted') this.stats.submitted++;
    else if (o.kind === 'duplicate') this.stats.duplicates++;
    else if (o.kind === 'retry') this.stats.retried++;
    this.events.onOutcome?.(o);
    return o;
  }

  /**
   * Moves the batch out of INBOX: one MOVE for all processed ones, one per quarantine reason. A message
   * is quarantined only once its refusal notice is in the pipeline (stored, with its intake workflow),
   * so that it shows in Aiguillage's quarantine list; when that fails it stays in INBOX for the next
   * round. Returns the UIDs left there.
   */
  private async settle(client: ImapFlow, outcomes: Outcome[]): Promise<Set<number>> {
    const done = outcomes.filter((o) => o.kind === 'submitted' || o.kind === 'duplicate').map((o) => o.uid);
    if (done.length) await client.messageMove(uidSet(done), this.mb.processed, { uid: true });
    const unsettled = new Set<number>();
    const byReason = new Map<QuarantineReason, Outcome[]>();
    const uidValidity = client.mailbox ? String(client.mailbox.uidValidity) : null;
    for (const o of outcomes) {
      if (o.kind !== 'quarantine') continue;
      const notice = refusalNotice({ mailbox: this.mb.name, folder: this.mb.quarantine, uid: o.uid, uidValidity, reason: o.reason, detail: o.detail, ...o.about });
      try {
        const r = await this.ingestor.submit(notice.bytes, { fileName: notice.fileName, channel: 'email', receivedAt: o.about.receivedAt ?? new Date().toISOString(), context: { mailbox: this.mb.name, notice: 'mail-refused' } });
        this.log.info({ uid: o.uid, sha256: r.sha256, reason: o.reason }, 'refusal notice submitted: the message shows in the quarantine list');
      } catch (e) {
        this.log.warn({ uid: o.uid, reason: o.reason, error: (e as Error).message }, 'refusal notice could not be submitted yet; the message stays in the inbox');
        unsettled.add(o.uid);
        continue;
      }
      byReason.set(o.reason, [...(byReason.get(o.reason) ?? []), o]);
    }
    for (const [reason, list] of byReason) {
      const set = uidSet(list.map((o) => o.uid));
      for (const o of list) if (o.kind === 'quarantine') this.log.error({ uid: o.uid, reason, detail: o.detail, folder: this.mb.quarantine }, 'message quarantined: it cannot be submitted');
      await client.messageFlagsAdd(set, [quarantineKeyword(reason)], { uid: true });
      await client.messageMove(set, this.mb.quarantine, { uid: true });
      this.stats.quarantined += list.length;
    }
    return unsettled;
  }
}

/** Consecutive groups whose announced sizes stay within the budget (a single large message stands alone). */
function bySize(list: FetchMessageObject[], budget: number): FetchMessageObject[][] {
  const out: FetchMessageObject[][] = [];
  let cur: FetchMessageObject[] = [];
  let bytes = 0;
  for (const m of list) {
    if (cur.length && bytes + (m.size ?? 0) > budget) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(m);
    bytes += m.size ?? 0;
  }
  if (cur.length) out.push(cur);
  return out;
}

async function pool<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/** imapflow's own log, reduced to warnings: its debug lines would carry protocol traffic. */
function imapLogger(log: Logger) {
  const drop = () => undefined;
  const pass = (level: 'warn' | 'error') => (o: { msg?: string; err?: Error }) => log[level]({ imap: o.msg, error: o.err?.message }, 'imapflow');
  return { debug: drop, info: drop, trace: drop, warn: pass('warn'), error: pass('error'), fatal: pass('error') };
}
