// One EDI file in, everything we owe the partner out: the purchase orders (as drafts), the
// problems met (each saying where), and the acknowledgments to send back. X12 and EDIFACT,
// read one transaction/message at a time; push() accepts chunks so a file can be streamed.
import { problem, type Problem } from '../../domain/order';
import type { DraftOrder } from '../../domain/resolve';
import { buildContrl, build997, groupRejected, groupStatus, buildTa1, replyEdifactEnvelope, replyEnvelope, type AckStatus, type GroupAck, type MessageAck, type TransactionAck } from './acks';
import { EdifactEnvelopeReader, type EdifactEvent, type EdifactInterchange, type EdifactMessage } from './edifact-envelope';
import { mapEdifactOrder } from './edifact-orders';
import { EdifactTokenizer } from './edifact-tokenizer';
import { mapX12Order } from './x12-850';
import { X12EnvelopeReader, type X12Event, type X12Interchange, type X12Transaction } from './x12-envelope';
import { X12Tokenizer, type TokenProblem } from './x12-tokenizer';
import { detectStandard } from '../sniff';

export type AckKind = 'TA1' | '997' | 'CONTRL';

export interface Ack {
  kind: AckKind;
  /** The interchange acknowledged (ISA13 / UNB 0020). */
  acknowledges: string;
  /** A accepted, E accepted with errors, P partly, R rejected (CONTRL: 7 → A, 4 → R). */
  status: 'A' | 'E' | 'P' | 'R';
  bytes: Buffer;
}

/** What readInterchange needs to know of a partner (channels/edi/partners.ts loads the full configuration). */
export interface PartnerAckPolicy {
  id: string;
  x12?: { qualifier: string; id: string } | null;
  edifact?: { id: string; qualifier?: string | null } | null;
  acknowledge: {
    /** 997 / CONTRL for every interchange (otherwise only when asked for in UNB, or on errors). */
    functional: boolean;
    /** TA1: always, only when ISA14 = 1 or the envelope is broken ('requested'), or never. */
    ta1: 'always' | 'requested' | 'never';
    /** CONTRL: 'receipt' answers a sound interchange with UCI action 8 only; 'detail' adds a UCM per message. */
    contrl?: 'receipt' | 'detail';
  };
}

export interface InterchangeSummary {
  standard: 'x12' | 'edifact';
  controlNumber: string;
  sender: { qualifier: string; id: string };
  receiver: { qualifier: string; id: string };
  test: boolean;
  partnerId: string | null;
  /** Only acknowledgments inside (997, 999, TA1, CONTRL): never acknowledged, never an order. */
  acknowledgmentOnly: boolean;
  rejected: boolean;
  /** Same sender and control number as an interchange already received: no new order, no new acknowledgment. */
  duplicate: boolean;
  /** A control number already received with other content: rejected (TA1 025 / CONTRL 26), never an order. */
  reused?: boolean;
  orders: number;
}

export interface InterchangeResult {
  standard: 'x12' | 'edifact' | null;
  orders: DraftOrder[];
  problems: Problem[];
  acks: Ack[];
  /** The first interchange's control number, sender and test flag (most files hold one). */
  controlNumber: string | null;
  sender: { qualifier: string; id: string } | null;
  test: boolean;
  interchanges: InterchangeSummary[];
}

export interface ReadOptions {
  partners?: PartnerAckPolicy[];
  now?: Date;
  /** Control number of the first acknowledgment interchange; default: the number acknowledged. */
  controlNumber?: number;
  /**
   * Streaming: each order is handed over as soon as its transaction/message is complete, instead
   * of being kept until its interchange is known to be sound. A later envelope error that rejects
   * its group or interchange is then reported through onRejected, for the caller to drop them.
   */
  onOrder?: (draft: DraftOrder) => void;
  onRejected?: (what: { interchange: string; group?: string }) => void;
  /**
   * Whether an interchange was received before (channels/edi/duplicates.ts: same partner, same control
   * number, within 30 days). Repeats inside the same file are always duplicates.
   */
  isDuplicate?: (i: { standard: 'x12' | 'edifact'; sender: { qualifier: string; id: string }; controlNumber: string }) => boolean | ReusedControlNumber;
}

/** The control number was received before with other content: what to say of that first receipt. */
export interface ReusedControlNumber {
  firstReceipt: string;
}

const ACK_TYPES = new Set(['997', '999', 'TA1']);
const CHUNK = 1 << 20;

function fromToken(t: TokenProblem): Problem {
  return problem(t.code, t.message, t.severity, t.where);
}

abstract class Reader {
  readonly problems: Problem[] = [];
  readonly acks: Ack[] = [];
  readonly orders: DraftOrder[] = [];
  readonly interchanges: InterchangeSummary[] = [];
  protected ackCounter = 0;
  private seenHere = new Set<string>();
  constructor(protected opts: ReadOptions) {}
  protected now(): Date {
    return this.opts.now ?? new Date();
  }
  protected nextControl(received: string): number {
    const base = this.opts.controlNumber ?? (/^\d{1,9}$/.test(received.trim()) ? Number(received) : 1);
    return ((base + this.ackCounter++ - 1) % 999_999_999) + 1;
  }
  protected emit(drafts: DraftOrder[]): void {
    this.orders.push(...drafts);
  }
  protected partnerFor(standard: 'x12' | 'edifact', qualifier: string, id: string): PartnerAckPolicy | null {
    const ps = this.opts.partners;
    if (!ps) return null;
    const found =
      standard === 'x12'
        ? ps.find((p) => p.x12 && p.x12.id.trim().toUpperCase() === id.toUpperCase() && (!p.x12.qualifier || p.x12.qualifier === qualifier))
        : ps.find((p) => p.edifact && p.edifact.id.trim() === id && (!p.edifact.qualifier || p.edifact.qualifier === qualifier));
    if (!found) this.problems.push(problem('EDI_UNKNOWN_PARTNER', `sender ${qualifier ? `${qualifier}:` : ''}${id} is not a configured trading partner`, 'warning', standard === 'x12' ? 'ISA06' : 'UNB 0004'));
    return found ?? null;
  }
  /**
   * 'duplicate' (and reported) when this interchange was already received: its orders are not new;
   * 'reused' when its control number came before with other content: rejected, reported as an error.
   */
  protected duplicate(standard: 'x12' | 'edifact', sender: { qualifier: string; id: string }, controlNumber: string, where: string): false | 'duplicate' | 'reused' {
    const key = `${standard}|${sender.qualifier}|${sender.id.toUpperCase()}|${/^\d+$/.test(controlNumber) ? BigInt(controlNumber).toString() : controlNumber}`;
    const seen = this.seenHere.has(key) || (this.opts.isDuplicate?.({ standard, sender, controlNumber }) ?? false);
    this.seenHere.add(key);
    const from = `${sender.qualifier ? `${sender.qualifier}:` : ''}${sender.id}`;
    if (typeof seen === 'object') {
      this.problems.push(
        problem(
          'EDI_CONTROL_NUMBER_REUSED',
          `interchange ${controlNumber} from ${from} reuses a control number first received ${seen.firstReceipt}, with other content: not processed, rejected to the partner (${standard === 'x12' ? 'TA1 025' : 'CONTRL 26'}); ask them to send it again under a new control number`,
          'error',
          where,
        ),
      );
      return 'reused';
    }
    if (seen)
      this.problems.push(
        problem('EDI_DUPLICATE_INTERCHANGE', `interchange ${controlNumber} from ${from} was already received: not a new order, the earlier acknowledgment stands`, 'warning', where),
      );
    return seen ? 'duplicate' : false;
  }
  get streaming(): boolean {
    return Boolean(this.opts.onOrder);
  }
  abstract push(chunk: Buffer): void;
  abstract end(): void;
}

interface X12State {
  isa: X12Interchange;
  groups: GroupAck[];
  drafts: DraftOrder[];
  groupDrafts: DraftOrder[];
  orderCount: number;
  groupOrderCount: number;
  current: GroupAck | null;
  ackOnly: boolean;
  hasGroups: boolean;
  sawTa1: boolean;
  notes: { status: AckStatus; code: string }[];
}

class X12Reader extends Reader {
  private tok = new X12Tokenizer();
  private env = new X12EnvelopeReader();
  private st: X12State | null = null;
  private tokSeen = 0;

  private readonly onEvent = (e: X12Event): void => this.on(e);

  push(chunk: Buffer): void {
    for (const s of this.tok.push(chunk)) this.env.feed(s, this.onEvent);
    this.flushTokenProblems();
  }
  end(): void {
    for (const s of this.tok.end()) this.env.feed(s, this.onEvent);
    this.env.finish(this.onEvent);
    this.flushTokenProblems();
  }
  private flushTokenProblems(): void {
    while (this.tokSeen < this.tok.problems.length) this.problems.push(fromToken(this.tok.problems[this.tokSeen++]!));
  }

  private on(e: X12Event): void {
    switch (e.kind) {
      case 'interchange-start':
        this.st = { isa: e.interchange, groups: [], drafts: [], groupDrafts: [], orderCount: 0, groupOrderCount: 0, current: null, ackOnly: true, hasGroups: false, sawTa1: false, notes: [] };
        return;
      case 'ta1':
        if (this.st) this.st.sawTa1 = true; // an acknowledgment of ours: never acknowledged
        return;
      case 'stray':
        this.problems.push(problem('EDI_SYNTAX', e.message, 'error', `segment ${e.segment.index} (${e.segment.tag})`));
        if (this.st) this.st.notes.push({ status: 'E', code: '024' });
        return;
      case 'transaction':
        return this.onTransaction(e.tx);
      case 'group-end': {
        const st = this.st;
        if (!st) return;
        const g = this.groupOf(st, e.group.functionalId, e.group.control, e.group.version);
        g.declared = e.declared;
        g.codes = e.errors.map((x) => x.ackCode);
        const rejected = groupRejected(g);
        for (const err of e.errors) {
          const tolerated = err.code === 'EDI_ENVELOPE_MISSING_TRAILER';
          this.problems.push(problem(err.code, `group ${e.group.control}: ${err.message}${tolerated ? '' : '; the group is rejected'}`, tolerated ? 'warning' : 'error', err.where));
        }
        if (!rejected) {
          st.drafts.push(...st.groupDrafts);
          st.orderCount += st.groupOrderCount;
        } else this.opts.onRejected?.({ interchange: st.isa.control, group: e.group.control });
        st.groupDrafts = [];
        st.groupOrderCount = 0;
        st.current = null;
        return;
      }
      case 'interchange-end':
        return this.onInterchangeEnd(e.interchange, e.errors);
    }
  }

  private groupOf(st: X12State, functionalId: string, control: string, version: string): GroupAck {
    if (!st.current || st.current.control !== control) {
      st.current = { functionalId, control, version, declared: null, transactions: [], codes: [] };
      st.hasGroups = true;
      if (functionalId !== 'FA') st.ackOnly = false;
      if (functionalId !== 'FA') st.groups.push(st.current);
    }
    return st.current;
  }

  private onTransaction(tx: X12Transaction): void {
    const st = this.st;
    if (!st) return;
    const g = this.groupOf(st, tx.group?.functionalId ?? '', tx.group?.control ?? '', tx.group?.version ?? '');
    if (ACK_TYPES.has(tx.type)) return; // acknowledgments are never acknowledged
    st.ackOnly = false;
    const ack: TransactionAck = { type: tx.type, control: tx.control, status: 'A', codes: [], segmentErrors: [] };
    g.transactions.push(ack);
    if (tx.errors.length) {
      ack.status = 'R';
      ack.codes = tx.errors.map((x) => x.ackCode);
      for (const err of tx.errors) this.problems.push(problem(err.code, `transaction ${tx.control}: ${err.message}; the transaction is rejected`, 'error', err.where));
      return;
    }
    if (tx.type !== '850') {
      ack.status = 'R';
      ack.codes = ['1'];
      this.problems.push(problem('EDI_NOT_AN_ORDER', `transaction ${tx.control} is a ${tx.type}, not an 850 purchase order: not read`, 'error', `segment ${tx.segments[0]!.index} (ST)`));
      return;
    }
    const m = mapX12Order(tx);
    this.problems.push(...m.problems);
    ack.segmentErrors = m.segmentErrors;
    if (m.rejected || !m.draft) {
      ack.status = 'R';
      ack.codes = ['5'];
      return;
    }
    if (m.segmentErrors.length) {
      ack.status = 'E';
      ack.codes = ['5'];
    }
    st.groupOrderCount++;
    if (this.streaming) this.opts.onOrder!(m.draft);
    else st.groupDrafts.push(m.draft);
  }

  private onInterchangeEnd(isa: X12Interchange, errors: { code: string; ackCode: string; message: string; where: string }[]): void {
    const st = this.st!;
    this.st = null;
    const partner = this.partnerFor('x12', isa.senderQualifier, isa.senderId);
    const rejecting = errors.filter((e) => e.code !== 'EDI_ENVELOPE_MISSING_TRAILER');
    for (const err of errors)
      this.problems.push(problem(err.code, `interchange ${isa.control}: ${err.message}${rejecting.includes(err) ? '; the interchange is rejected' : ''}`, rejecting.includes(err) ? 'error' : 'warning', err.where));
    const rejected = rejecting.length > 0;
    const seen = !rejected && !st.ackOnly && this.duplicate('x12', { qualifier: isa.senderQualifier, id: isa.senderId }, isa.control, `segment ${isa.index} (ISA)`);
    const duplicate = seen === 'duplicate';
    const reused = seen === 'reused';
    const summary: InterchangeSummary = {
      duplicate, reused,
      standard: 'x12', controlNumber: isa.control, sender: { qualifier: isa.senderQualifier, id: isa.senderId }, receiver: { qualifier: isa.receiverQualifier, id: isa.receiverId },
      test: isa.test, partnerId: partner?.id ?? null, acknowledgmentOnly: st.ackOnly && (st.hasGroups || st.sawTa1), rejected: rejected || reused, orders: rejected || seen ? 0 : st.orderCount,
    };
    this.interchanges.push(summary);
    if (summary.acknowledgmentOnly) {
      this.problems.push(problem('EDI_ACKNOWLEDGMENT_RECEIVED', `interchange ${isa.control} holds only acknowledgments (997/999/TA1): nothing to order, nothing to acknowledge`, 'info', `segment ${isa.index} (ISA)`));
      return;
    }
    if (duplicate) {
      if (st.orderCount > 0) this.opts.onRejected?.({ interchange: isa.control });
      return;
    }
    const ta1Policy = partner?.acknowledge.ta1 ?? 'requested';
    if (reused) {
      if (st.orderCount > 0) this.opts.onRejected?.({ interchange: isa.control });
      // TA1 R 025 "duplicate interchange control number": the standard's answer, which the partner's
      // translator understands as "not processed, resend under a new number". Re-sending the first
      // acknowledgment instead would tell them this content was taken, and it was not.
      if (ta1Policy !== 'never') {
        const env = replyEnvelope(isa, this.nextControl(isa.control), this.now());
        this.acks.push({ kind: 'TA1', acknowledges: isa.control, status: 'R', bytes: Buffer.from(buildTa1(isa, 'R', '025', env), 'utf8') });
      }
      return;
    }
    if (!rejected) this.emit(st.drafts);
    else if (st.orderCount > 0) this.opts.onRejected?.({ interchange: isa.control });
    const now = this.now();
    // TA1: on request, on a broken envelope, or always if the partner wants it.
    const notes = [...rejecting.map((e) => ({ status: 'R' as AckStatus, code: e.ackCode })), ...errors.filter((e) => !rejecting.includes(e)).map((e) => ({ status: 'E' as AckStatus, code: e.ackCode })), ...st.notes];
    if (ta1Policy !== 'never' && (isa.ackRequested || notes.length > 0 || ta1Policy === 'always')) {
      const worst = notes.find((n) => n.status === 'R') ?? notes[0] ?? { status: 'A' as AckStatus, code: '000' };
      const env = replyEnvelope(isa, this.nextControl(isa.control), now);
      this.acks.push({ kind: 'TA1', acknowledges: isa.control, status: worst.status, bytes: Buffer.from(buildTa1(isa, worst.status, worst.code, env), 'utf8') });
    }
    if (rejected || st.groups.length === 0 || (partner && !partner.acknowledge.functional)) return;
    const env = replyEnvelope(isa, this.nextControl(isa.control), now);
    const ackBytes = build997(st.groups, env);
    const statuses = st.groups.map(groupStatus);
    const status = statuses.every((s) => s === 'A') ? 'A' : statuses.every((s) => s === 'R') ? 'R' : statuses.some((s) => s === 'R' || s === 'P') ? 'P' : 'E';
    this.acks.push({ kind: '997', acknowledges: isa.control, status, bytes: Buffer.from(ackBytes, 'utf8') });
  }
}

interface EdifactState {
  unb: EdifactInterchange;
  messages: MessageAck[];
  drafts: DraftOrder[];
  orderCount: number;
  groupOrderStart: number;
  ackOnly: boolean;
  any: boolean;
  groupStart: number;
  groupDraftStart: number;
  errors: boolean;
}

class EdifactReader extends Reader {
  private tok = new EdifactTokenizer();
  private env = new EdifactEnvelopeReader();
  private st: EdifactState | null = null;
  private tokSeen = 0;

  private readonly onEvent = (e: EdifactEvent): void => this.on(e);

  push(chunk: Buffer): void {
    for (const s of this.tok.push(chunk)) this.env.feed(s, this.onEvent);
    this.flush();
  }
  end(): void {
    for (const s of this.tok.end()) this.env.feed(s, this.onEvent);
    this.env.finish(this.onEvent);
    this.flush();
  }
  private flush(): void {
    while (this.tokSeen < this.tok.problems.length) this.problems.push(fromToken(this.tok.problems[this.tokSeen++]!));
  }

  private on(e: EdifactEvent): void {
    switch (e.kind) {
      case 'interchange-start':
        this.st = { unb: e.interchange, messages: [], drafts: [], orderCount: 0, groupOrderStart: 0, ackOnly: true, any: false, groupStart: 0, groupDraftStart: 0, errors: false };
        return;
      case 'stray':
        this.problems.push(problem('EDI_SYNTAX', e.message, 'error', `segment ${e.segment.index} (${e.segment.tag})`));
        if (this.st) this.st.errors = true;
        return;
      case 'message':
        return this.onMessage(e.msg);
      case 'group-end': {
        const st = this.st;
        if (!st) return;
        if (e.errors.length) {
          for (const err of e.errors) this.problems.push(problem(err.code, `group ${e.group.control}: ${err.message}; the group is rejected`, 'error', err.where));
          for (const m of st.messages.slice(st.groupStart)) if (m.action === '7') Object.assign(m, { action: '4', error: e.errors[0]!.ackCode });
          st.drafts.length = st.groupDraftStart;
          st.orderCount = st.groupOrderStart;
          this.opts.onRejected?.({ interchange: st.unb.control, group: e.group.control });
        }
        st.groupStart = st.messages.length;
        st.groupDraftStart = st.drafts.length;
        st.groupOrderStart = st.orderCount;
        return;
      }
      case 'interchange-end':
        return this.onInterchangeEnd(e.interchange, e.errors);
    }
  }

  private onMessage(msg: EdifactMessage): void {
    const st = this.st;
    if (!st) return;
    st.any = true;
    const type = (msg.identifier[0] ?? '').toUpperCase();
    if (type === 'CONTRL') return; // acknowledgments are never acknowledged
    st.ackOnly = false;
    const ack: MessageAck = { reference: msg.reference, identifier: msg.identifier, action: '7', error: null, segmentErrors: [] };
    st.messages.push(ack);
    if (msg.errors.length) {
      ack.action = '4';
      ack.error = msg.errors[0]!.ackCode;
      for (const err of msg.errors) this.problems.push(problem(err.code, `message ${msg.reference}: ${err.message}; the message is rejected`, 'error', err.where));
      return;
    }
    if (type !== 'ORDERS') {
      ack.action = '4';
      ack.error = '17'; // no agreement: we accept purchase orders only
      this.problems.push(problem('EDI_NOT_AN_ORDER', `message ${msg.reference} is a ${type || 'message of unknown type'}, not an ORDERS purchase order: not read`, 'error', `segment ${msg.segments[0]!.index} (UNH)`));
      return;
    }
    const m = mapEdifactOrder(msg);
    this.problems.push(...m.problems);
    ack.segmentErrors = m.segmentErrors;
    if (m.rejected || !m.draft) {
      ack.action = '4';
      ack.error = m.segmentErrors[0]?.code ?? '12';
      return;
    }
    st.orderCount++;
    if (this.streaming) this.opts.onOrder!(m.draft);
    else st.drafts.push(m.draft);
  }

  private onInterchangeEnd(unb: EdifactInterchange, errors: { code: string; ackCode: string; message: string; where: string }[]): void {
    const st = this.st!;
    this.st = null;
    const partner = this.partnerFor('edifact', unb.senderQualifier, unb.senderId);
    const rejecting = errors.filter((e) => e.code !== 'EDI_ENVELOPE_MISSING_TRAILER');
    for (const err of errors)
      this.problems.push(problem(err.code, `interchange ${unb.control}: ${err.message}${rejecting.includes(err) ? '; the interchange is rejected' : ''}`, rejecting.includes(err) ? 'error' : 'warning', err.where));
    const rejected = rejecting.length > 0;
    const ackOnly = st.any && st.ackOnly;
    const seen = !rejected && !ackOnly && this.duplicate('edifact', { qualifier: unb.senderQualifier, id: unb.senderId }, unb.control, `segment ${unb.index} (UNB)`);
    const duplicate = seen === 'duplicate';
    const reused = seen === 'reused';
    this.interchanges.push({
      duplicate, reused,
      standard: 'edifact', controlNumber: unb.control, sender: { qualifier: unb.senderQualifier, id: unb.senderId }, receiver: { qualifier: unb.recipientQualifier, id: unb.recipientId },
      test: unb.test, partnerId: partner?.id ?? null, acknowledgmentOnly: ackOnly, rejected: rejected || reused, orders: rejected || seen ? 0 : st.orderCount,
    });
    if (ackOnly) {
      this.problems.push(problem('EDI_ACKNOWLEDGMENT_RECEIVED', `interchange ${unb.control} holds only CONTRL acknowledgments: nothing to order, nothing to acknowledge`, 'info', `segment ${unb.index} (UNB)`));
      return;
    }
    if (duplicate) {
      if (st.orderCount > 0) this.opts.onRejected?.({ interchange: unb.control });
      return;
    }
    if (reused) {
      if (st.orderCount > 0) this.opts.onRejected?.({ interchange: unb.control });
      // CONTRL UCI action 4 (rejected), syntax error 26 "duplicate detected": as TA1 025 in X12.
      const env = replyEdifactEnvelope(unb, String(this.nextControl(unb.control)), this.now());
      const bytes = buildContrl({ interchange: unb, action: '4', error: '26', messages: [] }, env);
      this.acks.push({ kind: 'CONTRL', acknowledges: unb.control, status: 'R', bytes: Buffer.from(bytes, 'latin1') });
      return;
    }
    if (!rejected) this.emit(st.drafts);
    else if (st.orderCount > 0) this.opts.onRejected?.({ interchange: unb.control });
    const negative = errors.length > 0 || st.errors || st.messages.some((m) => m.action === '4' || m.segmentErrors.length > 0);
    if (!(unb.ackRequested || negative || partner?.acknowledge.functional)) return;
    const receiptOnly = !negative && partner?.acknowledge.contrl === 'receipt';
    const action = rejected ? '4' : receiptOnly ? '8' : '7';
    const env = replyEdifactEnvelope(unb, String(this.nextControl(unb.control)), this.now());
    const bytes = buildContrl({ interchange: unb, action, error: rejected ? rejecting[0]!.ackCode : null, messages: st.messages }, env);
    const status = rejected || (st.messages.length > 0 && st.messages.every((m) => m.action === '4')) ? 'R' : st.messages.some((m) => m.action === '4') ? 'P' : negative ? 'E' : 'A';
    this.acks.push({ kind: 'CONTRL', acknowledges: unb.control, status, bytes: Buffer.from(bytes, 'latin1') });
  }
}

/** A reader that takes the file chunk by chunk (for large files and the benchmark). */
export function createInterchangeReader(standard: 'x12' | 'edifact', opts: ReadOptions = {}): { push(chunk: Buffer): void; end(): InterchangeResult } {
  const r: Reader = standard === 'x12' ? new X12Reader(opts) : new EdifactReader(opts);
  return {
    push: (chunk) => r.push(chunk),
    end: () => {
      r.end();
      return resultOf(standard, r);
    },
  };
}

function resultOf(standard: 'x12' | 'edifact' | null, r: Reader | null, extra: Problem[] = []): InterchangeResult {
  const first = r?.interchanges[0];
  const problems = [...extra, ...(r?.problems ?? [])];
  if (r && r.orders.length === 0 && !r.streaming && !problems.some((p) => p.severity === 'error' || p.code === 'EDI_ACKNOWLEDGMENT_RECEIVED'))
    problems.push(problem('EDI_NOT_AN_ORDER', 'the file holds no purchase order (X12 850 or EDIFACT ORDERS)', 'error', null));
  return {
    standard,
    orders: r?.orders ?? [],
    problems,
    acks: r?.acks ?? [],
    controlNumber: first?.controlNumber ?? null,
    sender: first?.sender ?? null,
    test: first?.test ?? false,
    interchanges: r?.interchanges ?? [],
  };
}

/** Reads a whole EDI file (X12 or EDIFACT, any number of interchanges). Never throws on bad input. */
export function readInterchange(bytes: Buffer, opts: ReadOptions = {}): InterchangeResult {
  const standard = detectStandard(bytes);
  if (!standard) {
    return resultOf(null, null, [problem('EDI_SYNTAX', 'not an EDI interchange: an X12 file starts with ISA, an EDIFACT file with UNA or UNB', 'error', 'byte 0')]);
  }
  const r = standard === 'x12' ? new X12Reader(opts) : new EdifactReader(opts);
  // Slices of 1 MiB keep the tokenizer's working strings small even for a very large file.
  for (let i = 0; i < bytes.length; i += CHUNK) r.push(bytes.subarray(i, i + CHUNK));
  r.end();
  return resultOf(standard, r);
}
