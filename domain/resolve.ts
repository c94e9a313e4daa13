// From what a parser read (a draft, in the sender's terms) to the canonical Order (in ours):
// customer identified from its evidence, items resolved to our SKUs, ship-to completed from
// addresses.csv. Shared by every channel so that they all decide the same way.
import type { MasterData, Customer } from './masterdata';
import { emptyAddress, MAX_PO_LENGTH, poTooLong, problem, type Address, type Order, type OrderLine, type Problem, type Purpose, type SourceBox } from './order';

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
  ['name', 'name', (md, v) => md.customerByName(v)],
];

export function identifyCustomer(ev: CustomerEvidence, md: MasterData): { customer: Customer | null; matchedBy: string | null } {
  for (const [key, label, find] of EVIDENCE_ORDER) {
    const v = ev[key];
    if (!v) continue;
    const c = find(md, v);
    if (c) return { customer: c, matchedBy: label };
  }
  return { customer: null, matchedBy: null };
}

export function resolveLine(line: DraftLine, index: number, customerId: string | null, md: MasterData): { line: OrderLine; problems: Problem[] } {
  const problems: Problem[] = [];
  const lineNumber = line.lineNumber && line.lineNumber > 0 ? line.lineNumber : index + 1;
  const where = `line ${lineNumber}`;
  const doubts = [...(line.doubts ?? [])];
  let confidence = line.confidence ?? 1;
  let sku: string | null = null;
  let description = line.description ?? null;

  const own = line.sku ? md.product(line.sku) : undefined;
  const viaXref = !own && line.customerPartNumber && customerId ? md.skuForCustomerPart(customerId, line.customerPartNumber) : undefined;
  // A buyer may put its own reference where our SKU belongs: try it as a cross reference too.
  const skuAsXref = !own && !viaXref && line.sku && customerId ? md.skuForCustomerPart(customerId, line.sku) : undefined;
  const partAsSku = !own && !viaXref && !skuAsXref && line.customerPartNumber ? md.product(line.customerPartNumber) : undefined;
  const viaEan = line.ean ? md.productByEan(line.ean) : undefined;

  if (own) sku = own.sku;
  else if (viaXref) sku = viaXref;
  else if (skuAsXref) sku = skuAsXref;
  else if (partAsSku) sku = partAsSku.sku;
  else if (viaEan) sku = viaEan.sku;

  if (sku && viaEan && viaEan.sku !== sku) {
    problems.push(problem('ITEM_CONFLICT', `${where}: the EAN ${line.ean} is ${viaEan.sku} but the reference says ${sku}`, 'warning', where));
    doubts.push(`EAN ${line.ean} points to ${viaEan.sku}`);
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
  const ean = line.ean && /^\d{8,14}$/.test(line.ean) ? line.ean : (product?.ean ?? null);
  return {
    line: {
      lineNumber,
      sku,
      customerPartNumber: line.customerPartNumber ?? null,
      ean,
      description,
      quantity: line.quantity !== null && line.quantity > 0 ? line.quantity : null,
      unit: line.unit ?? product?.unit ?? null,
      unitPrice: line.unitPrice ?? null,
      confidence: round2(confidence),
      doubts,
      ...(line.source ? { source: line.source } : {}),
    },
    problems,
  };
}

/** Provenance signal: the document named no ship-to; the customer's usual delivery address was used. */
export const SHIP_TO_DEFAULTED = 'ship-to from master data (none in the document)';

/** Provenance signal (prefix): OCR read the PO number with low confidence; it proves nothing either way. */
export const PO_DOUBTFUL = 'PO number read with doubt';

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

export function resolveOrder(draft: DraftOrder, md: MasterData): { order: Order; problems: Problem[] } {
  const problems: Problem[] = [];
  const { customer, matchedBy } = identifyCustomer(draft.customer, md);
  if (!customer) {
    const ev = Object.entries(draft.customer).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(', ');
    problems.push(problem('UNKNOWN_CUSTOMER', `no customer in customers.csv matches ${ev || 'this document (no identifying detail found)'}`, 'error', 'customer'));
  }
  const longPo = poTooLong(draft.poNumber);
  if (longPo) problems.push(problem('PO_TOO_LONG', `the purchase-order number read is ${draft.poNumber!.trim().length} characters long (at most ${MAX_PO_LENGTH}): not taken, check the document ("${draft.poNumber!.trim().slice(0, 40)}…")`, 'error', 'poNumber'));
  else if (!draft.poNumber) problems.push(problem('MISSING_PO', 'no purchase-order number was found', 'warning', 'poNumber'));
  const lines = draft.lines.map((l, i) => {
    const r = resolveLine(l, i, customer?.id ?? null, md);
    problems.push(...r.problems);
    return r.line;
  });
  if (lines.length === 0 && draft.purpose !== 'cancel') problems.push(problem('NO_LINES', 'the order has no lines', 'error', 'lines'));
  const signals = [...(draft.provenance.signals ?? [])];
  const shipTo = resolveShipTo(draft.shipTo, customer, md, problems, signals);
  const lineConf = lines.length ? Math.min(...lines.map((l) => l.confidence)) : 1;
  const confidence = round2(Math.min(draft.confidence ?? 1, lineConf));
  return {
    order: {
      poNumber: draft.poNumber && !longPo ? draft.poNumber.trim() : null,
      orderDate: draft.orderDate ?? null,
      requestedDeliveryDate: draft.requestedDeliveryDate ?? null,
      purpose: draft.purpose ?? 'original',
      currency: draft.currency ?? (customer ? 'EUR' : null),
      customer: { id: customer?.id ?? null, name: customer?.name ?? draft.customer.name ?? null, matchedBy },
      shipTo,
      lines,
      confidence,
      provenance: { parser: draft.provenance.parser, location: draft.provenance.location ?? null, signals },
      ...(draft.sources && Object.keys(draft.sources).length ? { sources: draft.sources } : {}),
    },
    problems,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
