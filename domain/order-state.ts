// The life of one order as pure functions: the order workflow only sequences these, so every rule
// here is tested without a server. No Node built-ins (runs in the workflow sandbox).
import type { Order, Problem } from './order';
import { orderKey } from './keys';
import { diffOrders } from './dedup';
import { SHIP_TO_DEFAULTED } from './signals';
import { wallTime } from './sla';
import type {
  SourceRef,
  DocumentRef,
  DocumentRole,
  HeaderCorrection,
  HistoryEvent,
  LineCorrection,
  OrderDocument,
  OrderDocumentEntry,
  OrderState,
  OrderStatus,
  RouteDecision,
} from './order-model';

/** An agent action that the current state does not allow; the message is shown to the agent. */
export class ActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}

const OPEN: OrderStatus[] = ['received', 'extracted', 'needs-review', 'routed'];
export const isOpen = (s: OrderStatus): boolean => OPEN.includes(s);

function event(at: string, name: string, by: string | null = null, detail: string | null = null): HistoryEvent {
  return { at, event: name, by, detail };
}

export function newOrderState(orderId: string, doc: OrderDocument, now: string): OrderState {
  // An amendment or a cancellation may come before its original (an orphan): it says so in its role.
  // The coordinator's decision holds even when this document reaches the order first (deliveries of
  // one order may overtake each other); without one, a cancellation is one, anything else the original.
  const role: DocumentRole = doc.decision === 'duplicate' && doc.probable ? 'original' : (doc.decision ?? (doc.order.purpose === 'cancel' ? 'cancellation' : 'original'));
  const ref = sourceRef(doc);
  return {
    orderId,
    status: 'received',
    customerId: doc.order.customer.id,
    poNumber: doc.order.poNumber,
    order: doc.order,
    route: null,
    sla: { receivedAt: doc.document.receivedAt, dueAt: null, atRiskAt: null, enteredAt: null, state: 'on-time' },
    problems: doc.problems,
    claimedBy: null,
    rejection: null,
    corrections: [],
    history: [
      event(now, 'received', null, `${doc.document.fileName} (${doc.document.channel})`),
      ...(doc.splitFrom ? [event(now, 'split from', doc.splitFrom.by, `séparée de la commande ${doc.splitFrom.orderId}${doc.splitFrom.reason ? ` : ${doc.splitFrom.reason}` : ''}`)] : []),
    ],
    revision: 1,
    ...(role === 'original' || role === 'duplicate' ? { source: ref } : role === 'amendment' ? { amendedBy: ref } : {}),
    documents: [{ ...doc.document, index: doc.index, role: role === 'duplicate' ? 'original' : role }],
  };
}

/**
 * Of the documents that are the order itself (not revisions, not probable or split ones), the source is
 * the original and the others its duplicates: roles that do not depend on which came first.
 */
function withRoles(state: OrderState): OrderState {
  const src = state.source;
  if (!src) return state;
  let changed = false;
  const documents = state.documents.map((d) => {
    if ((d.role !== 'original' && d.role !== 'duplicate') || d.probable) return d;
    const role = sameDoc(d, src) ? ('original' as const) : ('duplicate' as const);
    if (role === d.role) return d;
    changed = true;
    return { ...d, role };
  });
  return changed ? { ...state, documents } : state;
}

// ------------------------------------------------------------------ the best document wins

/** How far a document's reading can be trusted: EDI or API 4, text PDF 3, e-mail body or text 2, OCR 1. */
export function reliability(channel: string, order: Pick<Order, 'provenance'>): number {
  const parser = order.provenance.parser.toLowerCase();
  if (parser.includes('ocr') || channel === 'fax' || channel === 'scan') return 1;
  if (channel === 'edi' || channel === 'api' || parser.startsWith('x12') || parser.startsWith('edifact') || parser === 'api-json') return 4;
  if (parser === 'pdf-text') return 3;
  return 2;
}

/**
 * Fields read with certainty (not left empty, not filled in from master data, lines with article and
 * quantity read without doubt): between two documents of one reliability, the one that says more for sure.
 */
export function certainFields(order: Order): number {
  const header = [order.poNumber, order.orderDate, order.requestedDeliveryDate].filter((v) => v !== null && v !== '').length;
  const ship = !order.provenance.signals.includes(SHIP_TO_DEFAULTED) && (order.shipTo.code || order.shipTo.gln || order.shipTo.postalCode) ? 1 : 0;
  const lines = order.lines.filter((l) => l.sku && l.quantity !== null && l.confidence >= 0.95 && l.doubts.length === 0).length;
  return header + ship + lines;
}

export function sourceRef(doc: OrderDocument): SourceRef {
  return { sha256: doc.document.sha256, index: doc.index, receivedAt: doc.document.receivedAt, reliability: reliability(doc.document.channel, doc.order), certain: certainFields(doc.order) };
}

/**
 * Negative when `a` is the better source: more reliable, then more fields read for sure, then the
 * earlier receipt, then the hash (a total order: the best of a set does not depend on arrival order).
 */
export function compareSources(a: SourceRef, b: SourceRef): number {
  return b.reliability - a.reliability || b.certain - a.certain || Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : a.index - b.index);
}

/** The later amendment replaces the earlier one, whichever was processed first. */
function laterAmendment(a: SourceRef, b: SourceRef): boolean {
  return Date.parse(a.receivedAt) - Date.parse(b.receivedAt) > 0 || (a.receivedAt === b.receivedAt && a.sha256 > b.sha256);
}

const sameDoc = (a: { sha256: string; index: number }, b: { sha256: string; index: number } | undefined) => Boolean(b && a.sha256 === b.sha256 && a.index === b.index);

/** A less reliable document with the same PO and other content, unannounced: change or misreading? */
function unannouncedChange(better: Order, weaker: Order, weakerLabel: string): Problem {
  const diff = diffOrders(better, weaker).summary.slice(0, 10).join(' ; ');
  return { code: 'UNANNOUNCED_CHANGE', severity: 'warning', where: 'lines', message: `Même n° de commande, contenu différent dans ${weakerLabel}, lu moins sûrement et sans mention de modification : ${diff}. Modification ou erreur de lecture ? Vérifier avec l'original ; le contenu affiché est celui du document le plus fiable.` };
}

/** A revision's anomaly that no longer stands once its original is here. */
const ORPHAN = 'REVISION_WITHOUT_ORIGINAL';

export function setStatus(state: OrderState, status: OrderStatus, now: string, by: string | null = null, detail: string | null = null): OrderState {
  if (state.status === status && !detail) return state;
  return { ...state, status, history: [...state.history, event(now, status, by, detail)], revision: state.revision + 1 };
}

export function withEvent(state: OrderState, now: string, name: string, by: string | null, detail: string | null): OrderState {
  return { ...state, history: [...state.history, event(now, name, by, detail)], revision: state.revision + 1 };
}

/**
 * Why an order goes to review: its errors and warnings (anomalies), each naming a field and saying what
 * was seen; infos do not count. A document read with low confidence and nothing more precise to say
 * is one reason, about its lines.
 */
export function reviewReasons(problems: Problem[], order: Order, threshold = 0.8): Problem[] {
  const all = problems.filter((p) => p.severity === 'error' || p.severity === 'warning');
  // "Read with low confidence" about the whole document says nothing an agent can act on when the
  // lines or fields in doubt are named: it is then not a reason of its own.
  const specific = all.some((p) => p.where !== null && p.code === 'LOW_CONFIDENCE');
  const reasons = all.filter((p) => !(p.code === 'LOW_CONFIDENCE' && p.where === null && specific)).map((p) => (p.code === 'LOW_CONFIDENCE' && p.where === null ? { ...p, where: 'lines' } : p));
  if (reasons.length === 0 && order.confidence < threshold) {
    return [{ code: 'LOW_CONFIDENCE', severity: 'warning', where: 'lines', message: `Document lu avec une confiance de ${Math.round(order.confidence * 100)} % : vérifier les lignes contre l’original.` }];
  }
  return reasons;
}

/** Errors and warnings (anomalies) put the order in needs-review, with its routed agent; infos do not. */
export function needsReview(problems: Problem[], order: Order, threshold = 0.8): boolean {
  return reviewReasons(problems, order, threshold).length > 0;
}

export function earliest(a: string, b: string): string {
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

/**
 * A further document arrives for an order that exists. Same document again: nothing changes.
 * The order's content is its most reliable document's (compareSources), or its latest amendment's: a
 * better copy processed later takes over (and becomes the 'original'), a weaker one never demotes it.
 * A cancellation closes the order; an original arriving after its orphan amendment or cancellation
 * completes it. The clock keeps the earliest receipt. `contentChanged`: route again.
 */
export function attachDocument(state: OrderState, doc: OrderDocument, now: string): { state: OrderState; role: DocumentRole | 'already-attached'; contentChanged: boolean } {
  if (state.documents.some((d) => d.sha256 === doc.document.sha256 && d.index === doc.index)) return { state, role: 'already-attached', contentChanged: false };
  const role: DocumentRole = doc.decision ?? (doc.order.purpose === 'replace' ? 'amendment' : doc.order.purpose === 'cancel' ? 'cancellation' : 'duplicate');
  const probable = role === 'duplicate' && doc.probable === true;
  // A probable duplicate may yet be split off: it moves the clock only once confirmed.
  const receivedAt = probable ? state.sla.receivedAt : earliest(state.sla.receivedAt, doc.document.receivedAt);
  const documents: OrderDocumentEntry[] = [...state.documents, { ...doc.document, index: doc.index, role, ...(doc.matchEvidence ? { evidence: doc.matchEvidence } : {}), ...(probable ? { probable: true as const } : {}) }];
  const a: Attaching = { state, doc, ref: sourceRef(doc), label: `${doc.document.fileName} (${doc.document.channel})`, now };
  const next: OrderState = { ...state, documents, sla: { ...state.sla, receivedAt }, revision: state.revision + 1 };
  let out: Attached;
  if (role === 'amendment') out = attachAmendment(a, next);
  else if (role === 'cancellation') {
    const cancelled = withEvent(next, now, 'cancellation received', null, a.label);
    out = { next: isOpen(state.status) ? setStatus(cancelled, 'cancelled', now, null, `annulée par ${a.label}`) : cancelled, contentChanged: false };
  } else if (role === 'original' && doc.order.purpose === 'original' && !state.source && state.amendedBy && state.order.purpose === 'original' && laterAmendment(a.ref, state.amendedBy)) out = originalAfterItsChange(a, next, state.amendedBy);
  else if (role === 'original' || (role === 'duplicate' && !probable)) out = attachCopy(a, next, role);
  else {
    const how = doc.matchEvidence?.map((e) => `${e.field}: ${e.how}`).join(', ');
    out = { next: withEvent(next, now, 'probable duplicate attached', null, how ? `${a.label} — ${how}` : a.label), contentChanged: false };
  }
  return { state: withRoles(out.next), role, contentChanged: out.contentChanged };
}

/** A document being attached, and what every branch of attachDocument needs of it. */
interface Attaching {
  state: OrderState;
  doc: OrderDocument;
  ref: SourceRef;
  label: string;
  now: string;
}
interface Attached {
  next: OrderState;
  contentChanged: boolean;
}

/** The order now reads as the attached document (an amendment applied, a better copy taking over). */
function withContent(a: Attaching, next: OrderState, why: string): OrderState {
  const diff = diffOrders(next.order, a.doc.order).summary;
  const taken = { ...next, order: a.doc.order, problems: a.doc.problems, poNumber: a.doc.order.poNumber ?? a.state.poNumber };
  return withEvent(taken, a.now, why, null, diff.length ? `${a.label} : ${diff.slice(0, 20).join(' ; ')}` : a.label);
}

/** The documents with the given ones in new roles (the others untouched). */
function withRole(documents: OrderDocumentEntry[], roles: [SourceRef, DocumentRole][]): OrderDocumentEntry[] {
  return documents.map((d) => {
    const role = roles.find(([ref]) => sameDoc(d, ref))?.[1];
    return role && role !== d.role ? { ...d, role } : d;
  });
}

function attachAmendment(a: Attaching, next: OrderState): Attached {
  const { state, doc, ref, label, now } = a;
  const source = state.source;
  if (doc.order.purpose === 'original' && source && Date.parse(doc.document.receivedAt) < Date.parse(source.receivedAt) && state.documents.some((d) => sameDoc(d, source) && d.role === 'original')) {
    // An unannounced change (same PO, other content) processed before the order it changes: the earlier
    // document is the original, the later one the amendment, as if they had come in order.
    const documents = withRole(next.documents, [[source, 'amendment'], [ref, 'original']]);
    const old = state.documents.find((d) => sameDoc(d, source));
    if (!state.amendedBy && source.reliability < ref.reliability && old) {
      // That "change" was read less reliably than the original: it may be a misreading, so it does not
      // replace the content; the agent is asked (the same outcome as had they come in order).
      const taken = withContent(a, { ...next, documents, source: ref }, 'original received');
      return { next: { ...taken, problems: [...taken.problems, unannouncedChange(doc.order, state.order, `${old.fileName} (${old.channel})`)] }, contentChanged: true };
    }
    const amendedBy = state.amendedBy && laterAmendment(state.amendedBy, source) ? state.amendedBy : source;
    return { next: withEvent({ ...next, documents, source: ref, amendedBy }, now, 'original received', null, `${label} : reçue avant la modification déjà appliquée`), contentChanged: false };
  }
  if (doc.order.purpose === 'original' && !state.amendedBy && source && ref.reliability < source.reliability) {
    // Same PO, other content, no mention of a change, read less reliably than the original: a
    // misreading as likely as a change. The better reading stays; the agent is asked, with the difference.
    return { next: withEvent({ ...next, problems: [...next.problems, unannouncedChange(state.order, doc.order, label)] }, now, 'unannounced change attached', null, label), contentChanged: true };
  }
  // Two copies of one amendment (same content): the more reliable reading holds, whichever came first.
  const copy = state.amendedBy && diffOrders(state.order, doc.order).identical;
  if (copy ? compareSources(ref, state.amendedBy!) < 0 : !state.amendedBy || laterAmendment(ref, state.amendedBy)) return { next: withContent(a, { ...next, amendedBy: ref }, 'amended'), contentChanged: true };
  return { next: withEvent(next, now, 'earlier amendment attached', null, `${label} : reçue avant la modification déjà appliquée, gardée dans l'historique`), contentChanged: false };
}

/**
 * The mirror of attachAmendment's first case: the coordinator placed the later document first (the
 * original) and the earlier one as its unannounced change, and the earlier one reached this order
 * first. As if they had come in order: the earlier is the original, this later one the amendment.
 */
function originalAfterItsChange(a: Attaching, next: OrderState, earlier: SourceRef): Attached {
  const { amendedBy: _was, ...rest } = next;
  const reordered: OrderState = { ...rest, documents: withRole(next.documents, [[earlier, 'original'], [a.ref, 'amendment']]), source: earlier, problems: next.problems.filter((p) => p.code !== ORPHAN) };
  if (a.ref.reliability < earlier.reliability) {
    // Read less reliably than the original: a misreading as likely as a change (as in attachAmendment).
    return { next: withEvent({ ...reordered, problems: [...reordered.problems, unannouncedChange(a.state.order, a.doc.order, a.label)] }, a.now, 'unannounced change attached', null, a.label), contentChanged: true };
  }
  return { next: withContent(a, { ...reordered, amendedBy: a.ref }, 'amended'), contentChanged: true };
}

/** An original or a sure copy: the better document is the original; the one it replaces stays, as a duplicate. */
function attachCopy(a: Attaching, next: OrderState, role: DocumentRole): Attached {
  const { state, doc, ref, label, now } = a;
  // Agents' corrections and an entered order are never overwritten by a copy (an amendment still applies).
  const mayReplace = isOpen(state.status) && state.corrections.length === 0;
  const better = !state.source || compareSources(ref, state.source) < 0;
  let out = better ? { ...next, documents: next.documents.map((d) => (sameDoc(d, state.source) && d.role === 'original' ? { ...d, role: 'duplicate' as const } : sameDoc(d, ref) ? { ...d, role: 'original' as const } : d)), source: ref } : next;
  let contentChanged = false;
  if (better && !state.amendedBy && mayReplace) {
    out = withContent(a, out, state.source ? 'better document' : 'original received');
    contentChanged = true;
  } else {
    const how = doc.matchEvidence?.map((e) => `${e.field}: ${e.how}`).join(', ');
    out = withEvent(out, now, role === 'original' ? 'original received' : 'duplicate attached', null, how ? `${label} — ${how}` : label);
  }
  if (role === 'original' || !state.source) {
    // Its original is here: the revision that came first is no longer an orphan, and a cancellation applies.
    const problems = out.problems.filter((p) => p.code !== ORPHAN);
    if (problems.length !== out.problems.length) {
      out = { ...out, problems };
      contentChanged = true;
    }
    if (isOpen(out.status) && state.documents.some((d) => d.role === 'cancellation')) out = setStatus(out, 'cancelled', now, null, 'annulation reçue avant la commande');
  }
  return { next: out, contentChanged };
}

/** Which document each field of the order comes from, for the order page ("source"). */
export interface FieldSource {
  field: 'poNumber' | 'orderDate' | 'requestedDeliveryDate' | 'customer' | 'shipTo' | 'lines';
  /** In French: "EDI commande-850.edi", "corrigé par lea", "référentiel (adresse habituelle)". */
  label: string;
  sha256: string | null;
}

export function fieldSources(state: OrderState): FieldSource[] {
  const ref = state.amendedBy ?? state.source;
  const doc = (ref && state.documents.find((d) => sameDoc(d, ref))) ?? state.documents.find((d) => d.role === 'original') ?? state.documents[0];
  const docLabel = doc ? `${doc.channel.toUpperCase()} ${doc.fileName}${doc.role === 'amendment' ? ' (modificatif)' : ''}` : 'inconnu';
  const corrected = (prefix: string) => [...state.corrections].reverse().find((c) => c.field === prefix || c.field.startsWith(`${prefix}.`));
  const fields: FieldSource['field'][] = ['poNumber', 'orderDate', 'requestedDeliveryDate', 'customer', 'shipTo', 'lines'];
  return fields.map((field) => {
    const c = corrected(field === 'customer' ? 'customer.id' : field);
    if (c) return { field, label: `corrigé par ${c.by}`, sha256: null };
    if (field === 'shipTo' && state.order.provenance.signals.includes(SHIP_TO_DEFAULTED)) return { field, label: 'référentiel (adresse habituelle du client)', sha256: null };
    return { field, label: docLabel, sha256: doc?.sha256 ?? null };
  });
}

/**
 * Probable duplicates still awaiting an agent's decision: what the order page and the inbox flag.
 * Derived from the documents, so it cannot disagree with them; closed orders count too (the e-mail
 * may well be entered before its fax arrives, and the fax may be a new order).
 */
export function duplicatesToCheck(state: Pick<OrderState, 'documents'>): OrderDocumentEntry[] {
  return state.documents.filter((d) => d.role === 'duplicate' && d.probable === true);
}

function documentOf(state: OrderState, ref: DocumentRef): OrderDocumentEntry {
  const d = state.documents.find((x) => x.sha256 === ref.sha256 && x.index === ref.index);
  if (!d) throw new ActionRefused(`Le document ${String(ref.sha256).slice(0, 12)}… (commande n° ${Number(ref.index) + 1} du document) ne fait pas partie de cette commande.`);
  return d;
}

/** The order a split document becomes: the same document-based ID a "kept apart" document gets at intake. */
export function splitOrderId(state: Pick<OrderState, 'customerId' | 'order'>, ref: DocumentRef): string {
  return orderKey(state.customerId ?? state.order.customer.id, null, ref.sha256, ref.index);
}

export function checkConfirmDuplicate(state: OrderState, by: string, ref: DocumentRef): void {
  if (!by) throw new ActionRefused('Agent inconnu.');
  const d = documentOf(state, ref);
  if (d.role === 'split') throw new ActionRefused(`${d.fileName} a déjà été séparé de cette commande (commande ${d.splitTo ?? 'créée à part'}).`);
  if (d.role !== 'duplicate') throw new ActionRefused(`${d.fileName} n'est pas un doublon de cette commande (c'est ${ROLE_WORDS[d.role]}).`);
  if (!d.probable) throw new ActionRefused(`${d.fileName} n'attend pas de confirmation${d.confirmedBy ? ` : déjà confirmé par ${d.confirmedBy}` : ' : doublon reconnu sans doute possible'}.`);
}
/** The doubt is cleared: the document is a plain duplicate, and now counts for the clock. */
export function applyConfirmDuplicate(state: OrderState, by: string, ref: DocumentRef, now: string): OrderState {
  checkConfirmDuplicate(state, by, ref);
  const d = documentOf(state, ref);
  const documents = state.documents.map((x) => {
    if (x !== d) return x;
    const { probable: _p, ...rest } = x;
    return { ...rest, confirmedBy: by };
  });
  const next = { ...state, documents, sla: { ...state.sla, receivedAt: earliest(state.sla.receivedAt, d.receivedAt) } };
  return withEvent(next, now, 'duplicate confirmed', by, `${d.fileName} (${d.channel})`);
}

export function checkSplitDocument(state: OrderState, by: string, ref: DocumentRef): void {
  if (!by) throw new ActionRefused('Agent inconnu.');
  const d = documentOf(state, ref);
  if (d.role === 'split') throw new ActionRefused(`${d.fileName} a déjà été séparé de cette commande (commande ${d.splitTo ?? 'créée à part'}).`);
  if (d.role !== 'duplicate') throw new ActionRefused(`${d.fileName} n'est pas un doublon de cette commande (c'est ${ROLE_WORDS[d.role]}) : il ne peut pas en être séparé.`);
  if (!state.customerId && !state.order.customer.id) throw new ActionRefused('Client non identifié : corrigez le client avant de séparer un document.');
}
/**
 * "Ce n'est pas un doublon": the document stays in this order's history with role 'split' (no longer
 * counted) and becomes the order `splitTo`, which the workflow then starts.
 */
export function applySplitDocument(state: OrderState, by: string, ref: DocumentRef, reason: string | null, now: string): { state: OrderState; splitTo: string } {
  checkSplitDocument(state, by, ref);
  const d = documentOf(state, ref);
  const splitTo = splitOrderId(state, ref);
  const documents = state.documents.map((x) => {
    if (x !== d) return x;
    const { probable: _p, confirmedBy: _c, ...rest } = x;
    return { ...rest, role: 'split' as const, splitTo };
  });
  // The clock is the earliest receipt of the documents that still belong to the order.
  const receivedAt = documents.filter((x) => x.role !== 'split').map((x) => x.receivedAt).reduce(earliest);
  const why = reason?.trim() ? ` : ${reason.trim()}` : '';
  const next = { ...state, documents, sla: { ...state.sla, receivedAt } };
  return { state: withEvent(next, now, 'document split', by, `${d.fileName} (${d.channel}) devient la commande ${splitTo}${why}`), splitTo };
}

const ROLE_WORDS: Record<DocumentRole, string> = { original: "l'original", duplicate: 'un doublon', amendment: 'un modificatif', cancellation: 'une annulation', split: 'un document séparé' };

/** The due time follows the earliest receipt (a copy received earlier moves it). */
export function withDue(state: OrderState, due: { dueAt: string; atRiskAt: string }): OrderState {
  if (state.sla.dueAt === due.dueAt && state.sla.atRiskAt === due.atRiskAt) return state;
  return { ...state, sla: { ...state.sla, dueAt: due.dueAt, atRiskAt: due.atRiskAt }, revision: state.revision + 1 };
}

/** The next SLA mark still to pass for an open order: at-risk first, then late. */
export function nextSlaMark(state: OrderState): { kind: 'at-risk' | 'late'; at: string } | null {
  if (!isOpen(state.status) || !state.sla.dueAt || state.sla.enteredAt) return null;
  if (state.sla.state === 'on-time' && state.sla.atRiskAt) return { kind: 'at-risk', at: state.sla.atRiskAt };
  if (state.sla.state === 'on-time' || state.sla.state === 'at-risk') return { kind: 'late', at: state.sla.dueAt };
  return null;
}

export function passSlaMark(state: OrderState, kind: 'at-risk' | 'late', now: string): OrderState {
  const detail = kind === 'at-risk' ? `à saisir avant ${state.sla.dueAt}` : `échéance ${state.sla.dueAt} dépassée`;
  return withEvent({ ...state, sla: { ...state.sla, state: kind } }, now, kind === 'at-risk' ? 'at risk' : 'late', null, detail);
}

export function applyRoute(state: OrderState, route: RouteDecision, now: string): OrderState {
  const review = needsReview(state.problems, state.order);
  const withRoute = { ...state, route };
  const who = route.agent ? `${route.team} / ${route.agent}` : route.team;
  return setStatus(withRoute, review ? 'needs-review' : 'routed', now, null, `${who} — ${route.reason} (règle ${route.ruleId})`);
}

export function checkClaim(state: OrderState, by: string): void {
  if (!isOpen(state.status)) throw new ActionRefused(`La commande est déjà ${state.status} : impossible de la prendre.`);
  if (state.claimedBy && state.claimedBy !== by) throw new ActionRefused(`La commande est déjà prise par ${state.claimedBy}.`);
  if (!by) throw new ActionRefused('Agent inconnu.');
}
export function applyClaim(state: OrderState, by: string, now: string): OrderState {
  checkClaim(state, by);
  if (state.claimedBy === by) return state;
  return withEvent({ ...state, claimedBy: by }, now, 'claimed', by, null);
}

export function checkEntered(state: OrderState, by: string): void {
  if (state.status === 'entered') throw new ActionRefused('La saisie de cette commande est déjà faite.');
  if (state.documents.length > 0 && state.documents.every((d) => d.role === 'cancellation')) throw new ActionRefused("Annulation d'une commande introuvable : rien à saisir. Vérifiez si la commande a été saisie autrement, puis classez-la (rejet) ; elle se rattache à la commande d'origine si celle-ci arrive.");
  if (!isOpen(state.status)) throw new ActionRefused(`La commande est ${state.status} : elle ne peut pas être saisie.`);
  if (state.status === 'received' || state.status === 'extracted') throw new ActionRefused("La commande n'est pas encore routée.");
  if (!by) throw new ActionRefused('Agent inconnu.');
}
export function applyEntered(state: OrderState, by: string, now: string, erpReference?: string): OrderState {
  checkEntered(state, by);
  const met = state.sla.dueAt ? Date.parse(now) <= Date.parse(state.sla.dueAt) : true;
  const next = { ...state, claimedBy: state.claimedBy ?? by, sla: { ...state.sla, enteredAt: now, state: met ? ('met' as const) : ('missed' as const) } };
  return setStatus(next, 'entered', now, by, erpReference ? `référence ERP ${erpReference}` : null);
}

/** What the ERP said to "Créer dans l'ERP" (erp/connector.ts, as an activity returns it). */
export type ErpAnswer =
  | { kind: 'created'; connector: string; erpRef: string; number: string | null; state: string; created: boolean }
  | { kind: 'refused'; reason: string };

export function checkCreateInErp(state: OrderState, by: string, inFlight: boolean): void {
  if (inFlight) throw new ActionRefused("La création dans l'ERP est déjà en cours pour cette commande.");
  checkEntered(state, by);
}
/** Created: the order is entered, with the ERP's number. Refused: the ERP's reason in the history, the order stays to enter. */
export function applyErpAnswer(state: OrderState, by: string, now: string, answer: ErpAnswer): OrderState {
  if (answer.kind === 'refused') return withEvent(state, now, 'ERP refused', by, answer.reason);
  const erp = { connector: answer.connector, erpRef: answer.erpRef, number: answer.number, state: answer.state, at: now, by };
  const shown = answer.number ?? answer.erpRef;
  const created = withEvent({ ...state, erp }, now, 'created in ERP', by, `${answer.connector} n° ${shown} (${answer.state})${answer.created ? '' : " — déjà présente dans l'ERP"}`);
  // Entered or closed by another action while the ERP answered: the ERP's order is kept on record.
  return isOpen(created.status) && created.status !== 'received' && created.status !== 'extracted' ? applyEntered(created, by, now, shown) : created;
}

/** Who touchless entries are recorded by, in the history. */
export const TOUCHLESS_BY = 'saisie automatique';

/**
 * The touchless policy let the order through and the ERP answered. Created: entered, with the ERP's
 * number and why it was automatic; the agent it was routed to keeps it in view. Refused: the ERP's
 * reason in the history, and the order stays with its agent to enter.
 */
export function applyTouchlessAnswer(state: OrderState, now: string, answer: ErpAnswer, decision: { policyVersion: string; reasons: string[] }): OrderState {
  if (answer.kind === 'refused') return withEvent(state, now, 'ERP refused', TOUCHLESS_BY, `saisie automatique impossible — ${answer.reason}`);
  // The last event is 'touchless' (why, in French): what the metrics count (aiguillage_orders_total{event="touchless"}).
  const entered = applyErpAnswer(state, TOUCHLESS_BY, now, answer);
  const marked = withEvent(entered, now, 'touchless', TOUCHLESS_BY, decision.reasons.join(' ; '));
  return { ...marked, claimedBy: state.claimedBy, touchless: { at: now, policyVersion: decision.policyVersion, reasons: decision.reasons, undone: null } };
}

/** What the ERP said to cancelling a sales order. */
export type ErpCancelAnswer = { kind: 'cancelled'; state: string } | { kind: 'refused'; reason: string };

/** Why a touchless entry cannot be undone now, or null: it can, by an agent, the day it was made (in the SLA's time zone), while entered. */
export function undoTouchlessRefusal(state: Pick<OrderState, 'touchless' | 'status' | 'erp'>, now: string, timeZone: string): string | null {
  const t = state.touchless;
  if (!t) return "Cette commande n'a pas été saisie automatiquement : rien à annuler ici.";
  if (t.undone) return `La saisie automatique a déjà été annulée par ${t.undone.by}.`;
  if (state.status !== 'entered' || !state.erp) return `La commande est ${state.status} : la saisie automatique ne peut plus être annulée.`;
  const day = (iso: string) => wallTime(Date.parse(iso), timeZone).date;
  if (day(now) !== day(t.at)) return `Saisie automatique du ${day(t.at)} : elle ne s'annule que le jour même. Annulez la vente ${state.erp.number ?? state.erp.erpRef} dans l'ERP.`;
  return null;
}
export function checkUndoTouchless(state: OrderState, by: string, now: string, timeZone: string): void {
  if (!by) throw new ActionRefused('Agent inconnu.');
  const why = undoTouchlessRefusal(state, now, timeZone);
  if (why) throw new ActionRefused(why);
}

/** Cancelled in the ERP: the order goes back to its agent, to enter again, with its SLA clock running. */
export function applyUndoTouchless(state: OrderState, by: string, now: string, reason: string | null, answer: ErpCancelAnswer): OrderState {
  // Checked before the ERP was asked (checkUndoTouchless); the ERP's answer is recorded whatever the clock says now.
  const erp = state.erp;
  if (!erp || !state.touchless) return state;
  const shown = erp.number ?? erp.erpRef;
  if (answer.kind === 'refused') return withEvent(state, now, 'ERP refused', by, `annulation de la vente ${shown} refusée — ${answer.reason}`);
  const t = Date.parse(now);
  const clock = state.sla.atRiskAt && t < Date.parse(state.sla.atRiskAt) ? 'on-time' : state.sla.dueAt && t < Date.parse(state.sla.dueAt) ? 'at-risk' : state.sla.dueAt ? 'late' : 'on-time';
  const why = reason?.trim() ? ` : ${reason.trim()}` : '';
  const next: OrderState = {
    ...state,
    erp: { ...erp, state: answer.state, at: now, by },
    touchless: { ...state.touchless!, undone: { at: now, by, reason: reason?.trim() || null } },
    sla: { ...state.sla, enteredAt: null, state: clock },
    claimedBy: null,
  };
  const agent = state.route?.agent ?? state.route?.team ?? 'son équipe';
  return setStatus(withEvent(next, now, 'touchless undone', by, `vente ${shown} annulée dans l'ERP (${answer.state})${why}`), needsReview(state.problems, state.order) ? 'needs-review' : 'routed', now, by, `rendue à ${agent} pour saisie`);
}

export function checkReject(state: OrderState, reason: string): void {
  if (!isOpen(state.status)) throw new ActionRefused(`La commande est ${state.status} : elle ne peut plus être rejetée.`);
  if (!reason || reason.trim().length < 3) throw new ActionRefused('Un motif de rejet est obligatoire.');
}
export function applyReject(state: OrderState, by: string, reason: string, now: string): OrderState {
  checkReject(state, reason);
  return setStatus({ ...state, rejection: reason.trim() }, 'rejected', now, by, reason.trim());
}

export function checkReassign(state: OrderState, team: string, reason: string): void {
  if (!isOpen(state.status)) throw new ActionRefused(`La commande est ${state.status} : elle ne peut plus changer d'équipe.`);
  if (!team) throw new ActionRefused("L'équipe de destination est obligatoire.");
  if (!reason || reason.trim().length < 3) throw new ActionRefused('Un motif est obligatoire pour changer d’équipe.');
}
export function applyReassign(state: OrderState, by: string, team: string, agent: string | null, reason: string, now: string): OrderState {
  checkReassign(state, team, reason);
  const route: RouteDecision = { team, agent, ruleId: 'manual', rulesVersion: state.route?.rulesVersion ?? '', reason: `réaffectée par ${by} : ${reason.trim()}` };
  return withEvent({ ...state, route, claimedBy: null }, now, 'reassigned', by, `${team}${agent ? ` / ${agent}` : ''} — ${reason.trim()}`);
}

export function checkCorrections(state: OrderState, lines: LineCorrection[] = [], header: HeaderCorrection[] = []): void {
  if (!isOpen(state.status)) throw new ActionRefused(`La commande est ${state.status} : elle ne peut plus être corrigée.`);
  if (lines.length === 0 && header.length === 0) throw new ActionRefused('Aucune correction.');
  for (const c of lines) {
    if (!state.order.lines.some((l) => l.lineNumber === c.lineNumber)) throw new ActionRefused(`Ligne ${c.lineNumber} inconnue.`);
    if ((c.field === 'quantity' || c.field === 'unitPrice') && (typeof c.value !== 'number' || !(c.value >= 0) || (c.field === 'quantity' && c.value === 0)))
      throw new ActionRefused(`Ligne ${c.lineNumber} : ${c.field === 'quantity' ? 'la quantité' : 'le prix'} doit être un nombre positif.`);
    if (c.field === 'sku' && (typeof c.value !== 'string' || !c.value.trim())) throw new ActionRefused(`Ligne ${c.lineNumber} : référence vide.`);
  }
  for (const h of header) {
    if ((h.field === 'orderDate' || h.field === 'requestedDeliveryDate') && h.value !== null && !/^\d{4}-\d{2}-\d{2}$/.test(h.value))
      throw new ActionRefused(`${h.field} : date attendue au format AAAA-MM-JJ.`);
  }
}

/** Corrections become the order's values; each is recorded with its author and the old value. */
export function applyCorrections(state: OrderState, by: string, now: string, lines: LineCorrection[] = [], header: HeaderCorrection[] = []): OrderState {
  checkCorrections(state, lines, header);
  const corrections = [...state.corrections];
  const order: Order = { ...state.order, lines: state.order.lines.map((l) => ({ ...l })) };
  for (const c of lines) {
    const line = order.lines.find((l) => l.lineNumber === c.lineNumber)!;
    const from = line[c.field];
    (line as Record<string, unknown>)[c.field] = c.field === 'sku' && typeof c.value === 'string' ? c.value.trim().toUpperCase() : c.value;
    line.confidence = 1;
    line.doubts = [];
    corrections.push({ at: now, by, field: `lines.${c.lineNumber}.${c.field}`, from, to: c.value });
  }
  let customerId = state.customerId;
  for (const h of header) {
    if (h.field === 'customerId') {
      corrections.push({ at: now, by, field: 'customer.id', from: order.customer.id, to: h.value });
      order.customer = { ...order.customer, id: h.value, matchedBy: 'agent' };
      customerId = h.value;
    } else {
      corrections.push({ at: now, by, field: h.field, from: order[h.field], to: h.value });
      order[h.field] = h.value;
    }
  }
  order.confidence = Math.min(1, ...order.lines.map((l) => l.confidence));
  // Problems about values an agent corrected no longer stand.
  const fixedLines = new Set(lines.map((c) => `line ${c.lineNumber}`));
  const fixedHeader = new Set<string>(header.map((h) => (h.field === 'customerId' ? 'customer' : h.field)));
  const lineOf = (where: string) => where.split(' / ')[0]!;
  const problems = state.problems.filter((p) => !(p.where && (fixedLines.has(lineOf(p.where)) || fixedHeader.has(p.where) || (p.code === 'LOW_CONFIDENCE' && p.where === null && order.confidence >= 0.8))));
  const detail = [...lines.map((c) => `ligne ${c.lineNumber} ${c.field} → ${c.value}`), ...header.map((h) => `${h.field} → ${h.value}`)].join(' ; ');
  let next: OrderState = { ...state, order, customerId, poNumber: order.poNumber, problems, corrections, claimedBy: state.claimedBy ?? by };
  next = withEvent(next, now, 'corrected', by, detail);
  if (next.status === 'needs-review' && !needsReview(problems, order)) next = setStatus(next, 'routed', now, by, 'corrections : plus rien à vérifier');
  return next;
}
