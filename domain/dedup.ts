// Is this order new, or one we already have (a copy by another channel, an amendment, a cancellation)?
// Precision first: a wrong merge loses an order, a missed duplicate only costs an agent a glance.
// Pure (no Node built-ins): the order workflow calls it with the customer's recent orders.
import { editDistance } from './names';
import type { Channel, Order } from './order';
import { PO_DOUBTFUL, SHIP_TO_DEFAULTED } from './signals';

export type DedupDecision = 'new' | 'duplicate' | 'amendment' | 'cancellation';

export interface DedupOrder {
  /** Existing orders: their order ID. Unused for the incoming one. */
  orderId: string;
  order: Order;
  channel: Channel;
  /** First receipt (ISO 8601 with offset). */
  receivedAt: string;
  /** Existing orders only: a cancelled order that is cancelled again is a duplicate cancellation. */
  status?: string;
}

export interface Evidence {
  /** 'poNumber', 'lines', 'shipTo', 'orderDate', 'receivedAt', 'signals', 'customer', 'purpose'. */
  field: string;
  /** In French, for the agent: "identique après normalisation (« CDE 2026/0412 » = « CDE-2026-0412 »)". */
  how: string;
  /** Contribution to the score; negative evidence argues against a match. */
  weight: number;
}

export interface DedupResult {
  decision: DedupDecision;
  /** The order this one duplicates, amends or cancels; null for 'new' and for an amendment/cancellation whose original was not found. */
  matchOrderId: string | null;
  /** 0…1: how strongly the closest candidate matches (informative; the decision follows explicit rules). */
  score: number;
  evidence: Evidence[];
  /**
   * 'sure': decided by the rules on evidence that leaves no doubt. 'probable': a duplicate the rules
   * could not prove (nothing but identical lines links it), attached for an agent to confirm or split.
   */
  certainty: 'sure' | 'probable';
}

export interface DedupConfig {
  /** A misread PO (OCR) or a copy is looked for among orders received this many days around. */
  windowDays: number;
  /** Without any PO number, only orders received this close count. */
  noPoWindowHours: number;
  /** Largest edit distance still read as an OCR misreading of the same PO. */
  poMaxEdits: number;
  /** Shortest normalised PO for which a near match means anything. */
  poMinLength: number;
  /**
   * An OCR-read document with no PO, the same lines as an order received this close, and nothing
   * contradicting it: attached as a probable duplicate for an agent to decide.
   */
  probableWindowHours: number;
}

export const DEFAULT_DEDUP_CONFIG: DedupConfig = { windowDays: 7, noPoWindowHours: 72, poMaxEdits: 2, poMinLength: 6, probableWindowHours: 36 };

// ------------------------------------------------------------------ comparisons

/** "N° CDE-2026/0412 " → "CDE20260412": case, accents, spaces and punctuation do not make another order. */
export function normalisePo(po: string | null | undefined): string | null {
  if (!po) return null;
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(po) ? po : po.normalize('NFD').replace(/\p{M}/gu, '');
  const s = ascii
    .toUpperCase()
    // Labels only when unmistakable ("N° 0412", "No. 0412", "Réf : 0412"): "NO 2026 1234" and
    // "NO-2026-1234" must stay the same PO, so a bare NO, REF or NUM is part of the number.
    .replace(/^\s*(N\s*°|NO\s*:|NO\.\s|NUM(?:ERO)?\s*:|REF\s*:)\s*/, '')
    .replace(/[^A-Z0-9]/g, '');
  return s || null;
}

const OCR_FOLD: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', T: '7', S: '5', B: '8', Z: '2', G: '6' };
/** The characters OCR confuses, folded together (O/0, I/1, S/5, B/8…). */
function ocrFold(s: string): string {
  return s.replace(/[OQDILTSBZG]/g, (c) => OCR_FOLD[c] ?? c);
}

type PoRelation = 'same' | 'ocr' | 'near' | 'affix' | 'missing' | 'different';

/** Per-order values computed once per deduplicate() call, not once per pair. */
interface Prepared {
  d: DedupOrder;
  po: string | null;
  /** Folded PO, computed only when an OCR comparison needs it. */
  poFold?: string | null;
  ocr: boolean;
  /** "SKU\0quantity" of lines with a SKU, sorted (multiset intersection by merge). */
  lineKeys: string[];
  skus: string[];
  receivedMs: number;
}

function prepare(d: DedupOrder): Prepared {
  const po = normalisePo(d.order.poNumber);
  const withSku = d.order.lines.filter((l) => l.sku);
  return {
    d,
    po,
    ocr: readByOcr(d),
    lineKeys: withSku.map((l) => `${l.sku!.toUpperCase()}\u0000${l.quantity}`).sort(),
    skus: withSku.map((l) => l.sku!.toUpperCase()).sort(),
    receivedMs: Date.parse(d.receivedAt),
  };
}

function comparePo(a: Prepared, b: Prepared, config: DedupConfig): { rel: PoRelation; ev: Evidence } {
  const pa = a.po;
  const pb = b.po;
  const shown = `« ${a.d.order.poNumber} » / « ${b.d.order.poNumber} »`;
  if (!pa || !pb) return { rel: 'missing', ev: { field: 'poNumber', how: `n° de commande absent ${!pa && !pb ? 'des deux côtés' : `d’un côté (${a.d.order.poNumber ?? b.d.order.poNumber})`}`, weight: 0 } };
  if (pa === pb) return { rel: 'same', ev: { field: 'poNumber', how: a.d.order.poNumber === b.d.order.poNumber ? `identique (${a.d.order.poNumber})` : `identique après normalisation (${shown})`, weight: 0.5 } };
  // "CDE-2026-0412" on the PDF, "2026-0412" on the fax: one number written with and without its prefix.
  const [short, long] = pa.length <= pb.length ? [pa, pb] : [pb, pa];
  // Only a letters-only label may be missing: "CDE-99" and "CDE-991" are two numbers, not one.
  if (short.length >= config.poMinLength && /\d/.test(short) && long.endsWith(short) && /^[A-Z]+$/.test(long.slice(0, long.length - short.length))) {
    return { rel: 'affix', ev: { field: 'poNumber', how: `l’un contient l’autre (${shown})`, weight: 0.3 } };
  }
  // Character confusions and small edits are only believable when one side was read by OCR.
  const ocr = a.ocr || b.ocr;
  if (!ocr) return differentUnlessDoubtful(a, b, shown);
  a.poFold ??= ocrFold(pa);
  b.poFold ??= ocrFold(pb);
  if (a.poFold === b.poFold) return { rel: 'ocr', ev: { field: 'poNumber', how: `identique aux confusions de lecture près (${shown})`, weight: 0.4 } };
  if (Math.min(pa.length, pb.length) >= config.poMinLength && Math.abs(pa.length - pb.length) <= config.poMaxEdits) {
    const d = editDistance(a.poFold!, b.poFold!);
    if (d <= config.poMaxEdits) return { rel: 'near', ev: { field: 'poNumber', how: `proche : ${d} caractère(s) d’écart, lecture OCR (${shown})`, weight: 0.3 } };
  }
  return differentUnlessDoubtful(a, b, shown);
}

/**
 * Two numbers that do not match are two orders — unless OCR itself doubted one of them: a number it
 * barely read ("20266-00871" for "2026-00871") proves nothing either way, like a missing one.
 */
function differentUnlessDoubtful(a: Prepared, b: Prepared, shown: string): { rel: PoRelation; ev: Evidence } {
  const doubt = [a, b].map((x) => x.d.order.provenance.signals.find((s) => s.startsWith(PO_DOUBTFUL))).find(Boolean);
  if (doubt) return { rel: 'missing', ev: { field: 'poNumber', how: `différent (${shown}), mais lu avec doute par l’OCR ${doubt.slice(PO_DOUBTFUL.length).trim()} : ni preuve ni contre-preuve`, weight: 0 } };
  return { rel: 'different', ev: { field: 'poNumber', how: `différent (${shown})`, weight: -1 } };
}

/**
 * Read from an image: only then can a character be misread (0/O, 1/I). A typed document with a doubtful
 * field (a low order confidence) still printed its PO exactly: a near PO there is another order.
 */
function readByOcr(o: DedupOrder): boolean {
  return /ocr|scan|fax/i.test(o.order.provenance.parser) || o.channel === 'fax' || o.channel === 'scan';
}

/** Share of lines equal on SKU and quantity (multiset), over the longer order. */
function compareLines(a: Prepared, b: Prepared): { overlap: number; skuOverlap: number; ev: Evidence } {
  const same = commonCount(a.lineKeys, b.lineKeys);
  const sameSku = commonCount(a.skus, b.skus);
  const na = a.d.order.lines.length, nb = b.d.order.lines.length;
  const n = Math.max(na, nb);
  const overlap = n ? same / n : 0;
  const skuOverlap = n ? sameSku / n : 0;
  const how = n === 0 ? 'aucune ligne' : same === n && na === nb ? `${same}/${n} lignes identiques (article et quantité)` : `${same}/${n} lignes identiques (article et quantité), ${sameSku}/${n} mêmes articles`;
  return { overlap, skuOverlap, ev: { field: 'lines', how, weight: 0.3 * overlap } };
}

/** Size of the multiset intersection of two sorted arrays. */
function commonCount(x: string[], y: string[]): number {
  let i = 0, j = 0, n = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      n++;
      i++;
      j++;
    } else if (x[i]! < y[j]!) i++;
    else j++;
  }
  return n;
}

function compareShipTo(a: Order, b: Order): { rel: 'same' | 'different' | 'unknown'; ev: Evidence | null } {
  // An address the resolver filled in from master data says nothing about the document.
  if ([a, b].some((o) => o.provenance.signals.includes(SHIP_TO_DEFAULTED))) return { rel: 'unknown', ev: null };
  const x = a.shipTo, y = b.shipTo;
  if (x.code && y.code) return x.code === y.code ? { rel: 'same', ev: { field: 'shipTo', how: `même adresse de livraison (${x.code})`, weight: 0.1 } } : { rel: 'different', ev: { field: 'shipTo', how: `adresses de livraison différentes (${x.code} / ${y.code})`, weight: -0.3 } };
  if (x.gln && y.gln) return x.gln === y.gln ? { rel: 'same', ev: { field: 'shipTo', how: `même GLN de livraison (${x.gln})`, weight: 0.1 } } : { rel: 'different', ev: { field: 'shipTo', how: `GLN de livraison différents (${x.gln} / ${y.gln})`, weight: -0.3 } };
  if (x.postalCode && y.postalCode) {
    const same = x.postalCode.replace(/\s/g, '') === y.postalCode.replace(/\s/g, '');
    return same
      ? { rel: 'same', ev: { field: 'shipTo', how: `même code postal de livraison (${x.postalCode}${x.city ? ` ${x.city}` : ''})`, weight: 0.1 } }
      : { rel: 'different', ev: { field: 'shipTo', how: `livraisons à ${x.postalCode} et ${y.postalCode}`, weight: -0.3 } };
  }
  return { rel: 'unknown', ev: null };
}

const COPY = /\b(copie|copy|duplicata|duplicate|confirmation\s+de\s+(?:la\s+|notre\s+)?commande|transmise?\s+par\s+edi|d[ée]j[àa]\s+(?:transmise?|envoy[ée]e?)|ne\s+pas\s+saisir)\b/i;

/** Signals that say "this document repeats an order sent otherwise" (COPIE, DUPLICATA, "transmise par EDI"…). */
export function copySignal(order: Order): string | null {
  return order.provenance.signals.find((s) => COPY.test(s)) ?? null;
}

function days(a: Prepared, b: Prepared): number {
  return Math.abs(a.receivedMs - b.receivedMs) / 86_400_000;
}

// ------------------------------------------------------------------ decision

interface Assessment {
  candidate: Prepared;
  score: number;
  evidence: Evidence[];
  po: PoRelation;
  overlap: number;
  /** 'duplicate' or 'amendment' when this candidate is the same order; null when it is not. */
  verdict: 'duplicate' | 'amendment' | null;
  certainty: 'sure' | 'probable';
}

function assess(inc: Prepared, cand: Prepared, config: DedupConfig): Assessment {
  const incoming = inc.d, c = cand.d;
  const evidence: Evidence[] = [{ field: 'customer', how: `même client (${c.order.customer.id})`, weight: 0 }];
  const po = comparePo(inc, cand, config);
  evidence.push(po.ev);
  // Two different PO numbers are two orders whatever else they share: nothing more to weigh.
  if (po.rel === 'different') return { candidate: cand, score: 0, evidence, po: po.rel, overlap: 0, verdict: null, certainty: 'sure' };
  const lines = compareLines(inc, cand);
  evidence.push(lines.ev);
  const ship = compareShipTo(incoming.order, c.order);
  if (ship.ev) evidence.push(ship.ev);
  const gapDays = days(inc, cand);
  evidence.push({ field: 'receivedAt', how: gapDays < 1 ? `reçues à ${Math.round(gapDays * 24 * 10) / 10} h d’intervalle` : `reçues à ${Math.round(gapDays)} jour(s) d’intervalle`, weight: gapDays <= config.windowDays ? 0.05 : -0.3 });
  const incDate = printedOrderDate(incoming.order);
  const candDate = printedOrderDate(c.order);
  const od = incDate && candDate ? incDate === candDate : null;
  if (od !== null) evidence.push({ field: 'orderDate', how: od ? `même date de commande (${candDate})` : `dates de commande différentes (${incDate} / ${candDate})`, weight: od ? 0.05 : -0.3 });
  // Either side may carry the copy mark: the original may well be processed after its copy.
  const copy = copySignal(incoming.order) ?? copySignal(c.order);
  if (copy) evidence.push({ field: 'signals', how: `document marqué comme copie : « ${copy} »`, weight: 0.2 });
  const channels = `${c.channel} puis ${incoming.channel}`;

  const allLinesSame = lines.overlap === 1 && incoming.order.lines.length === c.order.lines.length;
  // One side was read by OCR and the other was not: same articles, quantities misread (either way
  // round, so that the decision does not depend on which of the two was processed first).
  const ocrNoise = inc.ocr !== cand.ocr && lines.skuOverlap === 1 && lines.overlap >= 0.5 && incoming.order.lines.length === c.order.lines.length;
  let verdict: Assessment['verdict'] = null;
  let certainty: Assessment['certainty'] = 'sure';
  switch (po.rel) {
    case 'same':
      // One customer, one PO number: one order (DESIGN.md) — unless the number was reused weeks later.
      if (gapDays > config.windowDays && od === false) {
        evidence.push({ field: 'poNumber', how: `n° réutilisé : commande datée autrement et reçue ${Math.round(gapDays)} jours plus tard`, weight: -0.5 });
        break;
      }
      if (allLinesSame || copy || incoming.order.lines.length === 0) verdict = 'duplicate';
      else {
        // Same order, other content: maybe an unannounced change, maybe a misread copy. Dropping it as
        // a duplicate could lose a change; as an amendment the agent sees the difference and decides.
        verdict = 'amendment';
        evidence.push({ field: 'lines', how: `même n° de commande mais contenu différent${ocrNoise ? ' (copie lue par OCR : quantités peut-être mal lues)' : ''} : modification à vérifier`, weight: 0 });
      }
      break;
    case 'ocr':
    case 'near':
    case 'affix':
      if (gapDays <= config.windowDays && od !== false && ship.rel !== 'different' && (lines.overlap >= (po.rel === 'ocr' ? 0.8 : 0.9) || ocrNoise)) verdict = 'duplicate';
      break;
    case 'missing':
      // Without a PO, identical lines are not enough (repeat orders): they must also be close in time
      // and either be marked as a copy or share the order date or the delivery address.
      if (allLinesSame && gapDays * 24 <= config.noPoWindowHours && od !== false && ship.rel !== 'different' && (copy || od === true || (ship.rel === 'same' && gapDays <= 1))) verdict = 'duplicate';
      else if (allLinesSame && inc.ocr && gapDays * 24 <= config.probableWindowHours && od !== false && ship.rel !== 'different' && !CLOSED_OTHERWISE.has(c.status ?? '')) {
        // A fax or scan whose PO, date and address did not come through: OCR may have lost them, so
        // their absence proves nothing, and nothing on it rules out a new order either. Attached, not
        // merged: an agent confirms it or splits it into its own order in one click.
        verdict = 'duplicate';
        certainty = 'probable';
        evidence.push({ field: 'certainty', how: `doublon probable seulement : document lu par OCR (${incoming.channel}) sans n° de commande${incDate ? '' : ', sans date'}${ship.rel === 'unknown' ? ', sans adresse de livraison lisible' : ''} et sans mention de copie ; seules les lignes identiques, reçues à ${Math.round(gapDays * 24)} h d’intervalle, le rattachent — à confirmer ou à séparer`, weight: 0 });
      }
      break;
  }
  if (verdict) evidence.push({ field: 'channel', how: channels, weight: 0 });
  const score = Math.max(0, Math.min(1, evidence.reduce((s, e) => s + e.weight, 0)));
  return { candidate: cand, score: Math.round(score * 100) / 100, evidence, po: po.rel, overlap: lines.overlap, verdict, certainty };
}

/** A rejected or cancelled order is not what a new fax most likely repeats: no probable link to it. */
const CLOSED_OTHERWISE = new Set(['rejected', 'cancelled']);

/**
 * Scores an incoming order against the customer's existing orders and decides. `candidates` should
 * be the same customer's orders of the last weeks; others are ignored.
 */
export function deduplicate(incoming: DedupOrder, candidates: readonly DedupOrder[], config: DedupConfig = DEFAULT_DEDUP_CONFIG): DedupResult {
  const customerId = incoming.order.customer.id;
  if (!customerId) {
    return { decision: incoming.order.purpose === 'cancel' ? 'cancellation' : incoming.order.purpose === 'replace' ? 'amendment' : 'new', matchOrderId: null, score: 0, evidence: [{ field: 'customer', how: 'client non identifié : aucun rapprochement possible', weight: 0 }], certainty: 'sure' };
  }
  const inc = prepare(incoming);
  const assessed = candidates.filter((c) => c.order.customer.id === customerId && c.orderId !== incoming.orderId).map((c) => assess(inc, prepare(c), config));
  // Best score first; among equals, the most recent order.
  const best = (list: Assessment[]) => list.reduce<Assessment | undefined>((m, a) => (!m || a.score > m.score || (a.score === m.score && a.candidate.receivedMs > m.candidate.receivedMs) ? a : m), undefined);

  if (incoming.order.purpose === 'replace' || incoming.order.purpose === 'cancel') {
    const cancel = incoming.order.purpose === 'cancel';
    const target = best(assessed.filter((a) => a.po === 'same')) ?? best(assessed.filter((a) => (a.po === 'ocr' || a.po === 'near' || a.po === 'affix') && days(inc, a.candidate) <= 60));
    const purposeEv: Evidence = { field: 'purpose', how: cancel ? 'annulation de commande' : 'commande modifiée (annule et remplace)', weight: 0 };
    if (!target) return { decision: cancel ? 'cancellation' : 'amendment', matchOrderId: null, score: 0, evidence: [purposeEv, { field: 'poNumber', how: `aucune commande d’origine trouvée pour le n° ${incoming.order.poNumber ?? '(absent)'}`, weight: 0 }], certainty: 'sure' };
    const evidence = [purposeEv, ...target.evidence.filter((e) => e.field !== 'lines' || !cancel)];
    // The same amendment or cancellation arriving twice (fax and e-mail) changes nothing the second time.
    const already = cancel ? target.candidate.d.status === 'cancelled' : diffOrders(target.candidate.d.order, incoming.order).identical;
    if (already) {
      evidence.push({ field: 'purpose', how: cancel ? 'commande déjà annulée' : 'modification déjà appliquée (contenu identique)', weight: 0 });
      return { decision: 'duplicate', matchOrderId: target.candidate.d.orderId, score: target.score, evidence, certainty: 'sure' };
    }
    return { decision: cancel ? 'cancellation' : 'amendment', matchOrderId: target.candidate.d.orderId, score: target.score, evidence, certainty: 'sure' };
  }

  const matches = assessed.filter((a) => a.verdict);
  const chosen = best(matches.filter((a) => a.certainty === 'sure'));
  if (chosen) return { decision: chosen.verdict!, matchOrderId: chosen.candidate.d.orderId, score: chosen.score, evidence: chosen.evidence, certainty: 'sure' };
  // Several documents of one order are several candidates: count orders, not documents.
  const probable = matches.filter((a, i, all) => a.certainty === 'probable' && all.findIndex((b) => b.certainty === 'probable' && b.candidate.d.orderId === a.candidate.d.orderId) === i);
  if (probable.length === 1) {
    const p = probable[0]!;
    return { decision: p.verdict!, matchOrderId: p.candidate.d.orderId, score: p.score, evidence: p.evidence, certainty: 'probable' };
  }
  if (probable.length > 1) {
    // Two orders it could repeat: picking one would be a guess, and the customer may well mean a third.
    const ids = probable.map((a) => a.candidate.d.orderId).join(', ');
    return { decision: 'new', matchOrderId: null, score: 0, certainty: 'sure', evidence: [{ field: 'certainty', how: `mêmes lignes que plusieurs commandes récentes (${ids}) : aucune n’est plus probable que l’autre, nouvelle commande`, weight: 0 }] };
  }
  const closest = best(assessed);
  if (!closest) return { decision: 'new', matchOrderId: null, score: 0, evidence: [{ field: 'customer', how: 'aucune commande récente de ce client', weight: 0 }], certainty: 'sure' };
  return { decision: 'new', matchOrderId: null, score: closest.score, evidence: [{ field: 'closest', how: `la plus proche est ${closest.candidate.d.orderId}, écartée :`, weight: 0 }, ...closest.evidence], certainty: 'sure' };
}

// ------------------------------------------------------------------ differences, for the agent

export interface FieldChange {
  field: string;
  before: string | number | null;
  after: string | number | null;
}

export interface LineChange {
  change: 'added' | 'removed' | 'changed';
  sku: string | null;
  lineNumber: number;
  /** For 'changed': quantity, unitPrice, unit, requested fields that differ. */
  changes: FieldChange[];
}

export interface OrderDiff {
  identical: boolean;
  fields: FieldChange[];
  lines: LineChange[];
  /** One French sentence per difference: "VIS-440 : quantité 10 → 20". */
  summary: string[];
}

const FIELD_LABELS: Record<string, string> = {
  poNumber: 'n° de commande',
  orderDate: 'date de commande',
  requestedDeliveryDate: 'date de livraison souhaitée',
  currency: 'devise',
  'shipTo.code': 'code adresse de livraison',
  'shipTo.name': 'nom de livraison',
  'shipTo.street': 'rue de livraison',
  'shipTo.postalCode': 'code postal de livraison',
  'shipTo.city': 'ville de livraison',
  'shipTo.country': 'pays de livraison',
  quantity: 'quantité',
  unitPrice: 'prix unitaire',
  unit: 'unité',
};

/** What changed from `before` to `after` (e.g. an order and its "annule et remplace"). */
export function diffOrders(before: Order, after: Order): OrderDiff {
  const fields: FieldChange[] = [];
  const cmp = (field: string, a: string | number | null, b: string | number | null) => {
    if ((a ?? null) !== (b ?? null)) fields.push({ field, before: a ?? null, after: b ?? null });
  };
  cmp('poNumber', before.poNumber, after.poNumber);
  cmp('orderDate', before.orderDate, after.orderDate);
  cmp('requestedDeliveryDate', before.requestedDeliveryDate, after.requestedDeliveryDate);
  cmp('currency', before.currency, after.currency);
  for (const k of ['code', 'name', 'street', 'postalCode', 'city', 'country'] as const) {
    // A side that does not say (null) is not a change of address.
    if (before.shipTo[k] !== null && after.shipTo[k] !== null) cmp(`shipTo.${k}`, before.shipTo[k], after.shipTo[k]);
  }

  const lines: LineChange[] = [];
  const lineKey = (l: Order['lines'][number]) => (l.sku ? `sku:${l.sku.toUpperCase()}` : l.customerPartNumber ? `ref:${l.customerPartNumber}` : `n:${l.lineNumber}`);
  const remaining = [...after.lines];
  for (const b of before.lines) {
    const i = remaining.findIndex((a) => lineKey(a) === lineKey(b));
    if (i < 0) {
      lines.push({ change: 'removed', sku: b.sku, lineNumber: b.lineNumber, changes: [{ field: 'quantity', before: b.quantity, after: null }] });
      continue;
    }
    const a = remaining.splice(i, 1)[0]!;
    const changes: FieldChange[] = [];
    if (a.quantity !== b.quantity) changes.push({ field: 'quantity', before: b.quantity, after: a.quantity });
    if (a.unitPrice !== null && b.unitPrice !== null && a.unitPrice !== b.unitPrice) changes.push({ field: 'unitPrice', before: b.unitPrice, after: a.unitPrice });
    if (a.unit !== null && b.unit !== null && a.unit !== b.unit) changes.push({ field: 'unit', before: b.unit, after: a.unit });
    if (changes.length) lines.push({ change: 'changed', sku: a.sku, lineNumber: a.lineNumber, changes });
  }
  for (const a of remaining) lines.push({ change: 'added', sku: a.sku, lineNumber: a.lineNumber, changes: [{ field: 'quantity', before: null, after: a.quantity }] });

  const summary = [
    ...fields.map((f) => `${FIELD_LABELS[f.field] ?? f.field} : ${f.before ?? '—'} → ${f.after ?? '—'}`),
    ...lines.map((l) => {
      const name = l.sku ?? `ligne ${l.lineNumber}`;
      if (l.change === 'added') return `${name} ajouté (quantité ${l.changes[0]?.after ?? '?'})`;
      if (l.change === 'removed') return `${name} supprimé (était ${l.changes[0]?.before ?? '?'})`;
      return `${name} : ${l.changes.map((c) => `${FIELD_LABELS[c.field] ?? c.field} ${c.before} → ${c.after}`).join(', ')}`;
    }),
  ];
  return { identical: fields.length === 0 && lines.length === 0, fields, lines, summary };
}

/**
 * The order date as the customer printed it. A date taken from the transmission (the e-mail's Date, the
 * fax's receipt) when none was printed says when it was sent, not which order it is: no evidence for
 * or against two documents being one order (a copy faxed the next morning has another sending day).
 */
export function printedOrderDate(order: Order): string | null {
  return order.evidence?.orderDate?.source === 'channel' ? null : order.orderDate;
}
