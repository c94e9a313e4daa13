// End to end on the Temporal dev server: N EDI and text-email orders (half each) through the real HTTP
// intake (POST /api/documents), read, delivered, routed by the example rules; then a steady 10
// documents/s for the latency target; then a few 1-page faxes (OCR). In the same run, the ceiling: a
// bare workflow pair with the same Temporal calls per order doing nothing (bench/e2e-ceiling/).
// The saturated and steady phases run twice: with every customer of the master data (25 e-mail
// senders, the 5 with an X12 ID for EDI: each coordinator sees a share of the load) and with two
// customers (the worst case for the per-customer coordinator, and the figure first published).
// Receipt → routed is measured from the HTTP request's start to the commit of the order's first state
// with a route in the read model (what a person sees): the bench is told by the read model itself.
// Run: npm run bench:e2e -- [--n 2000] [--steady 100] [--faxes 20] [--concurrency 16] [--profile out.cpuprofile]
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, makeTelemetryFilterString } from '@temporalio/worker';

// The core's "workflow task took more than 5 s" warnings on a loaded machine would drown the figures.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

const { startTemporal, startStack, quietLog, uniqueQueue } = await import('../test/support/temporal');
const { buildHttpServer } = await import('../http/server');
const { loadMasterData } = await import('../storage/masterdata-source');
const { loadScenarios } = await import('./dedup-fixtures');
const { documentFor } = await import('./dedup-workflows/documents');
const { ceilingActivities } = await import('./e2e-ceiling/activities');
const { cpuNow, cpuPerOrder } = await import('./e2e/cpu');
type OrderState = import('../workflows/definitions').OrderState;
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
const PROFILE = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1]! : null;
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
/** The template's order as another customer's: its name and its first delivery address. */
const asCustomer = (t: DedupOrder, id: string): DedupOrder => {
  const c = md.customer(id)!;
  const a = md.addressesOf(id, 'delivery')[0] ?? md.addressesOf(id)[0];
  const shipTo = a ? { code: a.code, gln: a.gln, name: a.name, street: a.street, postalCode: a.postalCode, city: a.city, country: a.country } : t.order.shipTo;
  return { ...t, order: { ...t.order, customer: { ...t.order.customer, id, name: c.name }, shipTo } };
};
const customers = md.customers;
const spread = {
  edi: customers.filter((c) => c.x12Id).map((c) => asCustomer(templates.edi, c.id)),
  email: customers.filter((c) => c.emailDomains.length > 0).map((c) => asCustomer(templates.email, c.id)),
};
let serial = 0;
const KIND_DIGIT = { edi: 1, email: 2, fax: 3 } as const;
/**
 * A document with a fresh PO; `key` is its sha256, by which the read model says when its order is
 * routed. `spreadOver`: the i-th customer of the master data able to send it, else the template's.
 */
async function makeDoc(kind: keyof typeof templates, i: number, spreadOver = false): Promise<{ key: string; doc: GeneratedDocument }> {
  const po = `${run}${KIND_DIGIT[kind]}${String(i).padStart(5, '0')}`;
  const forms = kind === 'fax' || !spreadOver ? [templates[kind]] : spread[kind];
  const t = forms[Math.floor(i / 2) % forms.length]!;
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
// Told by the read model: the first applied state of an order with a route is when a person sees it routed.
const routedAt = new Map<string, number>();
const upsert = stack.readModel.upsert.bind(stack.readModel);
stack.readModel.upsert = (state: OrderState) => {
  const applied = upsert(state);
  if (applied && state.route) {
    const now = performance.now();
    for (const d of state.documents) if (!routedAt.has(d.sha256)) routedAt.set(d.sha256, now);
  }
  return applied;
};

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
      for (const key of phase.sent.keys()) {
        const at = routedAt.get(key);
        if (at !== undefined && !phase.routed.has(key)) phase.routed.set(key, at);
      }
      if (phase.routed.size !== lastSize) [lastSize, lastChange] = [phase.routed.size, now];
      const stalled = now - lastChange > STALL_MS && phase.sent.size >= expected;
      if (stalled) console.error(`${phase.name}: only ${phase.routed.size} of ${expected} routed (stalled ${STALL_MS / 1000} s); sample of unrouted documents: ${[...phase.sent.keys()].filter((k) => !phase.routed.has(k)).slice(0, 3).join(', ')}`);
      if (phase.routed.size >= expected || stalled) {
        phase.ended = Math.max(...phase.routed.values());
        console.error(`${phase.name}: ${phase.routed.size} routed (load ${load()})`);
        return resolve();
      }
      setTimeout(tick, 100);
    };
    tick();
  });
}

async function saturated(docs: { key: string; doc: GeneratedDocument }[], name: string): Promise<Phase> {
  const phase: Phase = { name, sent: new Map(), routed: new Map(), started: performance.now(), ended: 0 };
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

console.error(`generating ${N} + ${STEADY} EDI / text e-mail documents, twice, and ${FAXES} faxes…`);
const gen = async (n: number, offset: number, spreadOver: boolean) =>
  Promise.all(Array.from({ length: n }, (_, i) => makeDoc(i % 2 === 0 ? 'edi' : 'email', offset + i, spreadOver)));
const bulkMany = await gen(N, 0, true);
const pacedMany = await gen(STEADY, N, true);
const bulkTwo = await gen(N, N + STEADY, false);
const pacedTwo = await gen(STEADY, 2 * N + STEADY, false);
const faxes: { key: string; doc: GeneratedDocument }[] = [];
for (let i = 0; i < FAXES; i++) faxes.push(await makeDoc('fax', i));
const avgBytes = (ds: { doc: GeneratedDocument }[]) => Math.round(ds.reduce((n, d) => n + d.doc.bytes.length, 0) / Math.max(1, ds.length));

const lines: string[] = [];
const out = (s: string) => {
  lines.push(s);
  console.log(s);
};

/** A phase with the CPU it cost per order (this process, the dev server, the readers). */
async function measured(run: () => Promise<Phase>): Promise<{ phase: Phase; cpu: string; load: string }> {
  const before = cpuNow();
  const phase = await run();
  return { phase, cpu: cpuPerOrder(before, cpuNow(), phase.routed.size).text, load: load() };
}

const loadBefore = load();
console.error('ceiling…');
const c = await measured(ceiling);
console.error(`ceiling: ${c.phase.routed.size} done (load ${c.load})`);
const profiler = PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const pMany = await measured(() => saturated(bulkMany, 'pipeline, all customers'));
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(PROFILE!, JSON.stringify(profile));
  console.error(`CPU profile of the saturated phase (main thread) written to ${PROFILE}`);
}
const sMany = await measured(() => steady(pacedMany, 10, 'steady 10/s, all customers'));
const pTwo = await measured(() => saturated(bulkTwo, 'pipeline, two customers'));
const sTwo = await measured(() => steady(pacedTwo, 10, 'steady 10/s, two customers'));
// Warm the OCR engine once (its first page loads the language data), outside the figures.
const warm = await makeDoc('fax', 10_000);
await steady([warm], 1, 'warm-up');
const f = await measured(() => steady(faxes, 0.5, 'fax'));

// Where the time goes: what each order costs the read model and Temporal's payloads.
const states = stack.readModel.list({ query: run, limit: 100_000 }).filter((o) => o.poNumber?.startsWith(run));
const avgState = Math.round(states.reduce((n, x) => n + JSON.stringify(x).length, 0) / Math.max(1, states.length));
const avgRevisions = states.reduce((n, x) => n + x.revision, 0) / Math.max(1, states.length);

const row = (label: string, m: { phase: Phase; cpu: string; load: string }, target = '') => {
  const r = report(m.phase);
  return `  ${label.padEnd(42)} ${r.rate.toFixed(1).padStart(5)} orders/s   p50 ${ms(r.p50)}  p95 ${ms(r.p95)}  p99 ${ms(r.p99)}${target}   load ${m.load}\n  ${''.padEnd(42)} CPU per order ${m.cpu}`;
};
const cr = report(c.phase);
const ratio = (m: { phase: Phase }) => `${((100 * report(m.phase).rate) / cr.rate).toFixed(0)} %`;
out('');
out(`bench/e2e.ts — ${N} EDI + text e-mail orders (half each) through POST /api/documents, ${CONCURRENCY} requests in flight; Temporal dev server on the same 2 cores, shared`);
out(`  load average (1/5/15 min) before: ${loadBefore}`);
out(row('ceiling (bare workflows, same calls)', c));
out(row(`pipeline, saturated, ${spread.edi.length} EDI / ${spread.email.length} e-mail customers`, pMany));
out(`  ratio pipeline / ceiling                   ${ratio(pMany)}   (target ≥ 60 %)`);
out(row(`steady 10 docs/s, ${STEADY}, same customers`, sMany, '   (target p95 ≤ 1 s)'));
out(row('pipeline, saturated, 2 customers (worst)', pTwo));
out(`  ratio pipeline / ceiling                   ${ratio(pTwo)}   (target ≥ 60 %)`);
out(row(`steady 10 docs/s, ${STEADY}, 2 customers`, sTwo, '   (target p95 ≤ 1 s)'));
out(row(`1-page fax, 1 every 2 s, ${FAXES}`, f, '   (target p95 ≤ 3 s)'));
out(`  per order: documents ${avgBytes(bulkMany)} B (EDI/e-mail), ${avgBytes(faxes)} B (fax); read-model state ${avgState} B, revision ${avgRevisions.toFixed(1)} when done`);
out('  baseline (README, issue #16, quiet, 2 customers): N = 2,000: ceiling 20.2/s, pipeline 10.4/s = 51 %, steady p95 4,755 ms, fax p95 849 ms; N = 400: 45 %, steady p95 925 ms, fax p95 768 ms');
out('  before the code-version orders (README, quiet; its bare order made 1–2 activities and 2 local activities where today\'s makes 0–1 and 4): N = 2,000: 58 % (all) / 52 % (two), steady p95 1,677 / 1,099 ms; N = 400: 58 % / 51 %, steady p95 577 / 655 ms');

await app.close();
await stack.stop();
await env.teardown();
process.exit(0);
