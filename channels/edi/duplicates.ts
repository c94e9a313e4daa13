// The same interchange control number (ISA13 / UNB 0020) from the same partner within 30 days
// is a re-send, not a new order: the partner gets the acknowledgment it got the first time.
import { sameControlNumber } from '../../parsers/edi/bytes';

export interface SeenInterchange {
  partnerId: string;
  controlNumber: string;
  receivedAt: string; // ISO 8601
  /** sha256 of the document that carried it (to find its orders). */
  documentSha256: string;
  /** The acknowledgments sent back then, base64, to send again. */
  acks: { kind: string; base64: string }[];
}

export type DuplicateVerdict = { duplicate: false } | { duplicate: true; earlier: SeenInterchange; ageDays: number };

export const DUPLICATE_WINDOW_DAYS = 30;

export function checkDuplicateInterchange(
  seen: Iterable<SeenInterchange>,
  incoming: { partnerId: string; controlNumber: string; receivedAt: string },
  windowDays = DUPLICATE_WINDOW_DAYS,
): DuplicateVerdict {
  const at = Date.parse(incoming.receivedAt);
  let best: { earlier: SeenInterchange; ageDays: number } | null = null;
  for (const s of seen) {
    if (s.partnerId !== incoming.partnerId || !sameControlNumber(s.controlNumber, incoming.controlNumber)) continue;
    const ageDays = (at - Date.parse(s.receivedAt)) / 86_400_000;
    // Control numbers wrap around: one older than the window is a new interchange that reuses it.
    if (!(ageDays >= 0 && ageDays <= windowDays)) continue;
    if (!best || ageDays < best.ageDays) best = { earlier: s, ageDays };
  }
  return best ? { duplicate: true, ...best } : { duplicate: false };
}

/** Drops what fell out of the window, so the record does not grow without end. */
export function pruneSeen(seen: SeenInterchange[], now: string, windowDays = DUPLICATE_WINDOW_DAYS): SeenInterchange[] {
  const limit = Date.parse(now) - windowDays * 86_400_000;
  return seen.filter((s) => Date.parse(s.receivedAt) >= limit);
}
