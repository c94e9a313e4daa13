// The ceiling of bench/e2e.ts: bare workflows making the same Temporal calls per order as the
// pipeline (a workflow start, two activities, an update-with-start to the customer's coordinator, a
// signal-with-start, then in the order workflow four local activities — two publications, the route
// and the touchless decision — and for EDI the confirmation's activity), each doing nothing. No
// search attributes, no payloads.
// `bench/e2e-counts.ts` compares the two histories.
import { condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import { place, received, type CeilingActivities } from './definitions';

const { noop, deliver } = proxyActivities<CeilingActivities>({ startToCloseTimeout: '1 minute' });
const { publish } = proxyLocalActivities<CeilingActivities>({ startToCloseTimeout: '30 seconds' });

/** The customer's coordinator, bare: one update per document, answered at once. */
export async function bareCustomer(): Promise<void> {
  setHandler(place, (id) => id);
  await condition(() => false);
}

export async function bareIntake(input: { id: string; confirm: boolean; customer: string }): Promise<void> {
  await noop();
  await deliver(input);
}

export async function bareOrder(input: { id: string; confirm: boolean }): Promise<void> {
  let got = false;
  setHandler(received, () => void (got = true));
  await condition(() => got);
  await publish(null);
  await publish(null); // the route
  await publish(input.id);
  if (input.confirm) await noop();
  await publish(null);
  // Open orders stay open (they wait for the agent), as the pipeline's do.
  await condition(() => false);
}
