// EDIFACT ORDERS (D96A, D01B, EANCOM) → DraftOrder, with the segment/element errors a CONTRL
// reports (UCS/UCD, syntax error codes from element 0085).
import { problem, type Problem, type Purpose } from '../../domain/order';
import type { DraftLine, DraftOrder } from '../../domain/resolve';
import { ediDate, ediNumber } from './bytes';
import type { EdifactMessage } from './edifact-envelope';
import type { EdifactSegment } from './edifact-tokenizer';
import type { MappedTransaction, SegmentError } from './x12-850';

/** BGM 1225: 9 original, 5 replace, 1 cancel (4 change and 3 deletion are read as replace and cancel). */
const PURPOSE: Record<string, Purpose> = { '9': 'original', '5': 'replace', '4': 'replace', '1': 'cancel', '3': 'cancel', '7': 'original', '31': 'original' };
const OUR_SKU = new Set(['SA', 'VN', 'VP']);
const BUYER_PART = new Set(['IN', 'BP']);
const EAN = new Set(['EN', 'SRV', 'UP', 'GTIN']);
/** Piece/each is one selling unit, whatever the catalog calls it: left to the catalog. */
const UNITS: Record<string, string | null> = { PCE: null, EA: null, C62: null, H87: null, BX: 'BTE', PR: 'PAI', NMP: 'PAI', LO: 'LOT' };
const DELIVERY_DTM = ['2', '64', '69', '10'];

interface Party {
  code: string;
  gln: string | null;
  name: string | null;
  street: string | null;
  city: string | null;
  postalCode: string | null;
  country: string | null;
  vat: string | null;
}

/** A component, trimmed; '' when absent. */
function comp(s: EdifactSegment, el: number, c = 0): string {
  return (s.elements[el]?.[c] ?? '').trim();
}

/** All components of an element as one text (names and streets are split over several). */
function joined(s: EdifactSegment, el: number): string | null {
  return (s.elements[el] ?? []).map((x) => x.trim()).filter(Boolean).join(' ') || null;
}

export function locationOfMessage(m: EdifactMessage): string {
  return `interchange ${m.interchange.control}${m.group ? `, group ${m.group.control}` : ''}, message ${m.reference}`;
}

/** DTM C507: qualifier:value:format (102 CCYYMMDD, 203/204 with time, 101 YYMMDD, 718 a range). */
function dtmDate(value: string, format: string): string | null {
  if (format === '718') return ediDate(value.slice(0, 8));
  if (format === '203' || format === '204') return ediDate(value.slice(0, 8));
  if (format === '101') return ediDate(value.slice(0, 6));
  return ediDate(value);
}

/** What the segments of one ORDERS message have said so far. */
interface Reading {
  readonly m: EdifactMessage;
  readonly loc: string;
  readonly segErrors: SegmentError[];
  readonly problems: Problem[];
  poNumber: string | null;
  purpose: Purpose;
  orderDate: string | null;
  delivery: string | null;
  currency: string | null;
  sawBgm: boolean;
  inLines: boolean;
  summary: boolean;
  /** The party the last NAD opened (its RFF+VA follow), until the lines begin. */
  party: Party | null;
  readonly parties: Party[];
  readonly lines: DraftLine[];
  /** The current line's quantity came from QTY+21 (ordered), which wins over QTY+1. */
  qty21: boolean;
  declaredLines: { n: number; s: EdifactSegment } | null;
}

export function mapEdifactOrder(m: EdifactMessage): MappedTransaction {
  const r: Reading = {
    m, loc: locationOfMessage(m), segErrors: [], problems: [],
    poNumber: null, purpose: 'original', orderDate: null, delivery: null, currency: null,
    sawBgm: false, inLines: false, summary: false, party: null, parties: [], lines: [], qty21: false, declaredLines: null,
  };
  for (let i = 0; i < m.segments.length; i++) readSegment(r, m.segments[i]!, i + 1);
  return finishOrder(r);
}

const at = (s: EdifactSegment): string => `segment ${s.index} (${s.tag})`;

/** An element in error: for the CONTRL (one entry per segment) and for the agent (a problem). */
function elementError(r: Reading, s: EdifactSegment, pos: number, el: number, comp: number, code: string, message: string, severity: Problem['severity'] = 'warning'): void {
  let se = r.segErrors.find((x) => x.position === pos && x.tag === s.tag);
  if (!se) r.segErrors.push((se = { tag: s.tag, position: pos, code, elements: [], message }));
  se.elements.push({ position: el, component: comp, ref: '', code });
  r.problems.push(problem('EDI_SYNTAX', `${r.loc}: ${message}`, severity, at(s)));
}

function readSegment(r: Reading, s: EdifactSegment, pos: number): void {
  switch (s.tag) {
    case 'BGM':
      return readBgm(r, s, pos);
    case 'DTM':
      return readDtm(r, s, pos);
    case 'CUX':
      if (/^[A-Z]{3}$/.test(comp(s, 1, 1)) && (comp(s, 1, 0) === '2' || !r.currency)) r.currency = comp(s, 1, 1);
      return;
    case 'NAD':
      return readNad(r, s);
    case 'RFF':
      if (r.party && !r.inLines && comp(s, 1, 0) === 'VA') r.party.vat = comp(s, 1, 1) || null;
      return;
    case 'LIN':
      return readLin(r, s);
    case 'PIA':
    case 'IMD':
    case 'QTY':
    case 'PRI': {
      const last = r.lines[r.lines.length - 1];
      if (!last || r.summary) return;
      return readLineDetail(r, last, s, pos);
    }
    case 'UNS':
      r.summary = true;
      return;
    case 'CNT':
      if (comp(s, 1, 0) === '2') {
        const n = ediNumber(comp(s, 1, 1));
        if (n !== null) r.declaredLines = { n, s };
      }
      return;
    default:
  }
}

function readBgm(r: Reading, s: EdifactSegment, pos: number): void {
  r.sawBgm = true;
  r.poNumber = comp(s, 2) || null;
  if (!r.poNumber) elementError(r, s, pos, 2, 1, '13', 'BGM 1004 (order number) is missing', 'error');
  const code = comp(s, 3);
  if (code && PURPOSE[code]) r.purpose = PURPOSE[code]!;
  else if (code) elementError(r, s, pos, 3, 1, '12', `BGM 1225 "${code}" is not a message function code (9 original, 5 replace, 1 cancel)`);
}

function readDtm(r: Reading, s: EdifactSegment, pos: number): void {
  if (r.inLines) return;
  const q = comp(s, 1, 0);
  const raw = comp(s, 1, 1);
  const date = dtmDate(raw, comp(s, 1, 2) || '102');
  if (raw && !date && (q === '137' || DELIVERY_DTM.includes(q))) {
    elementError(r, s, pos, 1, 2, '12', `DTM ${q} "${raw}" is not a date in format ${comp(s, 1, 2) || '102'}`);
    return;
  }
  if (q === '137' || q === '4') r.orderDate ??= date;
  else if (DELIVERY_DTM.includes(q)) r.delivery ??= date;
}

function readNad(r: Reading, s: EdifactSegment): void {
  if (r.inLines) return;
  const id = comp(s, 2, 0);
  r.party = {
    code: comp(s, 1),
    gln: /^\d{13}$/.test(id) && (comp(s, 2, 2) === '9' || comp(s, 2, 2) === '') ? id : null,
    name: joined(s, 4) ?? joined(s, 3),
    street: joined(s, 5),
    city: comp(s, 6) || null,
    postalCode: comp(s, 8) || null,
    country: /^[A-Za-z]{2}$/.test(comp(s, 9)) ? comp(s, 9).toUpperCase() : null,
    vat: null,
  };
  r.parties.push(r.party);
}

function readLin(r: Reading, s: EdifactSegment): void {
  r.inLines = true;
  r.party = null;
  r.qty21 = false;
  const line: DraftLine = { lineNumber: /^\d+$/.test(comp(s, 1)) ? Number(comp(s, 1)) : null, quantity: null, confidence: 1, doubts: [] };
  const id = comp(s, 3, 0);
  const type = comp(s, 3, 1).toUpperCase();
  if (id && EAN.has(type) && /^\d{8,14}$/.test(id)) line.ean = id;
  else if (id && OUR_SKU.has(type)) line.sku = id;
  else if (id && BUYER_PART.has(type)) line.customerPartNumber = id;
  r.lines.push(line);
}

/** PIA, IMD, QTY and PRI: what they add to the current line (before the summary section). */
function readLineDetail(r: Reading, last: DraftLine, s: EdifactSegment, pos: number): void {
  switch (s.tag) {
    case 'PIA':
      for (let el = 2; el < s.elements.length; el++) {
        const id = comp(s, el, 0);
        const type = comp(s, el, 1).toUpperCase();
        if (!id) continue;
        if (OUR_SKU.has(type)) last.sku ??= id;
        else if (BUYER_PART.has(type)) last.customerPartNumber ??= id;
        else if (EAN.has(type) && /^\d{8,14}$/.test(id)) last.ean ??= id;
      }
      return;
    case 'IMD': {
      if (last.description) return;
      const text = [comp(s, 3, 3), comp(s, 3, 4)].filter(Boolean).join(' ');
      if (text) last.description = text;
      return;
    }
    case 'QTY':
      return readQty(r, last, s, pos);
    case 'PRI':
      return readPri(r, last, s, pos);
  }
}

function readQty(r: Reading, last: DraftLine, s: EdifactSegment, pos: number): void {
  const q = comp(s, 1, 0);
  if (q !== '21' && !(q === '1' && !r.qty21)) return;
  const n = ediNumber(comp(s, 1, 1));
  if (comp(s, 1, 1) && n === null) {
    elementError(r, s, pos, 1, 2, '37', `QTY "${comp(s, 1, 1)}" is not a quantity`);
    return;
  }
  last.quantity = n;
  r.qty21 ||= q === '21';
  const unit = comp(s, 1, 2).toUpperCase();
  if (unit) last.unit = unit in UNITS ? UNITS[unit]! : unit;
}

function readPri(r: Reading, last: DraftLine, s: EdifactSegment, pos: number): void {
  const q = comp(s, 1, 0);
  if (q !== 'AAA' && q !== 'AAB') return;
  if (q === 'AAB' && last.unitPrice != null) return;
  const n = ediNumber(comp(s, 1, 1));
  if (comp(s, 1, 1) && n === null) {
    elementError(r, s, pos, 1, 2, '37', `PRI "${comp(s, 1, 1)}" is not a price`);
    return;
  }
  if (n !== null && n >= 0) last.unitPrice = n;
}

/** The message read: its checks (BGM present, CNT+2 against the lines) and the draft order, unless rejected. */
function finishOrder(r: Reading): MappedTransaction {
  const { m, loc, segErrors, problems, lines, parties, poNumber } = r;
  if (!r.sawBgm) {
    segErrors.push({ tag: 'BGM', position: 2, code: '13', elements: [], message: 'BGM (beginning of message) is missing' });
    problems.push(problem('EDI_SYNTAX', `${loc}: the ORDERS message has no BGM segment, so no order number`, 'error', `segment ${m.segments[0]!.index} (UNH)`));
  }
  const dl = r.declaredLines;
  if (dl && dl.n !== lines.length) problems.push(problem('EDI_LINE_COUNT', `${loc}: CNT+2 announces ${dl.n} lines but the message has ${lines.length}`, 'warning', at(dl.s)));

  const buyer = parties.find((p) => p.code === 'BY');
  const shipTo = parties.find((p) => p.code === 'DP') ?? parties.find((p) => p.code === 'ST');
  const unb = m.interchange;
  const senderGln = /^\d{13}$/.test(unb.senderId) && (unb.senderQualifier === '14' || unb.senderQualifier === '') ? unb.senderId : null;
  const signals = unb.test ? ['test'] : [];
  const rejected = !r.sawBgm || !poNumber;
  const draft: DraftOrder = {
    poNumber,
    orderDate: r.orderDate,
    requestedDeliveryDate: r.delivery,
    purpose: r.purpose,
    currency: r.currency,
    customer: { edifactGln: senderGln ?? buyer?.gln ?? null, name: buyer?.name ?? null, vatNumber: buyer?.vat ?? null },
    shipTo: shipTo ? { gln: shipTo.gln, name: shipTo.name, street: shipTo.street, postalCode: shipTo.postalCode, city: shipTo.city, country: shipTo.country } : undefined,
    lines,
    confidence: 1,
    provenance: { parser: 'edifact-orders', location: loc, signals },
  };
  return { draft: rejected ? null : draft, segmentErrors: segErrors, problems, rejected };
}
