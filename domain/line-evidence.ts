// Why each order line read from a document is believed (issue #13): how its article was identified,
// and what else printed on the line corroborates it — the designation against the catalog's, the
// amount against quantity × price, the price against the list price, a quantity a product can be
// ordered in. A line something contradicts is flagged (a doubt and a problem naming both readings),
// so that the agent sees WHICH line to check. Pure: applied by resolve.ts to document orders only.
import type { MasterData, Product } from './masterdata';
import { nameTokens } from './names';
import { problem, type FieldEvidence, type Problem } from './order';
import { amountMatches } from './unit-price';

/** What corroboration looks at: the line as resolved, and what was printed on it. */
export interface LineFacts {
  lineNumber: number;
  sku: string | null;
  /** How the article was identified ('our SKU as printed', 'customer part number (cross_references.csv)'…). */
  identifiedBy: string | null;
  /** The reference as printed (SKU, customer part number or EAN). */
  printedRef: string | null;
  /** The designation as printed on the document (not the catalog's). */
  description: string | null;
  quantity: number | null;
  unit: string | null;
  unitPrice: number | null;
  /** The line's amount as printed, when the reader carries it. */
  amount: number | null;
  /** The EAN printed agrees with the reference (both name the same product). */
  eanAgrees: boolean;
}

/** What the order around the line says: numbers a quantity must not be a copy of. */
export interface LineContext {
  /** Years of the order's dates (order, delivery). */
  years: number[];
  /** Postal codes printed on the order (ship-to). */
  postalCodes: string[];
}

export interface LineConflict {
  code: 'ITEM_CONFLICT' | 'ITEM_PRICE_CONFLICT' | 'QUANTITY_UNLIKELY' | 'LINE_UNCORROBORATED' | 'LINE_REPEATED';
  /** For the agent, on the line's doubts. */
  doubt: string;
  /** Words a reader's own doubt says the same thing with (not said twice). */
  sameAs?: string;
}

/** How every reader words a price far from the list price (parsers/layout, parsers/ocr). */
const PRICE_FAR = 'far from the list price';

/** What may corroborate a line: its designation, its EAN, its amount (quantity × price), its price (the list price's). */
export type Corroboration = 'designation' | 'ean' | 'amount' | 'price';

export interface LineCorroboration {
  evidence: FieldEvidence;
  conflicts: LineConflict[];
  /** Which kinds of evidence agree. */
  kinds: Corroboration[];
  /** The line prints a price or an amount (so something could have corroborated it). */
  priced: boolean;
}

/** A line something contradicts: below review, so an agent checks it. */
export const LINE_CONFLICT_CONFIDENCE = 0.5;

/** Price ÷ list price beyond which the price is another product's, or a quantity read as a price (the layout reader's doubt too). */
export const PRICE_RATIO_FAR = { below: 0.4, above: 1.6 } as const;
/** Price ÷ list price within which the price vouches for the article: a negotiated discount, not another product. */
export const PRICE_RATIO_NEAR = { below: 0.5, above: 1.1 } as const;

/** Where a unit price stands against a list price: near it (vouches for the article), far from it (another article's), or between; null without a list price. */
export function priceAgainstList(price: number, list: number | null | undefined): 'near' | 'far' | 'between' | null {
  if (list === null || list === undefined || !(list > 0) || !(price > 0)) return null;
  const ratio = price / list;
  if (ratio >= PRICE_RATIO_NEAR.below && ratio <= PRICE_RATIO_NEAR.above) return 'near';
  return ratio < PRICE_RATIO_FAR.below || ratio > PRICE_RATIO_FAR.above ? 'far' : 'between';
}

/** Units counted in whole items: a fraction of one is a misreading (a price, a decimal comma read as a quantity). */
const COUNTED_UNITS = new Set(['U', 'UN', 'UNITE', 'PCE', 'PC', 'PCS', 'PIECE', 'EA', 'ST', 'STK', 'STÜCK', 'BTE', 'BOX', 'BX', 'CAR', 'CARTON', 'KAR', 'LOT', 'PAI', 'PR', 'PAIRE', 'PAQ', 'PK', 'SET']);

// ------------------------------------------------------------------ designation

interface DesignationIndex {
  products: { sku: string; tokens: Set<string> }[];
  /** How rare a word is among the catalog's designations: rare words say which product. */
  weight: Map<string, number>;
}
const indexes = new WeakMap<MasterData, DesignationIndex>();

function designationIndex(md: MasterData): DesignationIndex {
  let ix = indexes.get(md);
  if (ix) return ix;
  const products = md.products.map((p) => ({ sku: p.sku, tokens: nameTokens(p.description) }));
  const df = new Map<string, number>();
  for (const p of products) for (const t of p.tokens) df.set(t, (df.get(t) ?? 0) + 1);
  const weight = new Map([...df].map(([t, n]) => [t, Math.log((products.length + 1) / (n + 0.5))]));
  ix = { products, weight };
  indexes.set(md, ix);
  return ix;
}

export interface DesignationMatch {
  /** Score of the article read (sum of the rarity of the words it shares with the printed designation). */
  read: number;
  /** The words of the printed designation the article read shares. */
  shared: string[];
  /** The other product the designation names best, and its score. */
  other: { sku: string; score: number; shared: string[] } | null;
}

/** The printed designation against every product's: how well it names the article read, and the best other. */
export function matchDesignation(description: string, sku: string, md: MasterData): DesignationMatch {
  const ix = designationIndex(md);
  const words = nameTokens(description);
  let read: DesignationMatch['read'] = 0;
  let shared: string[] = [];
  let other: DesignationMatch['other'] = null;
  for (const p of ix.products) {
    const common = [...words].filter((t) => p.tokens.has(t));
    const score = common.reduce((s, t) => s + Math.max(0, ix.weight.get(t) ?? 0), 0);
    if (p.sku.toUpperCase() === sku.toUpperCase()) [read, shared] = [score, common];
    else if (!other || score > other.score) other = { sku: p.sku, score, shared: common };
  }
  return { read, shared, other };
}

/** Score from which a designation names a product (about two telling words, or one rare size). */
export const NAMES_PRODUCT = 3;

/** A designation's score clearly ahead of another's: twice as well, and by more than one word's worth. */
export function clearlyAhead(score: number, other: number): boolean {
  return score >= 2 * other + 1;
}

/**
 * A designation naming one article better than another: clearly ahead, or ahead by telling words
 * the other lacks (a size: "8x40" beside the "Cheville nylon" both share).
 */
export function namesBetter(score: number, other: number): boolean {
  return score >= NAMES_PRODUCT && (clearlyAhead(score, other) || score - other >= NAMES_PRODUCT);
}

/** The one article a designation names (telling words, clearly ahead of any other), or null. */
export function productNamedBy(description: string | undefined, md: MasterData): { sku: string; shared: string[] } | null {
  if (!description) return null;
  const best = matchDesignation(description, '', md).other;
  if (!best || best.score < NAMES_PRODUCT) return null;
  const second = matchDesignation(description, best.sku, md).other;
  return !second || clearlyAhead(best.score, second.score) ? { sku: best.sku, shared: best.shared } : null;
}

function designationEvidence(f: LineFacts, product: Product, md: MasterData): { agrees: string | null; conflict: LineConflict | null } {
  if (!f.description || !f.sku) return { agrees: null, conflict: null };
  const m = matchDesignation(f.description, f.sku, md);
  if (m.read >= NAMES_PRODUCT && (!m.other || m.read >= m.other.score)) return { agrees: `designation agrees with the catalog's (${m.shared.join(', ')})`, conflict: null };
  // Clearly another product: it names that one, twice as well as the article read or by telling words
  // the article read lacks (a size: "4x50" printed, VIS-440 read).
  if (m.other && m.other.score >= NAMES_PRODUCT && (clearlyAhead(m.other.score, m.read) || m.other.score - m.read >= NAMES_PRODUCT)) {
    return {
      agrees: null,
      conflict: { code: 'ITEM_CONFLICT', doubt: `the designation « ${f.description} » is that of ${m.other.sku} (${m.other.shared.join(', ')}), not of ${product.sku} « ${product.description} »` },
    };
  }
  return { agrees: null, conflict: null };
}

/** How every reader words its doubt on an article code found inside the designation, no reference column printed. */
export const REFERENCE_IN_DESIGNATION = 'reference found inside the designation';
/** The confidence a reader gives a line for that doubt alone: back to whole when the line answers it. */
export const REFERENCE_IN_DESIGNATION_CONFIDENCE = 0.9;

/**
 * The reader's doubt on a code found inside the designation ("[VIS-450] Vis inox A2 4x50", the way some
 * ERPs print an article's display name) answered by the line itself: the designation without the code
 * names that very article (no other better), and nothing contradicts it; besides, on a line printing a
 * price or an amount, that amount or the EAN agrees; on a line printing neither (an e-mail without
 * prices), the code is the only one of the catalogue in the designation. A designation that merely
 * mentions a code ("remplace VIS-440"), names another article, or holds a second code keeps the doubt.
 * Returns why, or null.
 */
export function referenceInDesignationAnswered(f: LineFacts, c: LineCorroboration, md: MasterData): string | null {
  if (!f.sku || !f.description || !f.printedRef || c.conflicts.length) return null;
  const printed = c.kinds.some((k) => k === 'amount' || k === 'ean');
  if (!printed && (c.priced || otherCodeIn(f.description, f.printedRef, md))) return null;
  const words = f.description.split(f.printedRef).join(' ');
  const m = matchDesignation(words, f.sku, md);
  if (m.read < NAMES_PRODUCT || (m.other && m.other.score >= m.read)) return null;
  const alone = printed ? '' : ', the only code of the catalogue in it, no price printed';
  return `code ${f.printedRef} found inside the designation, which names that article without it (${m.shared.join(', ')})${alone}`;
}

/** A token without the full stops and colons after it ("VIS-440."). */
function trimEndDots(t: string): string {
  let end = t.length;
  while (end > 0 && (t[end - 1] === '.' || t[end - 1] === ':')) end--;
  return t.slice(0, end);
}

/** A code of the catalogue (our SKU, an EAN, a customer's part number) in the designation besides the one read. */
function otherCodeIn(description: string, printedRef: string, md: MasterData): boolean {
  const read = printedRef.toUpperCase();
  const parts = new Set(md.crossReferences.map((x) => x.customerPartNumber.toUpperCase()));
  return description
    .split(/[\s,;()[\]]+/u)
    .map((t) => trimEndDots(t).toUpperCase())
    .some((t) => t.length > 1 && t !== read && (!!md.product(t) || !!md.productByEan(t) || parts.has(t)));
}

// ------------------------------------------------------------------ price and amount

function priceEvidence(f: LineFacts, product: Product): { agrees: [Corroboration, string][]; conflict: LineConflict | null } {
  const agrees: [Corroboration, string][] = [];
  if (f.quantity !== null && f.unitPrice !== null && f.amount !== null && amountMatches(f.quantity, f.unitPrice, f.amount)) agrees.push(['amount', `quantity × unit price = amount printed (${f.amount})`]);
  const list = product.listPrice;
  if (f.unitPrice === null || list === null || !(list > 0) || !(f.unitPrice > 0)) return { agrees, conflict: null };
  // A price per another unit (a box priced against a piece) is not compared.
  if (f.unit && f.unit.toUpperCase() !== product.unit.toUpperCase()) return { agrees, conflict: null };
  const stands = priceAgainstList(f.unitPrice, list);
  if (stands === 'near') agrees.push(['price', `unit price ${f.unitPrice} near the list price ${list}`]);
  else if (stands === 'far') {
    return { agrees, conflict: { code: 'ITEM_PRICE_CONFLICT', doubt: `unit price ${f.unitPrice} is ${PRICE_FAR} ${list} of ${product.sku}: another article, or quantity and price mixed up`, sameAs: PRICE_FAR } };
  }
  return { agrees, conflict: null };
}

// ------------------------------------------------------------------ quantity

/** A quantity that is a copy of another number of the document, or a fraction of a counted unit. */
export function unlikelyQuantity(f: Pick<LineFacts, 'quantity' | 'unit' | 'unitPrice' | 'amount'>, product: Product | undefined, ctx: LineContext): string | null {
  const q = f.quantity;
  if (q === null || !(q > 0)) return null;
  const unit = (f.unit ?? product?.unit ?? '').toUpperCase();
  if (!Number.isInteger(q) && COUNTED_UNITS.has(unit)) return `quantity ${q} is not a whole number of ${unit}`;
  if (!Number.isInteger(q)) return null;
  if (q >= 10_000_000) return `quantity ${q} has the digits of a code (an EAN?), not a quantity`;
  if (ctx.years.includes(q)) return `quantity ${q} is the year of the order's dates`;
  if (q >= 1000 && ctx.postalCodes.some((pc) => pc.replace(/\s/g, '') === String(q))) return `quantity ${q} is the delivery postal code`;
  if (f.amount !== null && f.unitPrice !== null && q === f.amount && f.unitPrice !== 1 && q > 1) return `quantity ${q} is the line's amount`;
  return null;
}

// ------------------------------------------------------------------ the line

/** Every piece of evidence on one line: what corroborates its article and quantity, and what contradicts them. */
export function corroborateLine(f: LineFacts, md: MasterData, ctx: LineContext): LineCorroboration {
  const product = f.sku ? md.product(f.sku) : undefined;
  const agree: [Corroboration, string][] = [];
  const conflicts: LineConflict[] = [];
  if (f.eanAgrees) agree.push(['ean', 'EAN printed agrees with the reference']);
  if (product) {
    const d = designationEvidence(f, product, md);
    if (d.agrees) agree.push(['designation', d.agrees]);
    if (d.conflict) conflicts.push(d.conflict);
    const p = priceEvidence(f, product);
    agree.push(...p.agrees);
    if (p.conflict) conflicts.push(p.conflict);
  }
  const q = unlikelyQuantity(f, product, ctx);
  if (q) conflicts.push({ code: 'QUANTITY_UNLIKELY', doubt: q });
  return {
    evidence: { source: 'document', rule: f.identifiedBy ?? 'no article identified', text: f.printedRef, corroboratedBy: agree.map(([, why]) => why), flagged: conflicts.length > 0 },
    conflicts,
    kinds: agree.map(([k]) => k),
    priced: f.unitPrice !== null || f.amount !== null,
  };
}

/**
 * Lines the rest of their order shows to be uncorroborated: every line of a table whose lines are
 * half contradicted, a line printing a price or an amount that vouches for nothing (nor does its
 * designation), or the one line whose amount does not agree when the other lines' amounts do (a row
 * cut or shifted). Lines already contradicted are left as they are.
 * Keyed by the line's position.
 */
export function uncorroborated(lines: readonly (LineCorroboration | null)[]): Map<number, LineConflict> {
  const out = new Map<number, LineConflict>();
  const withAmount = lines.filter((c) => c?.kinds.includes('amount')).length;
  const contradicted = lines.filter((c) => c?.conflicts.length).length;
  for (const [i, c] of lines.entries()) {
    if (!c || c.conflicts.length) continue;
    if (contradicted >= 2 && contradicted * 2 >= lines.length) {
      // A table misread as a whole: the lines nothing contradicts were read the same way.
      out.set(i, { code: 'LINE_UNCORROBORATED', doubt: `${contradicted} of the ${lines.length} lines are contradicted by what they print: the table may be misread as a whole` });
    } else if (c.priced && c.kinds.length === 0) {
      out.set(i, { code: 'LINE_UNCORROBORATED', doubt: 'nothing printed on the line corroborates it: no amount agrees with quantity × price, the price is not near the list price, the designation does not name the article' });
    } else if (withAmount >= 2 && withAmount >= (lines.length - 1) / 2 && !c.kinds.includes('amount')) {
      out.set(i, { code: 'LINE_UNCORROBORATED', doubt: `the amounts of ${withAmount} other line(s) agree with quantity × price, not this line's` });
    }
  }
  return out;
}

/**
 * Lines the order's other lines put in doubt: the same article and quantity printed again (a row
 * repeated across a page break), or quantities that are each line's position (the position column
 * read as the quantity). Keyed by the line's position.
 */
export function tableDoubts(lines: readonly { lineNumber: number; sku: string | null; quantity: number | null }[]): Map<number, LineConflict> {
  const out = new Map<number, LineConflict>();
  const first = new Map<string, number>();
  for (const [i, l] of lines.entries()) {
    if (!l.sku || l.quantity === null) continue;
    const key = `${l.sku.toUpperCase()}|${l.quantity}`;
    const before = first.get(key);
    if (before === undefined) first.set(key, l.lineNumber);
    else out.set(i, { code: 'LINE_REPEATED', doubt: `same article and quantity as line ${before}: printed twice (a page break?) or ordered twice` });
  }
  if (lines.length >= 3 && lines.every((l) => l.quantity === l.lineNumber)) {
    for (const i of lines.keys()) out.set(i, { code: 'QUANTITY_UNLIKELY', doubt: "every line's quantity is its position: the position column may have been read as the quantity" });
  }
  return out;
}

/** The problems a line's conflicts raise, each naming the line and both readings. */
export function conflictProblems(lineNumber: number, conflicts: readonly LineConflict[]): Problem[] {
  const where = `line ${lineNumber}`;
  return conflicts.map((c) => problem(c.code, `${where}: ${c.doubt}; check the line on the document`, 'warning', where));
}
