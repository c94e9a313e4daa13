// Faxes, scans and photos of orders (TIFF, PNG, JPEG) → draft orders, through OCR. Also the entry
// point the PDF reader uses for image-only pages (ocrImagePage).
import sharp from 'sharp';
import { problem, type Problem } from '../../domain/order';
import type { MasterData } from '../../domain/masterdata';
import type { Parser } from '../types';
import { OcrError, currentOcrPool, type OcrPageResult, type OcrRecognizer } from './engine';
import { blackAndWhite, ImageError, MAX_PAGE_PIXELS, preparePage, describePages, type PreparedPage } from './image';
import { cellsToReadAgain, readImageOrder, type OcrPage } from './order';
import { rereadCells, type CellRereads, type PageImage } from './reread';

export { readImageOrder } from './order';
export type { OcrPage } from './order';
export { OcrPool, closeSharedOcrPool, sharedOcrPool, useOcrRecognizer } from './engine';

export interface OcrImageOptions {
  /** The pool to use (default: the process-wide one). */
  pool?: OcrRecognizer;
  /** Resolution of the image when known (a PDF's image placement gives it); fax 204×98 needs both. */
  xDpi?: number;
  yDpi?: number;
  /** Undecoded pixels (pdf.js image data): 1 (grey), 3 (RGB) or 4 (RGBA) channels. */
  raw?: { width: number; height: number; channels: 1 | 3 | 4 };
  /** 1-based page number, for problems. */
  page?: number;
}

/**
 * One page image (PNG, JPEG, TIFF page or raw pixels) → words with confidence and Tesseract's
 * line ids. Throws ImageError (too large, unreadable) or OcrError (engine failure), each with a
 * code and a message for the user.
 */
export async function ocrImagePage(image: Buffer, opts: OcrImageOptions = {}): Promise<OcrPageResult & { width: number; height: number; prepared: PageImage }> {
  const prepared = await prepareAny(image, opts);
  const pool = opts.pool ?? currentOcrPool();
  let r = await pool.recognize(prepared.image, { dpi: prepared.dpi }, prepared.width * prepared.height);
  // No word at all: read once more in black and white (grey scan noise can hide a page's few faint lines).
  const bw = r.words.length === 0 ? blackAndWhite(prepared) : null;
  if (bw) r = await pool.recognize(bw, { dpi: prepared.dpi }, prepared.width * prepared.height);
  // The frame the word boxes refer to (the prepared image), so that values can be highlighted on the
  // page; the prepared image itself, so that a doubtful cell can be read again (rereadPageCells).
  return { ...r, width: prepared.width, height: prepared.height, prepared: { image: prepared.image, width: prepared.width, height: prepared.height, dpi: prepared.dpi } };
}

/** Prepared page images kept for re-reading cells: up to this many bytes; further pages are prepared again when asked for. */
export const KEPT_IMAGE_BYTES = 64 * 1024 * 1024;

/**
 * The number cells of rows whose numbers fail a check, read again from their crops (reread.ts);
 * undefined when no row needs it. Never throws: a crop that cannot be read leaves the page's reading.
 */
export async function rereadPageCells(pages: OcrPage[], md: MasterData, pageImage: (page: number) => Promise<PageImage | null>, pool: OcrRecognizer = currentOcrPool()): Promise<CellRereads | undefined> {
  const crops = cellsToReadAgain(pages, md);
  if (crops.length === 0) return undefined;
  return rereadCells(crops, async (page) => pageImage(page).catch(() => null), pool);
}

async function prepareAny(image: Buffer, opts: OcrImageOptions): Promise<PreparedPage> {
  const page = opts.page ?? 1;
  if (opts.raw) {
    const { width, height, channels } = opts.raw;
    if (width * height > MAX_PAGE_PIXELS) throw new ImageError('IMAGE_TOO_LARGE', `page ${page} image is ${width}×${height} pixels, above the ${MAX_PAGE_PIXELS / 1e6} Mpx limit`, page);
    if (image.length < width * height * channels) throw new ImageError('IMAGE_UNREADABLE', `page ${page} image data is shorter than ${width}×${height}×${channels} bytes`, page);
    const png = await sharp(image, { raw: { width, height, channels } }).png({ compressionLevel: 0 }).toBuffer();
    const info = { index: 0, width, height, xDpi: opts.xDpi ?? null, yDpi: opts.yDpi ?? opts.xDpi ?? null, isTiff: false };
    return { ...(await preparePage(png, info)), page };
  }
  const [first] = await describePages(image);
  const info = { ...first!, xDpi: opts.xDpi ?? first!.xDpi, yDpi: opts.yDpi ?? opts.xDpi ?? first!.yDpi };
  return { ...(await preparePage(image, info)), page };
}

export const parseImage: Parser = async (bytes, ctx) => {
  const file = ctx.meta.fileName;
  const problems: Problem[] = [];
  let infos: Awaited<ReturnType<typeof describePages>>;
  try {
    infos = await describePages(bytes);
  } catch (e) {
    if (e instanceof ImageError) return { drafts: [], problems: [problem(e.code, `${file}: ${e.message}`, 'error', e.page ? `${file} page ${e.page}` : file)] };
    throw e;
  }
  const pool = currentOcrPool();
  // Pages are prepared one after the other but recognised in parallel by the pool; preparation
  // stays at most one page ahead of the workers, so a 100-page fax does not sit in memory.
  const jobs: Promise<OcrPage | null>[] = [];
  const inFlight = new Set<Promise<unknown>>();
  // Kept for re-reading doubtful cells, within KEPT_IMAGE_BYTES.
  const kept = new Map<number, PageImage>();
  let keptBytes = 0;
  for (const info of infos) {
    while (inFlight.size > pool.size) await Promise.race(inFlight);
    let prepared: PreparedPage;
    try {
      prepared = await preparePage(bytes, info);
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      problems.push(problem(e.code, `${file}: ${e.message}`, 'error', `${file} page ${info.index + 1}`));
      continue;
    }
    if (keptBytes + prepared.image.length <= KEPT_IMAGE_BYTES) {
      kept.set(prepared.page, { image: prepared.image, width: prepared.width, height: prepared.height, dpi: prepared.dpi });
      keptBytes += prepared.image.length;
    }
    const job = pool.recognize(prepared.image, { dpi: prepared.dpi }, prepared.width * prepared.height).then(
      (r): OcrPage => ({ page: prepared.page, words: r.words, meanConfidence: r.meanConfidence, width: prepared.width, height: prepared.height }),
      (e: unknown) => {
        const code = e instanceof OcrError ? e.code : 'OCR_FAILED';
        problems.push(problem(code, `${file}: page ${prepared.page} could not be read by OCR (${(e as Error).message})`, 'error', `${file} page ${prepared.page}`));
        return null;
      },
    );
    jobs.push(job);
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  }
  const pages = (await Promise.all(jobs)).filter((p): p is OcrPage => p !== null);
  if (pages.length === 0) return { drafts: [], problems };
  const rereads = await rereadPageCells(
    pages,
    ctx.masterData,
    async (page) => {
      const info = infos.find((i) => i.index + 1 === page);
      return kept.get(page) ?? (info ? preparePage(bytes, info) : null);
    },
    pool,
  );
  const reading = readImageOrder(pages, { masterData: ctx.masterData, fileName: file, context: ctx.meta.context, receivedAt: ctx.meta.receivedAt, ...(rereads ? { rereads } : {}) });
  problems.push(...reading.problems);
  return { drafts: reading.draft ? [reading.draft] : [], problems };
};
