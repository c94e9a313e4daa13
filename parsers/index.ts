// bytes → DocumentResult. Pure apart from what the parsers themselves need (OCR workers):
// used by the CLI `extract` (no Temporal) and by the `extract` activity alike.
import { createHash } from 'node:crypto';
import { documentResultSchema, problem, type DocumentMeta, type DocumentResult, type Order, type Problem } from '../domain/order';
import type { MasterData } from '../domain/masterdata';
import { resolveOrder } from '../domain/resolve';
import { sniff, type DocumentKind } from './sniff';
import { parseApiOrder } from './api-order';
import { ReaderBusyError, type ParseContext, type Parser } from './types';
import { LIMITS } from './limits';
import { capDraft } from './caps';

// Loaded on first use: the OCR and PDF engines are heavy, and most runs need one or two readers.
const PARSERS: Partial<Record<DocumentKind, () => Promise<Parser>>> = {
  notice: async () => (await import('./notice')).parseNotice,
  'api-json': async () => parseApiOrder,
  x12: async () => (await import('./edi/index')).parseEdi,
  edifact: async () => (await import('./edi/index')).parseEdi,
  email: async () => (await import('./email/index')).parseEmail,
  pdf: async () => (await import('./pdf/index')).parsePdf,
  tiff: async () => (await import('./ocr/index')).parseImage,
  png: async () => (await import('./ocr/index')).parseImage,
  jpeg: async () => (await import('./ocr/index')).parseImage,
  text: async () => (await import('./text/document')).parseTextDocument,
};

export const MEDIA_TYPES: Record<DocumentKind, string> = {
  notice: 'application/vnd.aiguillage.notice+json',
  'api-json': 'application/json',
  x12: 'application/edi-x12',
  edifact: 'application/edifact',
  email: 'message/rfc822',
  pdf: 'application/pdf',
  tiff: 'image/tiff',
  png: 'image/png',
  jpeg: 'image/jpeg',
  text: 'text/plain',
  unknown: 'application/octet-stream',
};

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function describeDocument(bytes: Buffer, partial: Omit<DocumentMeta, 'sha256' | 'mediaType' | 'context'> & { context?: Record<string, string> }): DocumentMeta {
  return { sha256: sha256(bytes), mediaType: MEDIA_TYPES[sniff(bytes)], context: {}, ...partial };
}

/** One extracted order with the problems that belong to it (anomalies for the order workflow). */
export interface ExtractedOrder {
  order: Order;
  problems: Problem[];
}

export interface Extraction {
  result: DocumentResult;
  extracted: ExtractedOrder[];
  /** True when nothing usable came out: the document goes to quarantine with these problems. */
  unreadable: boolean;
}

const MAX_DEPTH = 4;

/** A document nothing could be read from, for one reason (a reader past its deadline, a crash). */
export function failedExtraction(meta: DocumentMeta, reason: Problem): Extraction {
  const result: DocumentResult = documentResultSchema.parse({ document: meta, orders: [], problems: [reason] });
  return { result, extracted: [], unreadable: true };
}

export async function extractDocument(bytes: Buffer, meta: DocumentMeta, masterData: MasterData, depth = 0): Promise<Extraction> {
  const kind = sniff(bytes);
  const docProblems: Problem[] = [];
  const extracted: ExtractedOrder[] = [];
  const loadParser = PARSERS[kind];
  if (bytes.length === 0) {
    docProblems.push(problem('EMPTY_DOCUMENT', `${meta.fileName}: the file is empty`, 'error', meta.fileName));
  } else if (!loadParser) {
    docProblems.push(problem('UNRECOGNISED_FORMAT', `${meta.fileName}: not an order format Aiguillage reads (looks like ${kind}); expected EDI, email, PDF, image or order JSON`, 'error', meta.fileName));
  } else if (bytes.length > LIMITS.documentBytes) {
    docProblems.push(problem('DOCUMENT_TOO_LARGE', `${meta.fileName}: ${(bytes.length / 1048576).toFixed(1)} MB, above the ${LIMITS.documentBytes / 1048576} MB a document may hold; not opened`, 'error', meta.fileName));
  } else if (depth > MAX_DEPTH) {
    docProblems.push(problem('TOO_DEEPLY_NESTED', `${meta.fileName}: documents nested more than ${MAX_DEPTH} deep are not opened`, 'error', meta.fileName));
  } else {
    const ctx: ParseContext = {
      meta,
      masterData,
      depth,
      extractNested: async (b, fileName, context) => {
        const nestedMeta: DocumentMeta = { ...meta, sha256: sha256(b), fileName, mediaType: MEDIA_TYPES[sniff(b)], context: { ...meta.context, ...context } };
        return (await extractDocument(b, nestedMeta, masterData, depth + 1)).result;
      },
    };
    try {
      const parser = await loadParser();
      const out = await parser(bytes, ctx);
      docProblems.push(...out.problems);
      if (out.drafts.length > LIMITS.documentOrders) docProblems.push(problem('TOO_MANY_ORDERS', `${meta.fileName}: ${out.drafts.length} orders, above the ${LIMITS.documentOrders} a document may hold; the first ${LIMITS.documentOrders} were kept`, 'error', meta.fileName));
      for (const d of out.drafts.slice(0, LIMITS.documentOrders)) {
        const capped = capDraft(d, meta.fileName);
        const r = resolveOrder(d, masterData, { receivedAt: meta.receivedAt });
        extracted.push({ order: r.order, problems: [...capped, ...r.problems] });
      }
      for (const nested of out.resolved ?? []) {
        for (const o of nested.orders) extracted.push({ order: o, problems: nested.problems.filter((p) => p.severity !== 'info') });
        if (nested.orders.length === 0) docProblems.push(...nested.problems);
      }
    } catch (e) {
      if (e instanceof ReaderBusyError) throw e;
      // A parser bug must not lose the document: report it as unreadable, with the reason.
      docProblems.push(problem('PARSER_FAILED', `${meta.fileName}: could not be read (${(e as Error).message})`, 'error', meta.fileName));
    }
  }
  const result: DocumentResult = documentResultSchema.parse({
    document: meta,
    orders: extracted.map((e) => e.order),
    problems: [...docProblems, ...extracted.flatMap((e) => e.problems)],
  });
  return { result, extracted, unreadable: extracted.length === 0 };
}
