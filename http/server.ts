// The HTTP server shell: error handling, /healthz and /metrics, then the plugins it mounts, each in
// its own scope with its own authentication: the API channel (/api, bearer token), the EDI
// partners' endpoint (/edi/:partner, API key) and the agents' workspace (session cookie).
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { readFileSync } from 'node:fs';
import { serverApiToken } from '../storage/secrets';
import { registerApi } from '../channels/api/routes';
import { registerWorkspace } from '../web/workspace';
import { registerEdiEndpoints } from '../channels/edi/http';
import { TemporalUnreachable } from '../worker/temporal';
import { registerHealth } from './health';
import { metricsEnabled, registerMetrics, temporalMetricsAddress } from '../worker/metrics';
import type { HttpDeps, HttpServer } from './types';

export type { HttpDeps, HttpServer } from './types';

const MAX_BODY = 50 * 1024 * 1024;
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
