// Where a document goes, decided once per customer and one document at a time: the customer's
// coordinator workflow (workflows/customer.ts) keeps this memory of the customer's recent documents and
// calls `placeDocument` for each new one, so that no two documents of one customer are ever decided
// at the same time, each sees every document decided before it (not a read model that may lag), and
// the grouping does not depend on the arrival order or the concurrency. Pure: runs in the workflow.
import { deduplicate, normalisePo, type DedupConfig, type DedupOrder, type DedupResult, DEFAULT_DEDUP_CONFIG } from './dedup';
import { orderKey } from './keys';
import type { Channel, Order } from './order';

/** What a document is to the order it goes to. 'original' also for an original arriving after its amendment or cancellation. */
export type PlacedRole = 'original' | 'duplicate' | 'amendment' | 'cancellation';

export interface IncomingDocument {
  sha256: string;
  index: number;
  channel: Channel;
  receivedAt: string;
  order: Order;
}

export interface Placement {
  /** Key of the order workflow (workflows/definitions.ts orderWorkflowId). */
  orderKey: string;
  role: PlacedRole;
  /** The dedup rules' decision, with its evidence (anomalies read it: a revision without its original). */
  decision: Pick<DedupResult, 'decision' | 'matchOrderId' | 'certainty' | 'score'>;
  /** The dedup rules could not prove the duplicate: attached for an agent to confirm or split. */
  probable: boolean;
  /** Evidence worth showing the agent (weighted facts, purpose, channel, certainty). */
  evidence: { field: string; how: string }[];
  /** Earlier probable duplicates this document made doubtful: to split off into their own orders. */
  revisions?: Revision[];
}

/** A probable duplicate that a later decision turned into an order of its own (see reviseProbable). */
export interface Revision {
  sha256: string;
  index: number;
  /** The order it was attached to. */
  fromOrderKey: string;
  /** The order it becomes (the key a document kept apart gets: domain/order-state.ts splitOrderId). */
  toOrderKey: string;
  reason: string;
}

export interface MemoryEntry {
  /** When it was placed (the coordinator's clock): what ages out of memory, whatever the receipt times. */
  placedAt?: string;
  sha256: string;
  index: number;
  channel: Channel;
  receivedAt: string;
  /** What was read, slimmed to what the dedup rules compare. */
  order: Order;
  placement: Placement;
}

export interface CustomerMemory {
  customerId: string;
  entries: MemoryEntry[];
}

export interface MemoryLimits {
  /**
   * Candidates are documents received this close (amendments are looked for 60 days back), and a
   * document is forgotten this long after it was placed. By placing time, not receipt time: a backlog
   * replayed in any order keeps every document it holds.
   */
  days: number;
  /** At most this many documents are kept (the first placed go first): bounds the workflow's state. */
  entries: number;
}
export const DEFAULT_MEMORY_LIMITS: MemoryLimits = { days: 60, entries: 500 };

export const emptyMemory = (customerId: string): CustomerMemory => ({ customerId, entries: [] });

/** The order as the dedup rules compare it: no descriptions, doubts or locations (bounded state). */
export function slimOrder(order: Order): Order {
  return {
    ...order,
    lines: order.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, customerPartNumber: l.customerPartNumber, ean: null, description: null, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, confidence: l.confidence, doubts: [] })),
    provenance: { parser: order.provenance.parser, location: null, signals: order.provenance.signals.slice(0, 20).map((x) => x.slice(0, 200)) },
  };
}

/**
 * The order a document belongs to, and its role there. The same document again gets the same answer
 * (an activity retried after the decision was taken). Precision first, as in domain/dedup.ts.
 */
export function placeDocument(memory: CustomerMemory, doc: IncomingDocument, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS, config: DedupConfig = DEFAULT_DEDUP_CONFIG): Placement {
  const prior = memory.entries.find((e) => e.sha256 === doc.sha256 && e.index === doc.index);
  if (prior) return prior.placement;
  const customerId = memory.customerId;
  const byKey = orderKey(customerId, doc.order.poNumber, doc.sha256, doc.index);
  const at = Date.parse(doc.receivedAt);
  const cancelled = new Set(memory.entries.filter((e) => e.placement.role === 'cancellation').map((e) => e.placement.orderKey));
  // Every document of an order is a candidate (a copy may resemble any of them); in both directions
  // of time, since an original may be processed after its copy. Probable duplicates are not proof.
  const candidates: DedupOrder[] = memory.entries
    .filter((e) => !e.placement.probable && Math.abs(Date.parse(e.receivedAt) - at) <= limits.days * 86_400_000)
    .map((e) => ({ orderId: e.placement.orderKey, order: e.order, channel: e.channel, receivedAt: e.receivedAt, ...(cancelled.has(e.placement.orderKey) ? { status: 'cancelled' } : {}) }));
  const incoming: DedupOrder = { orderId: '', order: doc.order, channel: doc.channel, receivedAt: doc.receivedAt };

  let target: string;
  let r: DedupResult;
  const sameKey = normalisePo(doc.order.poNumber) ? candidates.filter((c) => c.orderId === byKey) : [];
  if (sameKey.length > 0) {
    // Same customer and PO: a copy, an amendment or a cancellation of it — or, rarely, a PO number the
    // customer used again weeks later for a new order, which must not vanish into the old one.
    r = deduplicate(incoming, sameKey, config);
    target = r.decision === 'new' ? orderKey(customerId, null, doc.sha256, doc.index) : byKey;
  } else {
    r = deduplicate(incoming, candidates, config);
    target = r.decision !== 'new' && r.matchOrderId ? r.matchOrderId : byKey;
  }
  if (r.decision === 'new' && doc.order.purpose === 'original') {
    // An amendment or a cancellation processed before its original found nothing then; the original
    // must find it now by the same rule (the revision looking for its order), not by the copy rules.
    const orphan = orphanRevisionFor(memory, doc, limits, config);
    if (orphan) {
      target = orphan.orderKey;
      r = { ...orphan.result, decision: 'duplicate', matchOrderId: orphan.orderKey };
    }
  }
  const members = memory.entries.filter((e) => e.placement.orderKey === target);
  let role: PlacedRole = r.decision === 'new' ? 'original' : r.decision;
  // The original of an amendment or a cancellation that came first (an orphan): it completes that order.
  if (doc.order.purpose === 'original' && (members.length === 0 || !members.some((e) => e.placement.role === 'original'))) role = 'original';
  // A second copy of an amendment or a cancellation is one too, whichever copy came first (the order
  // keeps the most reliable copy's reading): its role does not depend on the processing order.
  if (doc.order.purpose === 'replace' && role === 'duplicate') role = 'amendment';
  if (doc.order.purpose === 'cancel' && role === 'duplicate') role = 'cancellation';
  const probable = role === 'duplicate' && r.matchOrderId !== null && r.certainty === 'probable';
  const evidence = r.evidence.filter((e) => e.weight !== 0 || e.field === 'purpose' || e.field === 'channel' || e.field === 'certainty').map(({ field, how }) => ({ field, how }));
  return { orderKey: target, role, decision: { decision: r.decision, matchOrderId: r.matchOrderId, certainty: r.certainty, score: r.score }, probable, evidence };
}

/** An order holding only revisions (no original yet) that one of them would have matched to `doc`. */
function orphanRevisionFor(memory: CustomerMemory, doc: IncomingDocument, limits: MemoryLimits, config: DedupConfig): { orderKey: string; result: DedupResult } | null {
  const at = Date.parse(doc.receivedAt);
  const withOriginal = new Set(memory.entries.filter((e) => e.placement.role === 'original').map((e) => e.placement.orderKey));
  const candidate: DedupOrder = { orderId: '\u0000incoming', order: doc.order, channel: doc.channel, receivedAt: doc.receivedAt };
  for (const e of memory.entries) {
    if (withOriginal.has(e.placement.orderKey) || e.order.purpose === 'original' || Math.abs(Date.parse(e.receivedAt) - at) > limits.days * 86_400_000) continue;
    const r = deduplicate({ orderId: e.placement.orderKey, order: e.order, channel: e.channel, receivedAt: e.receivedAt }, [candidate], config);
    if ((r.decision === 'amendment' || r.decision === 'cancellation' || r.decision === 'duplicate') && r.matchOrderId === candidate.orderId) return { orderKey: e.placement.orderKey, result: r };
  }
  return null;
}

/**
 * Places `doc` and remembers it, then revises the probable duplicates it makes doubtful. The same
 * document again gets the same placement, revisions included (a retried activity applies them again).
 */
export function placeAndRemember(memory: CustomerMemory, doc: IncomingDocument, now: string, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS, config: DedupConfig = DEFAULT_DEDUP_CONFIG): { memory: CustomerMemory; placement: Placement } {
  const prior = memory.entries.find((e) => e.sha256 === doc.sha256 && e.index === doc.index);
  if (prior) return { memory, placement: prior.placement };
  const placement = placeDocument(memory, doc, limits, config);
  const revised = reviseProbable(remember(memory, doc, placement, now, limits), doc, limits, config);
  if (revised.revisions.length === 0) return { memory: revised.memory, placement };
  const withRevisions = { ...placement, revisions: revised.revisions };
  const entries = revised.memory.entries.map((e) => (e.sha256 === doc.sha256 && e.index === doc.index ? { ...e, placement: withRevisions } : e));
  return { memory: { ...revised.memory, entries }, placement: withRevisions };
}

/**
 * A probable duplicate was attached on what was known when it came. When a document placed since
 * makes it no longer a probable duplicate of that order — typically a second order with the same
 * lines, received before it but processed after it — it becomes an order of its own: the grouping it
 * would have had, had the documents been processed in order of receipt. Only that way round: a later
 * document never creates or moves a link, and a sure decision is never revised.
 */
export function reviseProbable(memory: CustomerMemory, doc: IncomingDocument, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS, config: DedupConfig = DEFAULT_DEDUP_CONFIG): { memory: CustomerMemory; revisions: Revision[] } {
  const at = Date.parse(doc.receivedAt);
  const reach = config.probableWindowHours * 3_600_000;
  const revisions: Revision[] = [];
  let entries = memory.entries;
  for (const e of memory.entries) {
    if (!e.placement.probable || (e.sha256 === doc.sha256 && e.index === doc.index) || Math.abs(Date.parse(e.receivedAt) - at) > reach) continue;
    const rest = { ...memory, entries: entries.filter((x) => x !== e) };
    const again = placeDocument(rest, { sha256: e.sha256, index: e.index, channel: e.channel, receivedAt: e.receivedAt, order: e.order }, limits, config);
    if (again.decision.decision !== 'new' || again.decision.matchOrderId !== null) continue;
    const toOrderKey = orderKey(memory.customerId, null, e.sha256, e.index);
    const doubt = again.evidence.find((x) => x.field === 'certainty')?.how ?? 'plus rien ne le rattache à cette commande';
    const reason = `séparé automatiquement après l'arrivée d'un autre document : ${doubt}`;
    revisions.push({ sha256: e.sha256, index: e.index, fromOrderKey: e.placement.orderKey, toOrderKey, reason });
    const placement: Placement = { orderKey: toOrderKey, role: 'original', decision: again.decision, probable: false, evidence: [...again.evidence, { field: 'certainty', how: reason }] };
    entries = entries.map((x) => (x === e ? { ...x, placement } : x));
  }
  return { memory: { ...memory, entries }, revisions };
}

/** The memory once `doc` is placed at `now`: it joins the candidates; documents placed long ago are forgotten. */
export function remember(memory: CustomerMemory, doc: IncomingDocument, placement: Placement, now: string, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS): CustomerMemory {
  if (memory.entries.some((e) => e.sha256 === doc.sha256 && e.index === doc.index)) return memory;
  const t = Date.parse(now);
  const kept = memory.entries.filter((e) => !e.placedAt || t - Date.parse(e.placedAt) <= limits.days * 86_400_000);
  kept.push({ placedAt: now, sha256: doc.sha256, index: doc.index, channel: doc.channel, receivedAt: doc.receivedAt, order: slimOrder(doc.order), placement });
  return { ...memory, entries: kept.slice(Math.max(0, kept.length - limits.entries)) };
}
