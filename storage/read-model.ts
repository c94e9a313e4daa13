// The read model: what the inbox, the dashboard and `orders` read. Temporal stays the source of truth;
// activities project each order state here idempotently (a state is applied only if its revision is
// newer), so it can be rebuilt from Temporal at any time. SQLite by default.
import type { Statement } from 'better-sqlite3';
import { openSqlite, type Sqlite } from './sqlite';
import type { OrderState } from '../domain/order-model';
import type { QuarantineRecord } from './document-store';
import type { Order, Problem } from '../domain/order';

export interface OrderFilter {
  status?: string;
  team?: string;
  agent?: string;
  customerId?: string;
  /** Free text: PO number, customer id or name, order id, document hash or file name. */
  query?: string;
  /** Only orders routed to one of these teams (an agent's view). */
  teams?: string[];
  limit?: number;
  /** Rows to skip (paging: `orders` reads everything, page by page). */
  offset?: number;
}

/** A past order's PO and its lines' SKUs and quantities: what anomaly detection compares a new order with. */
export interface PastLines {
  poNumber: string | null;
  lines: { sku: string | null; quantity: number | null }[];
}

/** What the ERP said of an order when last read: its portfolio classes (open orders) and its sales order's state (entered ones). */
export interface ErpView {
  classes: string[];
  state: string | null;
  shipmentState: string | null;
  invoiceState: string | null;
  readAt: string;
}

export class ReadModel {
  private db: Sqlite;
  /** Prepared once: preparing a statement costs more than running it. */
  private applyState!: (state: OrderState) => boolean;
  private customerLinesQuery!: Statement<[string, number]>;

  /** `readonly`: an existing read model, only read (replays, reports): nothing is created or changed. */
  constructor(path: string, opts: { readonly?: boolean } = {}) {
    this.db = openSqlite(path, opts);
    if (opts.readonly) return;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS orders (
        order_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, status TEXT NOT NULL, customer_id TEXT, customer_name TEXT,
        po_number TEXT, team TEXT, agent TEXT, received_at TEXT NOT NULL, due_at TEXT, entered_at TEXT,
        updated_at TEXT NOT NULL, state_json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS orders_due ON orders(due_at);
      CREATE INDEX IF NOT EXISTS orders_team ON orders(team, status);
      CREATE INDEX IF NOT EXISTS orders_customer ON orders(customer_id, due_at);
      CREATE TABLE IF NOT EXISTS order_documents (
        sha256 TEXT NOT NULL, order_id TEXT NOT NULL, file_name TEXT, channel TEXT, role TEXT, PRIMARY KEY (sha256, order_id));
      CREATE TABLE IF NOT EXISTS sandbox (
        id TEXT PRIMARY KEY, sha256 TEXT, file_name TEXT, received_at TEXT, order_json TEXT, problems_json TEXT);
      CREATE TABLE IF NOT EXISTS quarantine (
        sha256 TEXT PRIMARY KEY, file_name TEXT, channel TEXT, received_at TEXT, quarantined_at TEXT, problems_json TEXT);
    `);
    // What the ERP says of each order, read by erp/watch.ts: not order state (Temporal's), a view beside it.
    this.db.exec(`CREATE TABLE IF NOT EXISTS erp_view (
        order_id TEXT PRIMARY KEY, classes_json TEXT NOT NULL, state TEXT, shipment_state TEXT, invoice_state TEXT, read_at TEXT NOT NULL)`);
    // Retries and release (a retried document delivered at last) came later: added to older files.
    const columns = new Set((this.db.prepare('PRAGMA table_info(quarantine)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('retries_json')) this.db.exec("ALTER TABLE quarantine ADD COLUMN retries_json TEXT NOT NULL DEFAULT '[]'");
    if (!columns.has('released_at')) this.db.exec('ALTER TABLE quarantine ADD COLUMN released_at TEXT');
    // When the ERP view last said something new (read_at moves on every pass): the live inbox's stamp.
    const erpColumns = new Set((this.db.prepare('PRAGMA table_info(erp_view)').all() as { name: string }[]).map((c) => c.name));
    if (!erpColumns.has('changed_at')) this.db.exec("ALTER TABLE erp_view ADD COLUMN changed_at TEXT NOT NULL DEFAULT ''");
    this.prepareStatements();
  }

  /** Apply a state if it is newer than what we have. Returns true when applied. */
  upsert(state: OrderState): boolean {
    return this.applyState(state);
  }

  private prepareStatements(): void {
    const order = this.db.prepare(
      `INSERT INTO orders (order_id, revision, status, customer_id, customer_name, po_number, team, agent, received_at, due_at, entered_at, updated_at, state_json)
       VALUES (@order_id, @revision, @status, @customer_id, @customer_name, @po_number, @team, @agent, @received_at, @due_at, @entered_at, @updated_at, @state_json)
       ON CONFLICT(order_id) DO UPDATE SET revision=excluded.revision, status=excluded.status, customer_id=excluded.customer_id,
         customer_name=excluded.customer_name, po_number=excluded.po_number, team=excluded.team, agent=excluded.agent,
         received_at=excluded.received_at, due_at=excluded.due_at, entered_at=excluded.entered_at, updated_at=excluded.updated_at,
         state_json=excluded.state_json
       WHERE excluded.revision > orders.revision`,
    );
    const document = this.db.prepare('INSERT OR REPLACE INTO order_documents (sha256, order_id, file_name, channel, role) VALUES (?, ?, ?, ?, ?)');
    // One transaction: the order and its documents together, one commit (one fsync) per state.
    this.applyState = this.db.transaction((state: OrderState): boolean => {
      const last = state.history[state.history.length - 1];
      const res = order.run({
        order_id: state.orderId,
        revision: state.revision,
        status: state.status,
        customer_id: state.customerId,
        customer_name: state.order.customer.name,
        po_number: state.poNumber,
        team: state.route?.team ?? null,
        agent: state.claimedBy ?? state.route?.agent ?? null,
        received_at: state.sla.receivedAt,
        due_at: state.sla.dueAt,
        entered_at: state.sla.enteredAt,
        updated_at: last?.at ?? state.sla.receivedAt,
        state_json: JSON.stringify(state),
      });
      if (res.changes > 0) for (const d of state.documents) document.run(d.sha256, state.orderId, d.fileName, d.channel, d.role);
      return res.changes > 0;
    });
    this.customerLinesQuery = this.db.prepare(
      `SELECT po_number AS po, (SELECT json_group_array(json_object('sku', json_extract(l.value, '$.sku'), 'quantity', json_extract(l.value, '$.quantity')))
         FROM json_each(state_json, '$.order.lines') AS l) AS lines
       FROM orders WHERE customer_id = ? ORDER BY due_at IS NULL, due_at, received_at, order_id LIMIT ?`,
    );
  }

  /**
   * The lines of a customer's orders, in the order `list` gives them, read from the stored states
   * without parsing them whole (delivering an order reads this for every order delivered).
   */
  customerLines(customerId: string, limit: number): PastLines[] {
    const rows = this.customerLinesQuery.all(customerId, Math.max(1, Math.min(limit, 100000))) as { po: string | null; lines: string | null }[];
    return rows.map((r) => ({ poNumber: r.po, lines: r.lines ? (JSON.parse(r.lines) as PastLines['lines']) : [] }));
  }

  /** Records what the ERP says of an order; true when it says something new (then the live inbox refreshes). */
  recordErpView(orderId: string, v: ErpView): boolean {
    const classes = JSON.stringify(v.classes);
    const was = this.db.prepare('SELECT classes_json, state, shipment_state, invoice_state FROM erp_view WHERE order_id = ?').get(orderId) as { classes_json: string; state: string | null; shipment_state: string | null; invoice_state: string | null } | undefined;
    const same = was !== undefined && was.classes_json === classes && was.state === v.state && was.shipment_state === v.shipmentState && was.invoice_state === v.invoiceState;
    if (same) {
      this.db.prepare('UPDATE erp_view SET read_at = ? WHERE order_id = ?').run(v.readAt, orderId);
      return false;
    }
    // A stamp that only grows, even if the clock does not between two passes.
    const last = (this.db.prepare("SELECT coalesce(max(changed_at), '') AS c FROM erp_view").get() as { c: string }).c;
    const changedAt = v.readAt > last ? v.readAt : `${last}+`;
    this.db
      .prepare('INSERT OR REPLACE INTO erp_view (order_id, classes_json, state, shipment_state, invoice_state, read_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(orderId, classes, v.state, v.shipmentState, v.invoiceState, v.readAt, changedAt);
    return true;
  }

  /** Every order's ERP view (portfolio classes, sales order state), by order ID. */
  erpViews(): Map<string, ErpView> {
    const rows = this.db.prepare('SELECT order_id, classes_json, state, shipment_state, invoice_state, read_at FROM erp_view').all() as { order_id: string; classes_json: string; state: string | null; shipment_state: string | null; invoice_state: string | null; read_at: string }[];
    return new Map(rows.map((r) => [r.order_id, { classes: JSON.parse(r.classes_json) as string[], state: r.state, shipmentState: r.shipment_state, invoiceState: r.invoice_state, readAt: r.read_at }]));
  }

  /** Orders received since an instant (ISO), oldest first: what `touchless replay` replays. */
  receivedSince(since: string): OrderState[] {
    const t = Date.parse(since);
    return (this.db.prepare('SELECT state_json FROM orders ORDER BY received_at').all() as { state_json: string }[])
      .map((r) => JSON.parse(r.state_json) as OrderState)
      .filter((s) => Date.parse(s.sla.receivedAt) >= t);
  }

  /** Orders of a customer received before an instant, other than one (is this their first order?). */
  countEarlier(customerId: string, receivedAt: string, exceptOrderId: string): number {
    const t = Date.parse(receivedAt);
    const rows = this.db.prepare('SELECT received_at FROM orders WHERE customer_id = ? AND order_id != ?').all(customerId, exceptOrderId) as { received_at: string }[];
    return rows.filter((r) => Date.parse(r.received_at) < t).length;
  }

  get(orderId: string): OrderState | null {
    const row = this.db.prepare('SELECT state_json FROM orders WHERE order_id = ?').get(orderId) as { state_json: string } | undefined;
    return row ? (JSON.parse(row.state_json) as OrderState) : null;
  }

  list(f: OrderFilter = {}): OrderState[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    const eq: [keyof OrderFilter, string][] = [['status', 'status'], ['team', 'team'], ['agent', 'agent'], ['customerId', 'customer_id']];
    for (const [key, column] of eq) {
      if (f[key] === undefined || f[key] === '') continue;
      where.push(`${column} = @${key}`);
      args[key] = f[key];
    }
    if (f.teams) {
      f.teams.forEach((t, i) => (args[`team${i}`] = t));
      where.push(f.teams.length ? `team IN (${f.teams.map((_, i) => `@team${i}`).join(', ')})` : '0');
    }
    if (f.query) {
      args.q = `%${f.query.trim()}%`;
      where.push(`(po_number LIKE @q OR customer_id LIKE @q OR customer_name LIKE @q OR order_id LIKE @q
        OR order_id IN (SELECT order_id FROM order_documents WHERE sha256 LIKE @q OR file_name LIKE @q))`);
    }
    const sql = `SELECT state_json FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY due_at IS NULL, due_at, received_at, order_id LIMIT ${Math.max(1, Math.min(f.limit ?? 1000, 100000))} OFFSET ${Number.isFinite(f.offset) ? Math.max(0, Math.floor(f.offset!)) : 0}`;
    return (this.db.prepare(sql).all(args) as { state_json: string }[]).map((r) => JSON.parse(r.state_json) as OrderState);
  }

  /**
   * What the dashboard needs: every open order, and the closed ones received, due or entered since
   * `since` (ISO). Optionally restricted to teams.
   */
  activeSince(since: string, teams?: string[]): OrderState[] {
    const args: Record<string, unknown> = { since };
    let teamClause = '';
    if (teams) {
      teams.forEach((t, i) => (args[`team${i}`] = t));
      teamClause = teams.length ? `AND team IN (${teams.map((_, i) => `@team${i}`).join(', ')})` : 'AND 0';
    }
    const sql = `SELECT state_json FROM orders WHERE (status IN ('received', 'extracted', 'needs-review', 'routed')
      OR received_at >= @since OR due_at >= @since OR entered_at >= @since) ${teamClause}`;
    return (this.db.prepare(sql).all(args) as { state_json: string }[]).map((r) => JSON.parse(r.state_json) as OrderState);
  }

  /** Changes whenever an order state or a quarantine record is applied: the live inbox polls it. */
  changeStamp(): string {
    const o = this.db.prepare('SELECT count(*) AS n, coalesce(sum(revision), 0) AS r, coalesce(max(updated_at), \'\') AS u FROM orders').get() as { n: number; r: number; u: string };
    const q = this.db.prepare('SELECT count(*) AS n, coalesce(max(quarantined_at), \'\') AS at FROM quarantine WHERE released_at IS NULL').get() as { n: number; at: string };
    // What the ERP says of orders (erp/watch.ts) changes the inbox too: a class seen only in the ERP.
    const e = this.db.prepare("SELECT coalesce(max(changed_at), '') AS at FROM erp_view").get() as { at: string };
    return `${o.n}.${o.r}.${o.u}.${q.n}.${q.at}.${e.at}`;
  }

  /** Quarantined documents whose file name or hash contains the text ("any document" search). */
  searchQuarantine(text: string): QuarantineRecord[] {
    const t = text.trim().toLowerCase();
    if (!t) return [];
    return this.quarantined().filter((r) => r.fileName.toLowerCase().includes(t) || r.sha256.startsWith(t));
  }

  /** Open orders per agent and when each was last given one: what least-loaded and round robin need. */
  agentLoads(): Record<string, { open: number; lastAssignedAt: string | null }> {
    const rows = this.db
      .prepare(`SELECT agent, sum(CASE WHEN status IN ('received','extracted','needs-review','routed') THEN 1 ELSE 0 END) AS open, max(received_at) AS last
                FROM orders WHERE agent IS NOT NULL GROUP BY agent`)
      .all() as { agent: string; open: number; last: string | null }[];
    return Object.fromEntries(rows.map((r) => [r.agent, { open: r.open, lastAssignedAt: r.last }]));
  }

  countByStatus(): Record<string, number> {
    const rows = this.db.prepare('SELECT status, count(*) AS n FROM orders GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  }

  /** Partners' test orders (ISA15=T, UNB test indicator): kept and visible, never production work. */
  recordSandbox(r: { id: string; sha256: string; fileName: string; receivedAt: string; order: Order; problems: Problem[] }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO sandbox (id, sha256, file_name, received_at, order_json, problems_json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.id, r.sha256, r.fileName, r.receivedAt, JSON.stringify(r.order), JSON.stringify(r.problems));
  }

  sandbox(): { id: string; sha256: string; fileName: string; receivedAt: string; order: Order; problems: Problem[] }[] {
    const rows = this.db.prepare('SELECT * FROM sandbox ORDER BY received_at DESC').all() as Record<string, string>[];
    return rows.map((r) => ({ id: r.id!, sha256: r.sha256!, fileName: r.file_name!, receivedAt: r.received_at!, order: JSON.parse(r.order_json!), problems: JSON.parse(r.problems_json!) }));
  }

  /** In (or back in) the quarantine; the retries made so far are kept. */
  recordQuarantine(q: QuarantineRecord): void {
    this.db
      .prepare(`INSERT INTO quarantine (sha256, file_name, channel, received_at, quarantined_at, problems_json) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(sha256) DO UPDATE SET file_name = excluded.file_name, channel = excluded.channel, received_at = excluded.received_at,
          quarantined_at = excluded.quarantined_at, problems_json = excluded.problems_json, released_at = NULL`)
      .run(q.sha256, q.fileName, q.channel, q.receivedAt, q.quarantinedAt, JSON.stringify(q.problems));
  }

  /** Someone started the intake of a quarantined document again. */
  recordRetry(sha256: string, retry: { at: string; by: string }): void {
    this.db.prepare("UPDATE quarantine SET retries_json = json_insert(retries_json, '$[#]', json(?)) WHERE sha256 = ?").run(JSON.stringify(retry), sha256);
  }

  /** Its orders were delivered (after a retry): out of the quarantine list, its record kept. */
  releaseQuarantine(sha256: string, at: string): void {
    this.db.prepare('UPDATE quarantine SET released_at = ? WHERE sha256 = ? AND released_at IS NULL').run(at, sha256);
  }

  quarantined(): QuarantineRecord[] {
    const rows = this.db.prepare('SELECT * FROM quarantine WHERE released_at IS NULL ORDER BY quarantined_at DESC').all() as Record<string, string>[];
    return rows.map((r) => ({
      sha256: r.sha256!, fileName: r.file_name!, channel: r.channel!, receivedAt: r.received_at!, quarantinedAt: r.quarantined_at!,
      problems: JSON.parse(r.problems_json!), retries: JSON.parse(r.retries_json ?? '[]'),
    }));
  }

  /** One record, released or not (a retry looks it up). */
  quarantineRecord(sha256: string): (QuarantineRecord & { releasedAt: string | null }) | null {
    const r = this.db.prepare('SELECT * FROM quarantine WHERE sha256 = ?').get(sha256) as Record<string, string> | undefined;
    if (!r) return null;
    return {
      sha256: r.sha256!, fileName: r.file_name!, channel: r.channel!, receivedAt: r.received_at!, quarantinedAt: r.quarantined_at!,
      problems: JSON.parse(r.problems_json!), retries: JSON.parse(r.retries_json ?? '[]'), releasedAt: r.released_at ?? null,
    };
  }

  close(): void {
    this.db.close();
  }
}
