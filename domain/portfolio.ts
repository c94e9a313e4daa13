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

/**
 * Whether the order's ship-to can be delivered, from master data and the ERP: false when either does
 * not know it or blocks it; null when the order names none (the default address is then the ERP's).
 * erp: the customer's addresses in the ERP by our code (or GLN), deliverable or not; null: not read.
 */
export function shipToDeliverable(shipTo: Pick<Order['shipTo'], 'code' | 'gln'>, masterData: { code: string; gln: string | null }[], erp: { code: string; deliverable: boolean }[] | null): boolean | null {
  const { code, gln } = shipTo;
  if (!code && !gln) return null;
  const named = (a: { code: string; gln?: string | null }) => (code !== null && a.code === code) || (gln !== null && (a.gln === gln || a.code === gln));
  if (!masterData.some(named)) return false;
  if (!erp) return true;
  const inErp = erp.filter(named);
  return inErp.length > 0 && inErp.every((a) => a.deliverable);
}
