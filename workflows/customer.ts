// One customer's dedup coordinator (workflow ID customer-<id>): every document of the customer goes
// through it before reaching an order, one at a time. Why a coordinator rather than a re-check inside
// the order workflows: the decision "which order is this?" spans orders, so it needs one place that
// sees them all; here it is serial by construction (the update handler is synchronous), durable (each
// decision is an update in this workflow's history) and answered to the caller (update-with-start),
// which then hands the document to the chosen order workflow. Its memory is its own state, never the
// read model, so two documents delivered 0.2 s apart still see each other.
import { allHandlersFinished, condition, continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { emptyMemory, placeAndRemember, type CustomerMemory } from '../domain/customer-dedup';
import { placeDocumentUpdate } from './definitions';

export interface CustomerWorkflowInput {
  customerId: string;
  /** Carried over by continue-as-new. */
  memory?: CustomerMemory;
  /** With no document for this long, the coordinator finishes (its memory is older than any dedup window). */
  idleDays?: number;
  /** Decisions per run before continue-as-new (default 500; tests make it small to see runs change under load). */
  decisionsPerRun?: number;
  /**
   * CUSTOMER_CODE_VERSION when the coordinator was started (activities/coordinator.ts). From 2 it keeps
   * one idle timer for as long as documents come, instead of one per decision (2 history events less
   * per document). Absent: a coordinator started before, which runs as recorded.
   */
  codeVersion?: number;
}

export const CUSTOMER_CODE_VERSION = 2;

/** Decisions per run before continue-as-new, besides the server's own suggestion (keeps the history short). */
const DECISIONS_PER_RUN = 500;

export async function customerWorkflow(input: CustomerWorkflowInput): Promise<void> {
  let memory = input.memory ?? emptyMemory(input.customerId);
  let decisions = 0;
  const perRun = input.decisionsPerRun ?? DECISIONS_PER_RUN;
  setHandler(
    placeDocumentUpdate,
    (doc) => {
      const placed = placeAndRemember(memory, doc, new Date().toISOString());
      memory = placed.memory;
      decisions++;
      return placed.placement;
    },
    {
      validator: (doc) => {
        if (doc.order.customer.id !== input.customerId) throw new Error(`document ${doc.sha256} is for customer ${doc.order.customer.id ?? '(none)'}, not ${input.customerId}`);
      },
    },
  );
  const idle = `${input.idleDays ?? 60} days`;
  const again = () => continueAsNew<typeof customerWorkflow>({ customerId: input.customerId, memory, idleDays: input.idleDays, decisionsPerRun: input.decisionsPerRun, codeVersion: input.codeVersion });
  if ((input.codeVersion ?? 0) >= 2) {
    // Idle when a whole period passed with no decision: it finishes 1 to 2 periods after its last document.
    let idleNow = false;
    void (async () => {
      for (let seen = -1; seen !== decisions; ) {
        seen = decisions;
        await sleep(idle);
      }
      idleNow = true;
    })();
    await condition(() => idleNow || decisions >= perRun || workflowInfo().continueAsNewSuggested);
    // Updates that reach this run while it closes are refused as retryable ("workflow is closing");
    // their callers retry them on the next run (activities/coordinator.ts).
    await condition(allHandlersFinished);
    return idleNow && decisions < perRun && !workflowInfo().continueAsNewSuggested ? undefined : again();
  }
  for (;;) {
    const seen = decisions;
    const woken = await condition(() => decisions !== seen || decisions >= perRun || workflowInfo().continueAsNewSuggested, idle);
    if (!woken) {
      await condition(allHandlersFinished);
      return;
    }
    if (decisions >= perRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return again();
    }
  }
}
