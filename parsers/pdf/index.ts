// PDF orders: text PDFs are read from pdf.js text positions (rows rebuilt by parsers/layout), scanned
// pages (no text, one image) go to OCR. A damaged, encrypted or empty PDF is a clear problem, never a crash.
import { problem, type Problem } from '../../domain/order';
import type { DraftOrder } from '../../domain/resolve';
import { withPricesEvidence } from '../text/prices';
import { readOrder } from '../layout/order';
import type { Parser } from '../types';
import { readPdfPages, PdfError, type PdfPage } from './read';
import { ocrScannedPages } from './scanned';

export const parsePdf: Parser = async (bytes, ctx) => {
  const name = ctx.meta.fileName;
  let pages: PdfPage[];
  try {
    pages = await readPdfPages(bytes);
  } catch (e) {
    const err = e instanceof PdfError ? e : new PdfError('PDF_UNREADABLE', (e as Error).message);
    return { drafts: [], problems: [problem(err.code, `${name}: ${err.message}`, 'error', err.stage ? `${name} (${err.stage})` : name)] };
  }
  const problems: Problem[] = [];
  const drafts: DraftOrder[] = [];
  const ref = new Date(ctx.meta.receivedAt);
  const refDate = Number.isNaN(ref.getTime()) ? undefined : ref;

  const textPages = pages.filter((p) => !p.imageOnly && p.textItems > 0);
  const scanned = pages.filter((p) => p.imageOnly);
  if (textPages.length) {
    const sentAt = ctx.meta.context.sentAt;
    const sent = sentAt ? { at: sentAt, what: "the e-mail's Date header" } : refDate ? { at: ctx.meta.receivedAt, what: 'the day it was received', byReceipt: true } : undefined;
    // The file's name and the e-mail's subject are the sender's, apart from the printed text: they may carry the PO number.
    const names = [{ what: ctx.meta.context.subject === undefined ? 'the file name' : "the attachment's file name", text: name }, ...(ctx.meta.context.subject ? [{ what: "the e-mail's subject", text: ctx.meta.context.subject }] : [])];
    const r = readOrder(textPages, ctx.masterData, { parser: 'pdf-text', location: `${name} p.${textPages.map((p) => p.page).join(',')}`, names, ...(refDate ? { ref: refDate } : {}), ...(sent ? { sent } : {}) });
    problems.push(...r.problems.map((p) => ({ ...p, where: p.where ? `${name}: ${p.where}` : name })));
    // Scanned pages beside the text ones may print the prices: the text alone cannot say there are none.
    if (r.draft) drafts.push(scanned.length ? (withPricesEvidence(r.draft, { text: '', partial: true }) ?? r.draft) : r.draft);
  }
  if (scanned.length) {
    const o = await ocrScannedPages(bytes, scanned, ctx);
    problems.push(...o.problems);
    drafts.push(...o.drafts);
  }
  if (!textPages.length && !scanned.length) problems.push(problem('PDF_EMPTY', `${name}: the PDF has neither text nor a scanned image on any page`, 'error', name));
  return { drafts, problems };
};
