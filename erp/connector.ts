// The ERP boundary: what Aiguillage asks of an ERP, whatever the ERP. The order workflow reaches it
// through activities (activities/erp.ts); Tryton speaks JSON-RPC (erp/tryton/), file ERPs read what
// the file connectors write to an outbox (erp/files/).
import type { Order } from '../domain/order';

/** Where a sales order stands in the ERP, in the ERP's own words mapped to ours. */
export type ErpOrderState = 'draft' | 'quotation' | 'confirmed' | 'processing' | 'done' | 'cancelled' | 'sent';

/** How far a created sales order goes: a numbered quotation (still cancellable) or confirmed (default). */
export type ErpStage = 'quotation' | 'confirmed';

export interface ErpSalesOrder {
  /** Which connector made it ('tryton', 'idoc', 'json', 'webhook'). */
  connector: string;
  /** The ERP's own key for the order (Tryton: the sale's id; file connectors: the file written). */
  erpRef: string;
  /** The order number the ERP gave it, as people quote it; null while the ERP has not numbered it. */
  number: string | null;
  state: ErpOrderState;
  /** False when the ERP already held the order (a retry, a crash, a second click): nothing was created. */
  created: boolean;
}

export interface ErpOrderStatus {
  erpRef: string;
  number: string | null;
  state: ErpOrderState;
  /** Tryton: none, waiting, partially shipped, sent, exception; null when the ERP does not say. */
  shipmentState: string | null;
  /** Tryton: none, pending, partially paid, paid, exception. */
  invoiceState: string | null;
}

/** Stock the ERP holds for a SKU, in the product's unit; null for a SKU the ERP does not know. */
export interface ErpStock {
  sku: string;
  onHand: number;
  /** What will remain once the moves already planned are done (Tryton's forecast quantity). */
  forecast: number;
  unit: string | null;
}

export interface ErpCredit {
  customerId: string;
  currency: string;
  /** null: no limit set in the ERP. */
  limit: number | null;
  /** What the customer owes plus what is confirmed and not yet invoiced. */
  used: number;
  /** Why the ERP blocks this customer's sales whatever the amount (blocage financier), in French; null: not blocked. */
  blocked: string | null;
}

/** One of the customer's addresses in the ERP, by one of its codes (ours, or its GLN): can goods go there? */
export interface ErpDeliveryAddress {
  code: string;
  /** Active and marked for deliveries in the ERP. */
  deliverable: boolean;
  /** When not deliverable, why, in the ERP's terms ("désactivée dans Tryton"). */
  blocked?: string;
}

export interface ErpConnector {
  readonly name: string;
  /**
   * Create the sales order for our order, exactly once: looked up by our order ID before creating,
   * so a retry, a crash after the ERP answered or a second click finds the order made the first time.
   * Throws ErpRefused when the ERP says no (with its reason), other errors when it cannot be reached.
   */
  createSalesOrder(order: Order, orderId: string, opts?: { stage?: ErpStage }): Promise<ErpSalesOrder>;
  /**
   * Cancel a sales order we created (undo of a touchless entry), in the ERP for real; resolves to its
   * state after. Throws ErpRefused when the ERP no longer allows it (shipped, invoiced…), with its reason.
   * Absent: the ERP cannot be asked (file connectors).
   */
  cancelSalesOrder?(erpRef: string): Promise<{ state: ErpOrderState }>;
  readOrderState(erpRef: string): Promise<ErpOrderStatus | null>;
  readStock(skus: string[]): Promise<Map<string, ErpStock>>;
  readCredit(customerId: string): Promise<ErpCredit | null>;
  /** The customer's addresses in the ERP (blocked ones too); null: unknown customer. Absent: the ERP cannot be asked. */
  readDeliveryAddresses?(customerId: string): Promise<ErpDeliveryAddress[] | null>;
  close?(): Promise<void>;
}

/** The ERP refused the order; `reason` is the ERP's own message, shown to the agent as is. */
export class ErpRefused extends Error {
  constructor(
    readonly reason: string,
    readonly code: 'unknown-customer' | 'blocked-customer' | 'unknown-address' | 'blocked-address' | 'unknown-product' | 'incomplete-order' | 'credit-limit' | 'erp-rule' = 'erp-rule',
  ) {
    super(reason);
    this.name = 'ErpRefused';
  }
}

/** The ERP could not be reached or answered out of protocol: worth retrying, not the order's fault. */
export class ErpUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ErpUnavailable';
  }
}

/** The key that finds our order in an ERP again: one order ID, one key, whatever the retries. */
export const erpOrderKey = (orderId: string): string => `aiguillage:${orderId}`;
