// X12 envelopes: ISA/IEA, GS/GE, ST/SE. Turns the segment stream into one transaction at a time
// and checks every count and control-number pair (numerically: "000000905" is 905). Only the
// current transaction's segments are held in memory.
import { sameControlNumber } from './bytes';
import type { X12Delimiters, X12Segment } from './x12-tokenizer';

export interface X12Interchange {
  control: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  date: string;
  time: string;
  version: string;
  ackRequested: boolean;
  test: boolean;
  delimiters: X12Delimiters;
  index: number;
  line: number;
}

export interface X12Group {
  functionalId: string;
  sender: string;
  receiver: string;
  control: string;
  version: string;
  index: number;
}

/** An envelope error of a transaction set, with its 997 AK5 code (X12 element 718). */
export interface EnvelopeError {
  code: string;
  ackCode: string;
  message: string;
  where: string;
}

export interface X12Transaction {
  interchange: X12Interchange;
  group: X12Group | null;
  type: string;
  control: string;
  /** ST … SE, SE included when present. */
  segments: X12Segment[];
  errors: EnvelopeError[];
}

export type X12Event =
  | { kind: 'interchange-start'; interchange: X12Interchange }
  | { kind: 'transaction'; tx: X12Transaction }
  | { kind: 'group-end'; group: X12Group; interchange: X12Interchange; declared: number | null; received: number; errors: EnvelopeError[] }
  | { kind: 'interchange-end'; interchange: X12Interchange; declared: number | null; groups: number; errors: EnvelopeError[] }
  | { kind: 'ta1'; interchange: X12Interchange | null; segment: X12Segment }
  | { kind: 'stray'; segment: X12Segment; message: string };

const where = (s: X12Segment): string => `segment ${s.index} (${s.tag})`;

/** Feeds segments in, gets events out; call finish() at the end of the file. */
export class X12EnvelopeReader {
  private isa: X12Interchange | null = null;
  private groups = 0;
  private gs: X12Group | null = null;
  private txCount = 0;
  private tx: X12Transaction | null = null;

  feed(s: X12Segment, emit: (e: X12Event) => void): void {
    switch (s.tag) {
      case 'ISA': {
        if (this.isa) this.closeInterchange(null, `a new ISA (${where(s)}) starts before the IEA of interchange ${this.isa.control}`, emit);
        const e = s.elements;
        this.isa = {
          control: (e[13] ?? '').trim(),
          senderQualifier: (e[5] ?? '').trim(),
          senderId: (e[6] ?? '').trim(),
          receiverQualifier: (e[7] ?? '').trim(),
          receiverId: (e[8] ?? '').trim(),
          date: (e[9] ?? '').trim(),
          time: (e[10] ?? '').trim(),
          version: (e[12] ?? '').trim(),
          ackRequested: (e[14] ?? '').trim() === '1',
          test: (e[15] ?? '').trim().toUpperCase() === 'T',
          delimiters: s.delimiters,
          index: s.index,
          line: s.line,
        };
        this.groups = 0;
        emit({ kind: 'interchange-start', interchange: this.isa });
        return;
      }
      case 'ISB':
      case 'ISE':
        return; // optional interchange services: nothing for an order
      case 'TA1':
        emit({ kind: 'ta1', interchange: this.isa, segment: s });
        return;
      case 'GS': {
        if (!this.isa) return emit({ kind: 'stray', segment: s, message: `${where(s)}: GS outside an interchange (no ISA before it)` });
        if (this.gs) this.closeGroup(null, `a new GS (${where(s)}) starts before the GE of group ${this.gs.control}`, emit);
        const e = s.elements;
        this.gs = { functionalId: (e[1] ?? '').trim(), sender: (e[2] ?? '').trim(), receiver: (e[3] ?? '').trim(), control: (e[6] ?? '').trim(), version: (e[8] ?? '').trim(), index: s.index };
        this.groups++;
        this.txCount = 0;
        return;
      }
      case 'ST': {
        if (!this.isa) return emit({ kind: 'stray', segment: s, message: `${where(s)}: ST outside an interchange (no ISA before it)` });
        if (this.tx) this.closeTx(null, `a new ST (${where(s)}) starts before the SE of transaction ${this.tx.control}`, emit);
        this.txCount++;
        const errors: EnvelopeError[] = [];
        if (!this.gs) errors.push({ code: 'EDI_SYNTAX', ackCode: '6', message: `${where(s)}: ST outside a functional group (no GS before it)`, where: where(s) });
        this.tx = { interchange: this.isa, group: this.gs, type: (s.elements[1] ?? '').trim(), control: (s.elements[2] ?? '').trim(), segments: [s], errors };
        if (!this.tx.type) errors.push({ code: 'EDI_SYNTAX', ackCode: '6', message: `${where(s)}: ST01 (transaction set identifier) is missing`, where: where(s) });
        if (!this.tx.control) errors.push({ code: 'EDI_SYNTAX', ackCode: '7', message: `${where(s)}: ST02 (transaction set control number) is missing`, where: where(s) });
        return;
      }
      case 'SE':
        if (!this.tx) return emit({ kind: 'stray', segment: s, message: `${where(s)}: SE without an ST before it` });
        this.tx.segments.push(s);
        this.closeTx(s, null, emit);
        return;
      case 'GE':
        if (this.tx) this.closeTx(null, `transaction ${this.tx.control} has no SE before the GE (${where(s)})`, emit);
        if (!this.gs) return emit({ kind: 'stray', segment: s, message: `${where(s)}: GE without a GS before it` });
        this.closeGroup(s, null, emit);
        return;
      case 'IEA':
        if (this.tx) this.closeTx(null, `transaction ${this.tx.control} has no SE before the IEA (${where(s)})`, emit);
        if (this.gs) this.closeGroup(null, `group ${this.gs.control} has no GE before the IEA (${where(s)})`, emit);
        if (!this.isa) return emit({ kind: 'stray', segment: s, message: `${where(s)}: IEA without an ISA before it` });
        this.closeInterchange(s, null, emit);
        return;
      default:
        if (this.tx) this.tx.segments.push(s);
        else emit({ kind: 'stray', segment: s, message: `${where(s)}: segment outside a transaction set (between ${this.gs ? 'GS and ST' : this.isa ? 'ISA and GS' : 'interchanges'})` });
    }
  }

  finish(emit: (e: X12Event) => void): void {
    if (this.tx) this.closeTx(null, `the file ends inside transaction ${this.tx.control} (no SE)`, emit);
    if (this.gs) this.closeGroup(null, `the file ends inside group ${this.gs.control} (no GE)`, emit);
    if (this.isa) this.closeInterchange(null, `the file ends inside interchange ${this.isa.control} (no IEA)`, emit);
  }

  private closeTx(se: X12Segment | null, missing: string | null, emit: (e: X12Event) => void): void {
    const tx = this.tx!;
    this.tx = null;
    if (!se) tx.errors.push({ code: 'EDI_ENVELOPE_MISSING_TRAILER', ackCode: '2', message: missing!, where: where(tx.segments[0]!) });
    else {
      const count = se.elements[1]?.trim() ?? '';
      if (!/^\d+$/.test(count) || Number(count) !== tx.segments.length)
        tx.errors.push({ code: 'EDI_ENVELOPE_COUNT', ackCode: '4', message: `SE01 says ${count || '(nothing)'} segments but transaction ${tx.control} has ${tx.segments.length}`, where: where(se) });
      const ctl = se.elements[2]?.trim() ?? '';
      if (!sameControlNumber(ctl, tx.control))
        tx.errors.push({ code: 'EDI_CONTROL_NUMBER_MISMATCH', ackCode: '3', message: `SE02 ${ctl || '(nothing)'} does not match ST02 ${tx.control}`, where: where(se) });
    }
    emit({ kind: 'transaction', tx });
  }

  private closeGroup(ge: X12Segment | null, missing: string | null, emit: (e: X12Event) => void): void {
    const gs = this.gs!;
    this.gs = null;
    const errors: EnvelopeError[] = [];
    let declared: number | null = null;
    if (!ge) errors.push({ code: 'EDI_ENVELOPE_MISSING_TRAILER', ackCode: '3', message: missing!, where: `segment ${gs.index} (GS)` });
    else {
      const count = ge.elements[1]?.trim() ?? '';
      declared = /^\d+$/.test(count) ? Number(count) : null;
      if (declared !== this.txCount)
        errors.push({ code: 'EDI_ENVELOPE_COUNT', ackCode: '5', message: `GE01 says ${count || '(nothing)'} transaction sets but group ${gs.control} has ${this.txCount}`, where: where(ge) });
      const ctl = ge.elements[2]?.trim() ?? '';
      if (!sameControlNumber(ctl, gs.control))
        errors.push({ code: 'EDI_CONTROL_NUMBER_MISMATCH', ackCode: '4', message: `GE02 ${ctl || '(nothing)'} does not match GS06 ${gs.control}`, where: where(ge) });
    }
    emit({ kind: 'group-end', group: gs, interchange: this.isa!, declared, received: this.txCount, errors });
  }

  /** Interchange errors carry TA1 note codes (X12 element I18). */
  private closeInterchange(iea: X12Segment | null, missing: string | null, emit: (e: X12Event) => void): void {
    const isa = this.isa!;
    this.isa = null;
    const errors: EnvelopeError[] = [];
    let declared: number | null = null;
    if (!iea) errors.push({ code: 'EDI_ENVELOPE_MISSING_TRAILER', ackCode: '023', message: missing!, where: `segment ${isa.index} (ISA)` });
    else {
      const count = iea.elements[1]?.trim() ?? '';
      declared = /^\d+$/.test(count) ? Number(count) : null;
      if (declared !== this.groups)
        errors.push({ code: 'EDI_ENVELOPE_COUNT', ackCode: '021', message: `IEA01 says ${count || '(nothing)'} functional groups but interchange ${isa.control} has ${this.groups}`, where: where(iea) });
      const ctl = iea.elements[2]?.trim() ?? '';
      if (!sameControlNumber(ctl, isa.control))
        errors.push({ code: 'EDI_CONTROL_NUMBER_MISMATCH', ackCode: '001', message: `IEA02 ${ctl || '(nothing)'} does not match ISA13 ${isa.control}`, where: where(iea) });
    }
    emit({ kind: 'interchange-end', interchange: isa, declared, groups: this.groups, errors });
  }
}
