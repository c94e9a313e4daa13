// The ERP read back, beside the workflows: for open orders, the portfolio classes (stock, credit,
// ship-to: domain/portfolio.ts); for orders in the ERP, their sales order's state (confirmed, shipped,
// invoiced). Written to the read model's ERP view for the inbox, search and dashboard. A pass is
// bounded (orders, customers) and an unreachable ERP only delays the next one.
import type { Logger } from 'pino';
import type { MasterData } from '../domain/masterdata';
import type { OrderState } from '../domain/order-model';
import { isOpen } from '../domain/order-state';
import { orderAmount } from '../domain/amount';
import { portfolioClasses } from '../domain/portfolio';
import type { ReadModel } from '../storage/read-model';
import type { ErpConnector, ErpCredit } from './connector';

export interface ErpWatchDeps {
  readModel: ReadModel;
  erp: ErpConnector;
  masterData: () => MasterData;
  log?: Logger;
  /** Orders looked at per pass (default 500); customers whose credit is read per pass (default 200). */
  maxOrders?: number;
  maxCustomers?: number;
}

/** Ship-to known to master data: its code or GLN among the customer's delivery addresses; null when the order names none. */
function shipToDeliverable(s: OrderState, md: MasterData): boolean | null {
  const { code, gln } = s.order.shipTo;
  if (!code && !gln) return null;
  const mine = md.addresses.filter((a) => a.customerId === s.customerId);
  return mine.some((a) => (code && a.code === code) || (gln && a.gln === gln));
}

/** One pass; returns how many orders' views were written. */
export async function refreshErpView(deps: ErpWatchDeps): Promise<number> {
  const md = deps.masterData();
  const now = new Date().toISOString();
  const all = deps.readModel.list({ limit: deps.maxOrders ?? 500 });
  const open = all.filter((s) => isOpen(s.status) && s.route);
  const inErp = all.filter((s) => s.erp && s.erp.connector === deps.erp.name && s.erp.state !== 'cancelled');

  const skus = [...new Set(open.flatMap((s) => s.order.lines.map((l) => l.sku).filter((x): x is string => Boolean(x))))];
  const stock = skus.length ? await deps.erp.readStock(skus) : new Map();
  const available = stock.size ? Object.fromEntries([...stock].map(([sku, st]) => [sku, st.forecast])) : null;
  const credits = new Map<string, ErpCredit | null>();
  for (const id of [...new Set(open.map((s) => s.customerId).filter((x): x is string => Boolean(x)))].slice(0, deps.maxCustomers ?? 200)) credits.set(id, await deps.erp.readCredit(id));

  let written = 0;
  for (const s of open) {
    const credit = s.customerId ? credits.get(s.customerId) : undefined;
    const amount = orderAmount(s.order.lines, (sku) => md.product(sku)?.listPrice ?? null).value;
    const classes = portfolioClasses({ order: s.order, problems: s.problems, stock: available, credit: credit ? { limit: credit.limit, used: credit.used } : null, amount, shipToDeliverable: shipToDeliverable(s, md) });
    deps.readModel.recordErpView(s.orderId, { classes, state: null, shipmentState: null, invoiceState: null, readAt: now });
    written++;
  }
  for (const s of inErp) {
    const st = await deps.erp.readOrderState(s.erp!.erpRef);
    if (!st) continue;
    deps.readModel.recordErpView(s.orderId, { classes: [], state: st.state, shipmentState: st.shipmentState, invoiceState: st.invoiceState, readAt: now });
    written++;
  }
  return written;
}

/** Refreshes every `everyMs` (default 60 s), one pass at a time. Returns a stop function. */
export function watchErp(deps: ErpWatchDeps, everyMs = 60_000): () => void {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const n = await refreshErpView(deps);
      deps.log?.debug({ orders: n }, 'ERP view refreshed');
    } catch (e) {
      deps.log?.warn({ reason: (e as Error).message }, 'ERP view not refreshed: the next pass tries again');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 2_000);
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  first.unref();
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
