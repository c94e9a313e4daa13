// How orders and documents are keyed: one place, so that every channel, the CLI and the web agree.
// No Node built-ins: workflow code imports this.

/** "PO 2026/00123", "po-2026-00123 " → "2026-00123"-like canonical form for matching. */
export function normalisePo(po: string): string {
  const up = po.normalize('NFKC').toUpperCase().trim();
  // Labels that people type in front of the number are not part of it.
  const stripped = up.replace(/^(?:P\.?O\.?|N°|NO\.?|BC|CDE|CMD|COMMANDE)\s*[:#.\s-]\s*/u, '');
  const compact = stripped.replace(/[^A-Z0-9]/g, '');
  return /^\d+$/.test(compact) ? compact.replace(/^0+(?=\d)/, '') : compact;
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
