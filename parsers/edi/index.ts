// The EDI channel's parser: X12 850 and EDIFACT ORDERS → drafts, envelope and syntax problems
// each saying where. Acknowledgments are built by readInterchange for the EDI endpoint and the
// folder watcher; extraction only needs the orders.
import type { Parser } from '../types';
import { readInterchange } from './interchange';
import { sameControlNumber } from './bytes';

export const parseEdi: Parser = async (bytes, ctx) => {
  const received = new Date(ctx.meta.receivedAt);
  const reused = reusedControlNumbers(ctx.meta.context);
  const r = readInterchange(bytes, {
    ...(Number.isNaN(received.getTime()) ? {} : { now: received }),
    // The EDI channel found these control numbers already used with other content (channels/edi/receive.ts).
    ...(reused.length ? { isDuplicate: (i) => reused.find((u) => sameControlNumber(u.controlNumber, i.controlNumber)) ?? false } : {}),
  });
  return { drafts: r.orders, problems: r.problems };
};

/** Context key under which channels/edi/receive.ts records the reused control numbers of a file (JSON). */
export const REUSED_CONTROL_NUMBERS = 'reusedControlNumbers';

function reusedControlNumbers(context: Record<string, string> | undefined): { controlNumber: string; firstReceipt: string }[] {
  const raw = context?.[REUSED_CONTROL_NUMBERS];
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.filter((x): x is { controlNumber: string; firstReceipt: string } => typeof x?.controlNumber === 'string' && typeof x?.firstReceipt === 'string') : [];
  } catch {
    return [];
  }
}

export { readInterchange, createInterchangeReader } from './interchange';
export { detectStandard } from '../sniff';
export type { Ack, InterchangeResult, PartnerAckPolicy, ReadOptions, ReusedControlNumber } from './interchange';
