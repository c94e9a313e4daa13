// The order as the pipeline keeps it: its status, documents and their roles, route, SLA clock, history,
// and the arguments of the agents' actions. Pure types, shared by domain/ (which decides), the workflows
// (which sequence) and every reader (web, API, CLI).
import type { DocumentMeta, Order, Problem } from './order';
import type { SlaState } from './sla';

export type { SlaState };

export const ORDER_STATUSES = ['received', 'extracted', 'needs-review', 'routed', 'entered', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** 'split': attached as a duplicate, then judged by an agent to be an order of its own (kept here for the history). */
export type DocumentRole = 'original' | 'duplicate' | 'amendment' | 'cancellation' | 'split';

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
  /** Entered in the ERP with no agent, by the touchless policy (domain/touchless.ts); absent otherwise. */
  touchless?: TouchlessRecord | null;
}

/** A touchless entry: when, under which policy, why (each check passed), and its undo if an agent undid it. */
export interface TouchlessRecord {
  at: string;
  policyVersion: string;
  /** "pourquoi automatique ?": the checks passed, in French. */
  reasons: string[];
  undone: { at: string; by: string; reason: string | null } | null;
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

export interface AgentAction {
  by: string;
}
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
