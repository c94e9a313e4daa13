// The API channel: POST /api/orders and *.order.json files. The body is validated strictly, so a
// caller learns at once which field is wrong, and nothing is started for a bad body.
import { z } from 'zod';
import { MAX_CUSTOMER_ID_LENGTH, MAX_PO_LENGTH, purposeSchema } from '../domain/order';
import type { DraftOrder } from '../domain/resolve';
import { problem } from '../domain/order';
import type { Parser } from './types';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const apiLineSchema = z
  .object({
    lineNumber: z.number().int().positive().optional(),
    sku: z.string().min(1).optional(),
    customerPartNumber: z.string().min(1).optional(),
    ean: z.string().regex(/^\d{8,14}$/, 'expected 8 to 14 digits').optional(),
    description: z.string().optional(),
    quantity: z.number().positive('quantity must be more than 0'),
    unit: z.string().min(1).optional(),
    unitPrice: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((l) => l.sku || l.customerPartNumber || l.ean, { message: 'each line needs sku, customerPartNumber or ean' });

export const apiOrderSchema = z
  .object({
    customerId: z.string().min(1).max(MAX_CUSTOMER_ID_LENGTH),
    poNumber: z.string().min(1).max(MAX_PO_LENGTH),
    orderDate: isoDate.optional(),
    requestedDeliveryDate: isoDate.optional(),
    purpose: purposeSchema.default('original'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR').default('EUR'),
    shipTo: z
      .object({
        code: z.string().optional(),
        gln: z.string().regex(/^\d{13}$/).optional(),
        name: z.string().optional(),
        street: z.string().optional(),
        postalCode: z.string().optional(),
        city: z.string().optional(),
        country: z.string().regex(/^[A-Z]{2}$/, 'expected ISO 3166 alpha-2 such as FR').optional(),
      })
      .strict()
      .optional(),
    lines: z.array(apiLineSchema).min(1, 'an order needs at least one line'),
  })
  .strict();
export type ApiOrder = z.infer<typeof apiOrderSchema>;

export interface ApiIssue {
  path: string;
  message: string;
}

/** Validate an API body; on failure, the issues name each field ("lines.2.quantity"). */
export function validateApiOrder(body: unknown): { ok: true; order: ApiOrder } | { ok: false; issues: ApiIssue[] } {
  const r = apiOrderSchema.safeParse(body);
  if (r.success) return { ok: true, order: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })) };
}

export function apiOrderToDraft(o: ApiOrder): DraftOrder {
  return {
    poNumber: o.poNumber,
    orderDate: o.orderDate ?? null,
    requestedDeliveryDate: o.requestedDeliveryDate ?? null,
    purpose: o.purpose,
    currency: o.currency,
    customer: { id: o.customerId },
    shipTo: o.shipTo,
    lines: o.lines.map((l, i) => ({
      lineNumber: l.lineNumber ?? i + 1,
      sku: l.sku ?? null,
      customerPartNumber: l.customerPartNumber ?? null,
      ean: l.ean ?? null,
      description: l.description ?? null,
      quantity: l.quantity,
      unit: l.unit ?? null,
      unitPrice: l.unitPrice ?? null,
      confidence: 1,
    })),
    confidence: 1,
    provenance: { parser: 'api-json' },
  };
}

export const parseApiOrder: Parser = async (bytes, ctx) => {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    return { drafts: [], problems: [problem('UNREADABLE_JSON', `${ctx.meta.fileName}: not valid JSON (${(e as Error).message})`, 'error', ctx.meta.fileName)] };
  }
  const bodies = Array.isArray(body) ? body : [body];
  const drafts: DraftOrder[] = [];
  const problems = [];
  for (const [i, b] of bodies.entries()) {
    const v = validateApiOrder(b);
    if (v.ok) drafts.push(apiOrderToDraft(v.order));
    else
      for (const issue of v.issues)
        problems.push(problem('INVALID_ORDER_JSON', `${issue.path}: ${issue.message}`, 'error', `${ctx.meta.fileName}${bodies.length > 1 ? `[${i}]` : ''} ${issue.path}`));
  }
  return { drafts, problems };
};
