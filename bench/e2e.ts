// End to end on the Temporal dev server: N EDI and text-email orders (half each) through the real HTTP
// intake (POST /api/documents), read, delivered, routed by the example rules; then a steady 10
// documents/s for the latency target; then a few 1-page faxes (OCR). In the same run, the ceiling: a
// bare workflow pair with the same Temporal calls per order doing nothing (bench/e2e-ceiling/).
// Receipt → routed is measured from the HTTP request's start to the order's first appearance with a
// route in the read model (what a person sees), polled every 20 ms.
// Run: npm run bench:e2e -- [--n 2000] [--steady 100] [--faxes 20] [--concurrency 16]
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, makeTelemetryFilterString } from '@temporalio/worker';

// The core's "workflow task took more than 5 s" warnings on a loaded machine would drown the figures.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

const { startTemporal, startStack, quietLog, uniqueQueue } = await import('../test/support/temporal');
const { buildHttpServer } = await import('../http/server');
const { loadMasterData } = await import('../storage/masterdata-source');
const { loadScenarios } = await import('./dedup-fixtures');
const { documentFor } = await import('./dedup-workflows/documents');
const { ceilingActivities } = await import('./e2e-ceiling/activities');
type GeneratedDocument = Awaited<ReturnType<typeof documentFor>>;
type DedupOrder = Parameters<typeof documentFor>[0];

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('n', 2000);
const STEADY = arg('steady', 100);
const FAXES = arg('faxes', 20);
const CONCURRENCY = arg('concurrency', 16);
// Digits only: a fax's PO goes through OCR, where letters such as O, I and Z pass for digits.
const run = String(Date.now() % 10_000_000).padStart(7, '0');
/** A phase that makes no progress this long is reported as it stands. */
const STALL_MS = 60_000;

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '—');

// Templates: one order of each form from the dedup fixtures, given a fresh PO per document.
const md = loadMasterData(join(ROOT, 'fixtures/masterdata'));
const all = loadScenarios().flatMap((s) => [...s.existing, s.incoming]);
const pick = (parser: string, channel: string): DedupOrder => {
  const o = all.find((x) => x.order.provenance.parser === parser && x.channel === channel);
  if (!o) throw new Error(`no ${parser}/${channel} order in fixtures/dedup`);
  return o;
};
const templates = { edi: pick('edi', 'edi'), email: pick('email-body', 'email'), fax: pick('ocr', 'fax') };
let serial = 0;
const KIND_DIGIT = { edi: 1, email: 2, fax: 3 } as const;
/** A document with a fresh PO; `key` is its sha256, by which the read model says when its order is routed. */
async function makeDoc(kind: keyof typeof templates, i: number): Promise<{ key: string; doc: GeneratedDocument }> {
  const po = `${run}${KIND_DIGIT[kind]}${String(i).padStart(5, '0')}`;
  const t = templates[kind];
  const doc = await documentFor({ ...t, orderId: po, order: { ...t.order, poNumber: po } }, md, 5000 + serial++);
  return { key: createHash('sha256').update(doc.bytes).digest('hex'), doc };
}

interface Phase {
  name: string;
  sent: Map<string, number>;
  routed: Map<string, number>;
  started: number;
  ended: number;
}

function report(p: Phase): { rate: number; p50: number; p95: number; p99: number } {
  const lat = [...p.routed].map(([po, t]) => t - p.sent.get(po)!);
  const rate = p.routed.size / ((p.ended - p.started) / 1000);
  return { rate, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) };
}

const env = await startTemporal();
console.error(`dev server up (load average ${load()})`);

// ---- the ceiling -------------------------------------------------------------------------------
async function ceiling(): Promise<Phase> {
  const taskQueue = uniqueQueue('e2e-ceiling');
  const phase: Phase = { name: 'ceiling', sent: new Map(), routed: new Map(), started: 0, ended: 0 };
  const bundle = await bundleWorkflowCode({ workflowsPath: join(ROOT, 'bench/e2e-ceiling/workflows.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: ceilingActivities(env.client, taskQueue, (id) => {
      if (!phase.routed.has(id)) phase.routed.set(id, performance.now());
    }),
  });
  const running = worker.run();
  phase.started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        const id = `${run}-${i}`;
        phase.sent.set(id, performance.now());
        await env.client.workflow.start('bareIntake', { workflowId: `bare-doc-${id}`, taskQueue, args: [{ id, confirm: i % 2 === 0, customer: (i % 2 === 0 ? templates.edi : templates.email).order.customer.id ?? 'unknown' }] });
      }
    }),
  );
  let last = 0;
  let lastChange = performance.now();
  while (phase.routed.size < N && performance.now() - lastChange < STALL_MS) {
    await new Promise((r) => setTimeout(r, 20));
    if (phase.routed.size !== last) [last, lastChange] = [phase.routed.size, performance.now()];
  }
  if (phase.routed.size < N) console.error(`ceiling: only ${phase.routed.size} of ${N} finished (stalled ${STALL_MS / 1000} s)`);
  phase.ended = Math.max(...phase.routed.values());
  worker.shutdown();
  await running;
  return phase;
}

// ---- the pipeline ------------------------------------------------------------------------------
const TOKEN = 'bench-e2e-token-0123456789abcdefghijklmnop';
const stack = await startStack(env, 'e2e', { cfg: { apiToken: TOKEN } });
const app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const rm = new Database(join(stack.cfg.dataDir, 'readmodel.sqlite'), { readonly: true });
const routedRows = rm.prepare('SELECT d.sha256 AS key FROM order_documents d JOIN orders o ON o.order_id = d.order_id WHERE o.team IS NOT NULL');

async function send(doc: GeneratedDocument): Promise<void> {
  const q = new URLSearchParams({ channel: doc.channel, receivedAt: new Date().toISOString() });
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream', 'x-aiguillage-file-name': encodeURIComponent(doc.fileName) };
  const r = await fetch(`${base}/api/documents?${q}`, { method: 'POST', headers, body: doc.bytes });
  if (r.status !== 202) throw new Error(`${doc.fileName}: HTTP ${r.status} ${await r.text()}`);
}

function watch(phase: Phase, expected: number): Promise<void> {
  let lastChange = performance.now();
  let lastSize = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (const { key } of routedRows.all() as { key: string }[]) if (phase.sent.has(key) && !phase.routed.has(key)) phase.routed.set(key, now);
      if (phase.routed.size !== lastSize) [lastSize, lastChange] = [phase.routed.size, now];
      const stalled = now - lastChange > STALL_MS && phase.sent.size >= expected;
      if (stalled) console.error(`${phase.name}: only ${phase.routed.size} of ${expected} routed (stalled ${STALL_MS / 1000} s); sample of unrouted documents: ${[...phase.sent.keys()].filter((k) => !phase.routed.has(k)).slice(0, 3).join(', ')}`);
      if (phase.routed.size >= expected || stalled) {
        phase.ended = Math.max(...phase.routed.values());
        console.error(`${phase.name}: ${phase.routed.size} routed (load ${load()})`);
        return resolve();
      }
      setTimeout(tick, 20);
    };
    tick();
  });
}

async function saturated(docs: { key: string; doc: GeneratedDocument }[]): Promise<Phase> {
  const phase: Phase = { name: 'pipeline', sent: new Map(), routed: new Map(), started: performance.now(), ended: 0 };
  const done = watch(phase, docs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < docs.length) {
        const d = docs[next++]!;
        phase.sent.set(d.key, performance.now());
        await send(d.doc);
      }
    }),
  );
  await done;
  return phase;
}

async function steady(docs: { key: string; doc: GeneratedDocument }[], perSecond: number, name: string): Promise<Phase> {
  const phase: Phase = { name, sent: new Map(), routed: new Map(), started: performance.now(), ended: 0 };
  const done = watch(phase, docs.length);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < docs.length; i++) {
    const at = phase.started + (i * 1000) / perSecond;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    phase.sent.set(docs[i]!.key, performance.now());
    sends.push(send(docs[i]!.doc));
  }
  await Promise.all(sends);
  await done;
  return phase;
}

console.error(`generating ${N} + ${STEADY} EDI / text e-mail documents and ${FAXES} faxes…`);
const gen = async (n: number, offset: number) => Promise.all(Array.from({ length: n }, (_, i) => makeDoc(i % 2 === 0 ? 'edi' : 'email', offset + i)));
const bulk = await gen(N, 0);
const paced = await gen(STEADY, N);
const faxes: { key: string; doc: GeneratedDocument }[] = [];
for (let i = 0; i < FAXES; i++) faxes.push(await makeDoc('fax', i));
const avgBytes = (ds: { doc: GeneratedDocument }[]) => Math.round(ds.reduce((n, d) => n + d.doc.bytes.length, 0) / Math.max(1, ds.length));

const lines: string[] = [];
const out = (s: string) => {
  lines.push(s);
  console.log(s);
};

const loadBefore = load();
console.error('ceiling…');
const c = await ceiling();
console.error(`ceiling: ${c.routed.size} done (load ${load()})`);
const cr = report(c);
const loadCeiling = load();
const p = await saturated(bulk);
const pr = report(p);
const loadPipeline = load();
const s = await steady(paced, 10, 'steady 10/s');
const sr = report(s);
const loadSteady = load();
// Warm the OCR engine once (its first page loads the language data), outside the figures.
const warm = await makeDoc('fax', 10_000);
await steady([warm], 1, 'warm-up');
const f = await steady(faxes, 0.5, 'fax');
const fr = report(f);
const loadFax = load();

// Where the time goes: what each order costs the read model and Temporal's payloads.
const states = rm.prepare(`SELECT length(state_json) AS bytes, revision FROM orders WHERE po_number LIKE '${run}%'`).all() as { bytes: number; revision: number }[];
const avgState = Math.round(states.reduce((n, x) => n + x.bytes, 0) / Math.max(1, states.length));
const avgRevisions = states.reduce((n, x) => n + x.revision, 0) / Math.max(1, states.length);

out('');
out(`bench/e2e.ts — ${N} EDI + text e-mail orders (half each) through POST /api/documents, ${CONCURRENCY} requests in flight; Temporal dev server; 2 cores shared`);
out(`  load average (1/5/15 min) before: ${loadBefore}`);
out(`  ceiling (bare workflows, same calls)       ${cr.rate.toFixed(1)} orders/s   p50 ${ms(cr.p50)}  p95 ${ms(cr.p95)}  p99 ${ms(cr.p99)}   load ${loadCeiling}`);
out(`  pipeline, saturated                        ${pr.rate.toFixed(1)} orders/s   p50 ${ms(pr.p50)}  p95 ${ms(pr.p95)}  p99 ${ms(pr.p99)}   load ${loadPipeline}`);
out(`  ratio pipeline / ceiling                   ${((100 * pr.rate) / cr.rate).toFixed(0)} %   (target ≥ 60 %)`);
out(`  steady 10 docs/s, ${STEADY} EDI / text       ${sr.rate.toFixed(1)} orders/s   p50 ${ms(sr.p50)}  p95 ${ms(sr.p95)}  p99 ${ms(sr.p99)}   (target p95 ≤ 1 s)   load ${loadSteady}`);
out(`  1-page fax, 1 every 2 s, ${FAXES}               p50 ${ms(fr.p50)}  p95 ${ms(fr.p95)}  p99 ${ms(fr.p99)}   (target p95 ≤ 3 s)   load ${loadFax}`);
out(`  per order: documents ${avgBytes(bulk)} B (EDI/e-mail), ${avgBytes(faxes)} B (fax); read-model state ${avgState} B, ${avgRevisions.toFixed(1)} revisions (one publishOrder local activity each)`);

rm.close();
await app.close();
await stack.stop();
await env.teardown();
process.exit(0);
