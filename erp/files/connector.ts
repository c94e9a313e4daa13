// File connectors for ERPs that import files: each order becomes one file in an outbox (IDoc
// ORDERS05 XML or the JSON document), written once — a temporary file linked to its final name, so a
// retry or a crash never makes a second file nor half a file. The webhook connector posts the JSON
// document, signed, after it is in the outbox; a `.sent` mark records the receiver's 2xx.
import { createHash, createHmac } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { syncDir, writeFileAtomic } from '../../storage/atomic';
import { join } from 'node:path';
import type { Order } from '../../domain/order';
import { ErpRefused, ErpUnavailable, type ErpConnector, type ErpCredit, type ErpOrderStatus, type ErpSalesOrder, type ErpStock } from '../connector';
import { IncompleteOrder, salesOrderDocument } from './document';
import { idocOrders05 } from './idoc';

/** A file name from our order ID that no sender can steer: a bounded slug plus a hash of the whole ID. */
export function outboxName(orderId: string, ext: string): string {
  const slug = orderId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  return `${slug}-${createHash('sha256').update(orderId).digest('hex').slice(0, 12)}.${ext}`;
}

/**
 * Writes `bytes` under `name` once; false if it was already there (then the first file stands). Not
 * storage/atomic's rename, which replaces: a link fails on an existing name, so a retry never rewrites.
 */
async function writeOnce(dir: string, name: string, bytes: string): Promise<boolean> {
  mkdirSync(dir, { recursive: true });
  const final = join(dir, name);
  if (existsSync(final)) return false;
  const tmp = join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, bytes);
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  try {
    linkSync(tmp, final);
    await syncDir(dir);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

export interface FileConnectorOptions {
  kind: 'idoc' | 'json' | 'webhook';
  outbox: string;
  idoc?: { sender: string; receiver: string };
  webhook?: { url: string; secret: () => string; timeoutMs?: number };
  now?: () => Date;
}

export class FileConnector implements ErpConnector {
  readonly name: string;
  constructor(private readonly opts: FileConnectorOptions) {
    this.name = opts.kind;
  }

  private fileOf(orderId: string): string {
    return outboxName(orderId, this.opts.kind === 'idoc' ? 'xml' : 'json');
  }

  async createSalesOrder(order: Order, orderId: string): Promise<ErpSalesOrder> {
    let doc;
    try {
      doc = salesOrderDocument(order, orderId, (this.opts.now?.() ?? new Date()).toISOString());
    } catch (e) {
      if (e instanceof IncompleteOrder) throw new ErpRefused(e.message, 'incomplete-order');
      throw e;
    }
    const name = this.fileOf(orderId);
    const bytes =
      this.opts.kind === 'idoc'
        ? idocOrders05(doc, { docnum: createHash('sha256').update(orderId).digest('hex').slice(0, 16), sender: this.opts.idoc?.sender ?? 'AIGUILLAGE', receiver: this.opts.idoc?.receiver ?? 'SAPERP' })
        : `${JSON.stringify(doc, null, 2)}\n`;
    let created = await writeOnce(this.opts.outbox, name, bytes);
    if (this.opts.kind === 'webhook') created = (await this.post(name)) && created;
    return { connector: this.name, erpRef: name, number: null, state: 'sent', created };
  }

  /** Posts the outbox's document (the one written first, whatever the retries); true once the receiver said 2xx. */
  private async post(name: string): Promise<boolean> {
    const sent = join(this.opts.outbox, `${name}.sent`);
    if (existsSync(sent)) return false;
    const w = this.opts.webhook!;
    const body = readFileSync(join(this.opts.outbox, name), 'utf8');
    const t = Math.floor((this.opts.now?.() ?? new Date()).getTime() / 1000);
    let res: Response;
    try {
      res = await fetch(w.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-aiguillage-signature': webhookSignature(w.secret(), t, body), 'idempotency-key': (JSON.parse(body) as { key: string }).key },
        body,
        signal: AbortSignal.timeout(w.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new ErpUnavailable(`webhook ${w.url} did not answer: ${(e as Error).message}`);
    }
    const text = (await res.text()).slice(0, 2000);
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new ErpRefused(`webhook ${w.url} answered HTTP ${res.status}${text ? ` : ${text}` : ''}`);
    if (!res.ok) throw new ErpUnavailable(`webhook ${w.url} answered HTTP ${res.status}`);
    await writeFileAtomic(sent, `${new Date().toISOString()} HTTP ${res.status}\n`);
    return true;
  }

  async readOrderState(erpRef: string): Promise<ErpOrderStatus | null> {
    if (erpRef.includes('/') || erpRef.startsWith('.') || !existsSync(join(this.opts.outbox, erpRef))) return null;
    return { erpRef, number: null, state: 'sent', shipmentState: null, invoiceState: null };
  }

  /** File ERPs answer nothing back: no stock, no credit. */
  async readStock(): Promise<Map<string, ErpStock>> {
    return new Map();
  }
  async readCredit(): Promise<ErpCredit | null> {
    return null;
  }
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it and refuses an old t. */
export function webhookSignature(secret: string, t: number, body: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
