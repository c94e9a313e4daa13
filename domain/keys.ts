// How orders and documents are keyed: one place, so that every channel, the CLI and the web agree.
// No Node built-ins: workflow code imports this.

import { normalisePo } from './dedup';
import { MAX_CUSTOMER_ID_LENGTH, poTooLong } from './po-limits';

/**
 * Key of an order: customer + normalised PO. Orders without either get a key of their own document,
 * as do those whose PO or customer ID is too long to be one (the key is a workflow ID: bounded).
 */
export function orderKey(customerId: string | null, poNumber: string | null, documentSha256: string, index: number): string {
  const who = customerId && customerId.length <= MAX_CUSTOMER_ID_LENGTH ? safe(customerId) : 'unknown';
  // One PO normalisation for keys and dedup alike (domain/dedup.ts): case, accents, spaces and punctuation do not make another order.
  const po = poNumber && !poTooLong(poNumber) ? (normalisePo(poNumber) ?? '') : '';
  if (who !== 'unknown' && po) return `${who}-${po}`;
  return `${who}-doc-${documentSha256.slice(0, 16)}-${index + 1}`;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_');
}
