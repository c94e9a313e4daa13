// Order confirmation to the EDI partner once the order is routed: an 855 (X12) or an ORDRSP
// (EDIFACT), "accepted as sent" or line by line when a line was changed since the partner sent it
// or names an item we do not know. Written to the partner's outbox (its SFTP drop) and always
// kept in the data folder. Called again when the ADV enters or rejects the order: if what we tell
// the partner changed since (a corrected quantity or price, a rejection), a change follows (855
// BAK01 04; ORDRSP with its new function); if not, nothing is sent twice. A retried activity sends
// the same bytes.
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../storage/atomic';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Order } from '../../domain/order';
import type { DocumentStore } from '../../storage/document-store';
import type { OrderState } from '../../domain/order-model';
import { build855, buildOrdrsp, type LineDecision } from '../../parsers/edi/acks';
import { findSent, sentOrders } from '../../parsers/edi/echo';
import { readInterchange } from '../../parsers/edi/index';
import { partnerBySender, type Partner } from './partners';
import type { SeenStore, ConfirmationRecord } from '../../storage/edi-records';
import { partnerFolder } from './folder';

export interface ConfirmDeps {
  partners: Partner[];
  store: DocumentStore;
  seen: SeenStore;
  dataDir: string;
  log: Logger;
  now?: () => Date;
}

/**
 * What we tell the partner about each line it sent. A line whose item is still unknown cannot be
 * delivered as ordered (rejected); a quantity or price corrected by the ADV is a change.
 */
export function lineDecisions(sent: Order, current: Order, orderRejected = false): LineDecision[] {
  return sent.lines.map((line) => {
    const now = current.lines.find((l) => l.lineNumber === line.lineNumber);
    if (orderRejected || !now || now.sku === null) return { lineNumber: line.lineNumber, status: 'rejected' };
    const qty = now.quantity !== line.quantity ? now.quantity : null;
    const price = now.unitPrice !== line.unitPrice ? now.unitPrice : null;
    if (qty !== null || price !== null || (line.sku !== null && now.sku !== line.sku)) return { lineNumber: line.lineNumber, status: 'changed', quantity: qty ?? line.quantity, unitPrice: price ?? line.unitPrice };
    return { lineNumber: line.lineNumber, status: 'accepted' };
  });
}

/** 004010 → ISA12 00401. */
const isaVersion = (v: string): string => (/^\d{6}$/.test(v) ? v.slice(0, 5) : '00401');

async function writeAtomic(dir: string, name: string, bytes: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFileAtomic(path, bytes);
  return path;
}

export function createConfirmer(deps: ConfirmDeps): (state: OrderState) => Promise<void> {
  const now = deps.now ?? (() => new Date());

  async function deliver(partner: Partner, c: ConfirmationRecord): Promise<void> {
    await writeAtomic(join(deps.dataDir, 'edi', 'confirmations'), c.fileName, c.bytes);
    if (!partner.transport.folder) return;
    const outbox = partnerFolder(deps.dataDir, partner.transport.folder.outbox);
    try {
      await writeAtomic(outbox, c.fileName, c.bytes);
    } catch (e) {
      // The order workflow waits on this activity: an unusable outbox must not hold the order up.
      // The confirmation is kept in the data folder, to be sent again once the outbox is fixed.
      deps.log.error({ orderId: c.orderId, partner: partner.id, outbox, error: (e as Error).message, kept: join(deps.dataDir, 'edi', 'confirmations', c.fileName) }, 'EDI confirmation not written to the partner outbox');
    }
  }

  return async function confirmOrder(state: OrderState): Promise<void> {
    const doc = state.documents.find((d) => d.channel === 'edi' && d.role === 'original') ?? state.documents.find((d) => d.channel === 'edi');
    if (!doc) return;
    const meta = await deps.store.meta(doc.sha256);
    const bytes = await deps.store.bytes(doc.sha256);
    const read = readInterchange(bytes, { partners: deps.partners });
    const first = read.interchanges[0];
    const partner = deps.partners.find((p) => p.id === meta.context?.partner) ?? (first ? partnerBySender(deps.partners, first.standard, first.sender) : undefined);
    if (!partner || !first) {
      deps.log.info({ orderId: state.orderId, sha256: doc.sha256 }, 'EDI order from no configured partner: no confirmation');
      return;
    }
    if (!partner.acknowledge.confirmation) return;

    const { extracted } = await deps.store.result<{ extracted: { order: Order }[] }>(doc.sha256);
    const sent = extracted[doc.index]?.order;
    if (!sent) throw new Error(`document ${doc.sha256} has no order #${doc.index}: cannot confirm ${state.orderId}`);
    const decisions = lineDecisions(sent, state.order, state.status === 'rejected');
    const told = JSON.stringify(decisions);
    const existing = deps.seen.confirmation(state.orderId);
    // Nothing new to tell: a retry of the activity that made the confirmation (made after the state's
    // last event) delivers it again, in case the first try failed; a later call (entered as
    // confirmed) sends nothing. A confirmation kept from before decisions were recorded counts as
    // telling what it told.
    if (existing && (existing.decisions === null || existing.decisions === told)) {
      const lastEvent = Date.parse((state.history ?? []).at(-1)?.at ?? '');
      if (!(Date.parse(existing.createdAt) < lastEvent)) return deliver(partner, existing);
      return;
    }
    const seq = (existing?.seq ?? 0) + 1;
    // The partner's own unit codes, item identifiers and message version, read again from its file.
    const asSent = findSent(sentOrders(bytes), sent);
    if (!asSent) deps.log.warn({ orderId: state.orderId, sha256: doc.sha256 }, 'EDI order not found again in its document: confirmed in catalog terms');
    const control = deps.seen.reserveControlNumbers(partner.id, 1);
    const at = now();
    const { kind, text } = confirmationText(first, partner, sent, decisions, asSent, control, at, seq);
    const safeId = state.orderId.replace(/[^\w.-]+/g, '_');
    const rec = deps.seen.recordConfirmation({
      orderId: state.orderId,
      seq,
      decisions: told,
      partnerId: partner.id,
      kind,
      controlNumber: control,
      fileName: `${kind.toLowerCase()}-${safeId}-${String(control).padStart(9, '0')}.edi`,
      bytes: Buffer.from(text, kind === '855' ? 'utf8' : 'latin1'),
      createdAt: at.toISOString(),
    });
    await deliver(partner, rec);
    deps.log.info({ orderId: state.orderId, partner: partner.id, kind, seq: rec.seq, controlNumber: rec.controlNumber, lines: decisions.map((d) => d.status) }, rec.seq > 1 ? 'change of the order confirmation sent to the EDI partner' : 'order confirmed to the EDI partner');
  };
}

/** The confirmation itself: an 855 (X12; a change is BAK01 04) or an ORDRSP (EDIFACT; its sequence number says which change). */
function confirmationText(
  first: ReadInterchange['interchanges'][number],
  partner: Partner,
  sent: Order,
  decisions: ReturnType<typeof lineDecisions>,
  asSent: ReturnType<typeof findSent>,
  control: number,
  at: Date,
  seq: number,
): { kind: ConfirmationRecord['kind']; text: string } {
  if (first.standard === 'x12') {
    return { kind: '855', text: build855(sent, decisions, {
      senderQualifier: first.receiver.qualifier,
      senderId: first.receiver.id,
      receiverQualifier: first.sender.qualifier,
      receiverId: first.sender.id,
      version: isaVersion(partner.version),
      gsVersion: /^\d{6}$/.test(partner.version) ? partner.version : undefined,
      controlNumber: control,
      now: at,
      test: false,
    }, asSent, seq > 1 ? '04' : '00') };
  } else {
    return { kind: 'ORDRSP', text: buildOrdrsp(sent, decisions, {
      syntax: 'UNOC',
      syntaxVersion: '3',
      senderId: first.receiver.id,
      senderQualifier: first.receiver.qualifier,
      recipientId: first.sender.id,
      recipientQualifier: first.sender.qualifier,
      controlRef: String(control),
      now: at,
      test: false,
    }, String(seq), asSent, partner.version) };
  }
}

type ReadInterchange = ReturnType<typeof readInterchange>;
