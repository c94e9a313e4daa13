// Acknowledgments and confirmations, as pure functions of what was read:
// TA1 (interchange), 997 (functional groups), CONTRL (EDIFACT), 855 / ORDRSP (order confirmed).
import type { Order } from '../../domain/order';
import type { EdifactDelimiters } from './edifact-tokenizer';
import type { EdifactInterchange } from './edifact-envelope';
import type { SentLine, SentOrder } from './echo';
import type { SegmentError } from './x12-850';
import type { X12Interchange } from './x12-envelope';
import { ccyymmdd, ediNum, isoToEdi, writeEdifact, writeX12, type EdifactEnvelope, type X12Envelope } from './writer';

export type AckStatus = 'A' | 'E' | 'R';

export interface TransactionAck {
  type: string;
  control: string;
  status: AckStatus;
  /** AK5 codes (X12 element 718) or UCM syntax error codes (0085). */
  codes: string[];
  segmentErrors: SegmentError[];
}

export interface GroupAck {
  functionalId: string;
  control: string;
  version: string;
  declared: number | null;
  transactions: TransactionAck[];
  /** AK9 codes (X12 element 716). */
  codes: string[];
}

/** AK9 code 3 (trailer missing, a truncated file) is noted; every other group code rejects the group. */
export function groupRejected(g: GroupAck): boolean {
  return g.codes.some((c) => c !== '3');
}

/** AK9: A all accepted, E all accepted with errors noted, P some rejected, R none accepted. */
export function groupStatus(g: GroupAck): 'A' | 'E' | 'P' | 'R' {
  if (groupRejected(g)) return 'R';
  if (g.codes.length && g.transactions.every((t) => t.status !== 'R')) return 'E';
  const accepted = g.transactions.filter((t) => t.status !== 'R').length;
  if (accepted === 0) return 'R';
  if (accepted < g.transactions.length) return 'P';
  return g.transactions.some((t) => t.status === 'E') ? 'E' : 'A';
}

/** The envelope of an answer: sender and receiver swapped, delimiters as the partner uses them. */
export function replyEnvelope(isa: X12Interchange, controlNumber: number, now: Date, gs?: { sender: string; receiver: string }): X12Envelope {
  return {
    senderQualifier: isa.receiverQualifier,
    senderId: isa.receiverId,
    receiverQualifier: isa.senderQualifier,
    receiverId: isa.senderId,
    gsSender: gs?.receiver || isa.receiverId,
    gsReceiver: gs?.sender || isa.senderId,
    version: isa.version || '00401',
    controlNumber,
    now,
    test: isa.test,
    delimiters: { ...isa.delimiters, component: isa.delimiters.component ?? '>', segment: isa.delimiters.segment === '\n' ? '~' : isa.delimiters.segment },
  };
}

/** TA1 note codes (X12 I18): 000 no error, 001 control numbers differ, 021 group count, 023 premature end… */
export function buildTa1(isa: X12Interchange, status: AckStatus, noteCode: string, env: X12Envelope): string {
  return writeX12(env, [], [['TA1', isa.control.padStart(9, '0'), isa.date, isa.time, status, noteCode]]);
}

/** One 997 per functional group received, all in one interchange with a GS*FA. */
export function build997(groups: GroupAck[], env: X12Envelope): string {
  const c = env.delimiters?.component ?? ':';
  const transactions = groups.map((g) => {
    const segs: string[][] = [];
    const v5010 = g.version >= '005010';
    segs.push(v5010 ? ['AK1', g.functionalId, g.control, g.version] : ['AK1', g.functionalId, g.control]);
    for (const t of g.transactions) {
      segs.push(['AK2', t.type, t.control]);
      for (const se of t.segmentErrors) {
        segs.push(['AK3', se.tag, String(se.position), se.loop ?? '', se.code]);
        for (const el of se.elements) {
          const pos = el.component ? `${el.position}${c}${el.component}` : String(el.position);
          segs.push(['AK4', pos, el.ref, el.code, el.value ?? ''].slice(0, el.value ? 5 : 4));
        }
      }
      segs.push(['AK5', t.status, ...t.codes.slice(0, 5)]);
    }
    const received = g.transactions.length;
    const accepted = g.transactions.filter((t) => t.status !== 'R').length;
    segs.push(['AK9', groupStatus(g), String(g.declared ?? received), String(received), String(groupRejected(g) ? 0 : accepted), ...g.codes.slice(0, 5)]);
    return { type: '997', segments: segs };
  });
  return writeX12({ ...env, gsVersion: groups[0]?.version || env.gsVersion }, [{ functionalId: 'FA', transactions }]);
}

export interface MessageAck {
  reference: string;
  identifier: string[];
  /** 7 acknowledged, 4 rejected. */
  action: '7' | '4';
  error: string | null;
  segmentErrors: SegmentError[];
}

export interface ContrlInput {
  interchange: EdifactInterchange;
  /** 8 received only, 7 acknowledged (with message detail), 4 rejected. */
  action: '4' | '7' | '8';
  error: string | null;
  messages: MessageAck[];
}

export function replyEdifactEnvelope(unb: EdifactInterchange, controlRef: string, now: Date): EdifactEnvelope {
  return {
    syntax: /^UNO[A-Z]$/.test(unb.syntax) ? unb.syntax : 'UNOC',
    syntaxVersion: unb.syntaxVersion || '3',
    senderId: unb.recipientId,
    senderQualifier: unb.recipientQualifier,
    recipientId: unb.senderId,
    recipientQualifier: unb.senderQualifier,
    controlRef,
    now,
    test: unb.test,
    delimiters: unb.delimiters as EdifactDelimiters,
    una: true,
  };
}

/** CONTRL: UCI for the interchange, UCM per message (with UCS/UCD for segment and element errors). */
export function buildContrl(input: ContrlInput, env: EdifactEnvelope): string {
  const u = input.interchange;
  const segs: (string | string[])[][] = [];
  const uci: (string | string[])[] = ['UCI', u.control, [u.senderId, u.senderQualifier], [u.recipientId, u.recipientQualifier], input.action];
  if (input.error) uci.push(input.error);
  segs.push(uci);
  if (input.action === '7') {
    for (const m of input.messages) {
      const ucm: (string | string[])[] = ['UCM', m.reference, m.identifier.slice(0, 4), m.action];
      if (m.error) ucm.push(m.error);
      segs.push(ucm);
      for (const se of m.segmentErrors) {
        segs.push(['UCS', String(se.position), se.elements.length ? '' : se.code]);
        for (const el of se.elements) segs.push(['UCD', el.code, [String(el.position), ...(el.component ? [String(el.component)] : [])]]);
      }
    }
  }
  const v4 = Number(u.syntaxVersion) >= 4;
  return writeEdifact(env, [{ reference: '1', identifier: v4 ? ['CONTRL', '4', '1', 'UN'] : ['CONTRL', 'D', '3', 'UN'], segments: segs }]);
}

/** What the ADV decided for a line once the order was routed and entered. */
export interface LineDecision {
  lineNumber: number;
  status: 'accepted' | 'changed' | 'rejected';
  quantity?: number | null;
  unitPrice?: number | null;
  deliveryDate?: string | null;
}

function decisionsFor(order: Order, decisions: LineDecision[]): { line: Order['lines'][number]; d: LineDecision }[] {
  return order.lines.map((line) => ({ line, d: decisions.find((x) => x.lineNumber === line.lineNumber) ?? { lineNumber: line.lineNumber, status: 'accepted' } }));
}

/** The partner's own line: same position and number (lines map 1:1 onto PO1/LIN), else same number. */
function sentLine(sent: SentOrder | null | undefined, line: Order['lines'][number], i: number): SentLine | null {
  if (!sent) return null;
  const same = sent.lines[i];
  if (same && same.lineNumber === line.lineNumber) return same;
  return sent.lines.find((l) => l.lineNumber === line.lineNumber) ?? null;
}

/**
 * Our catalog units as X12 unit codes (355), for a line whose original unit is not known: the
 * partner reads X12 codes, never BTE or U. "Each" stands for the catalog's single selling unit.
 */
const X12_UNITS: Record<string, string> = { BTE: 'BX', PAI: 'PR', LOT: 'LO', U: 'EA' };
const x12Unit = (unit: string | null): string => (unit ? (X12_UNITS[unit] ?? unit) : 'EA');

/**
 * 855 purchase order acknowledgment: BAK02 AD (no change), AC (with changes) or RD (rejected); ACK per line;
 * BAK01 04 when it replaces an 855 already sent for the order (the ADV changed or rejected it since).
 * With the order as the partner sent it, each PO1/ACK echoes the partner's unit code and exactly
 * the ID qualifiers it used on that line. Our SKU is added as VP only on a line where the partner
 * sent no identifier at all (PO1 needs one to name the item); the EAN or buyer part number that
 * resolution found in our master data is never added, since the partner never sent it.
 */
export function build855(order: Order, decisions: LineDecision[], env: X12Envelope, sent?: SentOrder | null, purpose: '00' | '04' = '00'): string {
  const rows = decisionsFor(order, decisions);
  const all = (s: LineDecision['status']): boolean => rows.length > 0 && rows.every((r) => r.d.status === s);
  const bak02 = all('accepted') ? 'AD' : all('rejected') ? 'RD' : 'AC';
  // BAK01 00 the first acknowledgment of the order, 04 one that changes an acknowledgment already sent.
  const segs: string[][] = [['BAK', purpose, bak02, order.poNumber ?? '', isoToEdi(order.orderDate), '', '', '', '', ccyymmdd(env.now)]];
  rows.forEach(({ line, d }, i) => {
    const echo = sentLine(sent, line, i);
    const ids: string[] = [];
    if (echo) for (const x of echo.ids) ids.push(x.qualifier, x.id);
    else if (line.customerPartNumber) ids.push('BP', line.customerPartNumber);
    if (ids.length === 0 && line.sku) ids.push('VP', line.sku);
    const unit = echo?.unit ?? x12Unit(line.unit);
    segs.push(['PO1', String(line.lineNumber), line.quantity !== null ? ediNum(line.quantity) : '', unit, line.unitPrice !== null ? ediNum(line.unitPrice) : '', '', ...ids]);
    const qty = d.quantity ?? line.quantity;
    let code = 'IA';
    if (d.status === 'rejected') code = 'IR';
    else if (d.status === 'changed') code = d.quantity != null && d.quantity !== line.quantity ? 'IQ' : d.unitPrice != null && d.unitPrice !== line.unitPrice ? 'IP' : 'IC';
    const ack = ['ACK', code, d.status === 'rejected' ? '0' : qty !== null ? ediNum(qty) : '', unit];
    if (d.deliveryDate) ack.push('068', isoToEdi(d.deliveryDate));
    segs.push(ack);
  });
  segs.push(['CTT', String(rows.length)]);
  return writeX12(env, [{ functionalId: 'PR', transactions: [{ type: '855', segments: segs }] }]);
}

/**
 * EANCOM numbers each message's subset separately: the ORDRSP that answers an ORDERS of a given
 * EANCOM release has its own association code (0057), not the ORDERS one.
 */
const EANCOM_ORDRSP: Record<string, string> = { EAN008: 'EAN005', EAN009: 'EAN006', EAN010: 'EAN007' };

/**
 * UNH S009 of the ORDRSP: the directory version and release (0052/0054) and agency (0051) of the
 * partner's ORDERS, or of the partner's configured version ("D96A", "D01B") when the ORDERS is not
 * at hand. The association code (0057) is given only when it is known to be right for an ORDRSP.
 */
export function ordrspIdentifier(orders: string[] | null | undefined, configured?: string | null): string[] {
  const version = (orders?.[1] ?? '').toUpperCase();
  const release = (orders?.[2] ?? '').toUpperCase();
  if (version && release) {
    const association = EANCOM_ORDRSP[(orders?.[4] ?? '').toUpperCase()];
    return ['ORDRSP', version, release, (orders?.[3] ?? '').toUpperCase() || 'UN', ...(association ? [association] : [])];
  }
  const m = /^([A-Z])(\d{2}[A-Z])$/i.exec((configured ?? '').trim());
  return m ? ['ORDRSP', m[1]!.toUpperCase(), m[2]!.toUpperCase(), 'UN'] : ['ORDRSP', 'D', '96A', 'UN'];
}

/**
 * ORDRSP: BGM 1225 29 (accepted as sent), 4 (changed) or 27 (not accepted); LIN 1229 5/3/7 per line.
 * With the ORDERS at hand, its UNH version is answered and each line echoes the partner's LIN item,
 * PIA identifiers and QTY unit; our SKU goes in as PIA+5 SA only on a line where the partner
 * named the item by nothing at all. `configuredVersion` (the partner's "D96A"…) is the fallback.
 */
export function buildOrdrsp(order: Order, decisions: LineDecision[], env: EdifactEnvelope, reference = '1', sent?: SentOrder | null, configuredVersion?: string | null): string {
  const rows = decisionsFor(order, decisions);
  const all = (s: LineDecision['status']): boolean => rows.length > 0 && rows.every((r) => r.d.status === s);
  const fn = all('accepted') ? '29' : all('rejected') ? '27' : '4';
  const dec = env.delimiters?.decimal ?? '.';
  const segs: (string | string[])[][] = [
    ['BGM', '231', order.poNumber ?? '', fn],
    ['DTM', ['137', ccyymmdd(env.now), '102']],
    ['RFF', ['ON', order.poNumber ?? '']],
  ];
  if (order.orderDate) segs.push(['DTM', ['171', isoToEdi(order.orderDate), '102']]);
  if (order.shipTo.gln) segs.push(['NAD', 'DP', [order.shipTo.gln, '', '9']]);
  rows.forEach(({ line, d }, i) => {
    const action = d.status === 'accepted' ? '5' : d.status === 'changed' ? '3' : '7';
    const echo = sentLine(sent, line, i);
    let unit: string | null = null;
    if (echo) {
      const lin = echo.ids.find((x) => x.fn === 'LIN');
      segs.push(['LIN', String(line.lineNumber), action, lin ? [lin.id, lin.qualifier] : '']);
      // One PIA per function code, its items in the order the partner gave them.
      const pias = new Map<string, string[][]>();
      for (const x of echo.ids) if (x.fn !== 'LIN') pias.set(x.fn ?? '1', [...(pias.get(x.fn ?? '1') ?? []), [x.id, x.qualifier]]);
      for (const [f, items] of pias) segs.push(['PIA', f, ...items.slice(0, 5)]);
      if (echo.ids.length === 0 && line.sku) segs.push(['PIA', '5', [line.sku, 'SA']]);
      unit = echo.unit;
    } else {
      segs.push(['LIN', String(line.lineNumber), action, line.ean ? [line.ean, 'SRV'] : '']);
      if (line.sku) segs.push(['PIA', '5', [line.sku, 'SA']]);
      if (line.customerPartNumber) segs.push(['PIA', '1', [line.customerPartNumber, 'IN']]);
    }
    const qty = d.status === 'rejected' ? 0 : (d.quantity ?? line.quantity);
    if (qty !== null) segs.push(['QTY', unit ? ['21', ediNum(qty, dec), unit] : ['21', ediNum(qty, dec)]]);
    if (d.deliveryDate) segs.push(['DTM', ['2', isoToEdi(d.deliveryDate), '102']]);
    const price = d.unitPrice ?? line.unitPrice;
    if (price !== null) segs.push(['PRI', ['AAA', ediNum(price, dec)]]);
  });
  segs.push(['UNS', 'S'], ['CNT', ['2', String(rows.length)]]);
  return writeEdifact(env, [{ reference, identifier: ordrspIdentifier(sent?.messageIdentifier, configuredVersion), segments: segs }]);
}
