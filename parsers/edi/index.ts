// The EDI channel's parser: X12 850 and EDIFACT ORDERS → drafts, envelope and syntax problems
// each saying where. Acknowledgments are built by readInterchange for the EDI endpoint and the
// folder watcher; extraction only needs the orders.
import type { Parser } from '../types';
import { readInterchange } from './interchange';

export const parseEdi: Parser = async (bytes, ctx) => {
  const received = new Date(ctx.meta.receivedAt);
  const r = readInterchange(bytes, Number.isNaN(received.getTime()) ? {} : { now: received });
  return { drafts: r.orders, problems: r.problems };
};

export { readInterchange, createInterchangeReader, detectStandard } from './interchange';
export type { Ack, InterchangeResult, PartnerAckPolicy, ReadOptions } from './interchange';
