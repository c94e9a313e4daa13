// Writing EDI: envelopes for our acknowledgments and confirmations, and orders (for the
// round-trip property test and the benchmark's generated files).
import { escapeEdifact, type EdifactDelimiters } from './edifact-tokenizer';
import type { X12Delimiters } from './x12-tokenizer';

export const X12_DEFAULT: X12Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };

export interface X12Envelope {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** GS02/GS03: the application codes, often the same as the interchange IDs. */
  gsSender?: string;
  gsReceiver?: string;
  /** ISA12, e.g. 00401 or 00501. */
  version: string;
  /** GS08, e.g. 004010 or 005010. */
  gsVersion?: string;
  controlNumber: number;
  now: Date;
  test: boolean;
  delimiters?: X12Delimiters;
  /** Written after each terminator ('\n' for readable files, '' for strict partners). */
  lineBreak?: string;
}

const pad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
const two = (n: number): string => String(n).padStart(2, '0');
export const yymmdd = (d: Date): string => `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
export const ccyymmdd = (d: Date): string => `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
export const hhmm = (d: Date): string => `${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
export const isoToEdi = (iso: string | null | undefined): string => (iso ? iso.replace(/-/g, '') : '');

/** A number as EDI writes it: no exponent, no trailing zeros. */
export function ediNum(n: number, decimal = '.'): string {
  let s = Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/(?<!0)0+$/, '').replace(/\.$/, '');
  if (decimal !== '.') s = s.replace('.', decimal);
  return s;
}

export interface X12Group {
  functionalId: string;
  /** Each transaction set: its segments without ST/SE, each segment as [tag, ...elements]. */
  transactions: { type: string; segments: string[][] }[];
}

/** Builds a complete interchange; control numbers: ISA13 and GS06 from env, ST02 0001… */
export function writeX12(env: X12Envelope, groups: X12Group[], extraSegments: string[][] = []): string {
  const d = env.delimiters ?? X12_DEFAULT;
  const nl = env.lineBreak ?? '';
  const seg = (els: string[]): string => els.join(d.element).replace(new RegExp(`(\\${d.element})+$`), '') + d.segment + nl;
  const ctl = String(env.controlNumber).padStart(9, '0');
  const isa11 = env.version >= '00402' && d.repetition ? d.repetition : 'U';
  let out =
    ['ISA', '00', pad('', 10), '00', pad('', 10), pad(env.senderQualifier, 2), pad(env.senderId, 15), pad(env.receiverQualifier, 2), pad(env.receiverId, 15),
      yymmdd(env.now), hhmm(env.now), isa11, env.version, ctl, '0', env.test ? 'T' : 'P', d.component ?? ':'].join(d.element) + d.segment + nl;
  for (const s of extraSegments) out += seg(s);
  groups.forEach((g, gi) => {
    const gctl = String(env.controlNumber + gi);
    out += seg(['GS', g.functionalId, env.gsSender ?? env.senderId, env.gsReceiver ?? env.receiverId, ccyymmdd(env.now), hhmm(env.now), gctl, 'X', env.gsVersion ?? `${env.version.slice(0, 5)}0`]);
    g.transactions.forEach((t, ti) => {
      const st = String(ti + 1).padStart(4, '0');
      out += seg(['ST', t.type, st]);
      for (const s of t.segments) out += seg(s);
      out += seg(['SE', String(t.segments.length + 2), st]);
    });
    out += seg(['GE', String(g.transactions.length), gctl]);
  });
  out += seg(['IEA', String(groups.length), ctl]);
  return out;
}

export interface EdifactEnvelope {
  syntax: string;
  syntaxVersion: string;
  senderId: string;
  senderQualifier: string;
  recipientId: string;
  recipientQualifier: string;
  controlRef: string;
  now: Date;
  test: boolean;
  ackRequested?: boolean;
  delimiters?: EdifactDelimiters;
  /** Write a UNA even when the delimiters are the defaults. */
  una?: boolean;
  lineBreak?: string;
}

export const EDIFACT_DEFAULT: EdifactDelimiters = { component: ':', element: '+', decimal: '.', release: '?', repetition: null, segment: "'" };

/** Builds an interchange of messages, each given as segments [tag, element, …] where an element is a string or its components. */
export function writeEdifact(env: EdifactEnvelope, messages: { reference: string; identifier: string[]; segments: (string | string[])[][] }[]): string {
  const d = env.delimiters ?? EDIFACT_DEFAULT;
  const nl = env.lineBreak ?? '';
  const seg = (els: (string | string[])[]): string => {
    const parts = els.map((e, i) => (i === 0 ? (e as string) : Array.isArray(e) ? e.map((x) => escapeEdifact(x, d)).join(d.component).replace(new RegExp(`(\\${d.component})+$`), '') : escapeEdifact(e, d)));
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts.join(d.element) + d.segment + nl;
  };
  let out = '';
  if (env.una || d !== EDIFACT_DEFAULT) out += `UNA${d.component}${d.element}${d.decimal}${d.release ?? ' '}${d.repetition ?? ' '}${d.segment}` + nl;
  // Syntax 4 dates the interchange with the century (CCYYMMDD), syntax 3 without.
  const date = Number(env.syntaxVersion) >= 4 ? ccyymmdd(env.now) : yymmdd(env.now);
  const unb: (string | string[])[] = ['UNB', [env.syntax, env.syntaxVersion], [env.senderId, env.senderQualifier], [env.recipientId, env.recipientQualifier], [date, hhmm(env.now)], env.controlRef];
  if (env.ackRequested || env.test) {
    unb.push('', '', '', env.ackRequested ? '1' : '');
    if (env.test) unb.push('', '1');
  }
  out += seg(unb);
  for (const m of messages) {
    out += seg(['UNH', m.reference, m.identifier]);
    for (const s of m.segments) out += seg(s);
    out += seg(['UNT', String(m.segments.length + 2), m.reference]);
  }
  out += seg(['UNZ', String(messages.length), env.controlRef]);
  return out;
}

/** An order as a partner would send it (the fields the 850 and ORDERS carry). */
export interface OutgoingOrder {
  poNumber: string;
  purpose: 'original' | 'replace' | 'cancel';
  orderDate: string | null;
  requestedDeliveryDate: string | null;
  currency: string | null;
  buyerGln: string | null;
  shipTo: { gln: string | null; name: string | null; street: string | null; postalCode: string | null; city: string | null; country: string | null } | null;
  lines: { lineNumber: number; sku: string | null; customerPartNumber: string | null; ean: string | null; description: string | null; quantity: number; unitPrice: number | null }[];
}

const X12_PURPOSE = { original: '00', replace: '05', cancel: '01' } as const;
const EDIFACT_PURPOSE = { original: '9', replace: '5', cancel: '1' } as const;

/** The segments of an 850 (without ST/SE). */
export function x12OrderSegments(o: OutgoingOrder): string[][] {
  const segs: string[][] = [['BEG', X12_PURPOSE[o.purpose], 'SA', o.poNumber, '', isoToEdi(o.orderDate)]];
  if (o.currency) segs.push(['CUR', 'BY', o.currency]);
  if (o.requestedDeliveryDate) segs.push(['DTM', '002', isoToEdi(o.requestedDeliveryDate)]);
  if (o.buyerGln) segs.push(['N1', 'BY', '', 'UL', o.buyerGln]);
  if (o.shipTo) {
    segs.push(o.shipTo.gln ? ['N1', 'ST', o.shipTo.name ?? '', 'UL', o.shipTo.gln] : ['N1', 'ST', o.shipTo.name ?? '']);
    if (o.shipTo.street) segs.push(['N3', o.shipTo.street]);
    if (o.shipTo.city || o.shipTo.postalCode || o.shipTo.country) segs.push(['N4', o.shipTo.city ?? '', '', o.shipTo.postalCode ?? '', o.shipTo.country ?? '']);
  }
  for (const l of o.lines) {
    const ids: string[] = [];
    if (l.sku) ids.push('VP', l.sku);
    if (l.customerPartNumber) ids.push('BP', l.customerPartNumber);
    if (l.ean) ids.push('EN', l.ean);
    segs.push(['PO1', String(l.lineNumber), ediNum(l.quantity), 'EA', l.unitPrice !== null ? ediNum(l.unitPrice) : '', '', ...ids]);
    if (l.description) segs.push(['PID', 'F', '', '', '', l.description]);
  }
  segs.push(['CTT', String(o.lines.length)]);
  return segs;
}

/** The segments of an ORDERS message (without UNH/UNT). */
export function edifactOrderSegments(o: OutgoingOrder, decimal = '.'): (string | string[])[][] {
  const segs: (string | string[])[][] = [['BGM', '220', o.poNumber, EDIFACT_PURPOSE[o.purpose]]];
  if (o.orderDate) segs.push(['DTM', ['137', isoToEdi(o.orderDate), '102']]);
  if (o.requestedDeliveryDate) segs.push(['DTM', ['2', isoToEdi(o.requestedDeliveryDate), '102']]);
  if (o.currency) segs.push(['CUX', ['2', o.currency, '9']]);
  if (o.buyerGln) segs.push(['NAD', 'BY', [o.buyerGln, '', '9']]);
  if (o.shipTo) {
    const s = o.shipTo;
    segs.push(['NAD', 'DP', s.gln ? [s.gln, '', '9'] : '', '', s.name ? [s.name] : '', s.street ? [s.street] : '', s.city ?? '', '', s.postalCode ?? '', s.country ?? '']);
  }
  for (const l of o.lines) {
    segs.push(['LIN', String(l.lineNumber), '', l.ean ? [l.ean, 'SRV'] : '']);
    if (l.sku) segs.push(['PIA', '5', [l.sku, 'SA']]);
    if (l.customerPartNumber) segs.push(['PIA', '1', [l.customerPartNumber, 'IN']]);
    if (l.description) segs.push(['IMD', 'F', '', ['', '', '', l.description]]);
    segs.push(['QTY', ['21', ediNum(l.quantity, decimal)]]);
    if (l.unitPrice !== null) segs.push(['PRI', ['AAA', ediNum(l.unitPrice, decimal)]]);
  }
  segs.push(['UNS', 'S'], ['CNT', ['2', String(o.lines.length)]]);
  return segs;
}
