// Positioned words of an order's pages → a draft order: the table rebuilt by table.ts, the header
// fields read by parsers/text from the text outside the table (column by column), and the checks
// a careful ADV agent makes: quantity × price = amount, the lines add up to the printed total,
// prices near the list price. Every doubt lowers the line's confidence and says why.
import type { MasterData } from '../../domain/masterdata';
import { netUnitPrice, perUnitsOfLabel } from '../../domain/unit-price';
import { PRICE_RATIO_FAR, REFERENCE_IN_DESIGNATION } from '../../domain/line-evidence';
import { withPricesEvidence } from '../text/prices';
import { problem, type Problem } from '../../domain/order';
import { identifyCustomer, type CustomerEvidence, type DraftLine, type DraftOrder } from '../../domain/resolve';
import { classifyReference, codeAlone, isChargeText, isTotalRow, joinSpacedParts, ownCodeInDesignation, parseRows, productByDescription } from '../text/lines';
import { normaliseUnit, parseNumber, parseQuantity, trailingNumber, type NumberLocale } from '../text/numbers';
import { applySentDate, flagLooseDates, flagWeekDelivery, poEvidence, shipToGln, type DocumentName, type SentAt } from '../text/index';
import { addressFromLines, readCurrency, settleDayMonth, findPoCandidates, findCopySignals, findCustomerEvidence, findDeliveryDate, findLabelledDeliveryDate, findOrderDate, findPoNumber, findPurpose, findShipTo, type ShipToText } from '../text/header';
import { DELIVERY_DATE_LABELS, USUAL_ADDRESS } from '../text/labels';
import { findDates } from '../text/dates';
import { labelValueLines, shipToBlocks } from './blocks';
import type { TextLine } from './types';
import { fold, extractTable, type TableExtraction } from './table';
import { readingText } from './reading';
import { headerSources, rowSource } from './source';
import type { PageWords, Table, TableRow } from './types';

export interface ReadOrderOptions {
  /** Provenance parser name: 'pdf-text', 'ocr'. */
  parser: string;
  location?: string | null;
  /** Receipt date: settles two-digit years. */
  ref?: Date;
  /** Channel evidence (fax sending number…), added to what the page says. */
  customer?: CustomerEvidence;
  /** When the customer sent it: the order date when none is printed. */
  sent?: SentAt;
  /** Names the sender gave the document apart from its text (file name, e-mail subject): they may carry the PO number. */
  names?: DocumentName[];
  /** Reads one row into a draft line; OCR plugs its catalog snapping here. Default: text-PDF reading. */
  lineFromRow?: (row: TableRow, ctx: RowContext) => DraftLine | null;
}

export interface RowContext {
  md: MasterData;
  locale: NumberLocale;
  customerId: string | null;
  where: string;
  /** Per how many units the price column's label says its prices are ("Prix/100": 100); 1 or absent: per unit. */
  pricePer?: number;
}

export interface OrderReading {
  draft: DraftOrder | null;
  problems: Problem[];
  extraction: TableExtraction;
  /** The text outside the table, in reading order (what the header fields were read from). */
  headerText: string;
  locale: NumberLocale;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** "Total HT   1 234,56 €" → 1234.56: the last amount printed on the line. */
export function amountOnLine(text: string, locale: NumberLocale): number | null {
  const n = trailingNumber(text.trim(), (c) => c === ' ' || c === '.' || c === ',' || c === "'", ['euros', 'euro', 'eur', '€']);
  return n ? parseNumber(n, locale) : null;
}

/** The printed total before tax: "Total HT", "Subtotal", "Montant total HT" (not TVA, not TTC). */
function printedTotal(table: Table, locale: NumberLocale): { value: number; text: string } | null {
  for (const l of table.totalLines) {
    const f = fold(l.text);
    if (/ttc|tva|vat|report|reporter|forward/.test(f)) continue;
    if (!/^(total ht|total net ht|montant total ht|montant ht|sous total|subtotal|sub total|total hors taxes|net ht|total)\b/.test(f)) continue;
    const v = amountOnLine(l.text, locale);
    if (v !== null) return { value: v, text: l.text };
  }
  return null;
}

/** How many number cells end in a comma and two digits ("9,40"), and how many in a point ("9.40"). */
function printedDecimalMarks(table: Table): { comma: number; point: number } {
  const out = { comma: 0, point: 0 };
  for (const r of table.rows)
    for (const cell of [r.cells.quantity, r.cells.unitPrice, r.cells.amount]) {
      const m = /\d([.,])\d\d(?!\d)/.exec(cell?.text ?? '');
      if (m) out[m[1] === ',' ? 'comma' : 'point']++;
    }
  return out;
}

/** French or English numbers: whichever makes more rows' quantity (with or without its unit) × price = amount (ties: the labels' language). */
export function detectLocale(table: Table): NumberLocale {
  const per = perUnitsOfLabel(table.columns.find((c) => c.role === 'unitPrice')?.label ?? '');
  const score = (loc: NumberLocale) =>
    table.rows.filter((r) => {
      // A quantity printed with its unit ("14,00 BTE", "4,00U") counts as the number it holds.
      const q = parseQuantity(r.cells.quantity?.text, loc)?.value ?? parseNumber(r.cells.quantity?.text, loc);
      const p = parseNumber(r.cells.unitPrice?.text, loc);
      const a = parseNumber(r.cells.amount?.text, loc);
      const discount = parseNumber(r.cells.discount?.text.replace(/%/gu, ''), loc);
      return q !== null && p !== null && a !== null && netUnitPrice({ quantity: q, price: p, amount: a, discount, per }).doubt === null;
    }).length;
  const fr = score('fr');
  const en = score('en');
  if (fr !== en) return fr > en ? 'fr' : 'en';
  // Both read alike ("14,00" is fourteen either way): the mark the number cells print cents behind.
  const marks = printedDecimalMarks(table);
  if (marks.comma !== marks.point) return marks.comma > marks.point ? 'fr' : 'en';
  const english = table.columns.some((c) => /^(qty|quantity|unit price|price|amount|description|item|uom)/.test(fold(c.label)));
  return english ? 'en' : 'fr';
}

/** A code cell's reference: its first word, or a customer's part number master data knows with a space ("PB 11.560"). */
function cellCode(text: string | undefined, md: MasterData): string {
  return text ? (joinSpacedParts(text, md).split(' ')[0] ?? '') : '';
}

/**
 * The line's reference: the reference column's; else a code master data knows in an unnamed column;
 * else, with no reference at all, a code the catalog knows in the designation, or the designation
 * itself when it names one product (flagged, and the line's confidence lowered).
 */
function lineReference(c: TableRow['cells'], custText: string, md: MasterData, where: string, doubts: string[], lower: (to: number) => void): ReturnType<typeof classifyReference> | null {
  const refText = cellCode(c.reference?.text, md);
  let reading = refText ? classifyReference(refText, md) : null;
  // An unnamed column holding a code master data knows: the reference, whatever its label said.
  const otherText = cellCode(c.other?.text, md);
  if (!reading?.known && !custText && otherText) {
    const other = classifyReference(otherText, md);
    if (other.known) reading = other;
  }
  // No reference column, and the "designation" cell is one code the catalog knows: that column holds the codes.
  const alone = !reading && !custText ? codeAlone(c.description?.text, md) : null;
  if (alone) reading = alone;
  else if (!reading && !custText && c.description) {
    // No reference column (or only a position): a code the catalog knows, printed in the designation.
    const inside = c.description.text.split(/[\s,;()[\]]+/).map((t) => classifyReference(t, md)).find((r) => r.known);
    if (inside) {
      reading = inside;
      doubts.push(`${where}: ${REFERENCE_IN_DESIGNATION}`);
    } else {
      // No code at all: the designation itself, when it names one product of the catalog.
      const byDesc = productByDescription(c.description.text, md);
      const exact = byDesc && fold(md.product(byDesc.sku)?.description ?? '') === fold(c.description.text);
      if (byDesc && (exact || byDesc.share >= 0.99)) {
        reading = { sku: byDesc.sku, known: true };
        if (!exact) {
          doubts.push(`${where}: article recognised by its designation only`);
          lower(0.6);
        }
      }
    }
  }
  return reading;
}

/** The row's designation: the description cell's, or the column beside it when that cell holds only the article's code. */
function designationOf(c: TableRow['cells'], md: MasterData): string | null {
  const other = c.other?.text;
  if (other && /\p{L}{2}/u.test(other) && !c.reference && codeAlone(c.description?.text, md)) return other;
  return c.description?.text ?? null;
}

/** A row printing a charge (freight, packing, delivery fee) and no article code: not an order line. */
export function isChargeRow(row: TableRow): boolean {
  const c = row.cells;
  if (c.reference?.text.trim() || c.customerReference?.text.trim() || c.ean?.text.trim()) return false;
  return !!c.description && isChargeText(c.description.text);
}

/** A text PDF row → draft line. Confidence is the cells' own (1 for text) lowered by each failed check. */
export function textLineFromRow(row: TableRow, ctx: RowContext): DraftLine | null {
  const { md, locale, where } = ctx;
  const c = row.cells;
  const doubts: string[] = [];
  let confidence = Math.min(1, ...Object.values(c).map((x) => x!.confidence));
  const lower = (to: number): void => {
    confidence = Math.min(confidence, to);
  };
  const custText = cellCode(c.customerReference?.text, md);
  let reading = lineReference(c, custText, md, where, doubts, lower);
  const custReading = custText ? classifyReference(custText, md) : null;
  // The article column holds the buyer's own code, unknown to us; our article number is printed in the designation.
  let buyerCode: string | null = null;
  if ((reading ? !reading.known : !!custText) && !custReading?.known) {
    const own = ownCodeInDesignation(c.description?.text, md);
    if (own) {
      buyerCode = reading?.sku ?? null;
      reading = own.reading;
      if (!own.labelled) {
        doubts.push(`${where}: the article "${buyerCode ?? custText}" is unknown; ${own.reading.sku ?? own.reading.customerPartNumber} read in the designation`);
        lower(0.8);
      }
    }
  }
  if (reading?.doubt) {
    doubts.push(reading.doubt);
    confidence = Math.min(confidence, 0.7);
  }
  const sku = reading?.sku ?? custReading?.sku ?? null;
  // An unknown text in "Notre réf." is still the buyer's own reference: kept for the agent.
  const unknownCust = custText && !custReading?.sku && !custReading?.customerPartNumber ? custText : null;
  const customerPartNumber = custReading?.customerPartNumber ?? unknownCust ?? reading?.customerPartNumber ?? buyerCode;
  const ean = (c.ean?.text.replace(/\s+/g, '') || reading?.ean) ?? null;

  const qtyText = c.quantity?.text ?? '';
  // "3,00 BTE", "1 800,00 U": the unit printed in the quantity cell (Odoo, BTP orders), read with it.
  const withUnit = parseNumber(qtyText, locale) === null ? parseQuantity(qtyText, locale) : null;
  const quantity = withUnit?.value ?? parseNumber(qtyText, locale);
  if (qtyText && quantity === null) {
    doubts.push(`quantity "${qtyText}" could not be read`);
    confidence = Math.min(confidence, 0.3);
  }
  const amount = parseNumber(c.amount?.text, locale);
  const discount = parseNumber(c.discount?.text.replace(/%/gu, ''), locale);
  const read = netUnitPrice({ quantity, price: parseNumber(c.unitPrice?.text, locale), amount, discount, per: ctx.pricePer ?? 1 });
  const unitPrice = read.unitPrice;
  if (read.doubt) {
    doubts.push(`${where}: ${read.doubt}`);
    confidence = Math.min(confidence, /but the amount printed/u.test(read.doubt) ? 0.5 : 0.8);
  }
  const product = sku ? md.product(sku) : customerPartNumber && ctx.customerId ? md.product(md.skuForCustomerPart(ctx.customerId, customerPartNumber) ?? '') : undefined;
  if (product?.listPrice && unitPrice !== null) {
    const ratio = unitPrice / product.listPrice;
    // Far from the list price: the reference may be another product than the buyer meant.
    if (ratio > PRICE_RATIO_FAR.above || ratio < PRICE_RATIO_FAR.below) {
      doubts.push(`${where}: unit price ${unitPrice} is far from the list price ${product.listPrice} of ${product.sku}`);
      confidence = Math.min(confidence, 0.6);
    }
  }
  if (!sku && !customerPartNumber && !ean && quantity === null) return null;
  // "Misc. Charges   0.00" under the reference column below the last row: words and an amount,
  // no quantity, no price, no designation, nothing the catalog knows: a totals line, not an order line.
  if (quantity === null && unitPrice === null && !product && !c.description && !ean && !/\d/.test(c.reference?.text ?? '')) return null;
  const lineNo = parseNumber(c.lineNumber?.text, 'fr');
  return {
    lineNumber: lineNo !== null && Number.isInteger(lineNo) && lineNo > 0 ? lineNo : row.index,
    sku,
    customerPartNumber,
    ean: ean && /^\d{8,14}$/.test(ean) ? ean : null,
    description: designationOf(c, md),
    quantity: quantity !== null && quantity > 0 ? quantity : null,
    unit: normaliseUnit(c.unit?.text) ?? withUnit?.unit ?? null,
    unitPrice,
    amount,
    confidence: round2(confidence),
    doubts,
  };
}

/** The printed delivery address → the customer's known delivery address, so that it carries its code. */
export function matchShipTo(shipTo: NonNullable<DraftOrder['shipTo']>, customerId: string | null, md: MasterData): NonNullable<DraftOrder['shipTo']> {
  if (!customerId || shipTo.usual || !shipTo.postalCode) return shipTo;
  const candidates = md.addressesOf(customerId, 'delivery').filter((a) => a.postalCode === shipTo.postalCode);
  const same = candidates.find((a) => (shipTo.street && fold(a.street) === fold(shipTo.street)) || (shipTo.name && fold(a.name) === fold(shipTo.name)));
  return same ? { ...shipTo, code: same.code, gln: same.gln } : shipTo;
}

/**
 * The ship-to read from the page's geometry: the block under (or right of) its label, in that
 * column only; the first block that holds a postal code wins. Null when no block is labelled.
 */
export function shipToFromBlocks(lines: TextLine[], md: MasterData): ShipToText | null {
  let fallback: ShipToText | null = null;
  for (const b of shipToBlocks(lines)) {
    if (USUAL_ADDRESS.test(b.lines.join(' '))) return { usual: true };
    const a = addressFromLines(b.lines, md);
    if (a?.postalCode) return a;
    fallback ??= a;
  }
  return fallback;
}

/** Confidence of lines read without a header row: below review, since nothing named the columns. */
export const HEADERLESS_CONFIDENCE = 0.65;

/**
 * A row's code as OCR misread it ("MAR-506", "1000064711") → the catalog's value it is close to
 * (a SKU or a customer's part number), or null: the OCR reader passes one (snap.ts), text readers none.
 */
export type CodeSnapper = (token: string) => string | null;

/** The row's cells, its leading code replaced by the catalog value it snaps to (a position number before it skipped), or null. */
function snappedCells(cells: string[], snap: CodeSnapper): { cells: string[]; read: string; value: string } | null {
  const tokens = cells[0]!.split(' ');
  const at = /^\d{1,3}$/.test(tokens[0]!) && tokens.length > 1 ? 1 : 0;
  const read = tokens[at]!;
  // Shaped like a code: a digit in it, or letters joined by a dash; words of a designation are not.
  if (read.length < 4 || !/\d|\p{L}-\p{L}/u.test(read)) return null;
  const value = snap(read);
  if (!value) return null;
  tokens[at] = value;
  return { cells: [tokens.join(' '), ...cells.slice(1)], read, value };
}

type HeaderlessBlock = { cells: string[][]; rows: TextLine[]; snapped: (string | null)[] };

/**
 * Lines of an order printed without a header row (AS/400 printouts, plain faxed lists): runs of
 * lines cut at wide gaps, each holding a reference master data knows and a number, read by the
 * columns' content (parseRows). Every line is flagged: nothing named the columns. With `snap` (OCR),
 * a row whose code OCR misread joins the run it sits in, its code snapped and doubted; a run of
 * such rows alone is no table.
 */
export function headerlessLines(lines: TextLine[], md: MasterData, snap?: CodeSnapper): { lines: DraftLine[]; rows: TextLine[] } {
  const blocks: HeaderlessBlock[] = [];
  let cur: HeaderlessBlock = { cells: [], rows: [], snapped: [] };
  for (const l of lines) {
    // "PB 11.402": a customer's part number printed with a space is one cell, not two.
    let cells = joinSpacedParts(l.text, md).split(/\s{3,}/).map((c) => c.trim()).filter(Boolean);
    const known = cells.some((c) => c.split(' ').some((t) => classifyReference(t, md).known));
    const number = cells.some((c) => c.split(' ').some((t) => /^\d+(?:[.,]\d+)?$/.test(t)));
    const fixed = !known && number && cells.length >= 2 && snap && !isTotalRow(l.text) ? snappedCells(cells, snap) : null;
    if (fixed) cells = fixed.cells;
    if (cells.length >= 2 && (known || fixed) && number && !isTotalRow(l.text)) {
      cur.cells.push(cells);
      cur.rows.push(l);
      cur.snapped.push(fixed ? `reference read as ${fixed.read}, snapped to ${fixed.value}` : null);
    } else if (cur.cells.length) {
      blocks.push(cur);
      cur = { cells: [], rows: [], snapped: [] };
    }
  }
  if (cur.cells.length) blocks.push(cur);
  const out: DraftLine[] = [];
  const rows: TextLine[] = [];
  for (const b of blocks) {
    if (b.snapped.every((x) => x !== null)) continue; // no row the catalog knows as read: nothing vouches for the run
    const read = parseRows(b.cells, undefined, md);
    if (read.length !== b.cells.length) continue; // columns that do not line up: not a table
    read.forEach((l, i) => {
      const snapped = b.snapped[i];
      const doubts = [...(l.doubts ?? []), 'table read without a header row: columns guessed from their content', ...(snapped ? [snapped] : [])];
      out.push({ ...l, confidence: Math.min(l.confidence ?? 1, snapped ? SNAPPED_HEADERLESS_CONFIDENCE : HEADERLESS_CONFIDENCE), doubts });
      rows.push(b.rows[i]!);
    });
  }
  return { lines: out.map((l, i) => ({ ...l, lineNumber: i + 1 })), rows };
}

/** A headerless row whose code was snapped to the catalog: below the other headerless rows. */
const SNAPPED_HEADERLESS_CONFIDENCE = 0.5;

/**
 * The lines against the order's printed total: when neither the printed amounts nor quantity × price
 * add up to it, a line may be missing or misread, and every line is in doubt until an agent checks
 * the total. Returns the order's confidence (0.6 then, else 1).
 */
function checkPrintedTotal(table: Table, locale: NumberLocale, lines: DraftLine[], problems: Problem[]): number {
  const total = printedTotal(table, locale);
  if (!total || !lines.length) return 1;
  const amounts = table.rows.map((r) => parseNumber(r.cells.amount?.text, locale));
  const printed = amounts.every((a) => a !== null) ? round2(amounts.reduce((s, a) => s + a!, 0)) : null;
  const computed = round2(lines.reduce((s, l) => s + (l.quantity ?? 0) * (l.unitPrice ?? 0), 0));
  // Each line's amount is rounded on its own: the sum may drift by half a cent per line.
  const agrees = (v: number | null) => v !== null && Math.abs(v - total.value) <= 0.011 + 0.005 * lines.length;
  // A total that matches quantity × price, but not a misprinted amount, leaves only that line in doubt (already flagged).
  if (!agrees(printed) && !agrees(computed)) {
    const sum = printed ?? computed;
    problems.push(problem('TOTAL_MISMATCH', `the lines add up to ${sum} but the order's total reads ${total.value} ("${total.text}")`, 'warning', 'total'));
    for (const l of lines) {
      l.doubts = [...(l.doubts ?? []), `the lines add up to ${sum}, the printed total is ${total.value}`];
      l.confidence = Math.min(l.confidence ?? 1, 0.6);
    }
    return 0.6;
  }
  return 1;
}

/** The table's rows → draft lines, each with where it was printed; charge rows and unreadable rows are reported, not made lines. */
function tableLines(table: Table | null, pages: PageWords[], ctx: Omit<RowContext, 'where' | 'pricePer'> & { read: NonNullable<ReadOrderOptions['lineFromRow']> }, problems: Problem[]): DraftLine[] {
  const lines: DraftLine[] = [];
  const pricePer = perUnitsOfLabel(table?.columns.find((col) => col.role === 'unitPrice')?.label ?? '');
  for (const row of table?.rows ?? []) {
    const where = `page ${row.page}, row ${row.index}`;
    if (isChargeRow(row)) {
      problems.push(problem('CHARGE_ROW', `${where}: "${row.cells.description!.text}" is a charge, not an article: not made an order line`, 'info', where));
      continue;
    }
    const line = ctx.read(row, { md: ctx.md, locale: ctx.locale, customerId: ctx.customerId, where, pricePer });
    const source = line ? rowSource(row, pages) : null;
    if (line) lines.push(source ? { ...line, source } : line);
    else problems.push(problem('UNREADABLE_ROW', `${where}: a row with neither a reference nor a quantity was skipped ("${row.text.slice(0, 80)}")`, 'warning', where));
  }
  return lines;
}

/** Pages of positioned words → one draft order (or none, with the reason). */
export function readOrder(pages: PageWords[], md: MasterData, opts: ReadOrderOptions): OrderReading {
  const problems: Problem[] = [];
  const extraction = extractTable(pages);
  const width = Math.max(0, ...pages.map((p) => p.width ?? 0)) || undefined;
  // Values printed under their labels in a form's boxes come first, as "label : value" lines.
  const pairs = labelValueLines(extraction.outside);
  const headerText = [...pairs, readingText(extraction.outside, width)].join('\n');
  const table = extraction.table;
  const locale: NumberLocale = table ? detectLocale(table) : 'fr';

  const evidence: CustomerEvidence = { ...findCustomerEvidence(headerText, md), ...(opts.customer ?? {}) };
  const { customer } = identifyCustomer(evidence, md);
  // Line by line as a fallback: a title word ("COMMANDE") right above "Commande n° …" can hide the number.
  // Then each printed line whole: a label left of the page's gutter and its value right of it.
  const po = findPoNumber(headerText) ?? headerText.split('\n').map((l) => findPoNumber(l)).find((x) => x) ?? extraction.outside.map((l) => findPoNumber(l.text)).find((x) => x) ?? null;

  const lines = tableLines(table, pages, { md, locale, customerId: customer?.id ?? null, read: opts.lineFromRow ?? textLineFromRow }, problems);
  if (!table) {
    const fallback = headerlessLines(extraction.outside, md);
    if (fallback.lines.length) {
      lines.push(...fallback.lines);
      problems.push(problem('TABLE_WITHOUT_HEADER', `no header row names the columns: ${fallback.lines.length} line(s) read from their content; check them`, 'warning', 'lines'));
    } else problems.push(problem('NO_TABLE', 'no order table was found (no header row with Réf./Désignation/Qté or Item/Description/Qty)', 'error', 'page 1'));
  }

  const confidence = table ? checkPrintedTotal(table, locale, lines, problems) : 1;

  if (!po && lines.length === 0) return { draft: null, problems, extraction, headerText, locale };
  let shipTo = shipToFromBlocks(extraction.outside, md);
  const shipToRule = shipTo ? 'address block under its label (same column)' : 'address under its label (text)';
  shipTo ??= findShipTo(headerText, md);
  if (shipTo) shipTo = matchShipTo(shipTo, customer?.id ?? null, md);
  // Then each printed line whole: a label and its value a wide gap apart ("Requested delivery   03-Nov-2026").
  const wholeLines = extraction.outside.map((l) => l.text).join('\n');
  const allText = pages.map((p) => p.words.map((w) => w.text).join(' ')).join('\n');
  const orderDate = findOrderDate(headerText, opts.ref) ?? findOrderDate(wholeLines, opts.ref);
  const labelled = findDeliveryDate(headerText, opts.ref) ?? findDeliveryDate(wholeLines, opts.ref);
  const perLine = labelled ? null : tableDeliveryDate(table, opts.ref);
  const requestedDeliveryDate = labelled ?? perLine?.iso ?? null;
  const currency = readCurrency(allText);
  const draft: DraftOrder = {
    poNumber: po?.value ?? null,
    orderDate,
    requestedDeliveryDate,
    purpose: findPurpose(headerText) ?? 'original',
    currency: currency.value,
    customer: evidence,
    lines,
    confidence,
    provenance: { parser: opts.parser, location: opts.location ?? null, signals: findCopySignals(headerText) },
  };
  if (shipTo) draft.shipTo = shipTo;
  shipToGln(draft, headerText, md);
  draft.evidence = {};
  if (po) draft.evidence.poNumber = poEvidence(po, findPoCandidates(headerText), headerText, opts.names, wholeLines);
  if (orderDate) draft.evidence.orderDate = { source: 'document', rule: 'printed under an order-date label' };
  else applySentDate(draft, opts.sent);
  if (labelled) draft.evidence.requestedDeliveryDate = { source: 'document', rule: 'printed under a delivery-date label' };
  else if (perLine) draft.evidence.requestedDeliveryDate = { source: 'document', rule: perLine.rule, text: perLine.text, ...(perLine.flag ? { flag: perLine.flag } : {}) };
  if (shipTo && !shipTo.usual) draft.evidence.shipTo = { source: 'document', rule: shipToRule };
  if (currency.evidence) draft.evidence.currency = currency.evidence;
  if (opts.parser === 'pdf-text') withPricesEvidence(draft, { text: allText, columns: table?.columns.map((c) => c.role) ?? null, totalLines: table?.totalLines.length ?? 0 });
  // The table's rows too: a date printed on the lines that no label explained is a delivery date unread.
  const printed = [headerText, wholeLines, ...(table?.rows.map((r) => r.text) ?? [])].join('\n');
  flagLooseDates(draft, printed, opts.ref);
  flagWeekDelivery(draft, printed, opts.ref);
  settleDayMonth(draft, [headerText, wholeLines, (table?.columns ?? []).map((c) => c.label).join('  '), ...(table?.rows.map((r) => r.text) ?? [])].join('\n'), opts.ref);
  const sources = headerSources(extraction.outside, pages, draft);
  if (Object.keys(sources).length) draft.sources = sources;
  return { draft, problems, extraction, headerText, locale };
}

// At the title's start, or after a word of the neighbour's title OCR glued to it ("Montant Date besoin").
const DELIVERY_COLUMN = new RegExp(`(?:^|\\s)(?:${DELIVERY_DATE_LABELS.join('|')})`, 'iu');

/**
 * No delivery date in the header, but a delivery-date column in the table ("Need-By Date",
 * "Liefertermin", "Delivery date"): the date the lines ask for. One date on every line is the
 * order's; lines asking for different dates give the earliest, flagged.
 */
export function tableDeliveryDate(table: Table | null, ref?: Date): LineDates | null {
  if (!table) return null;
  const col = table.columns.find((c) => DELIVERY_COLUMN.test(c.label.trim()));
  // No such column: a "Date de livraison : 20.11.2026" line printed under each item (SAP), read the same way.
  if (!col) return linesAskFor(table.rows.map((r) => findLabelledDeliveryDate(r.text, ref)), 'a delivery-date line under the items');
  return linesAskFor(
    // A year wrapped to the next line first: the first line alone may read as another date ("closer 3   Dec 16,").
    table.rows.map((r) => wrappedYearDate(r.text, ref) ?? findDates(r.text, ref).find((d) => !d.yearInferred)?.iso ?? null),
    `the "${col.label.trim()}" column of the lines`,
  );
}

/**
 * A row's date whose year wrapped onto the row's next line ("Dec 16," above "2026"): the row's
 * text is its lines joined by " / "; a line holding the year alone completes the one cell of the
 * first line that reads as a whole date with it. Null when none does.
 */
export function wrappedYearDate(rowText: string, ref?: Date): string | null {
  const [first, ...more] = rowText.split(' / ');
  const year = more.map((l) => l.trim()).find((l) => /^(?:19|20)\d\d$/.test(l));
  if (!year || !first) return null;
  for (const cell of first.split(/\s{3,}/)) {
    const whole = `${cell.trim()} ${year}`;
    const d = findDates(whole, ref)[0];
    if (d && !d.yearInferred && d.index === 0 && d.length === whole.length) return d.iso;
  }
  return null;
}

type LineDates = { iso: string; rule: string; text: string; flag?: string };

/** The date the lines ask for: one on every line is the order's; different ones (or some lines without) give the earliest, flagged. */
function linesAskFor(dates: (string | null)[], rule: string): LineDates | null {
  const isos = [...new Set(dates.filter((d): d is string => !!d))].sort();
  if (!isos.length) return null;
  if (isos.length === 1 && dates.every((d) => d)) return { iso: isos[0]!, rule, text: isos[0]! };
  return { iso: isos[0]!, rule, text: isos.join(', '), flag: `the lines ask for ${isos.length > 1 ? `different dates (${isos.join(', ')})` : `${isos[0]} on some lines only`}: the earliest was taken` };
}
