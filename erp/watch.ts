// The ERP read back, beside the workflows: for open orders, the portfolio classes (stock, credit and
// its block, the ship-to in master data and in the ERP: domain/portfolio.ts); for orders in the ERP,
// their sales order's state (confirmed, shipped, invoiced). Written to the read model's ERP view for the inbox, search and dashboard. A pass is
// bounded (orders, customers) and an unreachable ERP only delays the next one.
import type { Logger } from 'pino';
import type { MasterData } from '../domain/masterdata';
import { isOpen } from '../domain/order-state';
import { orderAmount } from '../domain/amount';
import { portfolioClasses, shipToDeliverable } from '../domain/portfolio';
import type { ReadModel } from '../storage/read-model';
import type { ErpConnector, ErpCredit, ErpDeliveryAddress } from './connector';

export interface ErpWatchDeps {
  readModel: ReadModel;
  erp: ErpConnector;
  masterData: () => MasterData;
  log?: Logger;
  /** Orders looked at per pass (default 500); customers whose credit is read per pass (default 200). */
  maxOrders?: number;
  maxCustomers?: number;
}

/** What the ERP says of each customer with open orders: credit (and its block), delivery addresses; bounded per pass. */
async function readCustomers(erp: ErpConnector, ids: string[]): Promise<Map<string, { credit: ErpCredit | null; addresses: ErpDeliveryAddress[] | null }>> {
  const out = new Map<string, { credit: ErpCredit | null; addresses: ErpDeliveryAddress[] | null }>();
  for (const id of ids) out.set(id, { credit: await erp.readCredit(id), addresses: erp.readDeliveryAddresses ? await erp.readDeliveryAddresses(id) : null });
  return out;
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
  const customers = await readCustomers(deps.erp, [...new Set(open.map((s) => s.customerId).filter((x): x is string => Boolean(x)))].slice(0, deps.maxCustomers ?? 200));

  let written = 0;
  for (const s of open) {
    const erp = s.customerId ? customers.get(s.customerId) : undefined;
    const credit = erp?.credit;
    const amount = orderAmount(s.order.lines, (sku) => md.product(sku)?.listPrice ?? null).value;
    const deliverable = shipToDeliverable(s.order.shipTo, md.addresses.filter((a) => a.customerId === s.customerId), erp?.addresses ?? null);
    const classes = portfolioClasses({ order: s.order, problems: s.problems, stock: available, credit: credit ? { limit: credit.limit, used: credit.used, blocked: credit.blocked } : null, amount, shipToDeliverable: deliverable });
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
