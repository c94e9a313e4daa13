// Scoring of one extracted document against its corpus ground truth (bench/extraction-accuracy.ts):
// lines matched on (SKU, quantity), header fields exact, and whether a wrong value went through
// unflagged (order or field confidence ≥ 0.9 and no warning or error on that field or line).
import type { DocumentResult, Order, Problem } from '../domain/order';
import type { ManifestEntry, Split } from '../fixtures/corpus/generate';
import type { CorpusChannel, CorpusTruth } from '../fixtures/corpus/model';

/** "Confident": the issue's bar for a value nobody will look at. */
export const CONFIDENT = 0.9;
export const FIELDS = ['customer', 'poNumber', 'orderDate', 'requestedDeliveryDate', 'shipToPostalCode'] as const;
export type Field = (typeof FIELDS)[number];

/** What a calibration value is: an order line (its own confidence) or a header field. */
export type CalibrationKind = 'line' | 'header';

export interface DocScore {
  id: string;
  layout: string;
  channel: CorpusChannel;
  split: Split;
  pages: number;
  seconds: number;
  truthLines: number;
  predLines: number;
  matched: number;
  fields: Record<Field, boolean>;
  wrong: boolean;
  wrongUnflagged: boolean;
  quarantined: boolean;
  /** (confidence, right, kind) triples: one per predicted line, one per header field. */
  calibration: [number, boolean, CalibrationKind][];
  notes: string[];
}

export interface Agg {
  docs: number;
  pages: number;
  seconds: number;
  truthLines: number;
  predLines: number;
  matched: number;
  fields: Record<Field, number>;
  exact: number;
  wrongUnflagged: number;
  quarantined: number;
}

export const newAgg = (): Agg => ({ docs: 0, pages: 0, seconds: 0, truthLines: 0, predLines: 0, matched: 0, fields: { customer: 0, poNumber: 0, orderDate: 0, requestedDeliveryDate: 0, shipToPostalCode: 0 }, exact: 0, wrongUnflagged: 0, quarantined: 0 });

export function add(a: Agg, d: DocScore): void {
  a.docs++;
  a.pages += d.pages;
  a.seconds += d.seconds;
  a.truthLines += d.truthLines;
  a.predLines += d.predLines;
  a.matched += d.matched;
  for (const f of FIELDS) if (d.fields[f]) a.fields[f]++;
  if (!d.wrong) a.exact++;
  if (d.wrongUnflagged) a.wrongUnflagged++;
  if (d.quarantined) a.quarantined++;
}

export function f1(a: Pick<Agg, 'truthLines' | 'predLines' | 'matched'>): number {
  const p = a.predLines ? a.matched / a.predLines : 0;
  const r = a.truthLines ? a.matched / a.truthLines : 0;
  return p + r ? (2 * p * r) / (p + r) : 0;
}

export function headerAccuracy(a: Agg): number {
  return a.docs ? FIELDS.reduce((s, f) => s + a.fields[f], 0) / (FIELDS.length * a.docs) : 0;
}

/** Field-level confidence when the reader gives one (order.evidence[field].confidence), else the order's. */
function fieldConfidence(order: Order, field: string): number {
  const ev = (order as unknown as { evidence?: Record<string, { confidence?: unknown } | undefined> }).evidence;
  const c = ev?.[field]?.confidence;
  return typeof c === 'number' ? c : order.confidence;
}

const FIELD_FLAGS: Record<Field, { where: string[]; code: string[] }> = {
  customer: { where: ['customer'], code: ['CUSTOMER'] },
  poNumber: { where: ['poNumber', 'po'], code: ['_PO'] },
  orderDate: { where: ['orderDate'], code: ['ORDER_DATE'] },
  requestedDeliveryDate: { where: ['requestedDeliveryDate', 'delivery'], code: ['DELIVERY'] },
  shipToPostalCode: { where: ['shipTo'], code: ['SHIP_TO'] },
};

const serious = (p: Problem) => p.severity === 'error' || p.severity === 'warning';

function flaggedField(field: Field, order: Order, problems: Problem[]): boolean {
  if (fieldConfidence(order, field === 'shipToPostalCode' ? 'shipTo' : field === 'customer' ? 'customer' : field) < CONFIDENT) return true;
  const f = FIELD_FLAGS[field];
  return problems.some((p) => serious(p) && (f.where.some((w) => (p.where ?? '').startsWith(w)) || f.code.some((c) => p.code.includes(c))));
}

const lineProblem = (p: Problem) => serious(p) && (/^(?:line|lines|page|total|row)\b/i.test(p.where ?? '') || /TABLE|LINE|ROW|TOTAL|ITEM|QUANTITY/.test(p.code));

/** Picks the extracted order that is this document's order (most lines in common, then PO). */
function pickOrder(result: DocumentResult, truth: CorpusTruth): Order | undefined {
  let best: Order | undefined;
  let bestScore = -1;
  for (const o of result.orders) {
    const keys = new Set(truth.lines.map((l) => `${l.sku}|${l.quantity}`));
    const score = o.lines.filter((l) => keys.has(`${l.sku}|${l.quantity}`)).length * 2 + (o.poNumber === truth.poNumber ? 1 : 0);
    if (score > bestScore) [best, bestScore] = [o, score];
  }
  return best;
}

export function scoreDocument(entry: ManifestEntry, truth: CorpusTruth, result: DocumentResult, unreadable: boolean, seconds: number): DocScore {
  const order = pickOrder(result, truth);
  const problems = result.problems;
  const notes: string[] = [];
  const want = new Map<string, number>();
  for (const l of truth.lines) want.set(`${l.sku}|${l.quantity}`, (want.get(`${l.sku}|${l.quantity}`) ?? 0) + 1);
  const lines = order?.lines ?? [];
  let matched = 0;
  let unflagged = false;
  const calibration: [number, boolean, CalibrationKind][] = [];
  const confidentOrder = !!order && order.confidence >= CONFIDENT;
  for (const l of lines) {
    const k = `${l.sku}|${l.quantity}`;
    const n = want.get(k) ?? 0;
    const right = n > 0;
    calibration.push([l.confidence, right, 'line']);
    if (right) {
      matched++;
      want.set(k, n - 1);
    } else {
      notes.push(`line ${l.lineNumber}: read ${l.sku} × ${l.quantity} (confidence ${l.confidence})`);
      const flagged = !confidentOrder || l.confidence < CONFIDENT || problems.some((p) => serious(p) && (p.where ?? '').startsWith(`line ${l.lineNumber}`));
      if (!flagged) unflagged = true;
    }
  }
  const missed = [...want.entries()].filter(([, n]) => n > 0);
  if (missed.length) {
    notes.push(`missed ${missed.length}: ${missed.slice(0, 4).map(([k, n]) => `${k.replace('|', ' × ')}${n > 1 ? ` (×${n})` : ''}`).join(', ')}`);
    if (confidentOrder && !problems.some(lineProblem)) unflagged = true;
  }
  const got: Record<Field, string | null> = {
    customer: order?.customer.id ?? null,
    poNumber: order?.poNumber ?? null,
    orderDate: order?.orderDate ?? null,
    requestedDeliveryDate: order?.requestedDeliveryDate ?? null,
    shipToPostalCode: order?.shipTo.postalCode ?? null,
  };
  const expect: Record<Field, string | null> = {
    customer: truth.customerId,
    poNumber: truth.poNumber,
    orderDate: truth.orderDate,
    requestedDeliveryDate: truth.requestedDeliveryDate,
    shipToPostalCode: truth.shipTo.postalCode,
  };
  const fields = {} as Record<Field, boolean>;
  for (const f of FIELDS) {
    const right = !!order && got[f] === expect[f];
    fields[f] = right;
    if (order) calibration.push([fieldConfidence(order, f === 'shipToPostalCode' ? 'shipTo' : f), right, 'header']);
    if (!right) {
      notes.push(`${f}: read ${JSON.stringify(got[f])}, expected ${JSON.stringify(expect[f])}`);
      if (order && !flaggedField(f, order, problems)) unflagged = true;
    }
  }
  const wrong = !order || matched !== truth.lines.length || lines.length !== truth.lines.length || FIELDS.some((f) => !fields[f]);
  const quarantined = unreadable || result.orders.length === 0;
  if (quarantined) notes.push(`quarantined: ${problems.filter(serious).map((p) => p.code).join(', ') || 'no order'}`);
  return { id: entry.id, layout: entry.layout, channel: entry.channel, split: entry.split, pages: entry.pages, seconds, truthLines: truth.lines.length, predLines: lines.length, matched, fields, wrong, wrongUnflagged: wrong && !quarantined && unflagged, quarantined, calibration, notes };
}
