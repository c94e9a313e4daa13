// `aiguillage start`: the whole stack on one machine — Temporal dev server, worker, HTTP server
// (API + workspace), watched inbox folder — and, with --samples, the sample documents ingested.
// Ctrl-C stops everything cleanly, dev server included.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { exposureProblem, loadConfig, ROOT, type Config } from './config';
import { createLogger, runtimeOptions } from './log';
import { metricsEnabled, temporalMetricsAddress } from './metrics';
import { tracingFromEnv, shutdownTracing } from './telemetry';
import { startDevServer, type DevServer } from './devserver';
import { connectClient, temporalUiUrl } from './temporal';
import { createAiguillageWorker } from './worker';
import { DocumentStore } from '../storage/document-store';
import { Ingestor, channelForFile } from '../intake/submit';
import { buildHttpServer } from '../http/server';
import { apiTokenPath } from '../storage/secrets';
import { watchFolder } from '../channels/folder/index';
import { openEdiChannel, type EdiChannel } from '../channels/edi/runtime';
import { watchPartnerFolders } from '../channels/edi/folder';
import { startStackMail } from './mail-stack';
import { startStackErp } from '../erp/runtime';
import { orderJson } from '../domain/order-json';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ReadModel } from '../storage/read-model';
import { orderIdFromWorkflowId, type IntakeResult } from '../workflows/definitions';
import { sampleSignInText } from '../web/sample-users';
import type { DependencyState } from '../http/health';
import type { Logger } from 'pino';

export interface StartOptions {
  samples: boolean;
  devServer: boolean;
}

export async function startStack(opts: StartOptions): Promise<void> {
  const { cfg, exampleUsers } = stackConfig(opts);
  const exposed = exposureProblem(cfg);
  if (exposed) {
    console.error(`aiguillage: ${exposed}`);
    process.exitCode = 2;
    return;
  }
  const logFile = join(cfg.dataDir, 'logs', 'aiguillage.log');
  const log = createLogger('aiguillage', logFile);
  // The SDK's and core's own lines (gRPC retries, activity failures) go to the log file, not the terminal.
  Runtime.install({ shutdownSignals: [], ...runtimeOptions(log, temporalMetricsAddress()) });
  const tracing = tracingFromEnv();
  const { stops, stop } = stopOnSignals(log);

  try {
    const core = await startCore(cfg, log, opts, stops);
    const doors = await startFrontDoors(cfg, log, opts, core, stops);

    if (opts.samples) await ingestSamples(doors.ingestor, core.client, core.readModel);

    printBanner({ cfg, dev: core.dev, logFile, edi: doors.edi, erp: core.erp, mail: doors.mail, tracing });
    // Demo accounts are printed only while the example users file is the one in use.
    if (cfg.usersFile === exampleUsers) console.log(sampleSignInText(`http://${cfg.httpHost}:${cfg.httpPort}`));
    await core.running;
  } catch (e) {
    log.error({ error: (e as Error).message }, 'the stack could not start');
    await stop(`error: ${(e as Error).message}`, 1);
  }
}

/** The configuration, with the demo users and partners (their passwords and keys are in the README) only with --samples. */
function stackConfig(opts: StartOptions): { cfg: Config; exampleUsers: string } {
  const cfg = loadConfig();
  const exampleUsers = join(ROOT, 'config', 'users.example.yaml');
  if (opts.samples) {
    cfg.usersFile ??= exampleUsers;
    cfg.partnersFile ??= join(ROOT, 'channels', 'edi', 'partners.example.yaml');
    cfg.erpFile ??= join(ROOT, 'config', 'erp.example.yaml');
  }
  return { cfg, exampleUsers };
}

type Stops = (() => Promise<void> | void)[];

/** On Ctrl-C (or TERM, HUP), or a failed start: everything started is stopped, last first, then the process exits. */
function stopOnSignals(log: Logger): { stops: Stops; stop: (why: string, code?: number) => Promise<void> } {
  const stops: Stops = [];
  let stopping = false;
  const stop = async (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${why}: stopping…`);
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (e) {
        log.warn({ error: (e as Error).message }, 'while stopping');
      }
    }
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(sig));
  return { stops, stop };
}

/** The Temporal dev server (if asked), the ERP, the client and the worker, each with its stop. */
async function startCore(cfg: Config, log: Logger, opts: StartOptions, stops: Stops) {
  let dev: DevServer | null = null;
  if (opts.devServer) {
    const port = Number(cfg.temporalAddress.split(':')[1] ?? 7233);
    console.error(`› starting the Temporal dev server on 127.0.0.1:${port} (state in ${join(cfg.dataDir, 'temporal.sqlite')})`);
    dev = await startDevServer({ dataDir: cfg.dataDir, port, uiPort: cfg.temporalUiPort, log, onDeath: (line) => console.error(line) });
    stops.push(() => dev!.stop());
  }
  const erp = await startStackErp(cfg, log);
  if (erp.tryton) stops.push(() => erp.tryton!.stop());
  const client = await connectClient(cfg);
  stops.push(() => client.connection.close());
  stops.push(() => shutdownTracing());
  const { worker, readModel, router, masterData } = await createAiguillageWorker({ cfg, client, log, ...(erp.usable ? {} : { activityDeps: { erp: null } }) });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
    await (await import('../activities/extract-runner')).closeSharedExtractRunner();
    await (await import('../parsers/ocr/index')).closeSharedOcrPool();
    router?.close();
    readModel.close();
  });
  return { dev, erp, client, readModel, router, masterData, running };
}

/** The ways documents come in: the HTTP server (API, workspace, EDI), the inbox folder, the partners' folders, the mailboxes. */
async function startFrontDoors(cfg: Config, log: Logger, opts: StartOptions, core: Awaited<ReturnType<typeof startCore>>, stops: Stops) {
  const { client, readModel, router, masterData } = core;
  const ingestor = new Ingestor(new DocumentStore(cfg.dataDir), client, cfg.taskQueue, log);
  const edi = cfg.partnersFile ? openEdiChannel(cfg.partnersFile, cfg.dataDir, log) : null;
  if (!edi) log.info('EDI channel off: no partners file (set AIGUILLAGE_PARTNERS or make config/partners.yaml from channels/edi/partners.example.yaml)');
  if (edi) stops.push(() => edi.close());
  let mailHealth: (() => DependencyState) | null = null;
  const app = buildHttpServer({ cfg, ingestor, readModel, client, log, masterData, ...(router ? { router } : {}), ...(edi ? { edi: edi.receiveDeps(ingestor) } : {}), health: { mail: () => mailHealth?.() ?? { ok: true, detail: 'no mailbox configured' } } });
  await app.listen({ host: cfg.httpHost, port: cfg.httpPort });
  stops.push(() => app.close());
  const folder = watchFolder(cfg.inboxDir, ingestor, log);
  stops.push(() => folder.close());
  const ediFolders = edi ? watchPartnerFolders(edi.receiveDeps(ingestor)) : null;
  if (ediFolders) stops.push(() => ediFolders.close());
  const mail = await startStackMail(cfg, ingestor, log, { samples: opts.samples });
  if (mail) stops.push(() => mail.stop());
  if (mail?.health) mailHealth = mail.health;
  return { ingestor, edi, mail };
}

/** `start --samples`: the sample documents in, then the orders they became, once routed. */
async function ingestSamples(ingestor: Ingestor, client: Client, readModel: ReadModel): Promise<void> {
  const dir = join(ROOT, 'fixtures', 'samples');
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && !n.endsWith('.md')).sort();
  console.error(`› ingesting ${names.length} sample documents from fixtures/samples`);
  const handles = [];
  for (const n of names) {
    const bytes = await readFile(join(dir, n));
    const r = await ingestor.submit(bytes, { fileName: n, channel: channelForFile(bytes), receivedAt: new Date().toISOString() });
    handles.push(client.workflow.getHandle(r.intakeWorkflowId));
  }
  await waitUntilRouted(readModel, handles);
  const now = new Date();
  console.log('\nOrders now in the pipeline:');
  for (const s of readModel.list({ limit: 50 })) {
    const o = orderJson(s, now);
    console.log(`  ${o.orderId.padEnd(28)} ${o.status.padEnd(13)} ${(o.customerId ?? '?').padEnd(6)} PO ${(o.poNumber ?? '—').padEnd(16)} ${o.route?.team ?? ''}`);
  }
  const q = readModel.quarantined();
  if (q.length) console.log(`  + ${q.length} document(s) in quarantine (npx aiguillage quarantine)`);
}

/** What is running where, printed once the stack is up. */
function printBanner({ cfg, dev, logFile, edi, erp, mail, tracing }: { cfg: Config; dev: DevServer | null; logFile: string; edi: EdiChannel | null; erp: { banner: string }; mail: { banner: string } | null; tracing: string | null }): void {
  console.log(`
Aiguillage is running.
  Workspace & API   ${cfg.httpTls ? 'https' : 'http'}://${cfg.httpHost}:${cfg.httpPort}/
  Temporal Web UI   ${dev ? dev.uiUrl : '(external cluster)'}  — orders: ${temporalUiUrl(cfg)}
  Logs (pino JSON)  ${logFile}
  Watched folder    ${cfg.inboxDir}  (drop PDFs, faxes, EDI, .eml or *.order.json here)
  EDI partners      ${edi ? `${edi.partners.length} from ${cfg.partnersFile} — POST /edi/<partner>, partner drop folders` : 'none (set AIGUILLAGE_PARTNERS or make config/partners.yaml)'}
  API token         ${cfg.apiToken ? 'AIGUILLAGE_API_TOKEN' : apiTokenPath(cfg.dataDir)}  (Authorization: Bearer …; the CLI reads it)
  Users             ${cfg.usersFile ?? 'none: nobody can sign in (make config/users.yaml from config/users.example.yaml)'}
  ERP               ${erp.banner}
  Mailboxes         ${mail ? mail.banner : 'none (set AIGUILLAGE_MAILBOXES, see config/mailboxes.example.yaml)'}
  Health            http://${cfg.httpHost}:${cfg.httpPort}/healthz${metricsEnabled() ? `   ·   metrics /metrics (Temporal SDK's own on ${temporalMetricsAddress()})` : ''}${tracing ? `   ·   traces → ${tracing}` : ''}
  Try               npx aiguillage orders   ·   npx aiguillage ingest FILE --wait
Press Ctrl-C to stop everything.`);
}

/** Samples are shown once every intake finished and every order it produced was routed. */
async function waitUntilRouted(readModel: ReadModel, handles: WorkflowHandle[]): Promise<void> {
  const orderIds = new Set<string>();
  for (const h of handles) {
    const r = (await h.result()) as IntakeResult;
    for (const o of r.orders) orderIds.add(orderIdFromWorkflowId(o.orderWorkflowId));
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && [...orderIds].some((id) => !id.startsWith('sandbox-') && !readModel.get(id)?.route)) await new Promise((r) => setTimeout(r, 250));
}
