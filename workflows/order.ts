// One order, from its first document to "saisie faite" (entered), whatever the channels it came by.
// Thin on purpose: every decision is a pure function from domain/; this file only sequences them.
import { condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  claimUpdate, confirmDuplicateUpdate, createInErpUpdate, undoTouchlessUpdate, correctUpdate, documentReceived, splitDocumentUpdate, markEnteredUpdate, orderIdFromWorkflowId, orderStateQuery, reassignUpdate, rejectUpdate,
  searchAttributes, type OrderDocument, type OrderState, type OrderWorkflow, type OrderWorkflowInput,
} from './definitions';
import {
  applyClaim, applyConfirmDuplicate, applyCorrections, applyEntered, applySplitDocument, checkConfirmDuplicate, checkSplitDocument, applyReassign, applyReject, applyRoute, attachDocument, checkClaim, checkCorrections, checkEntered,
  checkReassign, checkReject, isOpen, applyErpAnswer, checkCreateInErp, newOrderState, nextSlaMark, passSlaMark, setStatus, withDue,
  ActionRefused, withEvent, applyTouchlessAnswer, applyUndoTouchless, checkUndoTouchless, duplicatesToCheck, TOUCHLESS_BY,
} from '../domain/order-state';
import { computeDue, slaConfig } from '../domain/sla';

const { routeOrder, confirmOrder, startSplitOrder } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// Alerts are worth a few tries, not an order's life: a dead endpoint must never hold the order up.
const { notifySla, alertTeamLead } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 6 },
});
// The ERP call is idempotent on the order ID (looked up before creating): retries are safe, and a
// dead ERP ends in a history line, not in a hung click.
const { createInErp, cancelInErp, decideTouchless } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '20 seconds', maximumAttempts: 5 },
});
const { publishOrder } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds' },
});

const now = (): string => new Date().toISOString();
/**
 * Recorded in the history of orders that write less before their route: the 'received' state is
 * published with the 'extracted' one, and search attributes wait for the route (milliseconds later).
 */
const FEWER_WRITES_BEFORE_ROUTE = 'fewer-writes-before-route';

export async function orderWorkflow(input: OrderWorkflowInput = {}): Promise<OrderState> {
  let state: OrderState | null = input.carried ?? null;
  const inbox: OrderDocument[] = [...(input.pending ?? [])];
  const retention = `${input.retentionDays ?? 30} days`;
  const sla = slaConfig(input.sla);
  const due = (s: OrderState): OrderState => {
    const d = computeDue(s.sla.receivedAt, sla);
    return withDue(s, { dueAt: d.dueAt, atRiskAt: d.atRiskAt });
  };

  setHandler(documentReceived, (doc) => void inbox.push(doc));
  setHandler(orderStateQuery, () => {
    if (!state) throw new Error('order not received yet');
    return state;
  });

  const current = (): OrderState => {
    if (!state) throw new Error('order not received yet');
    return state;
  };
  /** Set when this run began the order writing less before its route (FEWER_WRITES_BEFORE_ROUTE). */
  let lean = false;
  const record = async (next: OrderState, { withSearchAttributes = true } = {}): Promise<OrderState> => {
    if (next === state) return next;
    state = next;
    if (withSearchAttributes) upsertSearchAttributes([
      { key: searchAttributes.status, value: next.status },
      { key: searchAttributes.customer, value: next.customerId ?? 'unknown' },
      { key: searchAttributes.po, value: next.poNumber ?? '' },
      { key: searchAttributes.channel, value: [...new Set(next.documents.map((d) => d.channel))] },
      { key: searchAttributes.team, value: next.route?.team ?? '' },
      { key: searchAttributes.agent, value: next.route?.agent ?? next.claimedBy ?? '' },
      ...(next.sla.dueAt ? [{ key: searchAttributes.dueAt, value: new Date(next.sla.dueAt) }] : []),
    ]);
    await publishOrder(next);
    return next;
  };

  setHandler(claimUpdate, async ({ by }) => record(applyClaim(current(), by, now())), { validator: ({ by }) => checkClaim(current(), by) });
  // An EDI partner hears again when the ADV enters or rejects its order and that changes what it was
  // told (a corrected line, a rejection); the activity sends nothing when nothing changed. Not waited
  // for: the agent's click answers at once, the confirmation retries on its own.
  const reconfirm = (s: OrderState): OrderState => {
    if (s.documents[0]?.channel === 'edi' && patched('edi-confirmation-change')) void confirmOrder(s).catch(() => undefined);
    return s;
  };
  setHandler(markEnteredUpdate, async ({ by, erpReference }) => reconfirm(await record(applyEntered(current(), by, now(), erpReference))), {
    validator: ({ by }) => checkEntered(current(), by),
  });
  let erpInFlight = false;
  setHandler(createInErpUpdate, async ({ by }) => {
    erpInFlight = true;
    try {
      // New handler: histories from before it never reach here; the marker dates those that do.
      patched('erp-create');
      const s = current();
      const answer = await createInErp({ orderId: s.orderId, order: s.order, by }).catch((e: Error) => ({ kind: 'refused' as const, reason: `ERP injoignable : ${e.cause instanceof Error ? e.cause.message : e.message}` }));
      return reconfirm(await record(applyErpAnswer(current(), by, now(), answer)));
    } finally {
      erpInFlight = false;
    }
  }, { validator: ({ by }) => checkCreateInErp(current(), by, erpInFlight) });
  // "Annuler la saisie automatique": the sale cancelled in the ERP for real, then the order back to its agent.
  setHandler(undoTouchlessUpdate, async ({ by, reason }) => {
    erpInFlight = true;
    try {
      const erpRef = current().erp!.erpRef;
      const answer = await cancelInErp({ orderId: current().orderId, erpRef, by }).catch((e: Error) => ({ kind: 'refused' as const, reason: `ERP injoignable : ${e.cause instanceof Error ? e.cause.message : e.message}` }));
      return await record(applyUndoTouchless(current(), by, now(), reason ?? null, answer));
    } finally {
      erpInFlight = false;
    }
  }, {
    validator: ({ by }) => {
      if (erpInFlight) throw new ActionRefused("Une opération dans l'ERP est déjà en cours pour cette commande.");
      checkUndoTouchless(current(), by, now(), sla.timeZone);
    },
  });
  setHandler(rejectUpdate, async ({ by, reason }) => reconfirm(await record(applyReject(current(), by, reason, now()))), { validator: ({ reason }) => checkReject(current(), reason) });
  setHandler(reassignUpdate, async ({ by, team, agent, reason }) => record(applyReassign(current(), by, team, agent ?? null, reason, now())), {
    validator: ({ team, reason }) => checkReassign(current(), team, reason),
  });
  setHandler(correctUpdate, async ({ by, lines, header }) => record(applyCorrections(current(), by, now(), lines, header)), {
    validator: ({ lines, header }) => checkCorrections(current(), lines, header),
  });

  setHandler(confirmDuplicateUpdate, async ({ by, sha256, index }) => record(applyConfirmDuplicate(current(), by, { sha256, index }, now())), {
    validator: ({ by, sha256, index }) => checkConfirmDuplicate(current(), by, { sha256, index }),
  });
  setHandler(splitDocumentUpdate, async ({ by, sha256, index, reason }) => {
    // The split is recorded before the new order is started: a second click, or a "confirm" racing
    // this one, then meets a document already split and is refused, never doubling the order.
    const { state: next, splitTo } = applySplitDocument(current(), by, { sha256, index }, reason ?? null, now());
    const [recorded] = await Promise.all([
      record(due(next)),
      startSplitOrder({ sha256, index, orderKey: splitTo, fromOrderId: next.orderId, by, reason: reason?.trim() || null }),
    ]);
    return recorded;
  }, { validator: ({ by, sha256, index }) => checkSplitDocument(current(), by, { sha256, index }) });

  // The first document: this is the order. Its 'received' state is shown with the 'extracted' one
  // that follows at once (per order, one read-model write and two search-attribute updates fewer);
  // orders begun before this replay their own writes.
  if (!state) {
    await condition(() => inbox.length > 0);
    const first = inbox.shift()!;
    const received = due(newOrderState(orderIdFromWorkflowId(workflowInfo().workflowId), first, now()));
    lean = patched(FEWER_WRITES_BEFORE_ROUTE);
    if (lean) state = received;
    else await record(received);
  }
  if (current().status === 'received') await extractedAndRouted();

  for (;;) {
    while (inbox.length > 0) {
      const { state: next, role, contentChanged } = attachDocument(current(), inbox.shift()!, now());
      if (role === 'already-attached') continue;
      const dued = await record(due(next));
      // Routing starts from the state with its new due time (an earlier-received amendment moves it),
      // and runs again whenever the content changed (a better document took over, an orphan was completed).
      const fixed = patched('best-document-wins');
      const base = fixed ? dued : next;
      if ((role === 'amendment' || (fixed && contentChanged)) && isOpen(base.status)) await record(applyRoute(base, base.route?.ruleId === 'manual' ? base.route : await route(base), now()));
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof orderWorkflow>({ carried: current(), pending: inbox, retentionDays: input.retentionDays, sla: input.sla });
    }
    if (isOpen(current().status)) {
      // Sleep until something happens or the next SLA mark (at risk, then late) passes.
      const mark = nextSlaMark(current());
      const wait = mark ? Math.max(0, Date.parse(mark.at) - Date.now()) : undefined;
      const woken = await condition(() => inbox.length > 0 || !isOpen(current().status) || workflowInfo().continueAsNewSuggested, wait === undefined ? undefined : Math.max(wait, 1));
      if (!woken && mark && isOpen(current().status)) {
        const s = await record(passSlaMark(current(), mark.kind, now()));
        const alert = { orderId: s.orderId, kind: mark.kind, team: s.route?.team ?? null, agent: s.claimedBy ?? s.route?.agent ?? null, dueAt: s.sla.dueAt!, poNumber: s.poNumber, customerId: s.customerId };
        // Sent, not waited for: each alert retries on its own (a few times), and a dead endpoint never
        // holds up the order's next mark or documents. (Orders that passed a mark before team leads
        // were alerted replay the old, awaited call.)
        if (patched('sla-alert-team-lead')) {
          void notifySla(alert).catch(() => undefined);
          void alertTeamLead(alert).catch(() => undefined);
        } else await notifySla(alert).catch(() => undefined);
      }
    } else {
      // Closed (entered, rejected, cancelled): keep listening a while for late copies, then finish.
      // An undone touchless entry reopens the order: back to its agent, with its SLA marks.
      const more = await condition(() => inbox.length > 0 || isOpen(current().status), retention);
      if (!more) {
        await condition(allHandlersFinished);
        return current();
      }
    }
  }

  async function extractedAndRouted(): Promise<void> {
    const s = await record(setStatus(current(), 'extracted', now()), { withSearchAttributes: !lean });
    const routed = await record(applyRoute(current(), await route(s), now()));
    // EDI partners get their 855 / ORDRSP once the order has an owner (accepted as sent, or per line).
    if (routed.documents[0]?.channel === 'edi') await confirmOrder(routed);
    if (patched('touchless')) await touchless();
  }

  /** Into the ERP with no agent, when the touchless policy in force says the order is certain. */
  async function touchless(): Promise<void> {
    const s = current();
    if (s.status !== 'routed') return;
    const verdict = await decideTouchless({ orderId: s.orderId, order: s.order, channel: s.documents[0]?.channel ?? null, status: s.status, problems: s.problems, receivedAt: s.sla.receivedAt, duplicatesToCheck: duplicatesToCheck(s).length });
    // An agent acted meanwhile (claimed, corrected, entered): the decision was about another order.
    if (current().revision !== s.revision || erpInFlight) return;
    // Stopped by the ERP alone (stock-out, credit limit): the agent sees why it was not automatic.
    if (!verdict.touchless && verdict.askedErp) await record(withEvent(current(), now(), 'not touchless', null, verdict.reasons.join(' ; ')));
    if (!verdict.touchless || !verdict.policyVersion) return;
    erpInFlight = true;
    try {
      const answer = await createInErp({ orderId: s.orderId, order: s.order, by: TOUCHLESS_BY, stage: verdict.erpStage }).catch((e: Error) => ({ kind: 'refused' as const, reason: `ERP injoignable : ${e.cause instanceof Error ? e.cause.message : e.message}` }));
      const at = current();
      await record(at.status === 'routed' ? applyTouchlessAnswer(at, now(), answer, { policyVersion: verdict.policyVersion, reasons: verdict.reasons }) : applyErpAnswer(at, TOUCHLESS_BY, now(), answer));
    } finally {
      erpInFlight = false;
    }
  }

  async function route(s: OrderState) {
    return routeOrder({ orderId: s.orderId, order: s.order, channels: s.documents.map((d) => d.channel), problems: s.problems });
  }
}

// The signature clients start it by (definitions.ts): a change here that breaks them fails to compile.
const _startedAs: OrderWorkflow = orderWorkflow;
