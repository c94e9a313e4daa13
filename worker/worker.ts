// The Temporal worker process: runs the workflows and the activities on the task queue.
import { join } from 'node:path';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createActivities, type ActivityDeps } from '../activities/index';
import { DocumentStore } from '../activities/store';
import { ReadModel } from '../activities/readmodel';
import { masterDataSource } from '../activities/masterdata-source';
import { loadConfig, ROOT, type Config } from './config';
import { connectClient, connectWorker } from './temporal';
import { createLogger } from './log';

export const WORKFLOWS_PATH = join(ROOT, 'workflows', 'index.ts');

export interface WorkerParts {
  cfg: Config;
  client: Client;
  log: Logger;
  route?: ActivityDeps['route'];
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** An existing worker connection (tests); otherwise one is made from cfg. */
  connection?: NativeConnection;
}

export async function createAiguillageWorker({ cfg, client, log, route, workflowBundle, connection: given }: WorkerParts): Promise<{ worker: Worker; readModel: ReadModel }> {
  const store = new DocumentStore(cfg.dataDir);
  const readModel = new ReadModel(join(cfg.dataDir, 'readmodel.sqlite'));
  const masterData = masterDataSource(cfg.masterDataDir, log);
  const activities = createActivities({ store, masterData: masterData.get, client, taskQueue: cfg.taskQueue, readModel, log, route, retentionDays: cfg.retentionDays, sla: cfg.sla, slaWebhook: cfg.slaWebhook });
  const connection = given ?? (await connectWorker(cfg));
  const worker = await Worker.create({
    connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime: '5 seconds',
  });
  return { worker, readModel };
}

export async function runWorkerProcess(): Promise<void> {
  const cfg = loadConfig();
  const log = createLogger('worker');
  const client = await connectClient(cfg);
  const { worker, readModel } = await createAiguillageWorker({ cfg, client, log });
  log.info({ taskQueue: cfg.taskQueue, address: cfg.temporalAddress, namespace: cfg.namespace }, 'worker started');
  await worker.run();
  readModel.close();
  await client.connection.close();
  log.info('worker stopped');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  runWorkerProcess().catch((e) => {
    console.error(`worker: ${(e as Error).message}`);
    process.exit(1);
  });
}
