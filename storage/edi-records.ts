// The durable record of the EDI channel, in the data folder (SQLite, WAL: the HTTP server, the
// folder watchers and the worker's confirmations may live in different processes):
// interchanges received (for the 30-day duplicate rule and to re-send the same acknowledgment),
// the control numbers we use on our own interchanges, and the confirmations sent.
import { openSqlite, type Sqlite } from './sqlite';
import { checkDuplicateInterchange, DUPLICATE_WINDOW_DAYS, type DuplicateVerdict, type SeenInterchange } from '../channels/edi/duplicates';

export interface SeenRecord extends SeenInterchange {
  standard: 'x12' | 'edifact';
  test: boolean;
}

export interface ConfirmationRecord {
  orderId: string;
  /** 1 for the order's first confirmation, then one more for each change sent after it. */
  seq: number;
  partnerId: string;
  kind: '855' | 'ORDRSP';
  controlNumber: number;
  fileName: string;
  bytes: Buffer;
  createdAt: string;
  /** The line decisions it told the partner (JSON); null for confirmations kept from before they were recorded. */
  decisions: string | null;
}

export class SeenStore {
  private db: Sqlite;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS interchanges (
        partner_id TEXT NOT NULL, control_number TEXT NOT NULL, standard TEXT NOT NULL, test INTEGER NOT NULL,
        sha256 TEXT NOT NULL, received_at TEXT NOT NULL, acks_json TEXT NOT NULL,
        PRIMARY KEY (partner_id, control_number, received_at)
      );
      CREATE INDEX IF NOT EXISTS interchanges_received ON interchanges (received_at);
      CREATE TABLE IF NOT EXISTS control_numbers (partner_id TEXT PRIMARY KEY, last INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS confirmations (
        order_id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, kind TEXT NOT NULL, control_number INTEGER NOT NULL,
        file_name TEXT NOT NULL, bytes BLOB NOT NULL, created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS confirmation_log (
        order_id TEXT NOT NULL, seq INTEGER NOT NULL, partner_id TEXT NOT NULL, kind TEXT NOT NULL, control_number INTEGER NOT NULL,
        file_name TEXT NOT NULL, bytes BLOB NOT NULL, created_at TEXT NOT NULL, decisions_json TEXT,
        PRIMARY KEY (order_id, seq)
      );
      -- One confirmation per order before changes were sent: kept as the first of each order's log.
      INSERT OR IGNORE INTO confirmation_log (order_id, seq, partner_id, kind, control_number, file_name, bytes, created_at, decisions_json)
        SELECT order_id, 1, partner_id, kind, control_number, file_name, bytes, created_at, NULL FROM confirmations;
      DELETE FROM confirmations;
    `);
  }

  /** Interchanges of a partner still inside the duplicate window at `now`. */
  recent(partnerId: string, now: string, windowDays = DUPLICATE_WINDOW_DAYS): SeenRecord[] {
    const since = new Date(Date.parse(now) - windowDays * 86_400_000).toISOString();
    const rows = this.db.prepare('SELECT * FROM interchanges WHERE partner_id = ? AND received_at >= ?').all(partnerId, since) as Record<string, string | number>[];
    return rows.map((r) => ({
      partnerId: String(r.partner_id),
      controlNumber: String(r.control_number),
      standard: r.standard as 'x12' | 'edifact',
      test: Boolean(r.test),
      documentSha256: String(r.sha256),
      receivedAt: String(r.received_at),
      acks: JSON.parse(String(r.acks_json)) as SeenInterchange['acks'],
    }));
  }

  check(partnerId: string, controlNumber: string, receivedAt: string): DuplicateVerdict {
    return checkDuplicateInterchange(this.recent(partnerId, receivedAt), { partnerId, controlNumber, receivedAt });
  }

  record(r: SeenRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO interchanges (partner_id, control_number, standard, test, sha256, received_at, acks_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(r.partnerId, r.controlNumber, r.standard, r.test ? 1 : 0, r.documentSha256, r.receivedAt, JSON.stringify(r.acks));
  }

  /** Drops interchanges older than the window: a control number that old may be reused by the partner. */
  prune(now: string, windowDays = DUPLICATE_WINDOW_DAYS): number {
    const limit = new Date(Date.parse(now) - windowDays * 86_400_000).toISOString();
    return this.db.prepare('DELETE FROM interchanges WHERE received_at < ?').run(limit).changes;
  }

  /**
   * Reserves `count` consecutive control numbers for our interchanges to a partner and returns the
   * first. ISA13 is 9 digits: after 999999999 the sequence starts again at 1.
   */
  reserveControlNumbers(partnerId: string, count: number): number {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT last FROM control_numbers WHERE partner_id = ?').get(partnerId) as { last: number } | undefined;
      const first = ((row?.last ?? 0) % 999_999_999) + 1;
      const last = ((first + Math.max(count, 1) - 2) % 999_999_999) + 1;
      this.db.prepare('INSERT INTO control_numbers (partner_id, last) VALUES (?, ?) ON CONFLICT (partner_id) DO UPDATE SET last = excluded.last').run(partnerId, last);
      return first;
    })();
  }

  /** The order's latest confirmation (its first, or the last change sent). */
  confirmation(orderId: string): ConfirmationRecord | null {
    const r = this.db.prepare('SELECT * FROM confirmation_log WHERE order_id = ? ORDER BY seq DESC LIMIT 1').get(orderId) as Record<string, unknown> | undefined;
    return r ? rowToConfirmation(r) : null;
  }

  /** Every confirmation sent for the order, first first. */
  confirmations(orderId: string): ConfirmationRecord[] {
    return (this.db.prepare('SELECT * FROM confirmation_log WHERE order_id = ? ORDER BY seq').all(orderId) as Record<string, unknown>[]).map(rowToConfirmation);
  }

  /** Keeps the first record of each (order, seq): a retried activity must send the same bytes, not a new number. */
  recordConfirmation(c: ConfirmationRecord): ConfirmationRecord {
    this.db
      .prepare('INSERT OR IGNORE INTO confirmation_log (order_id, seq, partner_id, kind, control_number, file_name, bytes, created_at, decisions_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.orderId, c.seq, c.partnerId, c.kind, c.controlNumber, c.fileName, c.bytes, c.createdAt, c.decisions);
    const r = this.db.prepare('SELECT * FROM confirmation_log WHERE order_id = ? AND seq = ?').get(c.orderId, c.seq) as Record<string, unknown>;
    return rowToConfirmation(r);
  }

  close(): void {
    this.db.close();
  }
}

function rowToConfirmation(r: Record<string, unknown>): ConfirmationRecord {
  return {
    orderId: String(r.order_id),
    seq: Number(r.seq),
    partnerId: String(r.partner_id),
    kind: r.kind as ConfirmationRecord['kind'],
    controlNumber: Number(r.control_number),
    fileName: String(r.file_name),
    bytes: r.bytes as Buffer,
    createdAt: String(r.created_at),
    decisions: r.decisions_json === null || r.decisions_json === undefined ? null : String(r.decisions_json),
  };
}
