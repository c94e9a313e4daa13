// How orders and documents are keyed: one place, so that every channel, the CLI and the web agree.
// No Node built-ins: workflow code imports this.

import { normalisePo as canonicalPo } from './dedup';

/**
 * One PO normalisation for keys and dedup alike (see domain/dedup.ts): case, accents, spaces and
 * punctuation do not make another order; only unmistakable labels ("N° ", "Réf : ") are dropped.
 */
export function normalisePo(po: string): string {
  return canonicalPo(po) ?? '';
}

/** Key of an order: customer + normalised PO. Orders without either get a key of their own document. */
export function orderKey(customerId: string | null, poNumber: string | null, documentSha256: string, index: number): string {
  if (customerId && poNumber && normalisePo(poNumber)) return `${safe(customerId)}-${normalisePo(poNumber)}`;
  const who = customerId ? safe(customerId) : 'unknown';
  return `${who}-doc-${documentSha256.slice(0, 16)}-${index + 1}`;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_');
}
