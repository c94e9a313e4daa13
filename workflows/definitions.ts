// Shared by workflows and their clients (worker, HTTP server, CLI): the task queue, workflow IDs,
// signals, queries, updates and search attributes. Defined once, imported everywhere.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Channel, DocumentMeta, Order, Problem } from '../domain/order';
import { orderKey } from '../domain/keys';
import type { IncomingDocument, Placement } from '../domain/customer-dedup';
import type { SlaConfig } from '../domain/sla';

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

export const ORDER_STATUSES = ['received', 'extracted', 'needs-review', 'routed', 'entered', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** 'split': attached as a duplicate, then judged by an agent to be an order of its own (kept here for the history). */
export type DocumentRole = 'original' | 'duplicate' | 'amendment' | 'cancellation' | 'split';

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

/** A document delivered to an order workflow: its reference (never its bytes) and what was read from it. */
export interface OrderDocument {
  document: Pick<DocumentMeta, 'sha256' | 'fileName' | 'mediaType' | 'channel' | 'receivedAt'>;
  /** Index of this order inside the document (an EDI file or an email can carry several). */
  index: number;
  order: Order;
  problems: Problem[];
  /** Why the intake matched this document to this order (dedup evidence). */
  matchEvidence?: { field: string; how: string }[];
  /**
   * What the dedup rules decided this document is to the order; absent: judged from its purpose.
   * 'original': the original of an order that so far held only its amendment or cancellation.
   */
  decision?: 'original' | 'duplicate' | 'amendment' | 'cancellation';
  /** The dedup rules could not prove the duplicate (domain/dedup.ts certainty): an agent must confirm or split it. */
  probable?: true;
  /** This document was split off another order by an agent: it starts an order of its own. */
  splitFrom?: { orderId: string; by: string; reason: string | null };
}

/** A document of the order and how far its reading can be trusted (domain/order-state.ts sourceRank). */
export interface SourceRef {
  sha256: string;
  index: number;
  receivedAt: string;
  /** 4 EDI or API, 3 text PDF, 2 e-mail body or text, 1 OCR. */
  reliability: number;
  /** Fields read with certainty: the tie-break between two documents of one reliability. */
  certain: number;
}

/** One document of an order, as the order keeps it. */
export type OrderDocumentEntry = OrderDocument['document'] & {
  role: DocumentRole;
  index: number;
  evidence?: { field: string; how: string }[];
  /** A probable duplicate still awaiting an agent's decision (confirm or split). */
  probable?: true;
  /** Who confirmed a probable duplicate. */
  confirmedBy?: string;
  /** Role 'split': the order it became. */
  splitTo?: string;
};

export interface RouteDecision {
  /** Team and agent IDs (stable keys of routing-rules teams.yaml); names for display. */
  team: string;
  agent: string | null;
  teamName?: string;
  agentName?: string | null;
  ruleId: string;
  rulesVersion: string;
  reason: string;
}

export type SlaState = 'on-time' | 'at-risk' | 'late' | 'met' | 'missed';
export interface SlaInfo {
  receivedAt: string;
  dueAt: string | null;
  atRiskAt: string | null;
  enteredAt: string | null;
  state: SlaState;
}

export interface HistoryEvent {
  at: string;
  event: string;
  by: string | null;
  detail: string | null;
}

export interface OrderState {
  orderId: string;
  status: OrderStatus;
  customerId: string | null;
  poNumber: string | null;
  order: Order;
  documents: OrderDocumentEntry[];
  route: RouteDecision | null;
  sla: SlaInfo;
  problems: Problem[];
  claimedBy: string | null;
  rejection: string | null;
  corrections: { at: string; by: string; field: string; from: unknown; to: unknown }[];
  history: HistoryEvent[];
  /** Bumped on every change, so that read models apply each state once and in order. */
  revision: number;
  /**
   * The most reliable document of the order (domain/order-state.ts compareSources): its reading is the
   * order's content unless an amendment replaced it. Absent in orders begun before it was recorded.
   */
  source?: SourceRef;
  /** The amendment whose content the order holds (the latest received, whatever the processing order). */
  amendedBy?: SourceRef;
  /** The sales order in the ERP, once created there ("Créer dans l'ERP", erp/); absent before. */
  erp?: ErpRecord | null;
}

/** Our order as the ERP holds it: which connector, the ERP's key and number, its state when last read. */
export interface ErpRecord {
  connector: string;
  erpRef: string;
  number: string | null;
  state: string;
  at: string;
  by: string | null;
}

/** A document for its customer's coordinator: where does it go? (update-with-start, answered at once). */
export const placeDocumentUpdate = defineUpdate<Placement, [IncomingDocument]>('placeDocument');

export const documentReceived = defineSignal<[OrderDocument]>('documentReceived');
export const orderStateQuery = defineQuery<OrderState>('orderState');

export interface AgentAction {
  by: string;
}
export const claimUpdate = defineUpdate<OrderState, [AgentAction]>('claim');
export const markEnteredUpdate = defineUpdate<OrderState, [AgentAction & { erpReference?: string }]>('markEntered');
/** "Créer dans l'ERP": the sales order is created in the ERP (once), and the order is entered. */
export const createInErpUpdate = defineUpdate<OrderState, [AgentAction]>('createInErp');
export const rejectUpdate = defineUpdate<OrderState, [AgentAction & { reason: string }]>('reject');
export const reassignUpdate = defineUpdate<OrderState, [AgentAction & { team: string; agent?: string | null; reason: string }]>('reassign');
export interface LineCorrection {
  lineNumber: number;
  field: 'sku' | 'quantity' | 'unitPrice' | 'unit' | 'description';
  value: string | number | null;
}
export interface HeaderCorrection {
  field: 'poNumber' | 'orderDate' | 'requestedDeliveryDate' | 'customerId';
  value: string | null;
}
/** A document of the order, by hash and index (an e-mail or EDI file can carry several orders). */
export interface DocumentRef {
  sha256: string;
  index: number;
}
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
export interface OrderWorkflowInput {
  /** State carried over by continue-as-new. */
  carried?: OrderState;
  pending?: OrderDocument[];
  /** How long a closed order keeps listening, so that late copies still attach to it. */
  retentionDays?: number;
  /** The SLA rule's settings (cut-off, deadline, at-risk delay, closing days); defaults to 17:00 Paris. */
  sla?: Partial<SlaConfig>;
}
export type OrderWorkflow = (input?: OrderWorkflowInput) => Promise<OrderState>;
