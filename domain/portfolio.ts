// The open-order portfolio by status, as order management runs it: "rupture" (a line exceeds the stock
// the ERP has available), "limite de crédit" (the ERP says the customer would be over their limit),
// "blocage de livraison" (ship-to unknown or blocked) and "anomalie" (something for the agent to check).
// One definition of each, shared with the touchless decision (domain/touchless.ts). Pure.
import type { Order, Problem } from './order';
import { reviewReasons } from './order-state';

export const PORTFOLIO_CLASSES = ['rupture', 'limite-credit', 'blocage-livraison', 'anomalie'] as const;
export type PortfolioClass = (typeof PORTFOLIO_CLASSES)[number];
export const PORTFOLIO_LABELS: Record<PortfolioClass, string> = { rupture: 'rupture', 'limite-credit': 'limite de crédit', 'blocage-livraison': 'blocage de livraison', anomalie: 'anomalie' };

/** Lines asking more than the ERP has available (a SKU the ERP does not know has none). */
export function shortLines(order: Pick<Order, 'lines'>, available: Record<string, number>): { sku: string; quantity: number; available: number }[] {
  return order.lines.flatMap((l) => (l.sku && l.quantity !== null && (available[l.sku] ?? 0) < l.quantity ? [{ sku: l.sku, quantity: l.quantity, available: available[l.sku] ?? 0 }] : []));
}

/** Over the limit once this order counts; null limit: none set. An unknown amount against a limit counts as over (not certain). */
export function overCreditLimit(credit: { limit: number | null; used: number }, amount: number | null): boolean {
  return credit.limit !== null && (amount === null || credit.used + amount > credit.limit);
}

export interface PortfolioFacts {
  order: Order;
  problems: Problem[];
  /** Available stock per SKU in the ERP; null: not read. */
  stock: Record<string, number> | null;
  credit: { limit: number | null; used: number } | null;
  amount: number | null;
  /** The ship-to is known to master data or the ERP and not blocked; null: not checked. */
  shipToDeliverable: boolean | null;
}

export function portfolioClasses(f: PortfolioFacts): PortfolioClass[] {
  const out: PortfolioClass[] = [];
  if (f.stock && shortLines(f.order, f.stock).length > 0) out.push('rupture');
  if (f.credit && overCreditLimit(f.credit, f.amount)) out.push('limite-credit');
  if (f.shipToDeliverable === false || f.problems.some((p) => p.code === 'UNKNOWN_SHIP_TO')) out.push('blocage-livraison');
  if (reviewReasons(f.problems, f.order).length > 0) out.push('anomalie');
  return out;
}
