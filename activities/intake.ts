// The intake's side effects: read a document (extract), hand its orders to their order workflows
// through the customer's dedup coordinator (deliverOrders), split a document off into its own order,
// and keep an unusable document visibly in the quarantine.
import { ApplicationFailure } from '@temporalio/common';
import { sniff } from '../parsers/sniff';
import { metrics, OCR_KINDS } from '../worker/metrics';
import type { MasterData } from '../domain/masterdata';
import type { DocumentMeta, Order, Problem } from '../domain/order';
import { deduplicate, type DedupResult } from '../domain/dedup';
import { slimOrder, type Placement, type Revision } from '../domain/customer-dedup';
import { orderProblems } from '../domain/anomalies';
import type { OrderDocument, OrderState } from '../domain/order-model';
import type { PastLines } from '../storage/read-model';
import { documentReceived, orderIdFromWorkflowId, orderWorkflowId, orderWorkflowIdFor, orderStateQuery, splitDocumentUpdate, ORDER_CODE_VERSION, ORDER_WORKFLOW, type OrderWorkflow } from '../workflows/definitions';
import { placeWithCoordinator } from './coordinator';
import { READER_BUSY, sharedExtractRunner } from './extract-runner';
import { perKeyLimit } from './per-key-limit';
import { heartbeat, type ActivityDeps, type StoredExtraction } from './deps';

const EXTRACT_DEADLINE_MS = 10 * 60_000;

/** Updates in flight per customer coordinator from one worker process (Temporal's default cap is 10). */
const COORDINATOR_UPDATES_IN_FLIGHT = 6;

/** Who splits a probable duplicate off when a later document makes it doubtful (the order's history shows it). */
const REVISED_BY = 'aiguillage (dédoublonnage)';
/** Half-seconds to wait for a probable duplicate to reach its first order before the activity is retried. */
const REVISION_WAIT_ATTEMPTS = 60;

/** The activities' dependencies, plus the per-customer limit on coordinator updates of this process. */
type IntakeContext = ActivityDeps & { toCoordinator: ReturnType<typeof perKeyLimit> };

export function createIntakeActivities(deps: ActivityDeps) {
  const c: IntakeContext = { ...deps, toCoordinator: perKeyLimit(COORDINATOR_UPDATES_IN_FLIGHT) };
  return {
    extract: (input: Parameters<typeof extract>[1]) => extract(c, input),
    deliverOrders: (input: Parameters<typeof deliverOrders>[1]) => deliverOrders(c, input),
    startSplitOrder: (input: Parameters<typeof startSplitOrder>[1]) => startSplitOrder(c, input),
    quarantine: (input: Parameters<typeof quarantine>[1]) => quarantine(c, input),
  };
}

/**
 * A customer's past orders' lines (the first 200 the read model lists), read once per delivered
 * order: the anomalies' quantity history. Only PO, SKUs and quantities are read, never whole states:
 * parsing 500 states was most of what delivering an order cost once a customer had a history.
 */
function customerOrders(c: IntakeContext, customerId: string | null): () => PastLines[] {
  let cached: PastLines[] | null = null;
  return () => (cached ??= customerId ? c.readModel.customerLines(customerId, 200) : []);
}

function anomaliesOf(c: IntakeContext, order: Order, readProblems: Problem[], dedup?: Pick<DedupResult, 'decision' | 'matchOrderId'>, listed: () => PastLines[] = customerOrders(c, order.customer.id)): Problem[] {
  const history: Record<string, number[]> = {};
  if (order.customer.id) {
    for (const past of listed()) {
      if (past.poNumber === order.poNumber) continue;
      for (const l of past.lines) if (l.sku && l.quantity !== null) (history[l.sku] ??= []).push(l.quantity);
    }
  }
  return orderProblems(order, readProblems, c.masterData(), { history, dedup: dedup ? { decision: dedup.decision, matchOrderId: dedup.matchOrderId } : undefined });
}

/**
 * Where an order goes. A known customer's document is placed by the customer's coordinator
 * (workflows/customer.ts, update-with-start): one decision at a time per customer, remembered, so
 * the same again (a retry of this activity) gets the same answer. Without a customer nothing can
 * be matched: the document is an order of its own (keyed by its hash), as before.
 */
async function findTarget(c: IntakeContext, order: Order, meta: DocumentMeta, sha256: string, index: number): Promise<{ workflowId: string; placement?: Placement; decision?: Pick<DedupResult, 'decision' | 'matchOrderId'> }> {
  const customerId = order.customer.id;
  if (!customerId) {
    const r = deduplicate({ orderId: '', order, channel: meta.channel, receivedAt: meta.receivedAt }, []);
    return { workflowId: orderWorkflowIdFor(order, sha256, index), decision: r };
  }
  const doc = { sha256, index, channel: meta.channel, receivedAt: meta.receivedAt, order: slimOrder(order) };
  const placement = await c.toCoordinator(customerId, () => placeWithCoordinator({ client: c.client, taskQueue: c.taskQueue, customerId, doc }));
  if (placement.decision.matchOrderId) c.log.info({ sha256, orderId: placement.orderKey, role: placement.role, score: placement.decision.score }, 'document recognised as part of an existing order');
  return { workflowId: orderWorkflowId(placement.orderKey), placement, decision: placement.decision };
}

/**
 * A probable duplicate that a later document made doubtful (domain/customer-dedup.ts reviseProbable)
 * becomes an order of its own, as an agent's "ce n'est pas un doublon" would make it. Its own
 * delivery may still be on its way to the first order: wait for it there, or find it already in its
 * own order (a retried delivery of it is placed there directly). Idempotent: a retry finds it split.
 */
async function applyRevision(c: IntakeContext, r: Revision): Promise<void> {
  const holds = (s: OrderState | null) => s?.documents.find((x) => x.sha256 === r.sha256 && x.index === r.index);
  const state = (key: string) => c.client.workflow.getHandle(orderWorkflowId(key)).query(orderStateQuery).catch(() => null);
  for (let attempt = 1; ; attempt++) {
    const d = holds(await state(r.fromOrderKey));
    if (d?.role === 'split' || holds(await state(r.toOrderKey))) return;
    if (d) {
      try {
        await c.client.workflow.getHandle(orderWorkflowId(r.fromOrderKey)).executeUpdate(splitDocumentUpdate, { args: [{ by: REVISED_BY, sha256: r.sha256, index: r.index, reason: r.reason }] });
        c.log.info({ sha256: r.sha256, index: r.index, from: r.fromOrderKey, to: r.toOrderKey }, 'probable duplicate split off: a later document made it doubtful');
        return;
      } catch (e) {
        if (holds(await state(r.fromOrderKey))?.role === 'split') return;
        throw e;
      }
    }
    if (attempt >= REVISION_WAIT_ATTEMPTS) throw new Error(`document ${r.sha256} #${r.index + 1} has not reached order ${r.fromOrderKey} yet: it cannot be split off (retried by Temporal)`);
    heartbeat();
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** Hands a document to its order workflow, starting it if needed (signal-with-start: idempotent). */
function toOrderWorkflow(c: IntakeContext, workflowId: string, doc: OrderDocument) {
  return c.client.workflow.signalWithStart<OrderWorkflow, [OrderDocument]>(ORDER_WORKFLOW, {
    workflowId,
    taskQueue: c.taskQueue,
    args: [{ retentionDays: c.retentionDays, sla: c.sla, codeVersion: ORDER_CODE_VERSION }],
    signal: documentReceived,
    signalArgs: [doc],
  });
}

/** Read the document and keep what was extracted beside it; returns only counts (payload limits). */
async function extract(c: IntakeContext, { sha256 }: { sha256: string }): Promise<{ orderCount: number; problems: Problem[] }> {
  const meta = await c.store.meta(sha256);
  const bytes = await c.store.bytes(sha256);
  const beat = setInterval(() => heartbeat(), 10_000);
  const deadlineMs = c.extractDeadlineMs ?? EXTRACT_DEADLINE_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading took more than ${deadlineMs / 1000} s: abandoned`)), deadlineMs);
  });
  const kind = sniff(bytes);
  const started = performance.now();
  try {
    // The runner kills a reader at the document's own deadline (EXTRACTION_TIMEOUT); the race is the last net.
    const read = c.extractDocument ?? ((b: Buffer, m: DocumentMeta, md: MasterData) => sharedExtractRunner().run(b, m, md));
    const ex = await Promise.race([read(bytes, meta, c.masterData()), deadline]);
    const busy = ex.extracted.length === 0 ? ex.result.problems.find((p) => p.code === READER_BUSY) : undefined;
    // Nothing learnt about the document: fail this attempt so that Temporal reads it again later.
    if (busy) throw ApplicationFailure.create({ message: busy.message, type: 'ReaderBusy' });
    const seconds = (performance.now() - started) / 1000;
    metrics.extraction.observe({ kind }, seconds);
    if (OCR_KINDS.has(kind)) metrics.ocr.observe(seconds);
    metrics.extracted.inc({ kind, outcome: ex.extracted.length > 0 ? 'orders' : 'none' });
    const docProblems = ex.result.problems.filter((p) => !ex.extracted.some((e) => e.problems.includes(p)));
    await c.store.putResult(sha256, { extracted: ex.extracted, problems: ex.result.problems } satisfies StoredExtraction);
    c.log.info({ sha256, fileName: meta.fileName, orders: ex.extracted.length, problems: ex.result.problems.length }, 'document extracted');
    return { orderCount: ex.extracted.length, problems: (ex.extracted.length === 0 ? ex.result.problems : docProblems).slice(0, 50) };
  } finally {
    clearInterval(beat);
    clearTimeout(timer);
  }
}

/** The stored extraction is gone or damaged: retrying the delivery cannot help, reading the document again can. */
function isLost(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT' || e instanceof SyntaxError;
}

/** The extraction kept beside a document; gone or damaged, the delivery fails at once (not 10 times over 4 minutes) and the intake quarantines it. */
async function keptExtraction(c: IntakeContext, sha256: string): Promise<StoredExtraction> {
  try {
    return await c.store.result<StoredExtraction>(sha256);
  } catch (e) {
    if (!isLost(e)) throw e;
    throw ApplicationFailure.create({ message: `the reading kept for this document is missing or damaged (${(e as Error).message}); retry the document to read it again`, type: 'ExtractionLost', nonRetryable: true });
  }
}

/** Hand orders [from, to) of a document to their order workflows (signal-with-start: idempotent). */
async function deliverOrders(c: IntakeContext, { sha256, from, to }: { sha256: string; from: number; to: number }) {
  const meta = await c.store.meta(sha256);
  const { extracted } = await keptExtraction(c, sha256);
  // A document retried out of the quarantine leaves it once its orders are on their way.
  if (from === 0) c.readModel.releaseQuarantine(sha256, new Date().toISOString());
  const out: { orderWorkflowId: string; poNumber: string | null; customerId: string | null }[] = [];
  for (let i = from; i < to && i < extracted.length; i++) {
    const { order, problems: readProblems } = extracted[i]!;
    if (order.provenance.signals.includes('test')) {
      // A partner's test interchange is read and acknowledged like any other, but never becomes work.
      const sandboxId = `sandbox-${orderWorkflowIdFor(order, sha256, i).replace(/^order-/, '')}`;
      c.readModel.recordSandbox({ id: sandboxId, sha256, fileName: meta.fileName, receivedAt: meta.receivedAt, order, problems: readProblems });
      c.log.info({ sha256, sandboxId, poNumber: order.poNumber }, 'test order kept in the sandbox');
      out.push({ orderWorkflowId: sandboxId, poNumber: order.poNumber, customerId: order.customer.id });
      continue;
    }
    const listed = customerOrders(c, order.customer.id);
    const target = await findTarget(c, order, meta, sha256, i);
    const problems = anomaliesOf(c, order, readProblems, target.decision, listed);
    const workflowId = target.workflowId;
    const p = target.placement;
    const doc: OrderDocument = {
      document: { sha256, fileName: meta.fileName, mediaType: meta.mediaType, channel: meta.channel, receivedAt: meta.receivedAt },
      index: i,
      order,
      problems,
      ...(p?.decision.matchOrderId && p.evidence.length ? { matchEvidence: p.evidence } : {}),
      ...(p ? { decision: p.role } : {}),
      ...(p?.probable ? { probable: true as const } : {}),
    };
    await toOrderWorkflow(c, workflowId, doc);
    for (const r of p?.revisions ?? []) await applyRevision(c, r);
    c.log.info({ sha256, workflowId, orderId: orderIdFromWorkflowId(workflowId), poNumber: order.poNumber }, 'order delivered');
    out.push({ orderWorkflowId: workflowId, poNumber: order.poNumber, customerId: order.customer.id });
    if (i % 10 === 0) heartbeat();
  }
  return out;
}

/**
 * An agent split a document off the order it was attached to ("ce n'est pas un doublon"): it
 * becomes its own order, from the extraction kept beside it, routed like any other. The
 * workflow ID is the document's own (the one a "kept apart" document gets), so a retry or a
 * second click signals the same workflow, which ignores a document it already holds.
 */
async function startSplitOrder(c: IntakeContext, { sha256, index, orderKey: key, fromOrderId, by, reason }: { sha256: string; index: number; orderKey: string; fromOrderId: string; by: string; reason: string | null }): Promise<{ orderWorkflowId: string }> {
  const meta = await c.store.meta(sha256);
  const { extracted } = await c.store.result<StoredExtraction>(sha256);
  const ex = extracted[index];
  if (!ex) throw new Error(`document ${sha256} holds no order ${index + 1} (it has ${extracted.length}): cannot split it off ${fromOrderId}`);
  const doc: OrderDocument = {
    document: { sha256, fileName: meta.fileName, mediaType: meta.mediaType, channel: meta.channel, receivedAt: meta.receivedAt },
    index,
    order: ex.order,
    problems: anomaliesOf(c, ex.order, ex.problems),
    splitFrom: { orderId: fromOrderId, by, reason },
  };
  const workflowId = orderWorkflowId(key);
  await toOrderWorkflow(c, workflowId, doc);
  c.log.info({ sha256, workflowId, orderId: key, fromOrderId, by }, 'document split off into its own order');
  return { orderWorkflowId: workflowId };
}

/**
 * Nothing usable in the document, or its intake failed: keep it, visibly, with the reason. Made
 * to succeed when little else does: what the workflow knows of the document stands in for
 * unreadable metadata, and the read model (what people see) is written before the store's record.
 */
async function quarantine(c: IntakeContext, { sha256, problems, document }: { sha256: string; problems: Problem[]; document?: Pick<DocumentMeta, 'fileName' | 'channel' | 'receivedAt'> }): Promise<void> {
  const meta = await c.store.meta(sha256).catch(() => null);
  const about = meta ?? document ?? { fileName: sha256, channel: 'api', receivedAt: new Date().toISOString() };
  const rec = { sha256, fileName: about.fileName, channel: about.channel, receivedAt: about.receivedAt, quarantinedAt: new Date().toISOString(), problems };
  c.readModel.recordQuarantine(rec);
  for (const reason of new Set(problems.filter((p) => p.severity === 'error').map((p) => p.code))) metrics.quarantined.inc({ reason });
  if (!problems.some((p) => p.severity === 'error')) metrics.quarantined.inc({ reason: 'NO_ORDER' });
  await c.store.quarantine(rec);
  c.log.warn({ sha256, fileName: about.fileName, reasons: problems.map((p) => p.code) }, 'document quarantined');
}
