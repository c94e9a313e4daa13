// The types every HTTP plugin shares (the API, the EDI partners' endpoint, the workspace): one module,
// so that the plugins and the server shell that mounts them never import each other.
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../worker/config';
import type { Ingestor } from '../intake/submit';
import type { ReadModel } from '../storage/read-model';
import type { EdiHttpDeps } from '../channels/edi/http';
import type { HealthHooks } from './health';
import type { MasterData } from '../domain/masterdata';
import type { Router } from '../routing-rules/router';

export type HttpServer = FastifyInstance;

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
  /** The worker's master-data source and router, when it runs in this process (`start`): the workspace shows what routing uses. */
  masterData?: () => MasterData;
  router?: Router;
}
