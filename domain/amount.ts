// An order's amount, one definition for routing's `amount:` conditions and the touchless policy's cap.
import type { OrderLine } from './order';

export type OrderAmount =
  | { value: number; estimatedLines: number }
  | { value: null; missing: { lineNumber: number; what: 'quantité' | 'prix' } | null };

/** Σ quantity × unit price, to the cent; the list price stands in for a missing unit price (counted). */
export function orderAmount(lines: readonly Pick<OrderLine, 'lineNumber' | 'sku' | 'quantity' | 'unitPrice'>[], listPrice: (sku: string) => number | null): OrderAmount {
  if (lines.length === 0) return { value: null, missing: null };
  let total = 0;
  let estimatedLines = 0;
  for (const l of lines) {
    const price = l.unitPrice ?? (l.sku ? listPrice(l.sku) : null);
    if (l.quantity === null || price === null) return { value: null, missing: { lineNumber: l.lineNumber, what: l.quantity === null ? 'quantité' : 'prix' } };
    if (l.unitPrice === null) estimatedLines++;
    total += l.quantity * price;
  }
  return { value: Math.round(total * 100) / 100, estimatedLines };
}
