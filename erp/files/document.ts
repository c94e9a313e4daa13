// The sales-order document the file connectors write: one per order, keyed by our order ID. Its
// JSON Schema (erp/schema/sales-order.schema.json) is generated from this zod schema, so the two
// cannot drift apart (test/unit/erp/files.test.ts).
import { z } from 'zod';
import type { Order } from '../../domain/order';
import { erpOrderKey } from '../connector';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const salesOrderDocumentSchema = z
  .object({
    schema: z.literal('aiguillage.sales-order/1'),
    key: z.string().describe('aiguillage:<orderId> — the same for every retry: an importer drops a key it already holds'),
    orderId: z.string(),
    createdAt: z.string().describe('when Aiguillage wrote the document (ISO 8601, UTC)'),
    poNumber: z.string().nullable(),
    orderDate: date.nullable(),
    requestedDeliveryDate: date.nullable(),
    currency: z.string().length(3).nullable(),
    soldTo: z.object({ customerId: z.string(), name: z.string().nullable() }),
    shipTo: z.object({
      code: z.string().nullable(), gln: z.string().nullable(), name: z.string().nullable(), street: z.string().nullable(),
      postalCode: z.string().nullable(), city: z.string().nullable(), country: z.string().length(2).nullable(),
    }),
    lines: z
      .array(z.object({
        lineNumber: z.number().int().positive(),
        sku: z.string().describe('our material number'),
        customerPartNumber: z.string().nullable().describe("the customer's material number"),
        ean: z.string().nullable(),
        description: z.string().nullable(),
        quantity: z.number().positive(),
        unit: z.string().nullable(),
        unitPrice: z.number().nonnegative().nullable(),
      }))
      .min(1),
  })
  .describe('One purchase order, read and checked by Aiguillage, to be created as a sales order in the ERP.');
export type SalesOrderDocument = z.infer<typeof salesOrderDocumentSchema>;

export class IncompleteOrder extends Error {}

/** Our order as the document; an order the ERP could not take (no customer, a line without SKU or quantity) is refused. */
export function salesOrderDocument(order: Order, orderId: string, createdAt: string): SalesOrderDocument {
  if (!order.customer.id) throw new IncompleteOrder('client non identifié');
  if (order.lines.length === 0) throw new IncompleteOrder('la commande n’a pas de ligne');
  const lines = order.lines.map((l) => {
    if (!l.sku) throw new IncompleteOrder(`ligne ${l.lineNumber} : référence article manquante`);
    if (!l.quantity) throw new IncompleteOrder(`ligne ${l.lineNumber} : quantité manquante`);
    return { lineNumber: l.lineNumber, sku: l.sku, customerPartNumber: l.customerPartNumber, ean: l.ean, description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice };
  });
  return {
    schema: 'aiguillage.sales-order/1', key: erpOrderKey(orderId), orderId, createdAt,
    poNumber: order.poNumber, orderDate: order.orderDate, requestedDeliveryDate: order.requestedDeliveryDate, currency: order.currency,
    soldTo: { customerId: order.customer.id, name: order.customer.name },
    shipTo: { ...order.shipTo },
    lines,
  };
}

export function salesOrderJsonSchema(): Record<string, unknown> {
  return { $id: 'https://aiguillage.local/schema/sales-order.schema.json', title: 'Aiguillage sales order', ...z.toJSONSchema(salesOrderDocumentSchema) };
}
