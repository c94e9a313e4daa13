// One order, from its first document to "saisie faite" (entered), whatever the channels it came by.
// Thin on purpose: every decision is a pure function from domain/; this file only sequences them.
import { condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  claimUpdate, confirmDuplicateUpdate, createInErpUpdate, undoTouchlessUpdate, correctUpdate, documentReceived, splitDocumentUpdate, markEnteredUpdate, orderIdFromWorkflowId, orderStateQuery, reassignUpdate, rejectUpdate,
  searchAttributes, type DocumentRef, type OrderDocument, type OrderState, type OrderWorkflow, type OrderWorkflowInput,
} from './definitions';
import {
  applyClaim, applyConfirmDuplicate, applyCorrections, applyEntered, applySplitDocument, checkConfirmDuplicate, checkSplitDocument, applyReassign, applyReject, applyRoute, attachDocument, checkClaim, checkCorrections, checkEntered,
  checkReassign, checkReject, isOpen, applyErpAnswer, checkCreateInErp, newOrderState, nextSlaMark, passSlaMark, setStatus, withDue,
  ActionRefused, withEvent, applyTouchlessAnswer, applyUndoTouchless, checkUndoTouchless, duplicatesToCheck, TOUCHLESS_BY,
} from '../domain/order-state';
import { computeDue, slaConfig, type SlaConfig } from '../domain/sla';
import { heldByPricesOnly, heldForPolicyOnly } from '../domain/touchless';

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
// Orders begun with code version 2 route and decide touchless in local activities: short in-process
// steps that then run within the workflow task that needs them, with no task of their own on the server.
// A few quick attempts only, then the same step as an activity: a local activity retried without end
// would hold its worker's shutdown (the worker waits for its local activities, and retries them).
const { routeOrder: routeLocally, decideTouchless: decideTouchlessLocally } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '1 second', maximumAttempts: 3 },
});

const now = (): string => new Date().toISOString();
/**
 * Recorded in the history of orders that write less before their route: the 'received' state is
 * published with the 'extracted' one, and search attributes wait for the route (milliseconds later).
 */
const FEWER_WRITES_BEFORE_ROUTE = 'fewer-writes-before-route';

/** What one run of the order workflow shares between its steps and its handlers. */
interface OrderRun {
  state: OrderState | null;
  readonly inbox: OrderDocument[];
  readonly sla: SlaConfig;
  /** Set when this run began the order writing less before its route (FEWER_WRITES_BEFORE_ROUTE). */
  lean: boolean;
  /** A call into the ERP (create, cancel) is under way. */
  erpInFlight: boolean;
  /** The code version the order was begun with (definitions.ts ORDER_CODE_VERSION; 0: before it). */
  readonly version: number;
}

/** A change guarded by patched(): always in force for orders begun with code version 2 (no marker written). */
function has(run: OrderRun, patchId: string): boolean {
  return run.version >= 2 || patched(patchId);
}

export async function orderWorkflow(input: OrderWorkflowInput = {}): Promise<OrderState> {
  const run: OrderRun = { state: input.carried ?? null, inbox: [...(input.pending ?? [])], sla: slaConfig(input.sla), lean: false, erpInFlight: false, version: input.codeVersion ?? 0 };
  const retention = `${input.retentionDays ?? 30} days`;
  // Every handler is registered before the first await.
  registerHandlers(run);

  if (!run.state) await receiveFirstDocument(run);
  if (current(run).status === 'received') await extractedAndRouted(run);

  for (;;) {
    await attachNewDocuments(run);
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof orderWorkflow>({ carried: current(run), pending: run.inbox, retentionDays: input.retentionDays, sla: input.sla, codeVersion: input.codeVersion });
    }
    if (isOpen(current(run).status)) await awaitNextSlaMark(run);
    else {
      // Closed (entered, rejected, cancelled): keep listening a while for late copies, then finish.
      // An undone touchless entry reopens the order: back to its agent, with its SLA marks.
      const more = await condition(() => run.inbox.length > 0 || isOpen(current(run).status), retention);
      if (!more) {
        await condition(allHandlersFinished);
        return current(run);
      }
    }
  }
}

function current(run: OrderRun): OrderState {
  if (!run.state) throw new Error('order not received yet');
  return run.state;
}

function due(run: OrderRun, s: OrderState): OrderState {
  const d = computeDue(s.sla.receivedAt, run.sla);
  return withDue(s, { dueAt: d.dueAt, atRiskAt: d.atRiskAt });
}

/** The new state kept, searchable (unless told otherwise) and published to the read model. */
async function record(run: OrderRun, next: OrderState, { withSearchAttributes = true } = {}): Promise<OrderState> {
  if (next === run.state) return next;
  run.state = next;
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
}

/** A failed ERP call, as the answer the order records (a history line, not a hung click). */
function erpUnreachable(e: Error): { kind: 'refused'; reason: string } {
  return { kind: 'refused' as const, reason: `ERP injoignable : ${e.cause instanceof Error ? e.cause.message : e.message}` };
}

// An EDI partner hears again when the ADV enters or rejects its order and that changes what it was
// told (a corrected line, a rejection); the activity sends nothing when nothing changed. Not waited
// for: the agent's click answers at once, the confirmation retries on its own.
function reconfirm(run: OrderRun, s: OrderState): OrderState {
  if (s.documents[0]?.channel === 'edi' && has(run, 'edi-confirmation-change')) void confirmOrder(s).catch(() => undefined);
  return s;
}

/** The signal, the query and the agents' updates, in the order they have always been registered. */
function registerHandlers(run: OrderRun): void {
  setHandler(documentReceived, (doc) => void run.inbox.push(doc));
  setHandler(orderStateQuery, () => current(run));
  setHandler(claimUpdate, async ({ by }) => record(run, applyClaim(current(run), by, now())), { validator: ({ by }) => checkClaim(current(run), by) });
  setHandler(markEnteredUpdate, async ({ by, erpReference }) => reconfirm(run, await record(run, applyEntered(current(run), by, now(), erpReference))), {
    validator: ({ by }) => checkEntered(current(run), by),
  });
  setHandler(createInErpUpdate, async ({ by }) => createInErpFor(run, by), { validator: ({ by }) => checkCreateInErp(current(run), by, run.erpInFlight) });
  // "Annuler la saisie automatique": the sale cancelled in the ERP for real, then the order back to its agent.
  setHandler(undoTouchlessUpdate, async ({ by, reason }) => undoTouchless(run, by, reason ?? null), {
    validator: ({ by }) => {
      if (run.erpInFlight) throw new ActionRefused("Une opération dans l'ERP est déjà en cours pour cette commande.");
      checkUndoTouchless(current(run), by, now(), run.sla.timeZone);
    },
  });
  setHandler(rejectUpdate, async ({ by, reason }) => reconfirm(run, await record(run, applyReject(current(run), by, reason, now()))), { validator: ({ reason }) => checkReject(current(run), reason) });
  setHandler(reassignUpdate, async ({ by, team, agent, reason }) => record(run, applyReassign(current(run), by, team, agent ?? null, reason, now())), {
    validator: ({ team, reason }) => checkReassign(current(run), team, reason),
  });
  setHandler(correctUpdate, async ({ by, lines, header }) => record(run, applyCorrections(current(run), by, now(), lines, header)), {
    validator: ({ lines, header }) => checkCorrections(current(run), lines, header),
  });
  setHandler(confirmDuplicateUpdate, async ({ by, sha256, index }) => record(run, applyConfirmDuplicate(current(run), by, { sha256, index }, now())), {
    validator: ({ by, sha256, index }) => checkConfirmDuplicate(current(run), by, { sha256, index }),
  });
  setHandler(splitDocumentUpdate, async ({ by, sha256, index, reason }) => splitDocument(run, by, { sha256, index }, reason), {
    validator: ({ by, sha256, index }) => checkSplitDocument(current(run), by, { sha256, index }),
  });
}

/** An agent's "créer dans l'ERP". */
async function createInErpFor(run: OrderRun, by: string): Promise<OrderState> {
  run.erpInFlight = true;
  try {
    // New handler: histories from before it never reach here; the marker dates those that do.
    if (run.version < 2) patched('erp-create');
    const s = current(run);
    const answer = await createInErp({ orderId: s.orderId, order: s.order, by }).catch(erpUnreachable);
    return reconfirm(run, await record(run, applyErpAnswer(current(run), by, now(), answer)));
  } finally {
    run.erpInFlight = false;
  }
}

async function undoTouchless(run: OrderRun, by: string, reason: string | null): Promise<OrderState> {
  run.erpInFlight = true;
  try {
    const erpRef = current(run).erp!.erpRef;
    const answer = await cancelInErp({ orderId: current(run).orderId, erpRef, by }).catch(erpUnreachable);
    return await record(run, applyUndoTouchless(current(run), by, now(), reason, answer));
  } finally {
    run.erpInFlight = false;
  }
}

async function splitDocument(run: OrderRun, by: string, ref: DocumentRef, reason: string | undefined): Promise<OrderState> {
  // The split is recorded before the new order is started: a second click, or a "confirm" racing
  // this one, then meets a document already split and is refused, never doubling the order.
  const { state: next, splitTo } = applySplitDocument(current(run), by, ref, reason ?? null, now());
  const [recorded] = await Promise.all([
    record(run, due(run, next)),
    startSplitOrder({ sha256: ref.sha256, index: ref.index, orderKey: splitTo, fromOrderId: next.orderId, by, reason: reason?.trim() || null }),
  ]);
  return recorded;
}

// The first document: this is the order. Its 'received' state is shown with the 'extracted' one
// that follows at once (per order, one read-model write and two search-attribute updates fewer);
// orders begun before this replay their own writes.
async function receiveFirstDocument(run: OrderRun): Promise<void> {
  await condition(() => run.inbox.length > 0);
  const first = run.inbox.shift()!;
  const received = due(run, newOrderState(orderIdFromWorkflowId(workflowInfo().workflowId), first, now()));
  run.lean = has(run, FEWER_WRITES_BEFORE_ROUTE);
  if (run.lean) run.state = received;
  else await record(run, received);
}

/** Every document waiting in the inbox, attached to the order (and the order routed again if need be). */
async function attachNewDocuments(run: OrderRun): Promise<void> {
  while (run.inbox.length > 0) {
    const { state: next, role, contentChanged } = attachDocument(current(run), run.inbox.shift()!, now());
    if (role === 'already-attached') continue;
    const dued = await record(run, due(run, next));
    // Routing starts from the state with its new due time (an earlier-received amendment moves it),
    // and runs again whenever the content changed (a better document took over, an orphan was completed).
    const fixed = has(run, 'best-document-wins');
    const base = fixed ? dued : next;
    if ((role === 'amendment' || (fixed && contentChanged)) && isOpen(base.status)) await record(run, applyRoute(base, base.route?.ruleId === 'manual' ? base.route : await route(run, base), now()));
  }
}

/** Sleep until something happens or the next SLA mark (at risk, then late) passes; then mark and alert. */
async function awaitNextSlaMark(run: OrderRun): Promise<void> {
  const mark = nextSlaMark(current(run));
  const wait = mark ? Math.max(0, Date.parse(mark.at) - Date.now()) : undefined;
  const woken = await condition(() => run.inbox.length > 0 || !isOpen(current(run).status) || workflowInfo().continueAsNewSuggested, wait === undefined ? undefined : Math.max(wait, 1));
  if (woken || !mark || !isOpen(current(run).status)) return;
  const s = await record(run, passSlaMark(current(run), mark.kind, now()));
  const alert = { orderId: s.orderId, kind: mark.kind, team: s.route?.team ?? null, agent: s.claimedBy ?? s.route?.agent ?? null, dueAt: s.sla.dueAt!, poNumber: s.poNumber, customerId: s.customerId };
  // Sent, not waited for: each alert retries on its own (a few times), and a dead endpoint never
  // holds up the order's next mark or documents. (Orders that passed a mark before team leads
  // were alerted replay the old, awaited call.)
  if (has(run, 'sla-alert-team-lead')) {
    void notifySla(alert).catch(() => undefined);
    void alertTeamLead(alert).catch(() => undefined);
  } else await notifySla(alert).catch(() => undefined);
}

async function extractedAndRouted(run: OrderRun): Promise<void> {
  const s = await record(run, setStatus(current(run), 'extracted', now()), { withSearchAttributes: !run.lean });
  const routed = await record(run, applyRoute(current(run), await route(run, s), now()));
  // EDI partners get their 855 / ORDRSP once the order has an owner (accepted as sent, or per line).
  if (routed.documents[0]?.channel === 'edi') await confirmOrder(routed);
  if (has(run, 'touchless')) await touchless(run);
}

/** Into the ERP with no agent, when the touchless policy in force says the order is certain. */
async function touchless(run: OrderRun): Promise<void> {
  const s = current(run);
  // Held for review by its prices alone: the policy's negotiated-price band may still let it through.
  const heldByPrices = heldByPricesOnly(s.status, s.problems, s.order) && has(run, 'touchless-price-band');
  // Held for what else the policy may accept (the customer's only delivery address): a marker of its own
  // in every code version, asked only then (orders begun before this change replay as they ran).
  const heldForPolicy = !heldByPrices && heldForPolicyOnly(s.status, s.problems, s.order) && patched('touchless-only-address');
  if (s.status !== 'routed' && !heldByPrices && !heldForPolicy) return;
  const facts = { orderId: s.orderId, order: s.order, channel: s.documents[0]?.channel ?? null, status: s.status, problems: s.problems, receivedAt: s.sla.receivedAt, duplicatesToCheck: duplicatesToCheck(s).length };
  const verdict = run.version >= 2 ? await decideTouchlessLocally(facts).catch(() => decideTouchless(facts)) : await decideTouchless(facts);
  // An agent acted meanwhile (claimed, corrected, entered): the decision was about another order.
  if (current(run).revision !== s.revision || run.erpInFlight) return;
  // Stopped by the ERP alone (stock-out, credit limit): the agent sees why it was not automatic.
  if (!verdict.touchless && verdict.askedErp) await record(run, withEvent(current(run), now(), 'not touchless', null, verdict.reasons.join(' ; ')));
  if (!verdict.touchless || !verdict.policyVersion) return;
  run.erpInFlight = true;
  try {
    const answer = await createInErp({ orderId: s.orderId, order: s.order, by: TOUCHLESS_BY, stage: verdict.erpStage }).catch(erpUnreachable);
    const at = current(run);
    await record(run, at.status === s.status ? applyTouchlessAnswer(at, now(), answer, { policyVersion: verdict.policyVersion, reasons: verdict.reasons }) : applyErpAnswer(at, TOUCHLESS_BY, now(), answer));
  } finally {
    run.erpInFlight = false;
  }
}

async function route(run: OrderRun, s: OrderState) {
  const input = { orderId: s.orderId, order: s.order, channels: s.documents.map((d) => d.channel), problems: s.problems };
  return run.version >= 2 ? routeLocally(input).catch(() => routeOrder(input)) : routeOrder(input);
}

// The signature clients start it by (definitions.ts): a change here that breaks them fails to compile.
const _startedAs: OrderWorkflow = orderWorkflow;
