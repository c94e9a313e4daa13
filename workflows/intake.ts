// One document in: read it, then hand each order it holds to its order workflow — or quarantine it
// with the reason. The workflow ID is doc-<sha256>, so the same bytes twice start nothing new.
// An intake that cannot complete (reading or delivery failed after its retries) never fails
// silently: it ends in the quarantine with the failure, and can be retried (`aiguillage retry`).
import { ActivityFailure, patched, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { IntakeResult } from './definitions';
import type { DocumentMeta, Problem } from '../domain/order';

// Reading (OCR of a long fax) may take minutes, but it heartbeats every 10 s, so a crashed worker's
// attempt is retried elsewhere after 30 s. A document that fails three times will fail again: it
// goes to the quarantine within 30 minutes at most, instead of holding a worker for hours.
const retry = { initialInterval: '1 second', maximumInterval: '1 minute' };
const { extract } = proxyActivities<Activities>({ startToCloseTimeout: '15 minutes', scheduleToCloseTimeout: '30 minutes', heartbeatTimeout: '30 seconds', retry: { ...retry, maximumAttempts: 3 } });
const { deliverOrders } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '20 seconds', retry: { ...retry, maximumAttempts: 10 } });
// Small and retried without end: the one step that must succeed for a document to stay in view.
const { quarantine } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });

export interface IntakeInput {
  document: Pick<DocumentMeta, 'sha256' | 'fileName' | 'channel' | 'receivedAt'>;
}

const DELIVERY_BATCH = 200;
const REPORTED_ORDERS = 1000;
/** Recorded in the history of intakes that quarantine their failures (older runs failed instead). */
const QUARANTINE_FAILURES = 'intake-quarantines-failures';

export async function intakeDocument({ document }: IntakeInput): Promise<IntakeResult> {
  const quarantined = async (problems: Problem[], orders: IntakeResult['orders'] = []): Promise<IntakeResult> => {
    await quarantine({ sha256: document.sha256, problems, document });
    return { sha256: document.sha256, status: 'quarantined', orders, problems, channel: document.channel };
  };

  let extracted: Awaited<ReturnType<Activities['extract']>>;
  try {
    extracted = await extract({ sha256: document.sha256 });
  } catch (e) {
    if (!patched(QUARANTINE_FAILURES)) throw e;
    return quarantined([failed('EXTRACTION_FAILED', 'the document could not be read', e)]);
  }
  if (extracted.orderCount === 0) return quarantined(extracted.problems);

  const orders: IntakeResult['orders'] = [];
  for (let from = 0; from < extracted.orderCount; from += DELIVERY_BATCH) {
    try {
      const delivered = await deliverOrders({ sha256: document.sha256, from, to: Math.min(extracted.orderCount, from + DELIVERY_BATCH) });
      if (orders.length < REPORTED_ORDERS) orders.push(...delivered.slice(0, REPORTED_ORDERS - orders.length));
    } catch (e) {
      if (!patched(QUARANTINE_FAILURES)) throw e;
      const what = from === 0 ? 'its orders could not be handed to their order workflows' : `orders ${from + 1} and after could not be handed to their order workflows (the first ${from} were)`;
      return quarantined([failed('DELIVERY_FAILED', what, e), ...extracted.problems], orders);
    }
  }
  return { sha256: document.sha256, status: 'delivered', orders, problems: extracted.problems, channel: document.channel };
}

const TIMEOUTS: Record<string, string> = {
  HEARTBEAT: 'it stopped answering (no heartbeat for 30 s: a reader blocked, or its worker died)',
  START_TO_CLOSE: 'an attempt ran past its time limit',
  SCHEDULE_TO_CLOSE: 'it ran past its total time limit',
  SCHEDULE_TO_START: 'no worker took it in time',
};

/** A failure after the activity's retries, as a problem saying what failed and why. */
function failed(code: string, what: string, e: unknown): Problem {
  let cause: unknown = e instanceof ActivityFailure && e.cause ? e.cause : e;
  let why: string;
  if (cause instanceof TimeoutFailure) {
    why = TIMEOUTS[cause.timeoutType ?? ''] ?? 'timed out';
    cause = cause.cause; // the last attempt's own failure, when there was one
    if (cause instanceof Error && cause.message) why += `; last error: ${cause.message}`;
  } else why = cause instanceof Error ? cause.message : String(cause);
  return { code, message: `${what} after its retries: ${why.slice(0, 600)}`, severity: 'error', where: null };
}
