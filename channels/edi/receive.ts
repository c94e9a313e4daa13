// Taking one EDI file from an authenticated partner (HTTP POST or its SFTP drop folder): read it,
// answer it (TA1 / 997 / CONTRL), apply the 30-day duplicate rule, and hand it to the pipeline.
// Nothing is ever lost: a broken interchange is acknowledged negatively and still ingested (the
// pipeline quarantines it with its reason); what is not ingested (a re-sent interchange, an
// acknowledgment from the partner, a file claiming another sender) is kept in the data folder.
import { sha256 as documentSha256 } from '../../parsers/index';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../storage/atomic';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { problem, type Problem } from '../../domain/order';
import { readInterchange, REUSED_CONTROL_NUMBERS, type Ack } from '../../parsers/edi/index';
import { sameControlNumber } from '../../parsers/edi/bytes';
import type { Submission } from '../../intake/submit';
import { partnerBySender, type Partner } from './partners';
import type { SeenStore, SeenRecord } from '../../storage/edi-records';
import type { SeenInterchange } from './duplicates';

export type ReceiptOutcome =
  /** New interchange(s): ingested, acknowledged. Rejected ones too (negative acknowledgment, quarantined by the pipeline). */
  | 'accepted'
  /** Same partner and control number within 30 days: not ingested again, the earlier acknowledgment re-sent. */
  | 'duplicate'
  /** A control number used within 30 days with other bytes: rejected (TA1 025 / CONTRL 26), ingested and quarantined. */
  | 'control-number-reused'
  /** Only 997 / TA1 / CONTRL inside: kept, never acknowledged. */
  | 'acknowledgment-received'
  /** Not an EDI interchange we can answer (no readable envelope): ingested (→ quarantine), no acknowledgment possible. */
  | 'unreadable'
  /** The envelope names a sender that is not the authenticated partner: refused, kept aside. */
  | 'wrong-sender';

export interface Receipt {
  outcome: ReceiptOutcome;
  standard: 'x12' | 'edifact' | null;
  controlNumber: string | null;
  /** The acknowledgments to send back, in order (empty when none is owed). */
  acks: { kind: string; status: string; acknowledges: string; bytes: Buffer }[];
  /** sha256 of the document (in the document store when ingested). */
  sha256: string;
  /** Where the file was kept when it was not ingested. */
  keptAt: string | null;
  problems: Problem[];
  test: boolean;
}

export interface ReceiveDeps {
  partners: Partner[];
  seen: SeenStore;
  /** The pipeline's entry (Ingestor.submit). */
  submit: (bytes: Buffer, s: Submission) => Promise<{ sha256: string }>;
  dataDir: string;
  log: Logger;
}

export interface Incoming {
  fileName: string;
  receivedAt: string;
  /** How it came: 'http' or the inbox folder (kept in the document's context). */
  via: string;
}

export const ACK_MEDIA_TYPE = { x12: 'application/edi-x12', edifact: 'application/edifact' } as const;


/** The acknowledgments as one body: X12 and EDIFACT both allow several interchanges one after the other. */
export function ackBody(acks: Receipt['acks']): Buffer {
  return Buffer.concat(acks.map((a) => a.bytes));
}

async function keep(dataDir: string, what: string, name: string, bytes: Buffer): Promise<string> {
  const dir = join(dataDir, 'edi', what);
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFileAtomic(path, bytes);
  return path;
}

const fromAck = (a: Ack): Receipt['acks'][number] => ({ kind: a.kind, status: a.status, acknowledges: a.acknowledges, bytes: a.bytes });
const fromSeen = (s: SeenInterchange): Receipt['acks'] => s.acks.map((a) => ({ kind: a.kind, status: 'resent', acknowledges: s.controlNumber, bytes: Buffer.from(a.base64, 'base64') }));

// One receipt at a time per partner: otherwise two uploads of the same interchange arriving
// together would both pass the duplicate check before either is recorded.
const queues = new Map<string, Promise<unknown>>();

export function receiveEdi(bytes: Buffer, partner: Partner, inc: Incoming, deps: ReceiveDeps): Promise<Receipt> {
  const prev = queues.get(partner.id) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => receiveOne(bytes, partner, inc, deps));
  const tail = next.catch(() => undefined);
  queues.set(partner.id, tail);
  void tail.then(() => {
    if (queues.get(partner.id) === tail) queues.delete(partner.id);
  });
  return next;
}

async function receiveOne(bytes: Buffer, partner: Partner, inc: Incoming, deps: ReceiveDeps): Promise<Receipt> {
  const sha256 = documentSha256(bytes);
  const receivedAt = new Date(inc.receivedAt).toISOString();
  const earlier = new Map<string, SeenInterchange>();
  const reused: { controlNumber: string; firstReceipt: string }[] = [];
  // Synchronous from here to reserveControlNumbers: no other receipt of this process can take the same numbers.
  const firstControl = deps.seen.reserveControlNumbers(partner.id, 1);
  const r = readInterchange(bytes, {
    partners: deps.partners,
    now: new Date(receivedAt),
    controlNumber: firstControl,
    isDuplicate: (i) => {
      const v = deps.seen.check(partner.id, i.controlNumber, receivedAt);
      if (!v.duplicate) return false;
      // A re-send is the same file again. Other bytes under a number already used are a new
      // interchange the partner numbered wrongly: refused to them, quarantined here, never dropped.
      if (v.earlier.documentSha256 !== sha256) {
        const firstReceipt = `from partner ${partner.id} on ${v.earlier.receivedAt} (document ${v.earlier.documentSha256.slice(0, 12)}…)`;
        reused.push({ controlNumber: i.controlNumber, firstReceipt });
        return { firstReceipt };
      }
      earlier.set(i.controlNumber, v.earlier);
      return true;
    },
  });
  if (r.acks.length > 1) deps.seen.reserveControlNumbers(partner.id, r.acks.length - 1);
  const base = { standard: r.standard, controlNumber: r.controlNumber, sha256, test: r.test };
  const stamp = `${receivedAt.slice(0, 10)}-${sha256.slice(0, 12)}-${inc.fileName.replace(/[^\w.-]+/g, '_')}`;

  const impostor = r.interchanges.find((i) => partnerBySender(deps.partners, i.standard, i.sender)?.id !== partner.id);
  if (impostor) return refuseImpostor(impostor, partner, bytes, stamp, deps, { ...base, problems: r.problems });

  if (r.interchanges.length > 0 && r.interchanges.every((i) => i.acknowledgmentOnly)) {
    const keptAt = await keep(deps.dataDir, 'acknowledgments-received', stamp, bytes);
    for (const i of r.interchanges) deps.seen.record({ partnerId: partner.id, controlNumber: i.controlNumber, standard: i.standard, test: i.test, documentSha256: sha256, receivedAt, acks: [] });
    deps.log.info({ partner: partner.id, sha256, controlNumber: r.controlNumber }, 'acknowledgment received from partner');
    return { ...base, outcome: 'acknowledgment-received', acks: [], keptAt, problems: r.problems };
  }

  const fresh = r.interchanges.filter((i) => !i.duplicate);
  if (r.interchanges.length > 0 && fresh.length === 0) {
    const acks = r.interchanges.flatMap((i) => {
      const e = earlier.get(i.controlNumber);
      return e ? fromSeen(e) : [];
    });
    // The same bytes: already in the document store (other bytes under a used number are 'reused', below).
    deps.log.info({ partner: partner.id, sha256, controlNumber: r.controlNumber }, 'duplicate interchange: earlier acknowledgment sent again');
    return { ...base, outcome: 'duplicate', acks, keptAt: null, problems: r.problems };
  }

  const context: Record<string, string> = { partner: partner.id, via: inc.via };
  if (r.controlNumber) context.controlNumber = r.controlNumber;
  if (r.test) context.test = 'true';
  if (reused.length) context[REUSED_CONTROL_NUMBERS] = JSON.stringify(reused);
  await deps.submit(bytes, { fileName: inc.fileName, channel: 'edi', receivedAt, context });

  const acks = r.acks.map(fromAck);
  for (const i of fresh) {
    const rec: SeenRecord = {
      partnerId: partner.id,
      controlNumber: i.controlNumber,
      standard: i.standard,
      test: i.test,
      documentSha256: sha256,
      receivedAt,
      acks: r.acks.filter((a) => sameControlNumber(a.acknowledges, i.controlNumber)).map((a) => ({ kind: a.kind, base64: a.bytes.toString('base64') })),
    };
    deps.seen.record(rec);
  }
  for (const i of r.interchanges.filter((x) => x.duplicate)) {
    const e = earlier.get(i.controlNumber);
    if (e) acks.push(...fromSeen(e));
  }
  const outcome: ReceiptOutcome = r.interchanges.length === 0 ? 'unreadable' : r.interchanges.every((i) => i.reused) ? 'control-number-reused' : 'accepted';
  if (reused.length) deps.log.warn({ partner: partner.id, sha256, reused }, 'EDI control number reused with other content: rejected to the partner, quarantined');
  deps.log.info({ partner: partner.id, sha256, controlNumber: r.controlNumber, orders: r.orders.length, acks: acks.map((a) => `${a.kind} ${a.status}`), outcome }, 'EDI file received');
  return { ...base, outcome, acks, keptAt: null, problems: r.problems };
}

/** An interchange whose sender is not the authenticated partner: kept aside, refused, never read as an order. */
async function refuseImpostor(
  impostor: ReturnType<typeof readInterchange>['interchanges'][number],
  partner: Partner,
  bytes: Buffer,
  stamp: string,
  deps: ReceiveDeps,
  base: Omit<Receipt, 'outcome' | 'acks' | 'keptAt'>,
): Promise<Receipt> {
  const keptAt = await keep(deps.dataDir, 'refused', stamp, bytes);
  const p = problem(
    'EDI_WRONG_SENDER',
    `interchange ${impostor.controlNumber} names sender ${impostor.sender.qualifier}:${impostor.sender.id}, which is not partner ${partner.id}'s ${impostor.standard === 'x12' ? 'ISA05/ISA06' : 'UNB 0004'}`,
    'error',
    impostor.standard === 'x12' ? 'ISA06' : 'UNB 0004',
  );
  deps.log.warn({ partner: partner.id, sha256: base.sha256, keptAt, sender: impostor.sender }, 'EDI file refused: sender is not the authenticated partner');
  return { ...base, outcome: 'wrong-sender', acks: [], keptAt, problems: [p, ...base.problems] };
}
