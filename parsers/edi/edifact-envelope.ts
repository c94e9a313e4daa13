// EDIFACT envelopes: UNB/UNZ, optional UNG/UNE, UNH/UNT. One message at a time, every count
// and reference pair checked. Errors carry CONTRL syntax error codes (UN/EDIFACT element 0085).
import { sameControlNumber } from './bytes';
import type { EdifactDelimiters, EdifactSegment } from './edifact-tokenizer';
import type { EnvelopeError } from './x12-envelope';

export interface EdifactInterchange {
  syntax: string;
  syntaxVersion: string;
  senderId: string;
  senderQualifier: string;
  recipientId: string;
  recipientQualifier: string;
  date: string;
  time: string;
  control: string;
  ackRequested: boolean;
  test: boolean;
  delimiters: EdifactDelimiters;
  index: number;
}

export interface EdifactGroup {
  id: string;
  control: string;
  index: number;
}

export interface EdifactMessage {
  interchange: EdifactInterchange;
  group: EdifactGroup | null;
  reference: string;
  /** type:version:release:agency[:association], e.g. ORDERS:D:96A:UN:EAN008 */
  identifier: string[];
  segments: EdifactSegment[];
  errors: EnvelopeError[];
}

export type EdifactEvent =
  | { kind: 'interchange-start'; interchange: EdifactInterchange }
  | { kind: 'message'; msg: EdifactMessage }
  | { kind: 'group-end'; group: EdifactGroup; interchange: EdifactInterchange; errors: EnvelopeError[] }
  | { kind: 'interchange-end'; interchange: EdifactInterchange; errors: EnvelopeError[]; trailerMissing: boolean }
  | { kind: 'stray'; segment: EdifactSegment; message: string };

const where = (s: EdifactSegment): string => `segment ${s.index} (${s.tag})`;
const c = (s: EdifactSegment, el: number, comp = 0): string => (s.elements[el]?.[comp] ?? '').trim();

export class EdifactEnvelopeReader {
  private unb: EdifactInterchange | null = null;
  private ung: EdifactGroup | null = null;
  private msg: EdifactMessage | null = null;
  /** UNZ counts groups when there are groups, messages otherwise. */
  private groups = 0;
  private messages = 0;
  private groupMessages = 0;

  feed(s: EdifactSegment, emit: (e: EdifactEvent) => void): void {
    switch (s.tag) {
      case 'UNB': {
        if (this.unb) this.closeInterchange(null, `a new UNB (${where(s)}) starts before the UNZ of interchange ${this.unb.control}`, emit);
        this.unb = {
          syntax: c(s, 1).toUpperCase(),
          syntaxVersion: c(s, 1, 1),
          senderId: c(s, 2),
          senderQualifier: c(s, 2, 1),
          recipientId: c(s, 3),
          recipientQualifier: c(s, 3, 1),
          date: c(s, 4),
          time: c(s, 4, 1),
          control: c(s, 5),
          ackRequested: c(s, 9) === '1',
          test: c(s, 11) === '1',
          delimiters: s.delimiters,
          index: s.index,
        };
        this.groups = 0;
        this.messages = 0;
        emit({ kind: 'interchange-start', interchange: this.unb });
        return;
      }
      case 'UNG': {
        if (!this.unb) return emit({ kind: 'stray', segment: s, message: `${where(s)}: UNG outside an interchange (no UNB before it)` });
        if (this.ung) this.closeGroup(null, `a new UNG (${where(s)}) starts before the UNE of group ${this.ung.control}`, emit);
        this.ung = { id: c(s, 1), control: c(s, 5), index: s.index };
        this.groups++;
        this.groupMessages = 0;
        return;
      }
      case 'UNH': {
        if (!this.unb) return emit({ kind: 'stray', segment: s, message: `${where(s)}: UNH outside an interchange (no UNB before it)` });
        if (this.msg) this.closeMessage(null, `a new UNH (${where(s)}) starts before the UNT of message ${this.msg.reference}`, emit);
        this.messages++;
        this.groupMessages++;
        this.msg = { interchange: this.unb, group: this.ung, reference: c(s, 1), identifier: (s.elements[2] ?? []).map((x) => x.trim()), segments: [s], errors: [] };
        if (!this.msg.reference) this.msg.errors.push({ code: 'EDI_SYNTAX', ackCode: '13', message: `${where(s)}: UNH 0062 (message reference) is missing`, where: where(s) });
        return;
      }
      case 'UNT':
        if (!this.msg) return emit({ kind: 'stray', segment: s, message: `${where(s)}: UNT without a UNH before it` });
        this.msg.segments.push(s);
        this.closeMessage(s, null, emit);
        return;
      case 'UNE':
        if (this.msg) this.closeMessage(null, `message ${this.msg.reference} has no UNT before the UNE (${where(s)})`, emit);
        if (!this.ung) return emit({ kind: 'stray', segment: s, message: `${where(s)}: UNE without a UNG before it` });
        this.closeGroup(s, null, emit);
        return;
      case 'UNZ':
        if (this.msg) this.closeMessage(null, `message ${this.msg.reference} has no UNT before the UNZ (${where(s)})`, emit);
        if (this.ung) this.closeGroup(null, `group ${this.ung.control} has no UNE before the UNZ (${where(s)})`, emit);
        if (!this.unb) return emit({ kind: 'stray', segment: s, message: `${where(s)}: UNZ without a UNB before it` });
        this.closeInterchange(s, null, emit);
        return;
      default:
        if (this.msg) this.msg.segments.push(s);
        else emit({ kind: 'stray', segment: s, message: `${where(s)}: segment outside a message (no UNH before it)` });
    }
  }

  finish(emit: (e: EdifactEvent) => void): void {
    if (this.msg) this.closeMessage(null, `the file ends inside message ${this.msg.reference} (no UNT)`, emit);
    if (this.ung) this.closeGroup(null, `the file ends inside group ${this.ung.control} (no UNE)`, emit);
    if (this.unb) this.closeInterchange(null, `the file ends without a UNZ for interchange ${this.unb.control}`, emit);
  }

  private closeMessage(unt: EdifactSegment | null, missing: string | null, emit: (e: EdifactEvent) => void): void {
    const msg = this.msg!;
    this.msg = null;
    if (!unt) msg.errors.push({ code: 'EDI_ENVELOPE_MISSING_TRAILER', ackCode: '13', message: missing!, where: where(msg.segments[0]!) });
    else {
      const count = c(unt, 1);
      if (!/^\d+$/.test(count) || Number(count) !== msg.segments.length)
        msg.errors.push({ code: 'EDI_ENVELOPE_COUNT', ackCode: '29', message: `UNT says ${count || '(nothing)'} segments but message ${msg.reference} has ${msg.segments.length}`, where: where(unt) });
      if (c(unt, 2) !== msg.reference)
        msg.errors.push({ code: 'EDI_CONTROL_NUMBER_MISMATCH', ackCode: '28', message: `UNT reference ${c(unt, 2) || '(nothing)'} does not match UNH reference ${msg.reference}`, where: where(unt) });
    }
    emit({ kind: 'message', msg });
  }

  private closeGroup(une: EdifactSegment | null, missing: string | null, emit: (e: EdifactEvent) => void): void {
    const g = this.ung!;
    this.ung = null;
    const errors: EnvelopeError[] = [];
    if (!une) errors.push({ code: 'EDI_ENVELOPE_MISSING_TRAILER', ackCode: '13', message: missing!, where: `segment ${g.index} (UNG)` });
    else {
      const count = c(une, 1);
      if (!/^\d+$/.test(count) || Number(count) !== this.groupMessages)
        errors.push({ code: 'EDI_ENVELOPE_COUNT', ackCode: '29', message: `UNE says ${count || '(nothing)'} messages but group ${g.control} has ${this.groupMessages}`, where: where(une) });
      if (!sameControlNumber(c(une, 2), g.control))
        errors.push({ code: 'EDI_CONTROL_NUMBER_MISMATCH', ackCode: '28', message: `UNE reference ${c(une, 2) || '(nothing)'} does not match UNG reference ${g.control}`, where: where(une) });
    }
    emit({ kind: 'group-end', group: g, interchange: this.unb!, errors });
  }

  private closeInterchange(unz: EdifactSegment | null, missing: string | null, emit: (e: EdifactEvent) => void): void {
    const unb = this.unb!;
    this.unb = null;
    const errors: EnvelopeError[] = [];
    if (!unz) errors.push({ code: 'EDI_ENVELOPE_MISSING_TRAILER', ackCode: '13', message: missing!, where: `segment ${unb.index} (UNB)` });
    else {
      const count = c(unz, 1);
      const expected = this.groups > 0 ? this.groups : this.messages;
      if (!/^\d+$/.test(count) || Number(count) !== expected)
        errors.push({ code: 'EDI_ENVELOPE_COUNT', ackCode: '29', message: `UNZ says ${count || '(nothing)'} ${this.groups > 0 ? 'groups' : 'messages'} but interchange ${unb.control} has ${expected}`, where: where(unz) });
      if (c(unz, 2) !== unb.control && !sameControlNumber(c(unz, 2), unb.control))
        errors.push({ code: 'EDI_CONTROL_NUMBER_MISMATCH', ackCode: '28', message: `UNZ reference ${c(unz, 2) || '(nothing)'} does not match UNB reference ${unb.control}`, where: where(unz) });
    }
    emit({ kind: 'interchange-end', interchange: unb, errors, trailerMissing: !unz });
  }
}
