// Shared by workflows and their clients (worker, HTTP server, CLI): the task queue, workflow IDs,
// signals, queries, updates and search attributes. Defined once, imported everywhere.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Channel, Order, Problem } from '../domain/order';
import { orderKey } from '../domain/keys';
import type { IncomingDocument, Placement } from '../domain/customer-dedup';
import type { SlaConfig } from '../domain/sla';

// The order's own types live in domain/order-model.ts; re-exported for the workflows' clients.
export { ORDER_STATUSES } from '../domain/order-model';
export type { OrderStatus, DocumentRole, OrderDocument, SourceRef, OrderDocumentEntry, RouteDecision, SlaState, SlaInfo, HistoryEvent, OrderState, ErpRecord, TouchlessRecord, AgentAction, LineCorrection, HeaderCorrection, DocumentRef } from '../domain/order-model';
import type { AgentAction, DocumentRef, HeaderCorrection, LineCorrection, OrderDocument, OrderState } from '../domain/order-model';

export const TASK_QUEUE = 'aiguillage';

export const intakeWorkflowId = (sha256: string): string => `doc-${sha256}`;
export const orderWorkflowId = (key: string): string => `order-${key}`;
/**
 * The one coordinator deciding where each document of a customer goes (workflows/customer.ts). One per
 * pipeline: a stack on another task queue of the same server (tests, a second site) has its own.
 */
export function customerWorkflowId(customerId: string, taskQueue: string = TASK_QUEUE): string {
  const id = `customer-${customerId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  return taskQueue === TASK_QUEUE ? id : `${id}@${taskQueue}`;
}
export const orderIdFromWorkflowId = (workflowId: string): string => workflowId.replace(/^order-/, '');
export function orderWorkflowIdFor(order: Pick<Order, 'customer' | 'poNumber'>, sha256: string, index: number): string {
  return orderWorkflowId(orderKey(order.customer.id, order.poNumber, sha256, index));
}

export const searchAttributes = {
  status: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  customer: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  po: defineSearchAttributeKey('PoNumber', SearchAttributeType.KEYWORD),
  channel: defineSearchAttributeKey('Channels', SearchAttributeType.KEYWORD_LIST),
  team: defineSearchAttributeKey('Team', SearchAttributeType.KEYWORD),
  agent: defineSearchAttributeKey('Agent', SearchAttributeType.KEYWORD),
  dueAt: defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME),
} as const;
export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);

/** A document for its customer's coordinator: where does it go? (update-with-start, answered at once). */
export const placeDocumentUpdate = defineUpdate<Placement, [IncomingDocument]>('placeDocument');

export const documentReceived = defineSignal<[OrderDocument]>('documentReceived');
export const orderStateQuery = defineQuery<OrderState>('orderState');

export const claimUpdate = defineUpdate<OrderState, [AgentAction]>('claim');
export const markEnteredUpdate = defineUpdate<OrderState, [AgentAction & { erpReference?: string }]>('markEntered');
/** "Annuler la saisie automatique": the ERP's sales order cancelled, the order back to its agent. */
export const undoTouchlessUpdate = defineUpdate<OrderState, [AgentAction & { reason?: string }]>('undoTouchless');
/** "Créer dans l'ERP": the sales order is created in the ERP (once), and the order is entered. */
export const createInErpUpdate = defineUpdate<OrderState, [AgentAction]>('createInErp');
export const rejectUpdate = defineUpdate<OrderState, [AgentAction & { reason: string }]>('reject');
export const reassignUpdate = defineUpdate<OrderState, [AgentAction & { team: string; agent?: string | null; reason: string }]>('reassign');
/** "Confirmer le doublon": the probable duplicate is one, the doubt is cleared. */
export const confirmDuplicateUpdate = defineUpdate<OrderState, [AgentAction & DocumentRef]>('confirmDuplicate');
/** "Ce n'est pas un doublon": the document leaves this order and becomes an order of its own. */
export const splitDocumentUpdate = defineUpdate<OrderState, [AgentAction & DocumentRef & { reason?: string }]>('splitDocument');
export const correctUpdate = defineUpdate<OrderState, [AgentAction & { lines?: LineCorrection[]; header?: HeaderCorrection[] }]>('correct');

/** What an intake workflow reports back: where each order of the document went. */
export interface IntakeResult {
  sha256: string;
  status: 'delivered' | 'quarantined';
  orders: { orderWorkflowId: string; poNumber: string | null; customerId: string | null }[];
  problems: Problem[];
  channel: Channel;
}

/** The order workflow as its clients start it (signal-with-start by activities/), implemented by workflows/order.ts. */
export const ORDER_WORKFLOW = 'orderWorkflow';
/**
 * The order workflow code an order is begun with (set by its starter, activities/intake.ts). From 2, every
 * change made so far runs without its patched() marker (each marker costs a new order a search-attribute
 * upsert in Temporal), and the route and the touchless decision are local activities. Absent: an order begun before, whose
 * history decides, as patched() does.
 */
export const ORDER_CODE_VERSION = 2;
export interface OrderWorkflowInput {
  /** ORDER_CODE_VERSION when the order was begun; absent in orders begun before it existed. */
  codeVersion?: number;
  /** State carried over by continue-as-new. */
  carried?: OrderState;
  pending?: OrderDocument[];
  /** How long a closed order keeps listening, so that late copies still attach to it. */
  retentionDays?: number;
  /** The SLA rule's settings (cut-off, deadline, at-risk delay, closing days); defaults to 17:00 Paris. */
  sla?: Partial<SlaConfig>;
}
export type OrderWorkflow = (input?: OrderWorkflowInput) => Promise<OrderState>;
