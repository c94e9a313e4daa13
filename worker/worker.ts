// The Temporal worker process: runs the workflows and the activities on the task queue.
import type { MasterData } from '../domain/masterdata';
import { join } from 'node:path';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createActivities, type ActivityDeps } from '../activities/index';
import { sharedExtractRunner } from '../activities/extract-runner';
import { DocumentStore } from '../storage/document-store';
import { ReadModel } from '../storage/read-model';
import { masterDataSource } from '../storage/masterdata-source';
import { createRouter, type Router } from '../routing-rules/router';
import { loadConfig, ROOT, type Config } from './config';
import { connectClient, connectWorker } from './temporal';
import { createLogger } from './log';
import { ediConfirmer } from '../channels/edi/runtime';
import nodemailer from 'nodemailer';
import { Runtime } from '@temporalio/worker';
import { workerTracing, tracingFromEnv } from './telemetry';
import { temporalMetricsAddress } from './metrics';
import { erpConnectorFor } from '../erp/index';
import { TouchlessPolicyHolder } from '../routing-rules/touchless';
import { watchErp } from '../erp/watch';
import { formatRuleError } from '../routing-rules/errors';

export const WORKFLOWS_PATH = join(ROOT, 'workflows', 'index.ts');

/**
 * Alert e-mails out through SMTP (smtp:// with STARTTLS when offered, smtps://; certificates checked)
 * or straight into a local mail store over LMTP (lmtp://, plain: a loopback or private link).
 */
export function mailSender(url: string, from: string): NonNullable<ActivityDeps['sendMail']> {
  const u = new URL(url);
  const transport =
    u.protocol === 'lmtp:'
      ? nodemailer.createTransport({ host: u.hostname, port: Number(u.port) || 24, lmtp: true, ignoreTLS: true })
      : nodemailer.createTransport(url);
  return async (m) => {
    await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId });
  };
}

export interface WorkerParts {
  cfg: Config;
  client: Client;
  log: Logger;
  route?: ActivityDeps['route'];
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** An existing worker connection (tests); otherwise one is made from cfg. */
  connection?: NativeConnection;
  /** EDI order confirmations (855 / ORDRSP); by default from cfg.partnersFile. */
  confirmOrder?: ActivityDeps['confirmOrder'];
  /** Dependencies handed to the activities instead of the defaults (tests: a failing store or reader). */
  activityDeps?: Partial<ActivityDeps>;
}

export async function createAiguillageWorker({ cfg, client, log, route, workflowBundle, connection: given, confirmOrder, activityDeps }: WorkerParts): Promise<{ worker: Worker; readModel: ReadModel; router: Router | null; masterData: () => MasterData }> {
  const store = new DocumentStore(cfg.dataDir);
  const readModel = new ReadModel(join(cfg.dataDir, 'readmodel.sqlite'));
  const masterData = masterDataSource(cfg.masterDataDir, log);
  const router = route ? null : createRouter({ rulesDir: cfg.rulesDir, masterData: masterData.get, loads: () => readModel.agentLoads(), log });
  // touchless.yaml beside the rules: checked at start (file:line:column), then reloaded with them; a bad
  // edit keeps the policy in force. Watched only beside the production router (tests call reload()).
  const touchless = new TouchlessPolicyHolder(cfg.rulesDir, {
    knownCustomers: () => masterData.get().customers.map((c) => c.id),
    onReload: (st) => {
      if (st.lastError) log.error({ rulesDir: cfg.rulesDir, version: st.version, errors: st.lastError.errors.map(formatRuleError) }, 'touchless policy not reloaded: the previous policy stays in force');
      else if (st.changed) log.info({ rulesDir: cfg.rulesDir, version: st.version }, st.version ? 'touchless policy loaded' : 'no touchless policy: every order goes to an agent');
    },
  });
  const stopTouchless = router ? touchless.watch() : (touchless.reload(), () => {});
  if (touchless.status().lastError && !touchless.current) {
    stopTouchless();
    router?.close();
    throw touchless.status().lastError!;
  }
  const erp = activityDeps && 'erp' in activityDeps ? (activityDeps.erp ?? null) : erpConnectorFor(cfg);
  // The ERP read back (portfolio classes, sales order states) beside the production router; tests call refreshErpView.
  const stopErpWatch = router && erp ? watchErp({ readModel, erp, masterData: masterData.get, log }, (Number(process.env.AIGUILLAGE_ERP_REFRESH_SECONDS) || 60) * 1000) : () => {};
  const activities = createActivities({
    store, masterData: masterData.get, client, taskQueue: cfg.taskQueue, readModel, log, route: route ?? router!.route, retentionDays: cfg.retentionDays, sla: cfg.sla, slaWebhook: cfg.slaWebhook,
    teamLead: (team) => router?.team(team)?.lead ?? null,
    ...(cfg.smtpUrl ? { sendMail: mailSender(cfg.smtpUrl, cfg.alertFrom) } : {}),
    publicUrl: cfg.publicUrl,
    confirmOrder: confirmOrder ?? (cfg.partnersFile ? ediConfirmer(cfg.partnersFile, cfg.dataDir, store, log) : undefined),
    erp,
    touchless: () => touchless.current,
    ...activityDeps,
  });
  // A reader process takes a second or two to start: have them ready for the first document.
  sharedExtractRunner().warmUp();
  const connection = given ?? (await connectWorker(cfg));
  const worker = await Worker.create({
    connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime: '5 seconds',
    ...workerTracing(Boolean(workflowBundle)),
  });
  return { worker, readModel, router: router ? { ...router, close: () => (router.close(), stopTouchless(), stopErpWatch()) } : null, masterData: masterData.get };
}

export async function runWorkerProcess(): Promise<void> {
  const cfg = loadConfig();
  const log = createLogger('worker');
  const metricsAt = temporalMetricsAddress();
  if (metricsAt) Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAt } } } });
  tracingFromEnv();
  const client = await connectClient(cfg);
  const { worker, readModel, router } = await createAiguillageWorker({ cfg, client, log });
  log.info({ taskQueue: cfg.taskQueue, address: cfg.temporalAddress, namespace: cfg.namespace }, 'worker started');
  await worker.run();
  await (await import('../activities/extract-runner')).closeSharedExtractRunner();
  await (await import('../parsers/ocr/index')).closeSharedOcrPool();
  router?.close();
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
