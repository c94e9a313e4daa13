// What OCR read, corrected by what we know: candidate references snapped to the catalog and the
// customer's cross references by an edit distance that knows OCR's confusions (0/O, 1/I/l, 5/S,
// 8/B, rn/m), quantities checked against quantity × unit price = amount, prices against list
// prices. Every value carries a confidence and, when it is low, the reason in words. Pure.
import { normalisePhone, type MasterData } from '../../domain/masterdata';

/** Below this, a line (and so the order) goes to review with its doubts named. */
export const REVIEW_THRESHOLD = 0.7;

// Glyphs a fax or a scan turns into one another; substituting within a group is cheap.
// A glyph may sit in several groups (a faxed G reads as 6, 8 or 9).
const CONFUSION_GROUPS = ['0OQD', '1IL|!J', '5S', '8BG', '2Z', '6G', '9G', '4A', '7T', '3B'];
const CONFUSABLE = new Set<string>();
for (const g of CONFUSION_GROUPS) for (const a of g) for (const b of g) if (a !== b) CONFUSABLE.add(a + b);
// Several glyphs read as one, or one as several.
const MULTI: [string, string][] = [
  ['RN', 'M'],
  ['VV', 'W'],
  ['CL', 'D'],
  ['LI', 'H'],
];
const CONFUSION_COST = 0.25;
const SEPARATOR_COST = 0.3;
const STUTTER_COST = 0.5;
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
  return CONFUSABLE.has(a + b) ? CONFUSION_COST : 1;
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
      // A glyph read twice ("Vv1S", "NIiV": one letter cut in two) is half a real difference.
      const extra = i >= 2 && a[i - 1] === a[i - 2] && !SEPARATORS.has(a[i - 1]!) ? STUTTER_COST : indelCost(a[i - 1]!);
      let best = Math.min(d[i - 1]![j]! + extra, d[i]![j - 1]! + indelCost(b[j - 1]!), d[i - 1]![j - 1]! + subCost(a[i - 1]!, b[j - 1]!));
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
  /** When nothing was snapped: the closest entry and how far the next other article is (near-code.ts weighs it). */
  nearest?: { candidate: ReferenceCandidate; distance: number; next: number };
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
  const cleaned = read.trim().replace(EDGE_JUNK, '');
  if (!cleaned) return { value: null, confidence: 0, doubt: 'no reference could be read', candidate: null, distance: Infinity, rivals: [] };
  // Specks a fax leaves inside a code ("CHA:+S3"): no catalog code holds them; each costs a confusion.
  const specks = cleaned.replace(SPECKS, '');
  const speckCost = (cleaned.length - specks.length) * CONFUSION_COST;
  const distance = (value: string) => (specks && speckCost > 0 ? Math.min(ocrDistance(cleaned, value), ocrDistance(specks, value) + speckCost) : ocrDistance(cleaned, value));
  const scored = candidates.map((c) => ({ c, d: distance(c.value) })).sort((x, y) => x.d - y.d);
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
  const next = scored.find((s) => s.c.sku !== best.c.sku)?.d ?? Infinity;
  return { value: null, confidence: 0.2, doubt: `reference read as ${cleaned}: nothing close in the catalog (nearest ${best.c.value})`, candidate: null, distance: best.d, rivals: [], nearest: { candidate: best.c, distance: best.d, next } };
}

/** Marks inside a code that only a fax's specks print there. */
const SPECKS = /[:;+*!'"`‘’“”,]/g;

/** Marks OCR leaves at the edges of a cell: rules, quotes, guillemets, stray punctuation. */
export const EDGE_JUNK = /^[|[\]{}()'"`‘’“”«»\\.,;:_~*^°-]+|(?<![|[\]{}()'"`‘’“”«»\\.,;:_~*^°])[|[\]{}()'"`‘’“”«»\\.,;:_~*^°]+$/g;

/**
 * A number cell as OCR left it → the number's text: edge junk dropped, a stray letter word
 * before the number dropped ("E 25"), letters beside digits turned into the digits they look like.
 */
export function cleanNumberCell(cell: string): { text: string; changed: boolean } {
  let t = cell.trim().replace(EDGE_JUNK, '');
  t = t.replace(/^[A-Za-z]\s+(?=\d)/, '').replace(EDGE_JUNK, '');
  // Letters that can only be digits first, so that the gaps below are seen beside them ("©, 600").
  const fixed = fixDigits(t);
  t = fixed.text;
  // A monospace printout's wide comma leaves a gap OCR keeps: "345, 60" is 345,60, never two numbers.
  // So does a three-decimal one ("36, 570": an AS/400 price or quantity).
  t = t.replace(/(\d)\s*([,.])\s+(\d{2,3})$/, '$1$2$3').replace(/(\d)\s+([,.])(\d{2,3})$/, '$1$2$3');
  // A Swiss thousands apostrophe a fax turns into a degree sign or a curly quote: "2°700" is 2'700.
  t = t.replace(/(\d)[°’‘´`](?=\d{3}(?!\d))/g, "$1'");
  return { text: t, changed: fixed.changed || t !== cell.trim() };
}

/** Digits OCR reads as letters in a number cell. */
// A bold or monospace fax zero, dotted inside, comes back as a copyright or registered sign ("©,600").
const DIGIT_FIX: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', '©': '0', '®': '0', I: '1', l: '1', L: '1', '|': '1', '!': '1', S: '5', s: '5', B: '8', Z: '2', z: '2', G: '6' };

/** "3O" → "30", "l2" → "12": letters that can only be digits in a number cell. */
export function fixDigits(cell: string): { text: string; changed: boolean } {
  let changed = false;
  const text = cell.replace(/[OoDQ©®IlL|!SsBZzG]/g, (c, i: number, s: string) => {
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
  amountConfidence?: number;
  listPrice: number | null;
  /** The cells as read, so that a lost or extra character can be recognised ("401" for 40). */
  quantityText?: string;
  priceText?: string;
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

/** Digits only: "8,70" → "870". */
const digitsOf = (s: string) => s.replace(/\D/g, '');

/** One digit inserted or dropped ("401" ↔ "40", "12" ↔ "112"). */
function oneDigitApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) !== 1) return false;
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

/** amount / price when it is a whole quantity. */
function wholeQuantity(amount: number, price: number): number | null {
  if (!(price > 0)) return null;
  const q = Math.round(amount / price);
  return q > 0 && close(q * price, amount) ? q : null;
}

/** Just above the review threshold: a corrected value two independent sources agree on. */
const TWO_WITNESSES = 0.72;
/** A correction only the amount vouches for: kept, but below the threshold so an agent checks it. */
const CORRECTED_ALONE = 0.6;

/** quantity × price = amount to the cent (the amount is the product rounded to the cent). */
function exactly(quantity: number, price: number, amount: number): boolean {
  return Math.round(quantity * price * 100) === Math.round(amount * 100);
}

export interface QuantityFix {
  quantity: number;
  /** The price that makes the amount hold: the one read, or the list price when the read one does not. */
  price: number;
  /** The price is the catalog's list price: a second witness beside the printed amount. */
  listed: boolean;
}

/**
 * A quantity that contradicts the amount → the one integer quantity an OCR misreading explains
 * (a confusable digit "66" → 60, a digit lost or added "401" → 40, a fractional misread of an
 * AS/400 "10,000" such as "16,606" → 10) and that makes quantity × price = amount to the cent.
 * The read price is tried first, then the list price (the fax may have garbled both). Null when
 * no candidate, or more than one, fits.
 */
export function correctQuantity(read: number, price: number, amount: number, listPrice: number | null): QuantityFix | null {
  const prices = [price, ...(listPrice !== null && listPrice > 0 && !exactlyEqual(listPrice, price) ? [listPrice] : [])];
  for (const pr of prices) {
    const whole = wholeQuantity(amount, pr);
    const fits = (v: number) => Number.isInteger(v) && v > 0 && exactly(v, pr, amount);
    const found = new Set<number>();
    if (Number.isInteger(read)) {
      for (const v of digitVariants(read)) if (fits(v)) found.add(v);
      // A decimal separator read as a thousands one ("2,200,000" for 2.200,000): the same digits, shifted.
      for (const k of [10, 100, 1000]) if (read % k === 0 && read / k >= 1 && fits(read / k)) found.add(read / k);
      if (whole !== null && fits(whole) && oneDigitApart(String(read), String(whole))) found.add(whole);
    } else if (whole !== null && fits(whole) && explainsFraction(read, whole)) found.add(whole);
    if (found.size === 1) {
      const quantity = [...found][0]!;
      return { quantity, price: pr, listed: listPrice !== null && exactlyEqual(pr, listPrice) };
    }
    if (found.size > 1) return null;
  }
  return null;
}

/** "16,606", "585,6", "2900,6" for a whole quantity: the integer part, read with OCR's digit confusions. */
function explainsFraction(read: number, whole: number): boolean {
  const intPart = Math.trunc(read);
  return intPart === whole || digitVariants(intPart).includes(whole) || oneDigitApart(String(intPart), String(whole));
}

const exactlyEqual = (a: number, b: number) => Math.round(a * 10000) === Math.round(b * 10000);

/** A price read without its separator ("870" for 8,70) or unreadable, from amount / quantity when a witness allows; p changed in place. */
function derivePrice(i: LineCheckInput, p: Snapped<number>, amountSure: boolean): void {
  if (i.quantity !== null && i.amount !== null && (i.unitPrice === null || !close(i.quantity * i.unitPrice, i.amount))) {
    const implied = Math.round((i.amount / i.quantity) * 100) / 100;
    const fits = implied > 0 && close(implied * i.quantity, i.amount);
    const sameDigits = i.priceText !== undefined && digitsOf(i.priceText) !== '' && digitsOf(i.priceText) === digitsOf(implied.toFixed(2));
    // The list price agreeing with amount / quantity is a second, independent witness.
    const isListPrice = i.listPrice !== null && close(implied, i.listPrice);
    if (fits && (isListPrice || (amountSure && (sameDigits || i.unitPrice === null)))) {
      p.doubt = i.unitPrice === null ? `unit price unreadable${i.priceText ? ` ("${i.priceText}")` : ''}, taken as amount / quantity = ${fmt(implied)}` : `unit price read as "${i.priceText}", amount / quantity gives ${fmt(implied)}: corrected`;
      if (isListPrice) p.doubt += ' (the list price)';
      p.value = implied;
      p.confidence = isListPrice ? 0.8 : sameDigits ? 0.75 : 0.6;
    }
  }
}

/** Under this OCR confidence a quantity the amount contradicts is as good as unread. */
const BARELY_READ = 0.3;

function barelyRead(i: LineCheckInput, amountSure: boolean, whole: number | null): boolean {
  return whole !== null && amountSure && i.quantityConfidence < BARELY_READ && (i.priceConfidence ?? 0) >= 0.8;
}

/** OCR itself did not believe its reading ("7" at 0.14): as if unread, amount / price gives the quantity, flagged. */
function fromAmount(i: LineCheckInput, read: number, price: number, amount: number): Snapped<number> {
  const whole = wholeQuantity(amount, price)!;
  const printed = i.quantityText ? `"${i.quantityText}"` : fmt(read);
  return { value: whole, confidence: CORRECTED_ALONE, doubt: `quantity read as ${printed} with OCR confidence ${i.quantityConfidence.toFixed(2)}, amount ${fmt(amount)} / unit price ${fmt(price)} gives ${fmt(whole)}: taken, unconfirmed` };
}

/**
 * Quantity and unit price, checked against the amount and the list price. A quantity confirmed
 * by the amount is certain whatever OCR thought of it; one contradicted by it is flagged, and
 * corrected only when one confusable, lost or extra digit explains the difference. A cell OCR
 * could not read at all is taken from the other two, always with a doubt.
 */
export function checkLine(i: LineCheckInput): LineCheck {
  const q: Snapped<number> = { value: i.quantity, confidence: i.quantity === null ? 0 : i.quantityConfidence, doubt: null };
  const p: Snapped<number> = { value: i.unitPrice, confidence: i.unitPrice === null ? 0 : i.priceConfidence, doubt: null };
  const amountSure = (i.amountConfidence ?? 0.9) >= 0.8;
  let amountAgrees = false;

  // Price first: "870" for 8,70 (separator lost) or an unreadable price, given quantity and amount.
  derivePrice(i, p, amountSure);
  const price = p.value;
  if (i.quantity !== null && price !== null && i.amount !== null) {
    // A whole quantity may agree within the amount's rounding; a fractional one must agree to the
    // cent, or "13,006" (an AS/400 "13,000" with its zeros misread) would pass for 13.
    if (Number.isInteger(i.quantity) ? close(i.quantity * price, i.amount) : exactly(i.quantity, price, i.amount)) {
      amountAgrees = true;
      q.confidence = Math.max(q.confidence, 0.97);
      if (!p.doubt) p.confidence = Math.max(p.confidence, 0.97);
    } else {
      const fix = correctQuantity(i.quantity, price, i.amount, i.listPrice);
      // A faint amount alone cannot vouch for a correction; with the list price beside it, it may
      // propose one, still below the review threshold.
      // "118,606" for 118,000: price and amount confirm the integer part to the cent; no sure amount needed.
      const tail = fix !== null && !Number.isInteger(i.quantity) && Math.trunc(i.quantity) === fix.quantity && fix.price === price;
      if (fix && (amountSure || fix.listed || tail)) {
        const read = i.quantityText ? `"${i.quantityText}"` : fmt(i.quantity);
        q.value = fix.quantity;
        // Only two independent witnesses (the printed amount and the catalog's list price) make a
        // corrected quantity good enough to pass without review, and then only just.
        const witnessed = fix.listed && amountSure;
        q.confidence = witnessed ? TWO_WITNESSES : CORRECTED_ALONE;
        q.doubt = `quantity read as ${read}, but amount ${fmt(i.amount)} / ${fix.price === price ? 'unit price' : 'list price'} ${fmt(fix.price)} gives ${fmt(fix.quantity)}: corrected${witnessed ? ' (the list price agrees)' : ''}`;
        if (fix.price !== price) {
          p.doubt = `unit price read as ${i.priceText ? `"${i.priceText}"` : fmt(price)}, the list price ${fmt(fix.price)} makes the amount hold: corrected`;
          p.value = fix.price;
          p.confidence = witnessed ? TWO_WITNESSES : CORRECTED_ALONE;
        }
      } else if (barelyRead(i, amountSure, wholeQuantity(i.amount, price))) {
        Object.assign(q, fromAmount(i, i.quantity, price, i.amount));
      } else {
        const whole = wholeQuantity(i.amount, price);
        q.confidence = Math.min(q.confidence, 0.4);
        q.doubt = `quantity ${fmt(i.quantity)} × unit price ${fmt(price)} ≠ amount ${fmt(i.amount)}${whole !== null ? ` (the amount suggests ${fmt(whole)})` : ''}`;
        p.confidence = Math.min(p.confidence, 0.6);
      }
    }
  } else if (i.quantity === null && price !== null && i.amount !== null) {
    const whole = wholeQuantity(i.amount, price);
    if (whole !== null) {
      q.value = whole;
      // Two other cells agree on it; the same digits among the junk OCR read, or a price that is
      // also the list price, make it near certain.
      const listed = i.listPrice !== null && close(price, i.listPrice);
      const seen = i.quantityText !== undefined && new RegExp(`(?<!\\d)${whole}(?!\\d)`).test(i.quantityText);
      q.confidence = amountSure && seen ? 0.8 : listed && amountSure && i.priceConfidence >= 0.8 ? 0.72 : 0.6;
      q.doubt = `quantity unreadable${i.quantityText ? ` ("${i.quantityText}")` : ''}, taken as amount / unit price = ${fmt(whole)}`;
    }
  } else if (i.quantity !== null && q.confidence < REVIEW_THRESHOLD) {
    q.doubt = `quantity ${fmt(i.quantity)} read with low confidence and no amount to check it`;
  }
  if (q.value === null) q.doubt = `no quantity could be read${i.quantityText ? ` ("${i.quantityText}")` : ''}`;
  if (p.value !== null && i.listPrice !== null && i.listPrice > 0) {
    const ratio = p.value / i.listPrice;
    if (ratio > 1.5 || ratio < 0.5) {
      p.doubt = `unit price ${fmt(p.value)} is far from the list price ${fmt(i.listPrice)}`;
      p.confidence = Math.min(p.confidence, 0.6);
    } else if (close(p.value, i.listPrice) && !p.doubt) p.confidence = Math.max(p.confidence, 0.95);
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
