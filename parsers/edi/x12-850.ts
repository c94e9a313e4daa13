// X12 850 purchase order → DraftOrder, with the segment and element errors a 997 reports
// (AK3 codes from X12 element 720, AK4 codes from element 723).
import { problem, type Problem, type Purpose } from '../../domain/order';
import type { DraftLine, DraftOrder } from '../../domain/resolve';
import { ediDate, ediNumber } from './bytes';
import type { X12Transaction } from './x12-envelope';
import { components, type X12Segment } from './x12-tokenizer';

export interface ElementError {
  position: number;
  component?: number;
  /** Data element reference number in the X12 dictionary (e.g. 330 for the quantity). */
  ref: string;
  code: string;
  value?: string;
}

export interface SegmentError {
  tag: string;
  /** Position in the transaction set, ST = 1. */
  position: number;
  code: string;
  /** AK303: the loop holding the segment (PO1, N1), absent at header level. */
  loop?: string;
  elements: ElementError[];
  message: string;
}

export interface MappedTransaction {
  draft: DraftOrder | null;
  segmentErrors: SegmentError[];
  problems: Problem[];
  /** True when the transaction cannot be used: the 997 rejects it. */
  rejected: boolean;
}

const PURPOSE: Record<string, Purpose> = { '00': 'original', '05': 'replace', '04': 'replace', '01': 'cancel', '03': 'cancel', '06': 'original', '07': 'original' };
const OUR_SKU = new Set(['VP', 'VN', 'VA', 'SA']);
const BUYER_PART = new Set(['BP', 'IN', 'PI', 'SK', 'CB']);
const EAN = new Set(['EN', 'UP', 'UK', 'UI', 'EO', 'UA']);
/** "Each"/"piece" means one selling unit, whatever the catalog calls it (box, unit): left to the catalog. */
const UNITS: Record<string, string | null> = { EA: null, PC: null, PCE: null, BX: 'BTE', PR: 'PAI', LO: 'LOT', LT: 'LOT' };
const DELIVERY_DTM = ['002', '074', '106'];

/** An element, trimmed; '' when absent. */
function val(e: string[], k: number): string {
  return (e[k] ?? '').trim();
}

export function locationOf(tx: X12Transaction): string {
  return `interchange ${tx.interchange.control}, group ${tx.group?.control ?? '-'}, transaction ${tx.control}`;
}

interface Party {
  code: string;
  name: string | null;
  idQualifier: string | null;
  id: string | null;
  street: string | null;
  city: string | null;
  postalCode: string | null;
  country: string | null;
}

interface Found {
  segErrors: SegmentError[];
  problems: Problem[];
  loc: string;
  inLines: boolean;
}

const at = (s: X12Segment): string => `segment ${s.index} (${s.tag})`;
const glnOf = (p: Party | undefined): string | null => (p && p.idQualifier === 'UL' && p.id && /^\d{13}$/.test(p.id) ? p.id : null);

/**
 * AK303, the 850 loop that holds a segment in error: the PO1 loop (its own segments nested in
 * sub-loops are not told apart: only PO1 itself is checked inside lines) and the header N1 loop.
 */
function loopOf(tag: string, inLines: boolean): string | null {
  if (tag === 'PO1') return 'PO1';
  if (!inLines && (tag === 'N1' || tag === 'N2' || tag === 'N3' || tag === 'N4')) return 'N1';
  return null;
}

/** Records an element error for the 997 (AK3/AK4) and as a problem that says where. */
function elementError(out: Found, s: X12Segment, pos: number, e: ElementError, message: string, severity: Problem['severity'] = 'warning'): void {
  let se = out.segErrors.find((x) => x.position === pos && x.tag === s.tag);
  if (!se) {
    const loop = loopOf(s.tag, out.inLines);
    out.segErrors.push((se = { tag: s.tag, position: pos, code: '8', ...(loop ? { loop } : {}), elements: [], message }));
  }
  se.elements.push(e);
  out.problems.push(problem('EDI_SYNTAX', `${out.loc}: ${message}`, severity, at(s)));
}

/** What the segments of one 850 have said so far. */
interface X12Reading extends Found {
  readonly tx: X12Transaction;
  poNumber: string | null;
  purpose: Purpose;
  orderDate: string | null;
  poDateDtm: string | null;
  delivery: string | null;
  currency: string | null;
  readonly signals: string[];
  readonly parties: Party[];
  readonly lines: DraftLine[];
  /** The party the last N1 opened (its N3 and N4 follow), until the lines begin. */
  party: Party | null;
  sawBeg: boolean;
  declaredLines: { count: number; seg: X12Segment } | null;
}

export function mapX12Order(tx: X12Transaction): MappedTransaction {
  const r: X12Reading = {
    tx, segErrors: [], problems: [], loc: locationOf(tx), inLines: false,
    poNumber: null, purpose: 'original', orderDate: null, poDateDtm: null, delivery: null, currency: null,
    signals: [], parties: [], lines: [], party: null, sawBeg: false, declaredLines: null,
  };
  for (let i = 0; i < tx.segments.length; i++) readX12Segment(r, tx.segments[i]!, i + 1);
  return finishX12Order(r);
}

function readX12Segment(r: X12Reading, s: X12Segment, pos: number): void {
  const e = s.elements;
  switch (s.tag) {
    case 'BEG':
      return readBeg(r, s, pos);
    case 'CUR':
      if (!r.inLines && /^[A-Z]{3}$/.test(val(e, 2))) r.currency = val(e, 2);
      return;
    case 'DTM': {
      if (r.inLines) return;
      const date = ediDate(val(e, 2));
      if (val(e, 2) && !date) {
        elementError(r, s, pos, { position: 2, ref: '373', code: '8', value: val(e, 2) }, `DTM02 "${val(e, 2)}" is not a date (CCYYMMDD)`);
        return;
      }
      if (DELIVERY_DTM.includes(val(e, 1)) && !r.delivery) r.delivery = date;
      if (val(e, 1) === '004') r.poDateDtm = date;
      return;
    }
    case 'N1':
      if (r.inLines) return;
      r.party = { code: val(e, 1), name: val(e, 2) || null, idQualifier: val(e, 3) || null, id: val(e, 4) || null, street: null, city: null, postalCode: null, country: null };
      r.parties.push(r.party);
      return;
    case 'N3':
      if (r.party && !r.inLines) r.party.street = [val(e, 1), val(e, 2)].filter(Boolean).join(', ') || null;
      return;
    case 'N4':
      if (r.party && !r.inLines) {
        r.party.city = val(e, 1) || null;
        r.party.postalCode = val(e, 3) || null;
        r.party.country = /^[A-Za-z]{2,3}$/.test(val(e, 4)) ? val(e, 4).toUpperCase() : null;
      }
      return;
    case 'PO1':
      return readPo1(r, s, pos);
    case 'PID': {
      const last = r.lines[r.lines.length - 1];
      const text = val(e, 5);
      if (last && r.inLines && text && !last.description) last.description = text;
      return;
    }
    case 'CTT': {
      const n = ediNumber(val(e, 1));
      if (n !== null) r.declaredLines = { count: n, seg: s };
      return;
    }
    default:
  }
}

function readBeg(r: X12Reading, s: X12Segment, pos: number): void {
  const e = s.elements;
  r.sawBeg = true;
  const code = val(e, 1);
  if (PURPOSE[code]) r.purpose = PURPOSE[code]!;
  else elementError(r, s, pos, { position: 1, ref: '353', code: code ? '7' : '1', value: code }, `BEG01 "${code}" is not a transaction purpose code (00 original, 05 replace, 01 cancel)`);
  if (code === '07') r.signals.push('BEG01 07: marked duplicate by the sender');
  r.poNumber = val(e, 3) || null;
  if (!r.poNumber) elementError(r, s, pos, { position: 3, ref: '324', code: '1' }, 'BEG03 (purchase order number) is missing', 'error');
  r.orderDate = ediDate(val(e, 5));
  if (val(e, 5) && !r.orderDate) elementError(r, s, pos, { position: 5, ref: '373', code: '8', value: val(e, 5) }, `BEG05 "${val(e, 5)}" is not a date (CCYYMMDD)`);
}

/** A PO1 line: quantity, unit, price, and its product ID pairs (PO106/PO107, …). */
function readPo1(r: X12Reading, s: X12Segment, pos: number): void {
  const e = s.elements;
  const d = r.tx.interchange.delimiters;
  r.inLines = true;
  r.party = null;
  const qty = ediNumber(val(e, 2));
  if (val(e, 2) && qty === null) elementError(r, s, pos, { position: 2, ref: '330', code: '6', value: val(e, 2) }, `PO102 "${val(e, 2)}" is not a quantity`);
  const price = ediNumber(val(e, 4));
  if (val(e, 4) && price === null) elementError(r, s, pos, { position: 4, ref: '212', code: '6', value: val(e, 4) }, `PO104 "${val(e, 4)}" is not a unit price`);
  const line: DraftLine = { lineNumber: /^\d+$/.test(val(e, 1)) ? Number(val(e, 1)) : null, quantity: qty, unitPrice: price !== null && price >= 0 ? price : null, confidence: 1, doubts: [] };
  const unit = val(e, 3).toUpperCase();
  if (unit) line.unit = unit in UNITS ? UNITS[unit]! : unit;
  for (let k = 6; k + 1 <= Math.max(7, e.length - 1); k += 2) {
    const q = val(e, k);
    const raw = e[k + 1] ?? '';
    const id = (d.component && raw.includes(d.component) ? components(raw, d)[0]! : raw).trim();
    if (q && !id) elementError(r, s, pos, { position: k + 1, ref: '234', code: '2' }, `PO1${String(k + 1).padStart(2, '0')} is empty although PO1${String(k).padStart(2, '0')} qualifies it as ${q} (the pair must be complete)`);
    else if (!q && id) elementError(r, s, pos, { position: k, ref: '235', code: '2' }, `PO1${String(k).padStart(2, '0')} is empty although PO1${String(k + 1).padStart(2, '0')} holds ${id}`);
    if (!q || !id) continue;
    if (OUR_SKU.has(q) && !line.sku) line.sku = id;
    else if (BUYER_PART.has(q) && !line.customerPartNumber) line.customerPartNumber = id;
    else if (EAN.has(q) && !line.ean && /^\d{8,14}$/.test(id)) line.ean = id;
  }
  r.lines.push(line);
}

/** The 850 read: its checks (BEG present, CTT01 against the lines) and the draft order, unless rejected. */
function finishX12Order(r: X12Reading): MappedTransaction {
  const { tx, segErrors, problems, loc, lines, parties, signals, poNumber } = r;
  if (!r.sawBeg) {
    segErrors.push({ tag: 'BEG', position: 2, code: '3', elements: [], message: 'BEG (beginning segment) is missing' });
    problems.push(problem('EDI_SYNTAX', `${loc}: the 850 has no BEG segment, so no purchase-order number`, 'error', `segment ${tx.segments[0]!.index} (ST)`));
  }
  const dl = r.declaredLines;
  if (dl && dl.count !== lines.length)
    problems.push(problem('EDI_LINE_COUNT', `${loc}: CTT01 announces ${dl.count} line items but the order has ${lines.length}`, 'warning', at(dl.seg)));
  if (tx.interchange.test) signals.push('test');

  const buyer = parties.find((p) => p.code === 'BY');
  const shipTo = parties.find((p) => p.code === 'ST') ?? parties.find((p) => p.code === 'DP');
  const rejected = !r.sawBeg || !poNumber;
  const draft: DraftOrder = {
    poNumber,
    orderDate: r.orderDate ?? r.poDateDtm,
    requestedDeliveryDate: r.delivery,
    purpose: r.purpose,
    currency: r.currency,
    customer: { x12Id: tx.interchange.senderId || null, edifactGln: glnOf(buyer), name: buyer?.name ?? null },
    shipTo: shipTo
      ? { gln: glnOf(shipTo), name: shipTo.name, street: shipTo.street, postalCode: shipTo.postalCode, city: shipTo.city, country: shipTo.country && shipTo.country.length === 2 ? shipTo.country : null }
      : undefined,
    lines,
    confidence: 1,
    provenance: { parser: 'x12-850', location: loc, signals },
  };
  return { draft: rejected ? null : draft, segmentErrors: segErrors, problems, rejected };
}
