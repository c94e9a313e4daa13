// Kill -9 harness shared by the crash tests (test/integration/crash.test.ts) and the larger run
// (bench/crash.ts): the real processes a user runs — the worker, the Temporal dev server on its
// SQLite file, `start --no-dev-server` (HTTP, watched folder and a worker in one process) — spawned,
// killed with SIGKILL, restarted; then what reached the read model is counted: lost and duplicated.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ROOT } from '../../worker/config';
import { searchAttributeArgs } from '../../worker/devserver';
import { ReadModel } from '../../storage/read-model';
import { temporalCli } from './temporal';

export const exited = (c: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.signalCode ?? c.exitCode) : c.once('exit', (code, sig) => r(sig ?? code))));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function node(script: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...script], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => process.env.TEST_LOG && process.stderr.write(d));
  return child;
}

/** The worker alone (`npx aiguillage worker`). */
export const spawnWorker = (env: Record<string, string>) => node([join(ROOT, 'worker/worker-main.ts')], env);

/** HTTP server, watched folder and a worker in one process (`npx aiguillage start --no-dev-server`). */
export const spawnStack = (env: Record<string, string>) => node([join(ROOT, 'worker/cli.ts'), 'start', '--no-dev-server'], env);

export interface DevServerProcess {
  child: ChildProcess;
  address: string;
}

/** The Temporal dev server on a persistent SQLite file, as `start` runs it; resolves once it answers. */
export async function spawnDevServer(dbFile: string, port: number, httpPort: number): Promise<DevServerProcess> {
  const child = spawn(
    temporalCli(),
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--headless', '--db-filename', dbFile, '--log-level', 'error', ...searchAttributeArgs()],
    { stdio: ['ignore', 'ignore', process.env.TEST_LOG ? 'inherit' : 'ignore'] },
  );
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dev server exited (${child.exitCode}) on ${address}`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        // Restarted on its file, the frontend answers before the namespace is loaded again.
        await c.workflowService.getSystemInfo({});
        await c.workflowService.describeNamespace({ namespace: 'default' });
      } finally {
        await c.close();
      }
      return { child, address };
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the dev server did not answer on ${address}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

export async function connect(address: string): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }) });
}

/** `n` distinct API orders (customers C001…C025), PO `${prefix}-<i>`. */
export function orderDocuments(n: number, prefix: string): { po: string; bytes: Buffer }[] {
  return Array.from({ length: n }, (_, i) => {
    const po = `${prefix}-${i + 1}`;
    return { po, bytes: Buffer.from(JSON.stringify({ customerId: `C0${String((i % 25) + 1).padStart(2, '0')}`, poNumber: po, lines: [{ sku: 'VIS-440', quantity: i + 1 }, { sku: 'CHV-8', quantity: 2 }] })) };
  });
}

export interface Tally {
  expected: number;
  /** Orders routed (in the read model), distinct. */
  orders: number;
  lost: string[];
  /** POs that became more than one order, or an order holding the same document twice. */
  duplicated: string[];
  /** Order workflows Temporal lists on the queue (must equal `expected`). */
  workflows: number;
}

export async function tally(client: Client, taskQueue: string, dataDir: string, pos: string[]): Promise<Tally> {
  const rm = new ReadModel(join(dataDir, 'readmodel.sqlite'));
  try {
    const states = rm.list({ limit: 100_000 }).filter((s) => s.route !== null);
    const byPo = new Map<string, number>();
    for (const s of states) byPo.set(s.poNumber ?? '', (byPo.get(s.poNumber ?? '') ?? 0) + 1);
    const twice = states.filter((s) => new Set(s.documents.map((d) => `${d.sha256}/${d.index}`)).size !== s.documents.length).map((s) => s.orderId);
    let workflows = 0;
    for await (const w of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = 'orderWorkflow'` })) if (w.workflowId) workflows++;
    return {
      expected: pos.length,
      orders: states.length,
      lost: pos.filter((p) => !byPo.has(p)),
      duplicated: [...[...byPo].filter(([, n]) => n > 1).map(([p]) => p), ...twice],
      workflows,
    };
  } finally {
    rm.close();
  }
}

/** Waits until every PO is a routed order (or the time is up), then tallies. */
export async function settle(client: Client, taskQueue: string, dataDir: string, pos: string[], timeoutMs: number): Promise<Tally> {
  const deadline = Date.now() + timeoutMs;
  // A server just restarted may still refuse a listing for a moment: asked again, not fatal.
  const attempt = () => tally(client, taskQueue, dataDir, pos).catch((e: Error) => (Date.now() < deadline ? null : Promise.reject(e)));
  let t = await attempt();
  while ((!t || t.lost.length > 0 || t.workflows < t.expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    t = await attempt();
  }
  return t ?? tally(client, taskQueue, dataDir, pos);
}

/** The number of routed orders so far (0 while the read model does not exist yet). */
export function routedSoFar(dataDir: string): number {
  try {
    const rm = new ReadModel(join(dataDir, 'readmodel.sqlite'));
    try {
      return rm.list({ limit: 100_000 }).filter((s) => s.route !== null).length;
    } finally {
      rm.close();
    }
  } catch {
    return 0;
  }
}
