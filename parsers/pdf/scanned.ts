// Scanned pages inside a PDF (no text, one page-sized image): the embedded image is taken out at its
// native resolution with Debian's pdfimages (poppler-utils) — rendering the page at 300 dpi read far
// worse, and pdf.js garbles 1-bit images whose width is not a multiple of 8 — then handed to OCR.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { problem, type Problem } from '../../domain/order';
import type { DraftOrder } from '../../domain/resolve';
import { ReaderBusyError, type ParseContext } from '../types';
import { KEPT_IMAGE_BYTES, ocrImagePage, readImageOrder, rereadPageCells, type OcrPage } from '../ocr/index';
import type { PageImage as PreparedImage } from '../ocr/reread';
import type { PdfPage } from './read';

const execFileAsync = promisify(execFile);

/** pdfimages stopped at its time limit every time: the machine was too busy, not the PDF broken. */
export class PdfImagesBusyError extends ReaderBusyError {}

/**
 * The time pdfimages gets: 20 s, and 5 s more per MB of PDF (a big scan takes longer to copy out).
 * A run stopped at its limit is tried again with twice the time, at most three runs and 160 s in
 * all; only then does it throw PdfImagesBusyError, whose message says the machine was busy (never
 * that the PDF is broken). Any other failure is the PDF's, and is thrown as it is.
 */
export async function runPdfImages(args: string[], pdfBytes: number, run: (args: string[], timeoutMs: number) => Promise<{ stdout: string }> = defaultRun): Promise<{ stdout: string }> {
  let limit = Math.min(80_000, 20_000 + Math.ceil(pdfBytes / 1_000_000) * 5_000);
  let spent = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(args, limit);
    } catch (e) {
      const timedOut = (e as { killed?: boolean }).killed === true || (e as { signal?: string }).signal === 'SIGTERM';
      if (!timedOut) throw e;
      spent += limit;
      const next = Math.min(limit * 2, 160_000 - spent);
      if (attempt >= 3 || next < limit) throw new PdfImagesBusyError(`pdfimages was stopped at its time limit ${attempt} time(s) (${Math.round(spent / 1000)} s in all): the machine is too busy, the PDF is not known to be broken; read it again once the load is down (aiguillage retry, or Relancer)`);
      limit = next;
    }
  }
}

function defaultRun(args: string[], timeoutMs: number): Promise<{ stdout: string }> {
  return execFileAsync('pdfimages', args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 });
}

export interface PageImage {
  page: number;
  /** PNG (pdfimages -png keeps 1-bit and greyscale as they are). */
  image: Buffer;
  xDpi: number | null;
  yDpi: number | null;
}

/** The largest image of each listed page, with the resolution it is placed at. */
export async function extractPageImages(bytes: Buffer, pages: number[]): Promise<PageImage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'aiguillage-pdfimages-'));
  try {
    const pdf = join(dir, 'in.pdf');
    await writeFile(pdf, bytes);
    const out: PageImage[] = [];
    for (const page of pages) {
      const list = await runPdfImages(['-list', '-f', String(page), '-l', String(page), pdf], bytes.length);
      // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
      const rows = list.stdout.split('\n').slice(2).map((l) => l.trim().split(/\s+/)).filter((c) => c.length >= 14 && c[2] === 'image');
      if (rows.length === 0) continue;
      const biggest = rows.reduce((a, b) => (Number(a[3]) * Number(a[4]) >= Number(b[3]) * Number(b[4]) ? a : b));
      const prefix = join(dir, `p${page}`);
      await runPdfImages(['-png', '-f', String(page), '-l', String(page), pdf, prefix], bytes.length);
      const files = (await readdir(dir)).filter((f) => f.startsWith(`p${page}-`)).sort();
      const file = files[Number(biggest[1])] ?? files[0];
      if (!file) continue;
      out.push({ page, image: await readFile(join(dir, file)), xDpi: Number(biggest[12]) || null, yDpi: Number(biggest[13]) || null });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OCR of the scanned pages (parsers/ocr), read as one order; each failure names its page. */
export async function ocrScannedPages(bytes: Buffer, pages: PdfPage[], ctx: ParseContext): Promise<{ drafts: DraftOrder[]; problems: Problem[] }> {
  const name = ctx.meta.fileName;
  const problems: Problem[] = [];
  let images: PageImage[];
  try {
    images = await extractPageImages(bytes, pages.map((p) => p.page));
  } catch (e) {
    // A busy machine is no verdict on the document: the intake reads it again later.
    if (e instanceof PdfImagesBusyError) throw e;
    const list = pages.map((p) => p.page).join(', ');
    return { drafts: [], problems: [problem('PDF_IMAGE_UNREADABLE', `${name}: the scanned image of page(s) ${list} could not be taken out of the PDF (${(e as Error).message})`, 'error', `${name} p.${list}`)] };
  }
  // Kept for re-reading doubtful cells, within KEPT_IMAGE_BYTES (a page past it keeps its first reading).
  const prepared = new Map<number, PreparedImage>();
  let keptBytes = 0;
  const read = await Promise.all(
    images.map(async (img): Promise<OcrPage | null> => {
      try {
        const r = await ocrImagePage(img.image, { page: img.page, ...(img.xDpi ? { xDpi: img.xDpi } : {}), ...(img.yDpi ? { yDpi: img.yDpi } : {}) });
        if (keptBytes + r.prepared.image.length <= KEPT_IMAGE_BYTES) {
          prepared.set(img.page, r.prepared);
          keptBytes += r.prepared.image.length;
        }
        return { page: img.page, words: r.words, meanConfidence: r.meanConfidence, width: r.width, height: r.height };
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'OCR_FAILED';
        problems.push(problem(code, `${name}: the scanned page ${img.page} could not be read by OCR (${(e as Error).message})`, 'error', `${name} p.${img.page}`));
        return null;
      }
    }),
  );
  const ocrPages = read.filter((p): p is OcrPage => p !== null);
  if (ocrPages.length === 0) return { drafts: [], problems };
  // Numbers that fail a check are read again from their cells' crops (parsers/ocr/reread.ts).
  const rereads = await rereadPageCells(ocrPages, ctx.masterData, async (page) => prepared.get(page) ?? null);
  const reading = readImageOrder(ocrPages, { masterData: ctx.masterData, fileName: name, context: ctx.meta.context, receivedAt: ctx.meta.receivedAt, parser: 'pdf-ocr', ...(rereads ? { rereads } : {}) });
  return { drafts: reading.draft ? [reading.draft] : [], problems: [...problems, ...reading.problems] };
}
