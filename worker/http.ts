// The HTTP server: the API channel (POST /api/orders), raw document upload for `ingest` and other
// channels, and read endpoints, all behind a bearer token. The web workspace and the EDI partners'
// endpoint register on the same server, each in its own scope with its own authentication.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serverApiToken } from './secrets';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Ingestor } from './ingest';
import type { ReadModel } from '../activities/readmodel';
import { validateApiOrder } from '../parsers/api-order';
import { channelSchema } from '../domain/order';
import { orderWorkflowId, orderIdFromWorkflowId, orderStateQuery, type IntakeResult } from '../workflows/definitions';
import { orderKey } from '../domain/keys';
import { orderJson } from './present';
import { temporalUiUrl } from './temporal';
import { registerWorkspace } from '../web/server';
import { registerEdiEndpoints, type EdiHttpDeps } from '../edi/http';
import { DocumentStore } from '../activities/store';
import { listQuarantine, retryIntake, RetryRefused } from './quarantine';
import { TemporalUnreachable } from './temporal';
import { registerHealth, type HealthHooks } from './health';
import { metricsEnabled, registerMetrics, temporalMetricsAddress } from './metrics';

export interface HttpDeps {
  cfg: Config;
  ingestor: Ingestor;
  readModel: ReadModel;
  client: Client;
  log: Logger;
  /** The EDI partners' endpoint (POST /edi/:partner); absent: no partners configured. */
  edi?: EdiHttpDeps;
  /** Dependencies /healthz reports beside Temporal and storage (mail listener, ERP). */
  health?: HealthHooks;
}

const MAX_BODY = 50 * 1024 * 1024;

/** What /api/documents takes besides JSON: the document's bytes, as octet-stream or its own type. Never a form. */
export const DOCUMENT_MEDIA_TYPES = ['application/octet-stream', 'application/pdf', 'image/tiff', 'image/png', 'image/jpeg', 'application/edi-x12', 'application/edifact', 'message/rfc822'];
export const FILE_NAME_HEADER = 'x-aiguillage-file-name';
const WRONG_TYPE = 'the API takes application/json, or a document\'s bytes as application/octet-stream (or its own type) with an X-Aiguillage-File-Name header; never a form';

export function buildHttpServer(deps: HttpDeps) {
  const { cfg } = deps;
  const token = serverApiToken(cfg);
  const tls = cfg.httpTls ? { https: { cert: readFileSync(cfg.httpTls.certPath), key: readFileSync(cfg.httpTls.keyPath) } } : {};
  const app = Fastify({ loggerInstance: deps.log, bodyLimit: MAX_BODY, trustProxy: cfg.trustProxy ?? false, ...tls } as FastifyServerOptions);

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof TemporalUnreachable) return reply.status(503).send({ error: err.message, code: err.code });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.log.error({ error: err.message }, 'request failed');
    const message = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? WRONG_TYPE : status === 500 ? 'internal error; see the server log' : err.message;
    void reply.status(status).send({ error: message });
  });

  registerHealth(app as unknown as HttpServer, { client: deps.client, temporalAddress: cfg.temporalAddress, dataDir: cfg.dataDir, hooks: deps.health });
  if (metricsEnabled()) registerMetrics(app as unknown as HttpServer, { readModel: deps.readModel, apiToken: token, temporalMetrics: temporalMetricsAddress() });

  // The machine API (CLI, partners' systems) in its own scope: the token is checked on the route as
  // matched (so /%61pi/… is no way around it), and a browser session gives nothing here.
  void app.register(async (api) => registerApi(api as unknown as HttpServer, deps, token), { prefix: '/api' });
  if (deps.edi) registerEdiEndpoints(app as unknown as HttpServer, deps.edi);
  registerWorkspace(app as unknown as HttpServer, deps);
  return app as unknown as FastifyInstance;
}

function registerApi(api: HttpServer, deps: HttpDeps, token: string): void {
  const { cfg, ingestor, readModel, client } = deps;
  const links = (orderId: string) => ({ order: `/api/orders/${encodeURIComponent(orderId)}`, temporal: temporalUiUrl(cfg, orderWorkflowId(orderId)) });
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
export type HttpServer = FastifyInstance;
