// What the real readers made of a generated document, compared with the fixture order it was made
// from: the benchmark reports reader misreads separately, so a dedup miss is not blamed on dedup
// when the reader lost the PO or the customer first. Faxes and scans are read by OCR here exactly
// as in the intake workflow, so what OCR read differently (PO, date, lines) shows up the same way.
import type { DedupOrder } from '../../domain/dedup';
import { normalisePo } from '../../domain/dedup';
import type { MasterData } from '../../domain/masterdata';
import type { Order } from '../../domain/order';
import { extractDocument } from '../../parsers/index';
import type { GeneratedDocument } from './documents';
import { createHash } from 'node:crypto';

const lineSet = (o: Pick<Order, 'lines'>): string => o.lines.map((l) => `${l.sku ?? '?'}*${l.quantity ?? '?'}`).sort().join(' ');

/** Differences between the fixture and the reader's order, in words ("PO: fixture X, read Y"). */
export function compareRead(fixture: DedupOrder, read: Order | undefined): string[] {
  if (!read) return ['no order read'];
  const f = fixture.order;
  const out: string[] = [];
  if (f.customer.id !== read.customer.id) out.push(`customer: fixture ${f.customer.id ?? 'none'}, read ${read.customer.id ?? 'none'}`);
  if (normalisePo(f.poNumber) !== normalisePo(read.poNumber)) out.push(`PO: fixture ${f.poNumber ?? 'none'}, read ${read.poNumber ?? 'none'}`);
  if (f.purpose !== read.purpose) out.push(`purpose: fixture ${f.purpose}, read ${read.purpose}`);
  if (f.orderDate !== read.orderDate) out.push(`order date: fixture ${f.orderDate ?? 'none'}, read ${read.orderDate ?? 'none'}`);
  if (lineSet(f) !== lineSet(read)) out.push(`lines: fixture "${lineSet(f)}", read "${lineSet(read)}"`);
  if ((f.shipTo.postalCode ?? null) !== (read.shipTo.postalCode ?? null)) {
    // Not a misread: with no delivery block printed, resolve takes the customer's usual address.
    const usual = !f.shipTo.postalCode && read.provenance.signals.some((x) => /^ship-to from master data \(none in the document\)/.test(x));
    out.push(usual ? `ship-to: none printed, usual address ${read.shipTo.postalCode} taken from master data` : `ship-to postcode: fixture ${f.shipTo.postalCode ?? 'none'}, read ${read.shipTo.postalCode ?? 'none'}`);
  }
  // Signals are compared by presence: the reader names them its own way ("marked COPIE").
  // "annule et remplace" and "commande modifiée" are read as the purpose, not as signals.
  const copyMarks = f.provenance.signals.filter((x) => !/annule et remplace|modifi/i.test(x));
  if (copyMarks.length > 0 && !read.provenance.signals.some((x) => /^marked |confirmation|another channel|also sent/.test(x))) out.push(`signals: fixture [${f.provenance.signals.join('; ')}], read none`);
  // How sure the reader said it was: a misread it was sure of goes straight into the dedup.
  if (out.length && read.provenance.parser === 'ocr') out.push(`OCR order confidence ${read.confidence.toFixed(2)}, lines ${read.lines.map((l) => l.confidence.toFixed(2)).join('/')}`);
  return out;
}

/** Runs the document through the same extraction the `extract` activity runs (no server). */
export async function readDocument(doc: GeneratedDocument, md: MasterData): Promise<{ orders: Order[]; problems: string[] }> {
  const sha256 = createHash('sha256').update(doc.bytes).digest('hex');
  const ex = await extractDocument(doc.bytes, { sha256, fileName: doc.fileName, mediaType: doc.mediaType, channel: doc.channel, receivedAt: doc.receivedAt, context: {} }, md);
  return { orders: ex.extracted.map((e) => e.order), problems: ex.result.problems.map((p) => p.code) };
}
