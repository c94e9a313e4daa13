// One document in: read it, then hand each order it holds to its order workflow — or quarantine it
// with the reason. The workflow ID is doc-<sha256>, so the same bytes twice start nothing new.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { IntakeResult } from './definitions';
import type { DocumentMeta } from '../domain/order';

// Timeouts: reading (OCR of a long fax) may take minutes, but it heartbeats every 10 s, so a crashed
// worker's attempt is retried elsewhere after 30 s rather than after the whole budget.
const retry = { initialInterval: '1 second', maximumInterval: '1 minute' };
const { extract } = proxyActivities<Activities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '30 seconds', retry: { ...retry, maximumAttempts: 10 } });
const { deliverOrders, quarantine } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '20 seconds', retry });

export interface IntakeInput {
  document: Pick<DocumentMeta, 'sha256' | 'fileName' | 'channel' | 'receivedAt'>;
}

const DELIVERY_BATCH = 200;
const REPORTED_ORDERS = 1000;

export async function intakeDocument({ document }: IntakeInput): Promise<IntakeResult> {
  const extracted = await extract({ sha256: document.sha256 });
  if (extracted.orderCount === 0) {
    await quarantine({ sha256: document.sha256, problems: extracted.problems });
    return { sha256: document.sha256, status: 'quarantined', orders: [], problems: extracted.problems, channel: document.channel };
  }
  const orders: IntakeResult['orders'] = [];
  for (let from = 0; from < extracted.orderCount; from += DELIVERY_BATCH) {
    const delivered = await deliverOrders({ sha256: document.sha256, from, to: Math.min(extracted.orderCount, from + DELIVERY_BATCH) });
    if (orders.length < REPORTED_ORDERS) orders.push(...delivered.slice(0, REPORTED_ORDERS - orders.length));
  }
  return { sha256: document.sha256, status: 'delivered', orders, problems: extracted.problems, channel: document.channel };
}
