// The canonical order, as DESIGN.md defines it: every channel's parser ends here.
// Unknown values are null, never invented.
import { z } from 'zod';

export const CHANNELS = ['email', 'fax', 'scan', 'edi', 'api', 'folder'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const PURPOSES = ['original', 'replace', 'cancel'] as const;
export const purposeSchema = z.enum(PURPOSES);
export type Purpose = z.infer<typeof purposeSchema>;

export { MAX_CUSTOMER_ID_LENGTH, MAX_PO_LENGTH, poTooLong } from './po-limits';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const confidence = z.number().min(0).max(1);

/**
 * Where a value was read on the source document: a page (0-based) and a box in fractions of the
 * page's width and height, so that PDF points and fax pixels compare and draw alike.
 */
export const sourceBoxSchema = z.object({
  page: z.number().int().nonnegative(),
  x0: z.number().min(0).max(1),
  y0: z.number().min(0).max(1),
  x1: z.number().min(0).max(1),
  y1: z.number().min(0).max(1),
});
export type SourceBox = z.infer<typeof sourceBoxSchema>;

/**
 * Why a header value or an order line is believed (document readers only): where it came from
 * ('document': printed; 'channel': the e-mail or fax transmission; 'master-data'; 'default': nothing
 * printed), by which rule, what corroborates it, and whether it is flagged for an agent (a problem
 * then names it).
 */
export const fieldEvidenceSchema = z.object({
  source: z.enum(['document', 'channel', 'master-data', 'default']),
  rule: z.string(),
  /** The value or label as printed, when it was printed. */
  text: z.string().nullable().default(null),
  corroboratedBy: z.array(z.string()).default([]),
  flagged: z.boolean().default(false),
});
export type FieldEvidence = z.infer<typeof fieldEvidenceSchema>;

export const orderLineSchema = z.object({
  lineNumber: z.number().int().positive(),
  sku: z.string().min(1).nullable(),
  customerPartNumber: z.string().min(1).nullable(),
  ean: z.string().regex(/^\d{8,14}$/, 'expected an EAN/GTIN of 8 to 14 digits').nullable(),
  description: z.string().nullable(),
  quantity: z.number().positive().nullable(),
  unit: z.string().nullable(),
  unitPrice: z.number().nonnegative().nullable(),
  confidence,
  /** Why confidence is low, for the agent ("SKU read as VIS-44O, snapped to VIS-440"). */
  doubts: z.array(z.string()).default([]),
  /** Where the line was printed (document readers only), for the order page's highlights. */
  source: sourceBoxSchema.nullable().optional(),
  /** Document readers only: how the article was identified (rule, reference printed) and what corroborates the line; flagged when something contradicts it (a doubt and a problem say what). */
  evidence: fieldEvidenceSchema.optional(),
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const customerRefSchema = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  /** Which evidence identified the customer: 'x12_id', 'edifact_gln', 'email_domain', 'vat_number', 'siret', 'fax', 'phone', 'name', 'api', or null when unknown. */
  matchedBy: z.string().nullable(),
});

export const addressSchema = z.object({
  code: z.string().nullable(),
  gln: z.string().nullable(),
  name: z.string().nullable(),
  street: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().length(2).nullable(),
});
export type Address = z.infer<typeof addressSchema>;

export const provenanceSchema = z.object({
  /** The parser that produced the order, e.g. 'api-json', 'x12-850', 'edifact-orders', 'email-body', 'pdf-text', 'ocr'. */
  parser: z.string(),
  /** Where in the document: transaction control number, message reference, page, attachment name… */
  location: z.string().nullable().default(null),
  /** Free-form signals for deduplication and review (e.g. 'marked COPIE', 'test indicator'). */
  signals: z.array(z.string()).default([]),
});

export const orderSchema = z.object({
  poNumber: z.string().min(1).nullable(),
  orderDate: isoDate.nullable(),
  requestedDeliveryDate: isoDate.nullable(),
  purpose: purposeSchema,
  currency: z.string().length(3).nullable(),
  customer: customerRefSchema,
  shipTo: addressSchema,
  lines: z.array(orderLineSchema),
  confidence,
  provenance: provenanceSchema,
  /** Where header fields were printed, by field name ('poNumber', 'orderDate'…); document readers only. */
  sources: z.record(z.string(), sourceBoxSchema).optional(),
  /** Evidence per header field ('poNumber', 'orderDate', 'requestedDeliveryDate', 'customer', 'shipTo'), and 'prices' (text readers: rule 'no-price-printed' only when certain); document readers only. */
  evidence: z.record(z.string(), fieldEvidenceSchema).optional(),
});
export type Order = z.infer<typeof orderSchema>;

export const problemSchema = z.object({
  code: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  /** Where: 'file.edi:12', 'line 3 / quantity', 'segment PO1 #4'. */
  where: z.string().nullable().default(null),
});
export type Problem = z.infer<typeof problemSchema>;

export const documentMetaSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  fileName: z.string(),
  mediaType: z.string(),
  channel: channelSchema,
  receivedAt: z.string(), // ISO 8601
  /** Channel context: sender address, subject, partner id, mailbox, fax number… */
  context: z.record(z.string(), z.string()).default({}),
});
export type DocumentMeta = z.infer<typeof documentMetaSchema>;

export const documentResultSchema = z.object({
  document: documentMetaSchema,
  orders: z.array(orderSchema),
  problems: z.array(problemSchema),
});
export type DocumentResult = z.infer<typeof documentResultSchema>;

export function problem(code: string, message: string, severity: Problem['severity'] = 'error', where: string | null = null): Problem {
  return { code, message, severity, where };
}

export function emptyAddress(): Address {
  return { code: null, gln: null, name: null, street: null, postalCode: null, city: null, country: null };
}
