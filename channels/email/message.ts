// What the listener needs to know about a raw message before handing it over — pure functions over
// the RFC 822 bytes; understanding the order inside is the parsers' job, not ours.
import { createHash } from 'node:crypto';
import { REFUSAL_NOTICE, type RefusedMessage } from '../../parsers/notice';

export interface RawHeaders {
  /** Lower-cased name → unfolded values, in order of appearance. */
  get(name: string): string[];
}

/** The top-level header block, unfolded. Anything after the first empty line is the body. */
export function splitMessage(source: Buffer): { headers: RawHeaders; body: Buffer } {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  let end: number;
  let bodyStart: number;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) [end, bodyStart] = [crlf, crlf + 4];
  else if (lf >= 0) [end, bodyStart] = [lf, lf + 2];
  else [end, bodyStart] = [source.length, source.length];
  const map = new Map<string, string[]>();
  const text = source.subarray(0, end).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = map.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    map.set(name, list);
  }
  return { headers: { get: (n) => map.get(n.toLowerCase()) ?? [] }, body: source.subarray(bodyStart) };
}

/** `<abc@host>` without brackets, or null when there is none worth trusting. */
export function messageIdOf(headers: RawHeaders): string | null {
  const raw = headers.get('message-id')[0];
  if (!raw) return null;
  const m = /<([^<>\s]+)>/.exec(raw) ?? /^([^<>\s@]+@[^<>\s]+)$/.exec(raw.trim());
  return m ? m[1]! : null;
}

export interface DeliveryIdentity {
  /** Message-ID, or null when the sender gave none. */
  messageId: string | null;
  /**
   * What the author wrote — From, To, Cc, Date, Subject, Message-ID and the body with its
   * attachments — never what the mail servers added on the way (Received, Return-Path,
   * Delivered-To, DKIM, spam scores). Two deliveries of one message share it.
   */
  fingerprint: string;
}

const AUTHOR_HEADERS = ['message-id', 'from', 'sender', 'to', 'cc', 'date', 'subject', 'in-reply-to', 'mime-version', 'content-type', 'content-transfer-encoding'];

export function deliveryIdentity(source: Buffer): DeliveryIdentity {
  const { headers, body } = splitMessage(source);
  const h = createHash('sha256');
  for (const name of AUTHOR_HEADERS) h.update(`${name}:${headers.get(name).map((v) => v.replace(/\s+/g, ' ')).join('\u0000')}\n`);
  // Servers on the way may turn LF into CRLF, drop trailing blanks or the final newline.
  h.update(body.toString('latin1').replace(/(?<![ \t])[ \t]+(?=\r?\n|$)/g, '').replace(/\r\n/g, '\n').replace(/(?<!\n)\n+$/, ''), 'latin1');
  return { messageId: messageIdOf(headers), fingerprint: h.digest('hex') };
}

/** A file name people recognise in the workspace: the subject, made safe; `message.eml` without one. */
export function messageFileName(subject: string | null | undefined): string {
  const base = (subject ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}/\\:*?"<>|]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .replace(/(?<![ .])[ .]+$/, '');
  return `${base || 'message'}.eml`;
}

/** `1:3,7,9:10` — a compact UID set, so a batch is one command whatever its size. */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Only the messages that were asked for. A server answers a `N:*` range with the last message even
 * when its UID is below N, so a fetch or search result is never trusted to match the request.
 */
export function onlyRequested<T extends { uid: number }>(requested: readonly number[], got: readonly T[]): T[] {
  const want = new Set(requested);
  const seen = new Set<number>();
  return got.filter((m) => want.has(m.uid) && !seen.has(m.uid) && seen.add(m.uid));
}

/** Next batches of a search result: the oldest first, those already given up on this round left out. */
export function nextBatch(found: readonly number[], skip: ReadonlySet<number>, size: number): number[] {
  return [...new Set(found)].filter((u) => !skip.has(u)).sort((a, b) => a - b).slice(0, size);
}

/** An IMAP keyword for a quarantine reason (atoms only: no spaces, brackets or wildcards). */
export function quarantineKeyword(reason: QuarantineReason): string {
  return `Aiguillage-${reason}`;
}

export type QuarantineReason = 'too-large' | 'empty' | 'rejected';

/** Why a message cannot be submitted at all, before we try; null when it can. */
export function refuseBeforeSubmit(size: number | undefined, maxBytes: number): { reason: QuarantineReason; detail: string } | null {
  if (size === undefined || size === 0) return { reason: 'empty', detail: 'the server reports an empty message' };
  if (size > maxBytes) return { reason: 'too-large', detail: `${size} bytes, above the ${maxBytes}-byte limit of this mailbox` };
  return null;
}

/** Exponential back-off with jitter, capped: 1 s, 2 s, 4 s … 60 s. */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 1000, capMs = 60_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exp / 2 + (random() * exp) / 2);
}



/**
 * A message the listener cannot submit (too large, empty, refused by the store) still enters the
 * pipeline as this small notice: it is stored, gets its intake workflow, and lands in the quarantine
 * list with its reason — visible where agents look, not only as an IMAP keyword. The same message
 * gives the same bytes (no clock inside), so a retry submits nothing twice.
 */
export function refusalNotice(m: Omit<RefusedMessage, 'notice'>): { bytes: Buffer; fileName: string } {
  const body = { notice: REFUSAL_NOTICE, ...m };
  const name = m.subject ? messageFileName(m.subject).replace(/\.eml$/, '') : `uid-${m.uid}`;
  return { bytes: Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8'), fileName: `${name} (non lu).json` };
}
