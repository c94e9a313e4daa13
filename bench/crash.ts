// Kill -9 of each process with N documents in flight (default 300), then a restart; per process:
// documents lost, duplicated, and the recovery time (restart → every document a routed order),
// beside the baseline of issue 12 (300/300, 0 lost, 0 duplicated, recovery 33–46 s).
// The same scenarios at 40 documents are test/integration/crash.test.ts.
// Run: TZ=UTC npx tsx bench/crash.ts [documents=300] [worker,dev-server,stack]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { quietLog, startTemporal, uniqueQueue } from '../test/support/temporal';
import { connect, exited, freePort, orderDocuments, routedSoFar, settle, spawnDevServer, spawnStack, spawnWorker, type Tally } from '../test/support/crash';
import { DocumentStore } from '../storage/document-store';
import { Ingestor } from '../intake/submit';

const N = Number(process.argv[2] ?? 300);
const ONLY = (process.argv[3] ?? 'worker,dev-server,stack').split(',');
const BASELINE = 'issue 12: 300/300, 0 lost, 0 duplicated, recovery 33–46 s';
const SETTLE_MS = 15 * 60_000;

interface Row {
  process: string;
  atKill: number;
  tally: Tally;
  recoveryS: number;
}

const waitFor = async (fn: () => number, min: number, ms = 180_000) => {
  const end = Date.now() + ms;
  let n = fn();
  while (n < min && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    n = fn();
  }
  return n;
};
/** Killed once a tenth of the documents is through: well inside the run. */
const killPoint = Math.max(3, Math.floor(N / 10));

async function submitAll(client: Client, dataDir: string, taskQueue: string, prefix: string) {
  const ingestor = new Ingestor(new DocumentStore(dataDir), client, taskQueue, quietLog);
  const docs = orderDocuments(N, prefix);
  for (const d of docs) await ingestor.submit(d.bytes, { fileName: `${d.po}.order.json`, channel: 'api', receivedAt: new Date().toISOString() });
  return docs.map((d) => d.po);
}

const rows: Row[] = [];
const line = (r: Row) =>
  `${r.process.padEnd(48)} ${String(r.atKill).padStart(8)} ${`${r.tally.orders}/${N}`.padStart(8)} ${String(r.tally.lost.length).padStart(5)} ${String(r.tally.duplicated.length).padStart(5)} ${String(r.tally.workflows).padStart(10)} ${`${r.recoveryS.toFixed(1)} s`.padStart(9)}`;
const head = `${'process killed'.padEnd(48)} ${'at kill'.padStart(8)} ${'orders'.padStart(8)} ${'lost'.padStart(5)} ${'dup'.padStart(5)} ${'workflows'.padStart(10)} ${'recovery'.padStart(9)}`;
// Each row as soon as it is measured (a later scenario that fails loses nothing already measured).
const push = (r: Row) => {
  rows.push(r);
  console.error(`measured: ${line(r)}`);
};
const env = await startTemporal();
try {
  if (ONLY.includes('worker')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-bench-crash-w-'));
    const taskQueue = uniqueQueue('bench-crash-w');
    const workerEnv = { TEMPORAL_ADDRESS: env.address, AIGUILLAGE_TASK_QUEUE: taskQueue, AIGUILLAGE_DATA: dataDir };
    let worker = spawnWorker(workerEnv);
    const pos = await submitAll(env.client, dataDir, taskQueue, 'BENCH-W');
    const atKill = await waitFor(() => routedSoFar(dataDir), killPoint);
    worker.kill('SIGKILL');
    await exited(worker);
    const restart = Date.now();
    worker = spawnWorker(workerEnv);
    const tally = await settle(env.client, taskQueue, dataDir, pos, SETTLE_MS);
    push({ process: 'worker', atKill, tally, recoveryS: (Date.now() - restart) / 1000 });
    worker.kill('SIGTERM');
    await exited(worker);
  }

  if (ONLY.includes('dev-server')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-bench-crash-d-'));
    const [port, httpPort] = [await freePort(), await freePort()];
    const db = join(dataDir, 'temporal.sqlite');
    let dev = await spawnDevServer(db, port, httpPort);
    const taskQueue = uniqueQueue('bench-crash-d');
    const worker = spawnWorker({ TEMPORAL_ADDRESS: dev.address, AIGUILLAGE_TASK_QUEUE: taskQueue, AIGUILLAGE_DATA: dataDir });
    let client = await connect(dev.address);
    const pos = await submitAll(client, dataDir, taskQueue, 'BENCH-D');
    const atKill = await waitFor(() => routedSoFar(dataDir), killPoint);
    dev.child.kill('SIGKILL');
    await exited(dev.child);
    await client.connection.close();
    const restart = Date.now();
    dev = await spawnDevServer(db, port, httpPort);
    client = await connect(dev.address);
    const tally = await settle(client, taskQueue, dataDir, pos, SETTLE_MS);
    push({ process: 'Temporal dev server', atKill, tally, recoveryS: (Date.now() - restart) / 1000 });
    worker.kill('SIGTERM');
    await exited(worker);
    await client.connection.close();
    dev.child.kill('SIGTERM');
    await exited(dev.child);
  }

  if (ONLY.includes('stack')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-bench-crash-s-'));
    const inbox = join(dataDir, 'inbox');
    mkdirSync(inbox, { recursive: true });
    const taskQueue = uniqueQueue('bench-crash-s');
    const docs = orderDocuments(N, 'BENCH-S');
    docs.forEach((d) => writeFileSync(join(inbox, `${d.po}.order.json`), d.bytes));
    const stackEnv = { TEMPORAL_ADDRESS: env.address, AIGUILLAGE_TASK_QUEUE: taskQueue, AIGUILLAGE_DATA: dataDir, AIGUILLAGE_INBOX: inbox, AIGUILLAGE_HTTP_PORT: String(await freePort()), AIGUILLAGE_PARTNERS: '', AIGUILLAGE_MAILBOXES: '' };
    let stack = spawnStack(stackEnv);
    const atKill = await waitFor(() => routedSoFar(dataDir), killPoint);
    stack.kill('SIGKILL');
    await exited(stack);
    const restart = Date.now();
    stack = spawnStack(stackEnv);
    const tally = await settle(env.client, taskQueue, dataDir, docs.map((d) => d.po), SETTLE_MS);
    push({ process: 'HTTP + folder + worker (start --no-dev-server)', atKill, tally, recoveryS: (Date.now() - restart) / 1000 });
    stack.kill('SIGTERM');
    await exited(stack);
  }
} finally {
  await env.teardown();
}

console.log(`\nkill -9 with ${N} documents in flight, then restart (${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)})`);
console.log(head);
for (const r of rows) console.log(line(r));
console.log(`baseline: ${BASELINE}`);
console.log('(recovery: from the restart until every document is a routed order, the restarted process\'s own start-up included)');
if (rows.some((r) => r.tally.lost.length || r.tally.duplicated.length)) process.exitCode = 1;
