// What the partner wrote on each line of its order, as it wrote it: the unit code and the item
// identifiers with their qualifiers. The canonical Order keeps our catalog's view (BTE, our SKU,
// an EAN found in products.csv), which the partner never sent; an 855/ORDRSP must answer in the
// partner's own terms, so the confirmation reads them again from the stored original document.
import { EdifactEnvelopeReader, type EdifactEvent, type EdifactMessage } from './edifact-envelope';
import { EdifactTokenizer } from './edifact-tokenizer';
import { detectStandard } from '../sniff';
import { locationOf } from './x12-850';
import { locationOfMessage } from './edifact-orders';
import { X12EnvelopeReader, type X12Event, type X12Transaction } from './x12-envelope';
import { components, X12Tokenizer } from './x12-tokenizer';

export interface SentId {
  /** X12 product/service ID qualifier (235: VP, BP, EN…) or EDIFACT item type (7143: SRV, IN, SA…). */
  qualifier: string;
  id: string;
  /** EDIFACT only: 'LIN' for the LIN C212 item, otherwise the PIA function code (4347: 1, 5). */
  fn?: string;
}

export interface SentLine {
  /** PO101 / LIN 1082 when a positive integer, otherwise the line's position (as resolveOrder numbers it). */
  lineNumber: number;
  /** PO103 / QTY 6411 exactly as sent, null when the partner gave none. */
  unit: string | null;
  ids: SentId[];
}

export interface SentOrder {
  /** The same text as the draft's provenance.location, to find the order again. */
  location: string;
  poNumber: string | null;
  /** EDIFACT UNH S009 (type, version, release, agency, association); null for X12. */
  messageIdentifier: string[] | null;
  lines: SentLine[];
}

const CHUNK = 1 << 20;
const num = (s: string, index: number): number => (/^\d+$/.test(s) && Number(s) > 0 ? Number(s) : index + 1);

function sentX12(tx: X12Transaction): SentOrder {
  const d = tx.interchange.delimiters;
  const lines: SentLine[] = [];
  let poNumber: string | null = null;
  for (const s of tx.segments) {
    const e = s.elements;
    if (s.tag === 'BEG') poNumber = (e[3] ?? '').trim() || null;
    if (s.tag !== 'PO1') continue;
    const ids: SentId[] = [];
    for (let k = 6; k + 1 < e.length; k += 2) {
      const qualifier = (e[k] ?? '').trim().toUpperCase();
      const raw = e[k + 1] ?? '';
      const id = (d.component && raw.includes(d.component) ? components(raw, d)[0]! : raw).trim();
      if (qualifier && id) ids.push({ qualifier, id });
    }
    lines.push({ lineNumber: num((e[1] ?? '').trim(), lines.length), unit: (e[3] ?? '').trim().toUpperCase() || null, ids });
  }
  return { location: locationOf(tx), poNumber, messageIdentifier: null, lines };
}

function sentEdifact(m: EdifactMessage): SentOrder {
  const lines: SentLine[] = [];
  let poNumber: string | null = null;
  let summary = false;
  const c = (el: string[][], i: number, j = 0): string => (el[i]?.[j] ?? '').trim();
  for (const s of m.segments) {
    const e = s.elements;
    const last = lines[lines.length - 1];
    if (s.tag === 'BGM') poNumber = c(e, 2) || null;
    else if (s.tag === 'UNS') summary = true;
    else if (s.tag === 'LIN' && !summary) {
      const ids: SentId[] = [];
      if (c(e, 3)) ids.push({ fn: 'LIN', id: c(e, 3), qualifier: c(e, 3, 1).toUpperCase() });
      lines.push({ lineNumber: num(c(e, 1), lines.length), unit: null, ids });
    } else if (s.tag === 'PIA' && last && !summary) {
      for (let i = 2; i < e.length; i++) if (c(e, i)) last.ids.push({ fn: c(e, 1) || '1', id: c(e, i), qualifier: c(e, i, 1).toUpperCase() });
    } else if (s.tag === 'QTY' && last && !summary && (c(e, 1) === '21' || (c(e, 1) === '1' && last.unit === null))) {
      last.unit = c(e, 1, 2).toUpperCase() || last.unit;
    }
  }
  return { location: locationOfMessage(m), poNumber, messageIdentifier: m.identifier.map((x) => x.trim()), lines };
}

/**
 * Every purchase order of a stored EDI file, as the partner wrote its lines. Envelope errors are
 * not judged here (readInterchange did that when the file came in): this only reads back.
 */
export function sentOrders(bytes: Buffer): SentOrder[] {
  const standard = detectStandard(bytes);
  const out: SentOrder[] = [];
  if (standard === 'x12') {
    const tok = new X12Tokenizer();
    const env = new X12EnvelopeReader();
    const onEvent = (ev: X12Event): void => {
      if (ev.kind === 'transaction' && ev.tx.type === '850') out.push(sentX12(ev.tx));
    };
    for (let i = 0; i < bytes.length; i += CHUNK) for (const s of tok.push(bytes.subarray(i, i + CHUNK))) env.feed(s, onEvent);
    for (const s of tok.end()) env.feed(s, onEvent);
    env.finish(onEvent);
  } else if (standard === 'edifact') {
    const tok = new EdifactTokenizer();
    const env = new EdifactEnvelopeReader();
    const onEvent = (ev: EdifactEvent): void => {
      if (ev.kind === 'message' && (ev.msg.identifier[0] ?? '').trim().toUpperCase() === 'ORDERS') out.push(sentEdifact(ev.msg));
    };
    for (let i = 0; i < bytes.length; i += CHUNK) for (const s of tok.push(bytes.subarray(i, i + CHUNK))) env.feed(s, onEvent);
    for (const s of tok.end()) env.feed(s, onEvent);
    env.finish(onEvent);
  }
  return out;
}

/** The sent order behind a canonical one: same location, else the same PO number when only one has it. */
export function findSent(sent: SentOrder[], order: { poNumber: string | null; provenance?: { location?: string | null } }): SentOrder | null {
  const loc = order.provenance?.location;
  const byLoc = loc ? sent.find((s) => s.location === loc) : undefined;
  if (byLoc) return byLoc;
  const byPo = sent.filter((s) => s.poNumber !== null && s.poNumber === order.poNumber);
  return byPo.length === 1 ? byPo[0]! : null;
}
