// Activities of the ERP boundary (erp/): the order workflow asks the configured connector to create
// the sales order; a refusal is an answer (the ERP's reason, recorded in the order's history), an
// unreachable ERP an error Temporal retries. The touchless decision gathers its facts here (our
// history, the ERP's stock and credit) and is decided by domain/touchless.ts.
import type { Logger } from 'pino';
import type { Channel, Order, Problem } from '../domain/order';
import type { MasterData } from '../domain/masterdata';
import type { ErpAnswer, ErpCancelAnswer } from '../domain/order-state';
import { decideTouchless, explainTouchless, worthAskingErp, type TouchlessFacts, type TouchlessPolicy } from '../domain/touchless';
import type { OrderStatus } from '../workflows/definitions';
import { ErpRefused, type ErpConnector, type ErpStage } from '../erp/connector';
import { shipToDeliverable } from '../domain/portfolio';
import type { ReadModel } from '../storage/read-model';

export interface ErpDeps {
  /** The connector config/erp.yaml chose; null: no ERP connector (manual entry only). */
  erp?: ErpConnector | null;
  /** The touchless policy in force (routing-rules/touchless.ts); absent or null: touchless off. */
  touchless?: () => TouchlessPolicy | null;
  readModel?: ReadModel;
  masterData?: () => MasterData;
  log: Logger;
}

export interface TouchlessInput {
  orderId: string;
  order: Order;
  channel: Channel | null;
  status: OrderStatus;
  problems: Problem[];
  receivedAt: string;
  duplicatesToCheck: number;
}

/** What the workflow needs of a decision: yes or no, why, and how far the ERP's order goes. */
export interface TouchlessVerdict {
  touchless: boolean;
  policyVersion: string | null;
  reasons: string[];
  erpStage: ErpStage;
  /** Everything else passed and the ERP was asked: a no is then the ERP's (stock-out, credit limit), worth telling the agent. */
  askedErp: boolean;
}

/** Orders of a customer received before this one: is this their first? */
export function previousOrdersOf(readModel: ReadModel | undefined, customerId: string | null, orderId: string, receivedAt: string): number {
  if (!readModel || !customerId) return 0;
  return readModel.countEarlier(customerId, receivedAt, orderId);
}

export function createErpActivities(deps: ErpDeps) {
  return {
    async createInErp({ orderId, order, by, stage }: { orderId: string; order: Order; by: string; stage?: ErpStage }): Promise<ErpAnswer> {
      if (!deps.erp) return { kind: 'refused', reason: "Aucun connecteur ERP n'est configuré (config/erp.yaml) : saisissez la commande dans l'ERP puis « Saisie faite »." };
      try {
        const r = await deps.erp.createSalesOrder(order, orderId, stage ? { stage } : {});
        deps.log.info({ orderId, by, connector: r.connector, erpRef: r.erpRef, number: r.number, created: r.created }, r.created ? 'sales order created in the ERP' : 'sales order already in the ERP');
        return { kind: 'created', connector: r.connector, erpRef: r.erpRef, number: r.number, state: r.state, created: r.created };
      } catch (e) {
        if (e instanceof ErpRefused) {
          deps.log.info({ orderId, by, connector: deps.erp.name, reason: e.reason, code: e.code }, 'the ERP refused the sales order');
          return { kind: 'refused', reason: `${deps.erp.name} : ${e.reason}` };
        }
        throw e;
      }
    },

    /** Undo of a touchless entry: the sales order cancelled in the ERP; a refusal is the ERP's reason. */
    async cancelInErp({ orderId, erpRef, by }: { orderId: string; erpRef: string; by: string }): Promise<ErpCancelAnswer> {
      if (!deps.erp?.cancelSalesOrder) return { kind: 'refused', reason: `le connecteur ${deps.erp?.name ?? 'ERP'} ne sait pas annuler une vente : annulez-la dans l'ERP` };
      try {
        const r = await deps.erp.cancelSalesOrder(erpRef);
        deps.log.info({ orderId, by, erpRef, state: r.state }, 'sales order cancelled in the ERP');
        return { kind: 'cancelled', state: r.state };
      } catch (e) {
        if (e instanceof ErpRefused) return { kind: 'refused', reason: `${deps.erp.name} : ${e.reason}` };
        throw e;
      }
    },

    /** The touchless policy in force, applied to the order as routed; the ERP is asked for stock and credit only when nothing else stops it. */
    async decideTouchless(input: TouchlessInput): Promise<TouchlessVerdict> {
      const policy = deps.touchless?.() ?? null;
      if (!policy) return { touchless: false, policyVersion: null, reasons: [], erpStage: 'confirmed', askedErp: false };
      const md = deps.masterData?.();
      const facts: TouchlessFacts = {
        order: input.order,
        channel: input.channel,
        status: input.status,
        problems: input.problems,
        previousOrders: previousOrdersOf(deps.readModel, input.order.customer.id, input.orderId, input.receivedAt),
        duplicatesToCheck: input.duplicatesToCheck,
        listPrice: (sku) => md?.product(sku)?.listPrice ?? null,
        stock: null,
        credit: null,
      };
      let d = decideTouchless(policy, facts);
      let askedErp = false;
      if (!d.touchless && worthAskingErp(d) && deps.erp && input.order.customer.id) {
        askedErp = true;
        const skus = [...new Set(input.order.lines.map((l) => l.sku).filter((s): s is string => Boolean(s)))];
        try {
          const [stock, credit, addresses] = await Promise.all([deps.erp.readStock(skus), deps.erp.readCredit(input.order.customer.id), deps.erp.readDeliveryAddresses?.(input.order.customer.id) ?? null]);
          d = decideTouchless(policy, {
            ...facts,
            stock: stock.size > 0 ? Object.fromEntries([...stock].map(([sku, s]) => [sku, s.forecast])) : null,
            credit: credit ? { limit: credit.limit, used: credit.used, blocked: credit.blocked } : null,
            shipToDeliverable: md ? shipToDeliverable(input.order.shipTo, md.addresses.filter((a) => a.customerId === input.order.customer.id), addresses) : null,
          });
        } catch (e) {
          deps.log.warn({ orderId: input.orderId, reason: (e as Error).message }, 'ERP not reachable for stock and credit: not touchless');
        }
      }
      deps.log.info({ orderId: input.orderId, touchless: d.touchless, policyVersion: d.policyVersion, why: explainTouchless(d) }, d.touchless ? 'order passes the touchless policy' : 'order not touchless');
      return { touchless: d.touchless, policyVersion: d.policyVersion, reasons: (d.touchless ? d.checks : d.checks.filter((c) => !c.ok)).map((c) => c.why), erpStage: policy.erpStage, askedErp };
    },
  };
}
