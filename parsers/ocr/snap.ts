// What OCR read, corrected by what we know: candidate references snapped to the catalog and the
// customer's cross references by an edit distance that knows OCR's confusions (0/O, 1/I/l, 5/S,
// 8/B, rn/m), quantities checked against quantity × unit price = amount, prices against list
// prices. Every value carries a confidence and, when it is low, the reason in words. Pure.
import { normalisePhone, type MasterData } from '../../domain/masterdata';

/** Below this, a line (and so the order) goes to review with its doubts named. */
export const REVIEW_THRESHOLD = 0.7;

// Glyphs a fax or a scan turns into one another; substituting within a group is cheap.
const CONFUSION_GROUPS = ['0OQD', '1IL|!', '5S', '8B', '2Z', '6G', '4A', '7T'];
const GROUP_OF = new Map<string, number>();
CONFUSION_GROUPS.forEach((g, i) => {
  for (const c of g) GROUP_OF.set(c, i);
});
// Several glyphs read as one, or one as several.
const MULTI: [string, string][] = [
  ['RN', 'M'],
  ['VV', 'W'],
  ['CL', 'D'],
  ['LI', 'H'],
];
const CONFUSION_COST = 0.25;
const SEPARATOR_COST = 0.3;
const SEPARATORS = new Set(['-', '.', ' ', '_', '/', '–', '—']);

function canon(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[–—_]/g, '-')
    .replace(/\s+/g, '');
}

function subCost(a: string, b: string): number {
  if (a === b) return 0;
  if (SEPARATORS.has(a) && SEPARATORS.has(b)) return 0.1;
  const ga = GROUP_OF.get(a);
  return ga !== undefined && ga === GROUP_OF.get(b) ? CONFUSION_COST : 1;
}

function indelCost(c: string): number {
  return SEPARATORS.has(c) ? SEPARATOR_COST : 1;
}

/** Edit distance where OCR confusions cost a quarter of a real difference. Case-insensitive. */
export function ocrDistance(readRaw: string, truthRaw: string): number {
  const a = canon(readRaw);
  const b = canon(truthRaw);
  const n = a.length;
  const m = b.length;
  const d: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = 1; i <= n; i++) d[i]![0] = d[i - 1]![0]! + indelCost(a[i - 1]!);
  for (let j = 1; j <= m; j++) d[0]![j] = d[0]![j - 1]! + indelCost(b[j - 1]!);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      let best = Math.min(d[i - 1]![j]! + indelCost(a[i - 1]!), d[i]![j - 1]! + indelCost(b[j - 1]!), d[i - 1]![j - 1]! + subCost(a[i - 1]!, b[j - 1]!));
      for (const [many, one] of MULTI) {
        const k = many.length;
        if (i >= k && a.slice(i - k, i) === many && b[j - 1] === one) best = Math.min(best, d[i - k]![j - 1]! + CONFUSION_COST);
        if (j >= k && b.slice(j - k, j) === many && a[i - 1] === one) best = Math.min(best, d[i - 1]![j - k]! + CONFUSION_COST);
      }
      d[i]![j] = best;
    }
  }
  return d[n]![m]!;
}

export interface ReferenceCandidate {
  /** As printed in the catalog or the cross references. */
  value: string;
  sku: string;
  kind: 'sku' | 'customerPart';
}

export interface Snapped<T> {
  value: T | null;
  confidence: number;
  /** Why confidence is low, for the agent; null when the value is certain enough. */
  doubt: string | null;
}

export interface SnappedReference extends Snapped<string> {
  /** The catalog or cross-reference entry snapped to. */
  candidate: ReferenceCandidate | null;
  distance: number;
  /** Other entries almost as close, which a price may settle. */
  rivals: ReferenceCandidate[];
}

/** Our SKUs, plus the customer's own part numbers when the customer is known (all of them if not). */
export function referenceCandidates(md: MasterData, customerId: string | null): ReferenceCandidate[] {
  const out: ReferenceCandidate[] = md.products.map((p) => ({ value: p.sku, sku: p.sku, kind: 'sku' as const }));
  for (const x of md.crossReferences) if (!customerId || x.customerId === customerId) out.push({ value: x.customerPartNumber, sku: x.sku, kind: 'customerPart' });
  return out;
}

/**
 * A reference as OCR read it → the closest catalog entry. Exact matches keep the OCR confidence
 * (raised: the catalog confirms the reading); near matches are snapped with a doubt; a read that
 * is equally close to two entries, or far from all, is not snapped.
 */
export function snapReference(read: string, ocrConfidence: number, candidates: ReferenceCandidate[]): SnappedReference {
  const cleaned = read.trim().replace(/^[|[\]{}()'"`.,;:]+|[|[\]{}()'"`.,;:]+$/g, '');
  if (!cleaned) return { value: null, confidence: 0, doubt: 'no reference could be read', candidate: null, distance: Infinity, rivals: [] };
  const scored = candidates.map((c) => ({ c, d: ocrDistance(cleaned, c.value) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  if (!best) return { value: null, confidence: 0.2, doubt: `reference read as ${cleaned}: no catalog to check it against`, candidate: null, distance: Infinity, rivals: [] };
  // The same SKU reached through two entries (SKU and a cross reference) is no rivalry.
  const rivals = scored.filter((s) => s !== best && s.c.sku !== best.c.sku && s.d <= best.d + 0.5).map((s) => s.c);
  const len = Math.max(3, canon(best.c.value).length);
  if (best.d === 0) {
    // A misread rarely lands exactly on another valid code, so the catalog vouches for a good
    // reading; a very faint one stays just above review until a price or an amount confirms it.
    const confidence = rivals.length > 0 ? Math.max(ocrConfidence, 0.75) : ocrConfidence >= 0.5 ? Math.max(ocrConfidence, 0.9) : 0.72;
    return { value: best.c.sku, confidence: round2(Math.min(0.99, confidence)), doubt: null, candidate: best.c, distance: 0, rivals };
  }
  const kind = best.c.kind === 'sku' ? 'SKU' : 'customer reference';
  if (rivals.length > 0) {
    const names = [best.c, ...rivals].map((c) => c.value).join(' or ');
    return { value: null, confidence: 0.3, doubt: `reference read as ${cleaned}: could be ${names}`, candidate: null, distance: best.d, rivals: [best.c, ...rivals] };
  }
  // Relative to length: one confusion in "VIS-440" is small, one real difference in "CHV-6" is not.
  const rel = best.d / len;
  if (best.d <= 1.0 && rel <= 0.2) {
    const confidence = best.d <= 0.5 ? 0.85 - best.d * 0.2 : 0.6;
    return {
      value: best.c.sku,
      confidence: round2(confidence),
      doubt: `${kind} read as ${cleaned}, snapped to ${best.c.value}${best.c.kind === 'customerPart' ? ` (${best.c.sku})` : ''}`,
      candidate: best.c,
      distance: best.d,
      rivals,
    };
  }
  return { value: null, confidence: 0.2, doubt: `reference read as ${cleaned}: nothing close in the catalog (nearest ${best.c.value})`, candidate: null, distance: best.d, rivals: [] };
}

/** Digits OCR reads as letters in a number cell. */
const DIGIT_FIX: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', I: '1', l: '1', '|': '1', '!': '1', S: '5', s: '5', B: '8', Z: '2', z: '2', G: '6' };

/** "3O" → "30", "l2" → "12": letters that can only be digits in a number cell. */
export function fixDigits(cell: string): { text: string; changed: boolean } {
  let changed = false;
  const text = cell.replace(/[OoDQIl|!SsBZzG]/g, (c, i: number, s: string) => {
    // Only between or beside digits, so that a unit word ("BTE", "U") stays a word.
    const near = /[\d,.]/.test(s[i - 1] ?? '') || /[\d,.]/.test(s[i + 1] ?? '');
    if (!near) return c;
    changed = true;
    return DIGIT_FIX[c] ?? c;
  });
  return { text, changed };
}

export interface LineCheckInput {
  quantity: number | null;
  unitPrice: number | null;
  amount: number | null;
  /** OCR confidence of each cell (0..1). */
  quantityConfidence: number;
  priceConfidence: number;
  listPrice: number | null;
}

export interface LineCheck {
  quantity: Snapped<number>;
  unitPrice: Snapped<number>;
  /** True when quantity × unit price = amount held. */
  amountAgrees: boolean;
}

const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(0.011, Math.abs(b) * 0.002);

// Digits a fax mixes up, for trying what a failed amount check could mean.
const DIGIT_SWAPS: Record<string, string[]> = { '0': ['8', '6', '9'], '1': ['7', '4'], '3': ['8', '5'], '5': ['6', '3', '8'], '6': ['5', '8', '0'], '7': ['1'], '8': ['3', '6', '0', '9', '5'], '9': ['8', '0'], '4': ['1'], '2': ['7'] };

function digitVariants(n: number): number[] {
  const s = String(n);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) for (const r of DIGIT_SWAPS[s[i]!] ?? []) out.push(Number(s.slice(0, i) + r + s.slice(i + 1)));
  return out.filter((v) => v > 0);
}

/**
 * Quantity and unit price, checked against the amount and the list price. A quantity confirmed
 * by the amount is certain whatever OCR thought of it; one contradicted by it is flagged, and
 * corrected only when exactly one confusable digit makes the arithmetic hold.
 */
export function checkLine(i: LineCheckInput): LineCheck {
  const q: Snapped<number> = { value: i.quantity, confidence: i.quantity === null ? 0 : i.quantityConfidence, doubt: null };
  const p: Snapped<number> = { value: i.unitPrice, confidence: i.unitPrice === null ? 0 : i.priceConfidence, doubt: null };
  let amountAgrees = false;
  if (i.quantity !== null && i.unitPrice !== null && i.amount !== null) {
    if (close(i.quantity * i.unitPrice, i.amount)) {
      amountAgrees = true;
      q.confidence = Math.max(q.confidence, 0.97);
      p.confidence = Math.max(p.confidence, 0.97);
    } else {
      const qFix = digitVariants(i.quantity).filter((v) => close(v * i.unitPrice!, i.amount!));
      const implied = i.amount / i.unitPrice;
      if (qFix.length === 1) {
        q.doubt = `quantity read as ${fmt(i.quantity)}, but amount ${fmt(i.amount)} / unit price ${fmt(i.unitPrice)} gives ${fmt(qFix[0]!)}: corrected`;
        q.value = qFix[0]!;
        q.confidence = 0.75;
      } else {
        q.confidence = Math.min(q.confidence, 0.4);
        q.doubt = `quantity ${fmt(i.quantity)} × unit price ${fmt(i.unitPrice)} ≠ amount ${fmt(i.amount)}${Number.isInteger(Math.round(implied * 1000) / 1000) ? ` (the amount suggests ${fmt(implied)})` : ''}`;
        p.confidence = Math.min(p.confidence, 0.6);
      }
    }
  } else if (i.quantity !== null && q.confidence < REVIEW_THRESHOLD) {
    q.doubt = `quantity ${fmt(i.quantity)} read with low confidence and no amount to check it`;
  }
  if (i.quantity === null) q.doubt = 'no quantity could be read';
  if (p.value !== null && i.listPrice !== null && i.listPrice > 0) {
    const ratio = p.value / i.listPrice;
    if (ratio > 1.5 || ratio < 0.5) {
      p.doubt = `unit price ${fmt(p.value)} is far from the list price ${fmt(i.listPrice)}`;
      p.confidence = Math.min(p.confidence, 0.6);
    } else if (close(p.value, i.listPrice)) p.confidence = Math.max(p.confidence, 0.95);
  }
  q.confidence = round2(q.confidence);
  p.confidence = round2(p.confidence);
  return { quantity: q, unitPrice: p, amountAgrees };
}

/** A phone number as OCR read it → a customer's fax or phone, allowing one confusable digit. */
export function snapPhone(read: string, md: MasterData): Snapped<string> {
  const n = normalisePhone(fixDigits(read).text);
  if (!n) return { value: null, confidence: 0, doubt: null };
  const known = md.customers.flatMap((c) => [c.fax, c.phone].filter((p): p is string => !!p).map((p) => ({ raw: p, n: normalisePhone(p)! })));
  if (known.some((k) => k.n === n)) return { value: read, confidence: 0.95, doubt: null };
  const near = known.filter((k) => k.n.length === n.length && [...k.n].filter((c, i) => c !== n[i]).length === 1);
  const uniq = [...new Set(near.map((k) => k.raw))];
  if (uniq.length === 1) return { value: uniq[0]!, confidence: 0.75, doubt: `fax number read as ${read}, taken as ${uniq[0]}` };
  return { value: read, confidence: 0.5, doubt: null };
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000).replace('.', ',');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
