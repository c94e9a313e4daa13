// Test harness: the real Temporal dev server (the project's own Temporal CLI binary, as
// `existing-path`: the SDK's download cannot work offline), the workflow bundle built once, and an
// isolated stack per test (its own task queue, data folder and read model).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { pino } from 'pino';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/definitions';
import { loadConfig, ROOT, type Config } from '../../worker/config';
import { createAiguillageWorker, WORKFLOWS_PATH } from '../../worker/worker';
import { DocumentStore } from '../../storage/document-store';
import { Ingestor } from '../../intake/submit';
import type { ReadModel } from '../../storage/read-model';
import type { ActivityDeps } from '../../activities/index';

// Workers' own INFO lines would drown the test report; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger(process.env.TEST_LOG ? 'INFO' : 'WARN') });
} catch {
  // Already installed by the caller (a benchmark with its own settings): keep theirs.
}

export function temporalCli(): string {
  return process.env.TEMPORAL_CLI_PATH ?? execFileSync('bash', [join(ROOT, 'scripts/provision-temporal.sh')], { encoding: 'utf8' }).trim();
}

export async function startTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCli() }, searchAttributes: ALL_SEARCH_ATTRIBUTES, log: { format: 'pretty', level: 'error' } },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  return bundle;
}

export const quietLog = pino({ level: process.env.TEST_LOG ?? 'silent' });

export interface TestStack {
  cfg: Config;
  ingestor: Ingestor;
  store: DocumentStore;
  readModel: ReadModel;
  stop(): Promise<void>;
}

let counter = 0;
export function uniqueQueue(name: string): string {
  return `${name}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

export function testConfig(env: TestWorkflowEnvironment, name: string, extra: Partial<Config> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), `aiguillage-${name}-`));
  // Test stacks are demo stacks: the example users sign in (as with `start --samples`).
  return { ...loadConfig({}), temporalAddress: env.address, taskQueue: uniqueQueue(name), dataDir, inboxDir: join(dataDir, 'inbox'), partnersFile: null, erpFile: null, usersFile: join(ROOT, 'config/users.example.yaml'), ...extra };
}

export async function startStack(
  env: TestWorkflowEnvironment,
  name: string,
  opts: { route?: ActivityDeps['route']; cfg?: Partial<Config>; confirmOrder?: ActivityDeps['confirmOrder']; activityDeps?: Partial<ActivityDeps> } = {},
): Promise<TestStack> {
  const cfg = testConfig(env, name, opts.cfg);
  const { worker, readModel, router } = await createAiguillageWorker({
    cfg, client: env.client, log: quietLog, route: opts.route, workflowBundle: await workflowBundle(), connection: env.nativeConnection, confirmOrder: opts.confirmOrder, activityDeps: opts.activityDeps,
  });
  const running = worker.run();
  const store = new DocumentStore(cfg.dataDir);
  return {
    cfg,
    store,
    readModel,
    ingestor: new Ingestor(store, env.client, cfg.taskQueue, quietLog),
    async stop() {
      worker.shutdown();
      await running;
      router?.close();
      readModel.close();
    },
  };
}

export async function eventually<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
}
