// Which messages were already submitted, kept in the data folder: Message-ID (and what the author
// wrote) → the sha256 of the bytes we submitted. A second delivery of a message carries other
// transport headers, hence other bytes and another sha256; this index is what recognises it.
import type Database from 'better-sqlite3';
import { openSqlite, type Sqlite } from './sqlite';
import type { DeliveryIdentity } from '../channels/email/message';

export interface KnownDelivery {
  sha256: string;
  mailbox: string;
  firstSeenAt: string;
}

export class DeliveryIndex {
  private db: Sqlite;
  private find: Database.Statement<[string, string], { sha256: string; mailbox: string; first_seen_at: string }>;
  private insert: Database.Statement<[string, string, string, string, string]>;
  private inflight = new Map<string, Promise<string>>();

  constructor(path: string) {
    this.db = openSqlite(path);
    // A process crash loses nothing at NORMAL; a power cut may lose the last entries, and then the
    // same bytes still give the same doc-<sha256>: at worst a re-routed copy is seen as a duplicate order.
    this.db.pragma('synchronous = NORMAL');
    // A message-id reused for different content (some fax gateways do) must not hide the second order,
    // hence the fingerprint in the key; an absent Message-ID is stored as ''.
    this.db.exec(`CREATE TABLE IF NOT EXISTS deliveries (
      message_id TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      mailbox TEXT NOT NULL,
      first_seen_at TEXT NOT NULL,
      PRIMARY KEY (message_id, fingerprint)
    ) WITHOUT ROWID`);
    this.find = this.db.prepare('SELECT sha256, mailbox, first_seen_at FROM deliveries WHERE message_id = ? AND fingerprint = ?');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO deliveries (message_id, fingerprint, sha256, mailbox, first_seen_at) VALUES (?, ?, ?, ?, ?)');
  }

  get(id: DeliveryIdentity): KnownDelivery | null {
    const row = this.find.get(id.messageId ?? '', id.fingerprint);
    return row ? { sha256: row.sha256, mailbox: row.mailbox, firstSeenAt: row.first_seen_at } : null;
  }

  /** The first submission wins; returns what is stored after the call. */
  remember(id: DeliveryIdentity, sha256: string, mailbox: string, at = new Date()): KnownDelivery {
    this.insert.run(id.messageId ?? '', id.fingerprint, sha256, mailbox, at.toISOString());
    return this.get(id)!;
  }

  /**
   * Submits a message once: known → its earlier sha256; being submitted right now by another
   * mailbox or task → waits for that one. Only a successful submission is remembered.
   */
  async once(id: DeliveryIdentity, mailbox: string, submit: () => Promise<string>): Promise<{ sha256: string; duplicate: boolean }> {
    const known = this.get(id);
    if (known) return { sha256: known.sha256, duplicate: true };
    const key = `${id.messageId ?? ''}\u0000${id.fingerprint}`;
    const running = this.inflight.get(key);
    if (running) return { sha256: await running, duplicate: true };
    const p = submit().then((sha256) => this.remember(id, sha256, mailbox).sha256);
    this.inflight.set(key, p);
    try {
      return { sha256: await p, duplicate: false };
    } finally {
      this.inflight.delete(key);
    }
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
