// The open-order portfolio by status, as order management runs it: "rupture" (a line exceeds the stock
// the ERP has available), "limite de crédit" (the ERP says the customer would be over their limit),
// "blocage financier" (the ERP blocks the customer's sales whatever the amount: account closed or
// frozen), "blocage de livraison" (ship-to unknown, or blocked in master data or in the ERP) and
// "anomalie" (something for the agent to check). One definition of each, shared with the touchless
// decision (domain/touchless.ts). Pure.
import type { Order, Problem } from './order';
import { reviewReasons } from './order-state';

export const PORTFOLIO_CLASSES = ['rupture', 'limite-credit', 'blocage-financier', 'blocage-livraison', 'anomalie'] as const;
export type PortfolioClass = (typeof PORTFOLIO_CLASSES)[number];
export const PORTFOLIO_LABELS: Record<PortfolioClass, string> = { rupture: 'rupture', 'limite-credit': 'limite de crédit', 'blocage-financier': 'blocage financier', 'blocage-livraison': 'blocage de livraison', anomalie: 'anomalie' };

/** The customer's credit as the ERP says: limit (null: none), what is used, and why their sales are blocked (null: not blocked). */
export interface CreditFacts {
  limit: number | null;
  used: number;
  blocked?: string | null;
}

/** Lines asking more than the ERP has available (a SKU the ERP does not know has none). */
export function shortLines(order: Pick<Order, 'lines'>, available: Record<string, number>): { sku: string; quantity: number; available: number }[] {
  return order.lines.flatMap((l) => (l.sku && l.quantity !== null && (available[l.sku] ?? 0) < l.quantity ? [{ sku: l.sku, quantity: l.quantity, available: available[l.sku] ?? 0 }] : []));
}

/** Over the limit once this order counts; null limit: none set. An unknown amount against a limit counts as over (not certain). */
export function overCreditLimit(credit: CreditFacts, amount: number | null): boolean {
  return credit.limit !== null && (amount === null || credit.used + amount > credit.limit);
}

export interface PortfolioFacts {
  order: Order;
  problems: Problem[];
  /** Available stock per SKU in the ERP; null: not read. */
  stock: Record<string, number> | null;
  credit: CreditFacts | null;
  amount: number | null;
  /** The ship-to is known to master data and to the ERP, and blocked in neither; null: not checked. */
  shipToDeliverable: boolean | null;
}

export function portfolioClasses(f: PortfolioFacts): PortfolioClass[] {
  const out: PortfolioClass[] = [];
  if (f.stock && shortLines(f.order, f.stock).length > 0) out.push('rupture');
  if (f.credit && overCreditLimit(f.credit, f.amount)) out.push('limite-credit');
  if (f.credit?.blocked) out.push('blocage-financier');
  if (f.shipToDeliverable === false || f.problems.some((p) => p.code === 'UNKNOWN_SHIP_TO')) out.push('blocage-livraison');
  if (reviewReasons(f.problems, f.order).length > 0) out.push('anomalie');
  return out;
}

/** One of the customer's addresses in the ERP by one of its codes (ours or its GLN); `blocked`: why goods cannot go there, in the ERP's words. */
export interface ErpAddressFacts {
  code: string;
  deliverable: boolean;
  blocked?: string;
}

type ShipToNames = Pick<Order['shipTo'], 'code' | 'gln'>;
const names = ({ code, gln }: ShipToNames) => (a: { code: string; gln?: string | null }) => (code !== null && a.code === code) || (gln !== null && (a.gln === gln || a.code === gln));

/**
 * Why the ERP will not take goods for the ship-to the order names (by our code or its GLN): unknown
 * among the customer's addresses there, or deactivated or not for deliveries; null when it will, or
 * when the order names none (the ERP's default address). Read by the portfolio, touchless and the
 * creation of the sales order alike.
 */
export function erpShipToRefusal(shipTo: ShipToNames, erp: ErpAddressFacts[]): string | null {
  const label = [shipTo.code, shipTo.gln].filter(Boolean).join(' / ');
  if (!label) return null;
  const inErp = erp.filter(names(shipTo));
  if (inErp.length === 0) return `adresse de livraison ${label} inconnue pour ce client dans l'ERP`;
  const blocked = inErp.find((a) => !a.deliverable);
  return blocked ? `adresse de livraison ${label} ${blocked.blocked ?? "bloquée dans l'ERP"}` : null;
}

/**
 * Whether the order's ship-to can be delivered, from master data and the ERP: false when either does
 * not know it or blocks it; null when the order names none (the default address is then the ERP's).
 * erp: the customer's addresses in the ERP by our code (or GLN), deliverable or not; null: not read.
 */
export function shipToDeliverable(shipTo: ShipToNames, masterData: { code: string; gln: string | null }[], erp: ErpAddressFacts[] | null): boolean | null {
  if (!shipTo.code && !shipTo.gln) return null;
  if (!masterData.some(names(shipTo))) return false;
  return erp === null || erpShipToRefusal(shipTo, erp) === null;
}
