// Activities of the ERP boundary (erp/): the order workflow asks the configured connector to create
// the sales order; a refusal is an answer (the ERP's reason, recorded in the order's history), an
// unreachable ERP an error Temporal retries.
import type { Logger } from 'pino';
import type { Order } from '../domain/order';
import type { ErpAnswer } from '../domain/order-state';
import { ErpRefused, type ErpConnector } from '../erp/connector';

export interface ErpDeps {
  /** The connector config/erp.yaml chose; null: no ERP connector (manual entry only). */
  erp?: ErpConnector | null;
  log: Logger;
}

export function createErpActivities(deps: ErpDeps) {
  return {
    async createInErp({ orderId, order, by }: { orderId: string; order: Order; by: string }): Promise<ErpAnswer> {
      if (!deps.erp) return { kind: 'refused', reason: "Aucun connecteur ERP n'est configuré (config/erp.yaml) : saisissez la commande dans l'ERP puis « Saisie faite »." };
      try {
        const r = await deps.erp.createSalesOrder(order, orderId);
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
  };
}
