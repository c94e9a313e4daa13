// From what a parser read (a draft, in the sender's terms) to the canonical Order (in ours):
// customer identified from its evidence, items resolved to our SKUs, ship-to completed from
// addresses.csv. Shared by every channel so that they all decide the same way.
import type { MasterData, Customer } from './masterdata';
import { emptyAddress, MAX_PO_LENGTH, poTooLong, problem, type Address, type FieldEvidence, type Order, type OrderLine, type Problem, type Purpose, type SourceBox } from './order';
import { NO_PRICE_PRINTED, PO_DOUBTFUL, SHIP_TO_DEFAULTED } from './signals';
import { conflictProblems, corroborateLine, LINE_CONFLICT_CONFIDENCE, REFERENCE_IN_DESIGNATION, REFERENCE_IN_DESIGNATION_CONFIDENCE, referenceInDesignationAnswered, tableDoubts, uncorroborated, type LineContext, type LineCorroboration, type LineFacts } from './line-evidence';
import { checkCurrency, checkDeliveryDate, checkOrderDate, checkPoNumber, customersByAddress, decideShipTo, evidence, FLAGGED_CONFIDENCE, type ReadEvidence } from './evidence';

export type { ReadEvidence };

export interface CustomerEvidence {
  /** Already known (API orders name it). */
  id?: string | null;
  name?: string | null;
  x12Id?: string | null;
  edifactGln?: string | null;
  email?: string | null;
  vatNumber?: string | null;
  siret?: string | null;
  fax?: string | null;
  phone?: string | null;
  /** A GLN printed on the document (a delivery point or the buyer's own). */
  gln?: string | null;
}

export interface DraftLine {
  lineNumber?: number | null;
  sku?: string | null;
  customerPartNumber?: string | null;
  ean?: string | null;
  description?: string | null;
  quantity: number | null;
  unit?: string | null;
  unitPrice?: number | null;
  /** The line's amount as printed (document readers), to corroborate quantity × price. */
  amount?: number | null;
  /** Parser's confidence in what it read (1 for EDI/API, lower for OCR). */
  confidence?: number;
  doubts?: string[];
  source?: SourceBox | null;
}

export interface DraftOrder {
  poNumber: string | null;
  orderDate?: string | null;
  requestedDeliveryDate?: string | null;
  purpose?: Purpose;
  currency?: string | null;
  customer: CustomerEvidence;
  shipTo?: Partial<Address> & { usual?: boolean };
  lines: DraftLine[];
  confidence?: number;
  provenance: { parser: string; location?: string | null; signals?: string[] };
  /** Where header fields were printed ('poNumber', 'orderDate'…), carried to Order.sources. */
  sources?: Record<string, SourceBox>;
  /** How the reader found each header value (document readers): resolve adds corroboration and flags. */
  evidence?: Partial<Record<'poNumber' | 'orderDate' | 'requestedDeliveryDate' | 'shipTo' | 'prices' | 'currency', ReadEvidence>>;
}

const EVIDENCE_ORDER: [keyof CustomerEvidence, string, (md: MasterData, v: string) => Customer | undefined][] = [
  ['id', 'api', (md, v) => md.customer(v)],
  ['x12Id', 'x12_id', (md, v) => md.customerByX12Id(v)],
  ['edifactGln', 'edifact_gln', (md, v) => md.customerByGln(v) ?? md.customer(md.addressByGln(v)?.customerId ?? '')],
  ['vatNumber', 'vat_number', (md, v) => md.customerByVat(v)],
  ['siret', 'siret', (md, v) => md.customerBySiret(v)],
  ['fax', 'fax', (md, v) => md.customerByPhone(v)],
  ['email', 'email_domain', (md, v) => md.customerByEmail(v)],
  ['phone', 'phone', (md, v) => md.customerByPhone(v)],
  ['gln', 'gln', (md, v) => md.customer(md.addressByGln(v)?.customerId ?? '') ?? md.customerByGln(v)],
  ['name', 'name', (md, v) => md.customerByName(v)],
];

/** Every clue that names a customer, with the customer it names (several clues may disagree). */
export function customerClues(ev: CustomerEvidence, md: MasterData): { by: string; customerId: string }[] {
  const out: { by: string; customerId: string }[] = [];
  for (const [key, label, find] of EVIDENCE_ORDER) {
    const v = ev[key];
    if (!v) continue;
    const c = find(md, v);
    if (c) out.push({ by: label, customerId: c.id });
  }
  return out;
}

export function identifyCustomer(ev: CustomerEvidence, md: MasterData): { customer: Customer | null; matchedBy: string | null } {
  for (const [key, label, find] of EVIDENCE_ORDER) {
    const v = ev[key];
    if (!v) continue;
    const c = find(md, v);
    if (c) return { customer: c, matchedBy: label };
  }
  return { customer: null, matchedBy: null };
}

/** Our SKU for a draft line, and how it was identified (the rule and the reference printed). */
function identifyItem(line: DraftLine, customerId: string | null, md: MasterData): { sku: string | null; by: string | null; ref: string | null; viaEan: string | null } {
  const own = line.sku ? md.product(line.sku) : undefined;
  const viaXref = !own && line.customerPartNumber && customerId ? md.skuForCustomerPart(customerId, line.customerPartNumber) : undefined;
  // A buyer may put its own reference where our SKU belongs: try it as a cross reference too.
  const skuAsXref = !own && !viaXref && line.sku && customerId ? md.skuForCustomerPart(customerId, line.sku) : undefined;
  const partAsSku = !own && !viaXref && !skuAsXref && line.customerPartNumber ? md.product(line.customerPartNumber) : undefined;
  const viaEan = (line.ean ? md.productByEan(line.ean)?.sku : undefined) ?? null;
  if (own) return { sku: own.sku, by: 'our SKU as printed', ref: line.sku!, viaEan };
  if (viaXref) return { sku: viaXref, by: 'customer part number (cross_references.csv)', ref: line.customerPartNumber!, viaEan };
  if (skuAsXref) return { sku: skuAsXref, by: 'customer part number printed as the reference (cross_references.csv)', ref: line.sku!, viaEan };
  if (partAsSku) return { sku: partAsSku.sku, by: 'our SKU printed as the customer reference', ref: line.customerPartNumber!, viaEan };
  if (viaEan) return { sku: viaEan, by: 'EAN (products.csv)', ref: line.ean!, viaEan };
  return { sku: null, by: null, ref: line.sku ?? line.customerPartNumber ?? line.ean ?? null, viaEan };
}

/**
 * A reader's doubt on a code found inside the designation, answered by what the line prints
 * (line-evidence.ts referenceInDesignationAnswered): the doubt becomes evidence saying why it is lifted.
 */
function answerReferenceDoubt(doubts: string[], c: LineCorroboration | null, f: Pick<LineFacts, 'sku' | 'printedRef' | 'description'>, md: MasterData): boolean {
  const at = doubts.findIndex((d) => d.endsWith(REFERENCE_IN_DESIGNATION));
  if (!c || at < 0 || doubts.length > 1) return false;
  const why = referenceInDesignationAnswered({ ...f, lineNumber: 0, identifiedBy: null, quantity: null, unit: null, unitPrice: null, amount: null, eanAgrees: false }, c, md);
  if (!why) return false;
  doubts.splice(at, 1);
  c.evidence.corroboratedBy = [...(c.evidence.corroboratedBy ?? []), why];
  return true;
}

/**
 * A draft line → an order line in our SKUs. With a context (orders read from documents), the line
 * also carries its evidence: what corroborates it, and a doubt and a problem for what contradicts it.
 */
export function resolveLine(line: DraftLine, index: number, customerId: string | null, md: MasterData, ctx?: LineContext): { line: OrderLine; problems: Problem[]; corroboration: LineCorroboration | null } {
  const problems: Problem[] = [];
  const lineNumber = line.lineNumber && line.lineNumber > 0 ? line.lineNumber : index + 1;
  const where = `line ${lineNumber}`;
  const doubts = [...(line.doubts ?? [])];
  let confidence = line.confidence ?? 1;
  let description = line.description ?? null;
  const item = identifyItem(line, customerId, md);
  const sku = item.sku;

  if (sku && item.viaEan && item.viaEan !== sku) {
    problems.push(problem('ITEM_CONFLICT', `${where}: the EAN ${line.ean} is ${item.viaEan} but the reference says ${sku}`, 'warning', where));
    doubts.push(`EAN ${line.ean} points to ${item.viaEan}`);
    confidence = Math.min(confidence, 0.5);
  }
  if (!sku) {
    const what = [line.sku && `SKU ${line.sku}`, line.customerPartNumber && `customer reference ${line.customerPartNumber}`, line.ean && `EAN ${line.ean}`]
      .filter(Boolean)
      .join(', ');
    // Not a reading doubt (confidence stays what the reader said): an anomaly the agent resolves.
    problems.push(problem('UNKNOWN_ITEM', `${where}: no product in the catalog for ${what || 'this line (no reference given)'}`, 'error', where));
    doubts.push('item not found in the catalog');
  }
  const product = sku ? md.product(sku) : undefined;
  if (!description && product) description = product.description;
  if (line.quantity === null || !(line.quantity > 0)) {
    problems.push(problem('MISSING_QUANTITY', `${where}: no quantity could be read`, 'error', where));
    doubts.push('quantity missing');
  }
  const quantity = line.quantity !== null && line.quantity > 0 ? line.quantity : null;
  const unit = line.unit ?? product?.unit ?? null;
  const corroboration = ctx
    ? corroborateLine(
        { lineNumber, sku, identifiedBy: item.by, printedRef: item.ref, description: line.description ?? null, quantity, unit: line.unit ?? null, unitPrice: line.unitPrice ?? null, amount: line.amount ?? null, eanAgrees: !!sku && item.viaEan === sku && item.by !== 'EAN (products.csv)' },
        md,
        ctx,
      )
    : null;
  // The doubt answered, the confidence its reader took off for it alone comes back.
  if (answerReferenceDoubt(doubts, corroboration, { sku, printedRef: item.ref, description: line.description ?? null }, md) && confidence === REFERENCE_IN_DESIGNATION_CONFIDENCE) confidence = 1;
  for (const c of corroboration?.conflicts ?? []) {
    if (!c.sameAs || !doubts.some((d) => d.includes(c.sameAs!))) doubts.push(c.doubt);
    confidence = Math.min(confidence, LINE_CONFLICT_CONFIDENCE);
  }
  if (corroboration) problems.push(...conflictProblems(lineNumber, corroboration.conflicts));
  // Read from a document, a line without its article or quantity cannot be right as it stands: its
  // confidence says so (calibration), the problem above says what to do.
  if (corroboration && (!sku || quantity === null)) {
    confidence = Math.min(confidence, LINE_CONFLICT_CONFIDENCE);
    corroboration.evidence.flagged = true;
  }
  const ean = line.ean && /^\d{8,14}$/.test(line.ean) ? line.ean : (product?.ean ?? null);
  return {
    line: {
      lineNumber,
      sku,
      customerPartNumber: line.customerPartNumber ?? null,
      ean,
      description,
      quantity,
      unit,
      unitPrice: line.unitPrice ?? null,
      confidence: round2(confidence),
      doubts,
      ...(line.source ? { source: line.source } : {}),
      ...(corroboration ? { evidence: corroboration.evidence } : {}),
    },
    problems,
    corroboration,
  };
}

export { PO_DOUBTFUL, SHIP_TO_DEFAULTED };

function resolveShipTo(draft: DraftOrder['shipTo'], customer: Customer | null, md: MasterData, problems: Problem[], signals: string[]): Address {
  const base: Address = { ...emptyAddress(), ...stripUndefined(draft ?? {}) };
  delete (base as Record<string, unknown>).usual;
  if (base.gln) {
    const known = md.addressByGln(base.gln);
    if (known) return { code: known.code, gln: known.gln, name: known.name, street: known.street, postalCode: known.postalCode, city: known.city, country: known.country };
    if (!base.street && !base.postalCode) problems.push(problem('UNKNOWN_SHIP_TO', `ship-to GLN ${base.gln} is not in addresses.csv`, 'warning', 'shipTo.gln'));
  }
  if (customer && base.code) {
    const known = md.addressesOf(customer.id, 'delivery').find((a) => a.code === base.code);
    if (known) return { code: known.code, gln: known.gln, name: known.name, street: known.street, postalCode: known.postalCode, city: known.city, country: known.country };
  }
  const empty = !base.street && !base.postalCode && !base.city && !base.gln && !base.code;
  if (customer && (draft?.usual || empty)) {
    const usual = md.addressesOf(customer.id, 'delivery')[0];
    if (usual && !draft?.usual) signals.push(SHIP_TO_DEFAULTED);
    if (usual) return { code: usual.code, gln: usual.gln, name: usual.name, street: usual.street, postalCode: usual.postalCode, city: usual.city, country: usual.country };
  }
  if (base.country) base.country = base.country.toUpperCase().slice(0, 2);
  return base;
}

export interface ResolveContext {
  /** When the document arrived (ISO): plausibility of the dates printed on it. */
  receivedAt?: string | null;
}

/** The calendar day of an instant in France, where our customers' documents are dated. */
export function parisDay(iso: string | null | undefined): string | null {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return null;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
  return /^\d{4}-\d{2}-\d{2}$/.test(parts) ? parts : null;
}

/** The one country all of a customer's addresses are in (null when none or several). */
function customerCountry(customerId: string, md: MasterData): string | null {
  const countries = new Set(md.addressesOf(customerId).map((a) => a.country));
  return countries.size === 1 ? [...countries][0]! : null;
}

export function resolveOrder(draft: DraftOrder, md: MasterData, ctx: ResolveContext = {}): { order: Order; problems: Problem[] } {
  const problems: Problem[] = [];
  const fromDocument = !!draft.evidence;
  let { customer, matchedBy } = identifyCustomer(draft.customer, md);
  // Nothing else names the buyer: a delivery address (or GLN) of one customer in master data does.
  if (!customer && fromDocument && draft.shipTo) {
    const [id, ...others] = customersByAddress(draft.shipTo, md);
    if (id && others.length === 0) {
      customer = md.customer(id) ?? null;
      matchedBy = customer ? 'ship_to_address' : null;
    }
  }
  if (!customer) {
    const ev = Object.entries(draft.customer).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(', ');
    problems.push(problem('UNKNOWN_CUSTOMER', `no customer in customers.csv matches ${ev || 'this document (no identifying detail found)'}`, 'error', 'customer'));
  }
  const longPo = poTooLong(draft.poNumber);
  if (longPo) problems.push(problem('PO_TOO_LONG', `the purchase-order number read is ${draft.poNumber!.trim().length} characters long (at most ${MAX_PO_LENGTH}): not taken, check the document ("${draft.poNumber!.trim().slice(0, 40)}…")`, 'error', 'poNumber'));
  else if (!draft.poNumber) problems.push(problem('MISSING_PO', 'no purchase-order number was found', 'warning', 'poNumber'));
  const lineCtx = fromDocument ? lineContext(draft) : undefined;
  const resolved = draft.lines.map((l, i) => resolveLine(l, i, customer?.id ?? null, md, lineCtx));
  for (const r of resolved) problems.push(...r.problems);
  const lines = resolved.map((r) => r.line);
  if (fromDocument) problems.push(...flagUncorroborated(resolved));
  if (lines.length === 0 && draft.purpose !== 'cancel') problems.push(problem('NO_LINES', 'the order has no lines', 'error', 'lines'));
  const signals = [...(draft.provenance.signals ?? [])];
  let shipTo: Address;
  const fields: Record<string, FieldEvidence> = {};
  let headerFlagged = false;
  let currency = draft.currency ?? (customer ? 'EUR' : null);
  const decided = fromDocument ? decideShipTo(draft.shipTo ?? {}, draft.evidence?.shipTo, customer?.id ?? null, md) : null;
  if (decided) {
    shipTo = decided.shipTo;
    if (decided.evidence) fields.shipTo = decided.evidence;
    if (decided.evidence?.source === 'default') signals.push(SHIP_TO_DEFAULTED);
    problems.push(...decided.problems);
  } else shipTo = resolveShipTo(draft.shipTo, customer, md, problems, signals);
  if (fromDocument) {
    const ev = draft.evidence!;
    const checks = [
      ['poNumber', checkPoNumber(draft.poNumber, ev.poNumber)],
      ['orderDate', checkOrderDate(draft.orderDate ?? null, ev.orderDate, parisDay(ctx.receivedAt))],
      ['requestedDeliveryDate', checkDeliveryDate(draft.requestedDeliveryDate ?? null, ev.requestedDeliveryDate, draft.orderDate ?? null)],
    ] as const;
    for (const [field, c] of checks) {
      if (c.evidence) fields[field] = c.evidence;
      problems.push(...c.problems);
    }
    const cust = customerEvidence(draft, customer?.id ?? null, matchedBy, md, shipTo, problems);
    if (cust) fields.customer = cust;
    if (ev.prices) fields.prices = evidence(ev.prices);
    if (customer) {
      const cur = checkCurrency(draft.currency ?? null, ev.currency, shipTo.country ?? customerCountry(customer.id, md), { customer: customer.currency ?? null, nonePrinted: ev.prices?.rule === NO_PRICE_PRINTED });
      currency = cur.value;
      if (cur.evidence) fields.currency = cur.evidence;
      problems.push(...cur.problems);
    }
    headerFlagged = Object.values(fields).some((f) => f.flagged);
  }
  const lineConf = lines.length ? Math.min(...lines.map((l) => l.confidence)) : 1;
  const confidence = round2(Math.min(draft.confidence ?? 1, lineConf, headerFlagged ? FLAGGED_CONFIDENCE : 1));
  return {
    order: {
      poNumber: draft.poNumber && !longPo ? draft.poNumber.trim() : null,
      orderDate: draft.orderDate ?? null,
      requestedDeliveryDate: draft.requestedDeliveryDate ?? null,
      purpose: draft.purpose ?? 'original',
      currency,
      customer: { id: customer?.id ?? null, name: customer?.name ?? draft.customer.name ?? null, matchedBy },
      shipTo,
      lines,
      confidence,
      provenance: { parser: draft.provenance.parser, location: draft.provenance.location ?? null, signals },
      ...(draft.sources && Object.keys(draft.sources).length ? { sources: draft.sources } : {}),
      ...(fromDocument ? { evidence: fields } : {}),
    },
    problems,
  };
}

/**
 * The customer's evidence: the clue that identified it and the others that agree (a known delivery
 * address counts). Clues naming two customers, or a name alone, are flagged.
 */
function customerEvidence(draft: DraftOrder, customerId: string | null, matchedBy: string | null, md: MasterData, shipTo: Address, problems: Problem[]): FieldEvidence | null {
  if (!customerId || !matchedBy) return null;
  const clues = customerClues(draft.customer, md);
  const agree = clues.filter((c) => c.customerId === customerId && c.by !== matchedBy).map((c) => c.by);
  if (matchedBy !== 'ship_to_address' && shipTo.code && md.addressesOf(customerId).some((a) => a.code === shipTo.code)) agree.push(`delivery address ${shipTo.code}`);
  const others = [...new Set(clues.filter((c) => c.customerId !== customerId).map((c) => `${c.by} → ${c.customerId}`))];
  const rule = matchedBy === 'ship_to_address' ? 'the delivery address is one of its addresses' : `identified by ${matchedBy}`;
  if (others.length) {
    problems.push(problem('CUSTOMER_EVIDENCE_CONFLICT', `the customer was identified as ${customerId} by ${matchedBy}, but ${others.join(', ')}; check who sent this order`, 'warning', 'customer'));
    return evidence({ source: 'document', rule }, agree, true);
  }
  if ((matchedBy === 'name' || matchedBy === 'ship_to_address') && agree.length === 0) {
    problems.push(problem('CUSTOMER_UNCONFIRMED', `the customer ${customerId} was recognised by its ${matchedBy === 'name' ? 'name' : 'delivery address'} only; nothing else in the document confirms it`, 'warning', 'customer'));
    return evidence({ source: 'document', rule }, agree, true);
  }
  return evidence({ source: matchedBy === 'email_domain' || matchedBy === 'fax' ? 'channel' : 'document', rule }, agree);
}

/** Lines their order shows to be uncorroborated or repeated (line-evidence.ts): flagged, unless the reader already doubts them. */
function flagUncorroborated(resolved: ReturnType<typeof resolveLine>[]): Problem[] {
  const found = uncorroborated(resolved.map((r) => r.corroboration));
  for (const [i, c] of tableDoubts(resolved.map((r) => r.line))) found.set(i, c);
  const out: Problem[] = [];
  for (const [i, { line }] of resolved.entries()) {
    const c = found.get(i);
    if (!c || line.confidence < FLAGGED_LINE) continue;
    line.doubts.push(c.doubt);
    line.confidence = Math.min(line.confidence, FLAGGED_CONFIDENCE);
    if (line.evidence) line.evidence.flagged = true;
    out.push(...conflictProblems(line.lineNumber, [c]));
  }
  return out;
}

/** Below this a line is already flagged by its reader: nothing more to say about it. */
const FLAGGED_LINE = 0.9;

/** The numbers of the order a line's quantity must not be a copy of: its dates' years, its ship-to's postal code. */
function lineContext(draft: DraftOrder): LineContext {
  const years = [draft.orderDate, draft.requestedDeliveryDate].filter((d): d is string => !!d).map((d) => Number(d.slice(0, 4)));
  return { years: [...new Set(years)], postalCodes: draft.shipTo?.postalCode ? [draft.shipTo.postalCode] : [] };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
