// PDF bytes → positioned words per page (pdf.js text items; pdf.js parses in a worker thread under a
// work budget, parsers/pdf/thread.ts), and which pages
// are scans (no text, an image painted). Rows are rebuilt later from positions: getText joins cells
// with single spaces and loses every row of a table written column by column.
import { LIMITS } from '../limits';
import { pdfjs } from './pdfjs';
import { PdfThreadStopped, withPdfThread, type PdfBudget } from './thread';
import type { PageWords, PositionedWord } from '../layout/types';

export type PdfErrorCode = 'PDF_ENCRYPTED' | 'PDF_INVALID' | 'PDF_NO_PAGES' | 'PDF_TOO_MANY_PAGES' | 'PDF_TOO_COMPLEX' | 'PDF_TIMEOUT' | 'PDF_UNREADABLE';

export class PdfError extends Error {
  constructor(
    readonly code: PdfErrorCode,
    message: string,
    /** What the reader was doing, e.g. "reading the text of page 3". */
    readonly stage?: string,
  ) {
    super(message);
  }
}

export interface PdfPage extends PageWords {
  width: number;
  height: number;
  /** No text at all, and an image covering most of the page: a scan or a fax to OCR. */
  imageOnly: boolean;
  /** Text items on the page (0 for a scan). */
  textItems: number;
}

export interface PdfReadOptions {
  /** An order has a few pages; hundreds are a mistake or an attack. */
  maxPages?: number;
  /** Wall time (ms); default 4 × the processor budget, at least 20 s. */
  timeoutMs?: number;
  /** Processor time (ms); default LIMITS.pdfCpuMsPerMb per MB started. */
  cpuMs?: number;
}

// The few pdf.js shapes we use (pdf-parse does not re-export pdf.js types).
interface TextItem {
  str: string;
  fontName: string;
  transform: number[];
  width: number;
  height: number;
}
interface PdfJsPage {
  getViewport(p: { scale: number }): { width: number; height: number; convertToViewportPoint(x: number, y: number): number[] };
  getTextContent(): Promise<{ items: (TextItem | { type: string })[]; styles: Record<string, { fontFamily: string }> }>;
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[] }>;
  cleanup(): void;
}
interface PdfJsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfJsPage>;
}

// pdf.js OPS codes: graphics state and image painting (paintImageMaskXObject … paintInlineImageXObjectGroup).
const OPS = { save: 10, restore: 11, transform: 12 };
const IMAGE_OPS = new Set([83, 84, 85, 86, 87, 88]);

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  n[0] * m[0] + n[1] * m[2],
  n[0] * m[1] + n[1] * m[3],
  n[2] * m[0] + n[3] * m[2],
  n[2] * m[1] + n[3] * m[3],
  n[4] * m[0] + n[5] * m[2] + m[4],
  n[4] * m[1] + n[5] * m[3] + m[5],
];

/**
 * The largest painted image's share of the page. An image is drawn in the unit square, so its
 * size on the page is the current transformation matrix's scale: a scan fills the page, a logo does not.
 */
export function largestImageShare(ops: { fnArray: number[]; argsArray: unknown[] }, width: number, height: number): number {
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  let best = 0;
  ops.fnArray.forEach((fn, i) => {
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.transform) ctm = multiply(ctm, ops.argsArray[i] as Matrix);
    else if (IMAGE_OPS.has(fn)) {
      const w = Math.hypot(ctm[0], ctm[1]);
      const h = Math.hypot(ctm[2], ctm[3]);
      best = Math.max(best, (w * h) / (width * height));
    }
  });
  return best;
}

/**
 * One text item → words placed in proportion to their characters. A monospace item (an AS/400 line)
 * is cut at every space, exactly; a proportional one only at runs of spaces, because a per-character
 * estimate would push the end of a long designation into the next column.
 */
export function splitItem(text: string, x0: number, y0: number, x1: number, y1: number, monospace: boolean): PositionedWord[] {
  const out: PositionedWord[] = [];
  const perChar = text.length ? (x1 - x0) / text.length : 0;
  const re = monospace ? /\S+/g : /\S+(?: \S+)*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: m[0], x0: x0 + m.index * perChar, x1: x0 + (m.index + m[0].length) * perChar, y0, y1 });
  }
  return out;
}

function classify(e: unknown): PdfError {
  if (e instanceof PdfError) return e;
  const err = e as { name?: string; message?: string };
  const name = err?.name ?? '';
  const msg = err?.message ?? String(e);
  if (name === 'PasswordException' || /password/i.test(msg)) return new PdfError('PDF_ENCRYPTED', 'the PDF is password-protected; ask the sender for an unprotected copy');
  if (name === 'InvalidPDFException' || /invalid pdf|xref|startxref|Invalid PDF structure/i.test(msg)) return new PdfError('PDF_INVALID', `the PDF is damaged or truncated (${msg})`);
  return new PdfError('PDF_UNREADABLE', `the PDF could not be read (${msg})`);
}

/**
 * The work a PDF may cost before it is refused (PDF_TOO_COMPLEX): 1.5 s of processor time per MB
 * started, so that any input of up to 1 MB is read or refused within 2 s (issue #12). A sound order PDF
 * of a few pages is read in well under a tenth of that.
 */
export function pdfBudget(bytes: number, opts: PdfReadOptions = {}): PdfBudget {
  const mb = Math.max(1, Math.ceil(bytes / (1024 * 1024)));
  const cpuMs = opts.cpuMs ?? LIMITS.pdfCpuMsPerMb * mb;
  return { cpuMs, wallMs: opts.timeoutMs ?? Math.max(20_000, 4 * cpuMs), heapMb: LIMITS.pdfHeapMb };
}

function tooComplex(e: PdfThreadStopped, budget: PdfBudget): PdfError {
  const at = e.stage ? ` while ${e.stage}` : '';
  if (e.reason === 'memory') return new PdfError('PDF_TOO_COMPLEX', `reading the PDF needed more than ${budget.heapMb} MB of memory${at}; refused`, e.stage);
  if (e.reason === 'exit') return new PdfError('PDF_UNREADABLE', `the PDF reader stopped${at} (${e.message})`, e.stage);
  if (e.reason === 'wall') return new PdfError('PDF_TIMEOUT', `reading the PDF took more than ${(budget.wallMs / 1000).toFixed(1)} s${at}; refused`, e.stage);
  return new PdfError('PDF_TOO_COMPLEX', `reading the PDF took more than ${(budget.cpuMs / 1000).toFixed(1)} s of work${at}: it is damaged or built to be slow to read; refused`, e.stage);
}

/** Positioned words of every page, y pointing down, in PDF points. Throws PdfError. */
export async function readPdfPages(bytes: Buffer, opts: PdfReadOptions = {}): Promise<PdfPage[]> {
  const maxPages = opts.maxPages ?? 50;
  const budget = pdfBudget(bytes.length, opts);
  const { getDocument } = await pdfjs();
  try {
    return await withPdfThread(budget, async (worker, at) => {
      at('loading its structure (cross-reference table, catalogue, page tree)');
      // pdf.js takes ownership of the buffer it is given: hand it a copy.
      const task = getDocument({ data: new Uint8Array(bytes), worker, verbosity: 0, stopAtErrors: false, isEvalSupported: false });
      try {
        const doc = (await task.promise.catch((e: unknown) => {
          throw classify(e);
        })) as unknown as PdfJsDocument;
        if (doc.numPages === 0) throw new PdfError('PDF_NO_PAGES', 'the PDF has no pages');
        if (doc.numPages > maxPages) throw new PdfError('PDF_TOO_MANY_PAGES', `the PDF has ${doc.numPages} pages; an order has at most ${maxPages}`);
        const pages: PdfPage[] = [];
        for (let n = 1; n <= doc.numPages; n++) {
          at(`reading page ${n}`);
          const page = await doc.getPage(n);
          const vp = page.getViewport({ scale: 1 });
          at(`reading the text of page ${n}`);
          const content = await page.getTextContent();
          const words: PositionedWord[] = [];
          let textItems = 0;
          for (const it of content.items) {
            if (!('str' in it) || it.str.trim() === '') continue;
            textItems++;
            const [, , , d, e, f] = it.transform as [number, number, number, number, number, number];
            const h = Math.abs(it.height || d) || 1;
            const [x, yb] = vp.convertToViewportPoint(e, f) as [number, number];
            const mono = content.styles[it.fontName]?.fontFamily === 'monospace';
            words.push(...splitItem(it.str, x, yb - 0.8 * h, x + it.width, yb + 0.2 * h, mono));
          }
          let imageOnly = false;
          if (textItems === 0) {
            at(`reading the drawing of page ${n}`);
            const ops = await page.getOperatorList();
            // Half the page at least: a scanner's margins are cropped at times, a logo is far smaller.
            imageOnly = largestImageShare(ops, vp.width, vp.height) >= 0.5;
          }
          pages.push({ page: n, words, width: vp.width, height: vp.height, imageOnly, textItems });
          page.cleanup();
        }
        return pages;
      } finally {
        await task.destroy().catch(() => undefined);
      }
    });
  } catch (e) {
    if (e instanceof PdfThreadStopped) throw tooComplex(e, budget);
    throw classify(e);
  }
}
