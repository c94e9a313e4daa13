// What one order costs Temporal, counted from real histories: an EDI order and a text e-mail through
// the real intake (dev server, worker, readers), beside the ceiling's bare pair (bench/e2e-ceiling/).
// Per workflow of the order: workflow tasks, activities, local activities (markers), signals,
// updates, search-attribute upserts, and the payload bytes written into the history.
// Run: TZ=UTC tsx bench/e2e-counts.ts [--events] [--record test/integration/histories NAME]
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import proto, { type temporal } from '@temporalio/proto';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const { startTemporal, startStack, eventually, uniqueQueue } = await import('../test/support/temporal');
const { loadMasterData } = await import('../storage/masterdata-source');
const { loadScenarios } = await import('./dedup-fixtures');
const { documentFor } = await import('./dedup-workflows/documents');
const { ceilingActivities } = await import('./e2e-ceiling/activities');
const { customerWorkflowId } = await import('../workflows/definitions');

type History = temporal.api.history.v1.IHistory;
/** `--record DIR NAME`: keep the order and coordinator histories (replay tests of the next workflow change). */
const RECORD = process.argv.includes('--record') ? process.argv[process.argv.indexOf('--record') + 1]! : null;
const RECORD_NAME = RECORD ? process.argv[process.argv.indexOf('--record') + 2]! : '';
const ROOT = join(import.meta.dirname, '..');
const EventType = proto.temporal.api.enums.v1.EventType;

/** Bytes of every payload an event carries (inputs, results, signal and update arguments, markers). */
function payloadBytes(e: unknown): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (v instanceof Uint8Array) return;
    const o = v as Record<string, unknown>;
    if (o.data instanceof Uint8Array && 'metadata' in o) n += o.data.length;
    for (const x of Object.values(o)) walk(x);
  };
  walk(e);
  return n;
}

interface Count { events: number; workflowTasks: number; activities: number; localActivities: number; signals: number; updates: number; searchAttributeUpserts: number; timers: number; payloadBytes: number }

function count(h: History, filter: (e: temporal.api.history.v1.IHistoryEvent) => boolean = () => true): Count {
  const c: Count = { events: 0, workflowTasks: 0, activities: 0, localActivities: 0, signals: 0, updates: 0, searchAttributeUpserts: 0, timers: 0, payloadBytes: 0 };
  for (const e of h.events ?? []) {
    if (!filter(e)) continue;
    c.events++;
    c.payloadBytes += payloadBytes(e);
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: c.workflowTasks++; break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: c.activities++; break;
      case EventType.EVENT_TYPE_MARKER_RECORDED: c.localActivities++; break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: c.signals++; break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: c.updates++; break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: c.searchAttributeUpserts++; break;
      case EventType.EVENT_TYPE_TIMER_STARTED: c.timers++; break;
    }
  }
  return c;
}

const line = (label: string, c: Count) =>
  `  ${label.padEnd(34)} ${String(c.events).padStart(4)} events  WFT ${c.workflowTasks}  act ${c.activities}  LA ${c.localActivities}  signals ${c.signals}  updates ${c.updates}  SA ${c.searchAttributeUpserts}  timers ${c.timers}  payloads ${c.payloadBytes} B`;
const sum = (cs: Count[]): Count => cs.reduce((a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Count] + b[k as keyof Count]])) as unknown as Count);

const env = await startTemporal();
const md = loadMasterData(join(ROOT, 'fixtures/masterdata'));
const all = loadScenarios().flatMap((s) => [...s.existing, s.incoming]);
const template = (parser: string, channel: string) => all.find((x) => x.order.provenance.parser === parser && x.channel === channel)!;

// The pipeline: an EDI order and a text e-mail, each the second document of its customer (the first
// started the customer's coordinator; its share is the events the second placement added).
const stack = await startStack(env, 'e2e-counts');
const out: string[] = [];
const run = String(Date.now() % 10_000_000).padStart(7, '0');
for (const [kind, t] of [['EDI', template('edi', 'edi')], ['text e-mail', template('email-body', 'email')]] as const) {
  const customer = t.order.customer.id!;
  const coordinator = env.client.workflow.getHandle(customerWorkflowId(customer, stack.cfg.taskQueue));
  // Two documents of the customer: the first starts its coordinator, the second is the one counted.
  let counted: { po: string; intake: History; order: History; coordinatorBefore: number } | null = null;
  for (const n of [1, 2]) {
    const po = `${run}${kind === 'EDI' ? 1 : 2}${n}`;
    const doc = await documentFor({ ...t, orderId: po, order: { ...t.order, poNumber: po } }, md, n);
    const coordinatorBefore = n === 2 ? ((await coordinator.fetchHistory()).events ?? []).length : 0;
    const r = await stack.ingestor.submit(doc.bytes, { fileName: doc.fileName, channel: doc.channel, receivedAt: new Date().toISOString() });
    const intake = env.client.workflow.getHandle(`doc-${r.sha256}`);
    const result = await intake.result();
    const orderWf = result.orders[0]!.orderWorkflowId;
    // Routed, then whatever follows at once (EDI confirmation, touchless decision): wait until the order workflow is idle.
    await eventually(() => stack.readModel.get(orderWf.replace(/^order-/, '')), (s) => Boolean(s?.route), 30_000, 'routed');
    await new Promise((res) => setTimeout(res, 1500));
    counted = { po, intake: await intake.fetchHistory(), order: await env.client.workflow.getHandle(orderWf).fetchHistory(), coordinatorBefore };
  }
  const hCustomer = await coordinator.fetchHistory();
  // The coordinator's share of the second document: the events its placement added.
  const parts = { intake: count(counted!.intake), order: count(counted!.order), coordinator: count({ events: (hCustomer.events ?? []).slice(counted!.coordinatorBefore) }) };
  out.push(`pipeline, ${kind} (PO ${counted!.po}):`);
  for (const [k, c] of Object.entries(parts)) out.push(line(k, c));
  out.push(line('total', sum(Object.values(parts))));
  if (RECORD) {
    const name = kind === 'EDI' ? 'edi' : 'email';
    writeFileSync(join(RECORD, `order-${name}-${RECORD_NAME}.json`), historyToJSON(counted!.order));
    writeFileSync(join(RECORD, `customer-${name}-${RECORD_NAME}.json`), historyToJSON(hCustomer));
  }
  if (process.argv.includes('--events')) {
    for (const [k, h] of [['order', counted!.order], ['coordinator', { events: (hCustomer.events ?? []).slice(counted!.coordinatorBefore) }]] as const) out.push(`  ${k} events: ${(h.events ?? []).map((e) => EventType[e.eventType!]!.replace('EVENT_TYPE_', '').toLowerCase()).join(', ')}`);
  }
}
await stack.stop();

// The ceiling's pair: one order with confirmation (as EDI) and one without (as e-mail).
const taskQueue = uniqueQueue('e2e-counts-ceiling');
const bundle = await bundleWorkflowCode({ workflowsPath: join(ROOT, 'bench/e2e-ceiling/workflows.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
const done = new Set<string>();
const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: ceilingActivities(env.client, taskQueue, (id) => done.add(id)) });
const running = worker.run();
for (const confirm of [true, false]) {
  const id = `${run}-${confirm ? 'edi' : 'mail'}`;
  const h = await env.client.workflow.start('bareIntake', { workflowId: `bare-doc-${id}`, taskQueue, args: [{ id, confirm, customer: `c-${id}` }] });
  await h.result();
  await eventually(() => done.has(id), (x) => x, 30_000, 'ceiling order published');
  await new Promise((res) => setTimeout(res, 1000));
  const parts = {
    intake: count(await h.fetchHistory()),
    order: count(await env.client.workflow.getHandle(`bare-order-${id}`).fetchHistory()),
    coordinator: count(await env.client.workflow.getHandle(`bare-customer-c-${id}-${taskQueue}`).fetchHistory(), (e) => e.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
  };
  out.push(`ceiling, ${confirm ? 'with' : 'without'} confirmation:`);
  for (const [k, c] of Object.entries(parts)) out.push(line(k, c));
  out.push(line('total', sum(Object.values(parts))));
}
worker.shutdown();
await running;
console.log(out.join('\n'));
await env.teardown();
process.exit(0);
