// The API channel, mounted under /api behind a bearer token: an order as JSON (POST /api/orders), any
// document's bytes (POST /api/documents, used by `aiguillage ingest`), and the read endpoints
// (intake outcome, orders, quarantine and retry, sandbox).
import { timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { validateApiOrder } from '../../parsers/api-order';
import { channelSchema } from '../../domain/order';
import { orderWorkflowId, orderIdFromWorkflowId, orderStateQuery, type IntakeResult } from '../../workflows/definitions';
import { orderKey } from '../../domain/keys';
import { orderJson } from '../../domain/order-json';
import { temporalUiUrl } from '../../worker/temporal';
import { DocumentStore } from '../../storage/document-store';
import { listQuarantine, retryIntake, RetryRefused } from '../../intake/quarantine';
import type { HttpDeps, HttpServer } from '../../http/types';

/** What /api/documents takes besides JSON: the document's bytes, as octet-stream or its own type. Never a form. */
export const DOCUMENT_MEDIA_TYPES = ['application/octet-stream', 'application/pdf', 'image/tiff', 'image/png', 'image/jpeg', 'application/edi-x12', 'application/edifact', 'message/rfc822'];
export const FILE_NAME_HEADER = 'x-aiguillage-file-name';

export function registerApi(api: HttpServer, deps: HttpDeps, token: string): void {
  const expected = Buffer.from(`Bearer ${token}`);
  api.addHook('onRequest', async (req, reply) => {
    const got = Buffer.from(req.headers.authorization ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'missing or wrong API token: send Authorization: Bearer <AIGUILLAGE_API_TOKEN, or the token in <data>/api-token on the server>' });
    }
  });

  // Only JSON and document bytes: a form or text/plain body (what any web page may post cross-site) gets 415.
  api.removeAllContentTypeParsers();
  // Keep the exact bytes received: the document store is content-addressed.
  api.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, { raw: body as Buffer, json: JSON.parse((body as Buffer).toString('utf8')) });
    } catch (e) {
      done(Object.assign(new Error(`the body is not valid JSON: ${(e as Error).message}`), { statusCode: 400 }), undefined);
    }
  });
  api.addContentTypeParser(DOCUMENT_MEDIA_TYPES, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  registerIntakeRoutes(api, deps);
  registerReadRoutes(api, deps);
}

/** Where a client follows an order: its API resource and its workflow in the Temporal UI. */
function linksOf(cfg: HttpDeps['cfg']) {
  return (orderId: string) => ({ order: `/api/orders/${encodeURIComponent(orderId)}`, temporal: temporalUiUrl(cfg, orderWorkflowId(orderId)) });
}

/** Documents in: an order as JSON, any document's bytes, and what became of a document's intake. */
function registerIntakeRoutes(api: HttpServer, deps: HttpDeps): void {
  const { cfg, ingestor, client } = deps;
  const links = linksOf(cfg);
  api.post('/orders', async (req, reply) => {
    const body = req.body as { raw: Buffer; json: unknown } | undefined;
    if (!body || !('json' in body)) return reply.status(415).send({ error: 'send the order as application/json' });
    const v = validateApiOrder(body.json);
    if (!v.ok) return reply.status(400).send({ error: 'invalid order', issues: v.issues });
    const expectedId = orderKey(v.order.customerId, v.order.poNumber, '', 0);
    const existing = await orderExists(client, orderWorkflowId(expectedId));
    const r = await ingestor.submit(body.raw, { fileName: `api-${v.order.customerId}-${v.order.poNumber}.order.json`, channel: 'api', receivedAt: new Date().toISOString(), context: { source: req.ip } });
    if (r.status === 'already-received' || existing) {
      return reply.status(200).send({ status: r.status === 'already-received' ? 'already-received' : 'duplicate', orderId: expectedId, sha256: r.sha256, links: links(expectedId) });
    }
    return reply.status(202).send({ status: 'accepted', orderId: expectedId, sha256: r.sha256, intakeWorkflowId: r.intakeWorkflowId, links: links(expectedId) });
  });

  // Any document (EDI, email, PDF, image, order JSON): used by `aiguillage ingest` and scripts.
  api.post('/documents', async (req, reply) => {
    const q = req.query as { channel?: string; receivedAt?: string };
    const bytes = Buffer.isBuffer(req.body) ? req.body : (req.body as { raw?: Buffer } | undefined)?.raw;
    if (!bytes || bytes.length === 0) return reply.status(400).send({ error: 'empty body: send the document bytes' });
    const fileName = fileNameOf(req.headers[FILE_NAME_HEADER]);
    if (!fileName) return reply.status(400).send({ error: 'name the document in the X-Aiguillage-File-Name header (UTF-8, percent-encoded)' });
    const channel = channelSchema.safeParse(q.channel ?? 'api');
    if (!channel.success) return reply.status(400).send({ error: `unknown channel "${q.channel}"; one of ${channelSchema.options.join(', ')}` });
    const receivedAt = q.receivedAt && !Number.isNaN(Date.parse(q.receivedAt)) ? new Date(q.receivedAt).toISOString() : new Date().toISOString();
    const r = await ingestor.submit(bytes, { fileName, channel: channel.data, receivedAt });
    return reply.status(r.status === 'accepted' ? 202 : 200).send({ status: r.status, sha256: r.sha256, intakeWorkflowId: r.intakeWorkflowId, links: { intake: `/api/intake/${r.sha256}`, temporal: temporalUiUrl(cfg, r.intakeWorkflowId) } });
  });

  api.get('/intake/:sha', async (req, reply) => {
    const { sha } = req.params as { sha: string };
    if (!/^[0-9a-f]{64}$/.test(sha)) return reply.status(400).send({ error: 'expected the document\'s sha256 (64 hexadecimal characters)' });
    try {
      const handle = client.workflow.getHandle(`doc-${sha}`);
      const d = await handle.describe();
      if (d.status.name === 'RUNNING') return { status: 'running' };
      if (d.status.name !== 'COMPLETED') return { status: d.status.name.toLowerCase() };
      const result = (await handle.result()) as IntakeResult;
      return { status: result.status, orders: result.orders.map((o) => ({ ...o, orderId: orderIdFromWorkflowId(o.orderWorkflowId) })), problems: result.problems };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return reply.status(404).send({ error: `no document ${sha} was received` });
      throw e;
    }
  });
}

/** Orders, the quarantine (and a retry once its cause is fixed) and the sandbox of test interchanges. */
function registerReadRoutes(api: HttpServer, deps: HttpDeps): void {
  const { cfg, readModel, client } = deps;
  const links = linksOf(cfg);
  api.get('/orders', async (req) => {
    const q = req.query as { status?: string; team?: string; agent?: string; customer?: string; q?: string; limit?: string; offset?: string };
    const now = new Date();
    return readModel.list({ status: q.status, team: q.team, agent: q.agent, customerId: q.customer, query: q.q, limit: q.limit ? Number(q.limit) : undefined, offset: q.offset ? Number(q.offset) : undefined }).map((s) => orderJson(s, now));
  });

  api.get('/orders/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const state = readModel.get(id);
    if (state) return { ...orderJson(state), state, links: links(id) };
    // Not projected yet (or the read model was reset): ask the workflow itself.
    try {
      const live = await client.workflow.getHandle(orderWorkflowId(id)).query(orderStateQuery);
      return { ...orderJson(live), state: live, links: links(id) };
    } catch {
      return reply.status(404).send({ error: `no order ${id}` });
    }
  });

  // The quarantine and failed intakes; a document's intake started again once its cause is fixed.
  const quarantineDeps = { store: new DocumentStore(cfg.dataDir), readModel, client, taskQueue: cfg.taskQueue, log: deps.log };
  api.get('/quarantine', async () => listQuarantine(quarantineDeps));
  api.post('/documents/:sha/retry', async (req, reply) => {
    const { sha } = req.params as { sha: string };
    const by = (req.body as { json?: { by?: unknown } } | undefined)?.json?.by;
    try {
      return reply.status(202).send(await retryIntake(quarantineDeps, sha, `api:${typeof by === 'string' && by ? by.slice(0, 100) : 'anonymous'}`));
    } catch (e) {
      if (e instanceof RetryRefused) return reply.status(e.status).send({ error: e.message });
      throw e;
    }
  });
  api.get('/sandbox', async () => readModel.sandbox());
}

/** The file name as sent in the header: percent-encoded UTF-8, a plain name (no folder), at most 255 characters. */
function fileNameOf(v: string | string[] | undefined): string | null {
  if (typeof v !== 'string' || !v) return null;
  let name: string;
  try {
    name = decodeURIComponent(v);
  } catch {
    return null;
  }
  name = [...name].map((ch) => (ch < ' ' || ch === '\u007f' || ch === '/' || ch === '\\' ? '_' : ch)).join('').slice(0, 255);
  return name.trim() ? name : null;
}

async function orderExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return false;
    throw e;
  }
}
