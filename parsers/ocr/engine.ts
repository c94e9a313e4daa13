// Tesseract.js run fully offline in a small pool of worker threads (one per core, at most 2 here),
// with the guards that the library itself lacks: init and page timeouts, an error handler (without
// it a worker error kills the process), recycling after huge pages, and an idle shutdown so that a
// CLI run never hangs on live threads.
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import Tesseract from 'tesseract.js';
import type { PositionedWord } from '../layout/types';

const require = createRequire(import.meta.url);

/** A word as Tesseract read it, in image pixels, with its confidence and Tesseract's own line. */
export type OcrWord = PositionedWord & { confidence: number; lineId: string };

export interface OcrPageResult {
  words: OcrWord[];
  text: string;
  /** 0..1, mean of word confidences (0 when no word). */
  meanConfidence: number;
}

export class OcrError extends Error {
  constructor(
    readonly code: 'OCR_INIT_FAILED' | 'OCR_TIMEOUT' | 'OCR_FAILED' | 'OCR_CLOSED',
    message: string,
  ) {
    super(message);
  }
}

export interface OcrPoolOptions {
  /** Worker threads; default one per core, capped at 2 (each holds ~100 MB of WASM heap). */
  size?: number;
  /** 'fra' alone was as accurate as 'fra+eng' on our orders and 1.6× faster. */
  langs?: 'fra' | 'fra+eng' | 'eng';
  initTimeoutMs?: number;
  pageTimeoutMs?: number;
  /** A page above this many pixels leaves its worker's heap at that high-water mark: recycle it. */
  recyclePixels?: number;
  /** Close idle workers after this long, so that the process can exit. 0 = keep until close(). */
  idleMs?: number;
}

export interface RecognizeOptions {
  dpi: number;
  /** 4 (single column of variable-size text) keeps ruled tables intact; 6 wrecked them (34 % CER). */
  psm?: '3' | '4' | '6' | '11';
}

let langDir: string | null = null;

/** One folder holding fra and eng traineddata (tesseract.js wants them side by side). */
export function tessdataDir(): string {
  if (langDir) return langDir;
  const dir = join(tmpdir(), 'aiguillage-tessdata-4.0.0_best_int');
  mkdirSync(dir, { recursive: true });
  for (const code of ['fra', 'eng']) {
    const src = join(dirname(require.resolve(`@tesseract.js-data/${code}/package.json`)), '4.0.0_best_int', `${code}.traineddata.gz`);
    const dst = join(dir, `${code}.traineddata.gz`);
    if (existsSync(dst)) continue;
    // A dangling link (node_modules moved) is replaced.
    rmSync(dst, { force: true });
    try {
      symlinkSync(src, dst);
    } catch {
      // Another process won the race, or the file system has no links.
      if (!existsSync(dst)) copyFileSync(src, dst);
    }
  }
  langDir = dir;
  return dir;
}

interface Slot {
  worker: Tesseract.Worker | null;
  starting: Promise<Tesseract.Worker> | null;
  busy: boolean;
  /** Set when the worker must not take another job (huge page, timeout, error). */
  retire: boolean;
}

interface Job {
  image: Buffer;
  opts: RecognizeOptions;
  pixels: number;
  resolve: (r: OcrPageResult) => void;
  reject: (e: Error) => void;
}

export class OcrPool {
  readonly size: number;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly o: Required<OcrPoolOptions>;
  /** Worker errors reported through errorHandler, kept for diagnosis instead of crashing. */
  readonly errors: string[] = [];
  /** For diagnosis and tests: workers started (recycling starts new ones) and pages read. */
  readonly stats = { workersStarted: 0, pages: 0 };

  constructor(opts: OcrPoolOptions = {}) {
    this.o = {
      size: opts.size ?? Math.max(1, Math.min(2, availableParallelism())),
      langs: opts.langs ?? 'fra',
      initTimeoutMs: opts.initTimeoutMs ?? 30_000,
      pageTimeoutMs: opts.pageTimeoutMs ?? 120_000,
      recyclePixels: opts.recyclePixels ?? 12_000_000,
      idleMs: opts.idleMs ?? 0,
    };
    this.size = this.o.size;
    this.slots = Array.from({ length: this.size }, () => ({ worker: null, starting: null, busy: false, retire: false }));
  }

  recognize(image: Buffer, opts: RecognizeOptions, pixels = 0): Promise<OcrPageResult> {
    if (this.closed) return Promise.reject(new OcrError('OCR_CLOSED', 'the OCR pool was shut down'));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise((resolve, reject) => {
      this.queue.push({ image, opts, pixels, resolve, reject });
      this.pump();
    });
  }

  /** Start every worker now (benchmarks measure warm pages). */
  async warmUp(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.ensureWorker(s)));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const j of this.queue.splice(0)) j.reject(new OcrError('OCR_CLOSED', 'the OCR pool was shut down'));
    await Promise.all(this.slots.map((s) => this.stopWorker(s)));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.busy = true;
      void this.run(slot, job).finally(() => {
        slot.busy = false;
        if (slot.retire) void this.stopWorker(slot);
        if (this.queue.length > 0) this.pump();
        else this.armIdle();
      });
    }
  }

  private armIdle(): void {
    if (this.o.idleMs <= 0 || this.closed || this.slots.some((s) => s.busy)) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // Live worker threads keep the event loop alive; an unref'd timer still fires while they do.
    this.idleTimer = setTimeout(() => {
      if (this.slots.some((s) => s.busy) || this.queue.length) return;
      for (const s of this.slots) void this.stopWorker(s);
    }, this.o.idleMs);
    this.idleTimer.unref();
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    let worker: Tesseract.Worker;
    try {
      worker = await this.ensureWorker(slot);
    } catch (e) {
      job.reject(e as Error);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await worker.setParameters({
        tessedit_pageseg_mode: (job.opts.psm ?? '4') as Tesseract.PSM,
        user_defined_dpi: String(Math.round(job.opts.dpi)),
        // Keep runs of spaces out of words; the table cutter works from word boxes.
        preserve_interword_spaces: '0',
      });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrError('OCR_TIMEOUT', `OCR of a page took more than ${this.o.pageTimeoutMs / 1000} s`)), this.o.pageTimeoutMs);
      });
      const res = await Promise.race([worker.recognize(job.image, {}, { blocks: true, text: false }), timeout]);
      this.stats.pages++;
      job.resolve(toPageResult(res.data));
      if (job.pixels > this.o.recyclePixels) slot.retire = true;
    } catch (e) {
      // A worker that timed out or failed may be wedged: never give it another page.
      slot.retire = true;
      const err = e instanceof OcrError ? e : new OcrError('OCR_FAILED', `OCR failed: ${messageOf(e)}`);
      job.reject(err);
    } finally {
      clearTimeout(timer);
    }
  }

  private ensureWorker(slot: Slot): Promise<Tesseract.Worker> {
    if (this.closed) return Promise.reject(new OcrError('OCR_CLOSED', 'the OCR pool was shut down'));
    if (slot.worker && !slot.retire) return Promise.resolve(slot.worker);
    if (slot.starting) return slot.starting;
    const creating = Tesseract.createWorker(this.o.langs, Tesseract.OEM.LSTM_ONLY, {
      langPath: tessdataDir(),
      gzip: true,
      cacheMethod: 'none',
      errorHandler: (err: unknown) => {
        this.errors.push(messageOf(err));
        slot.retire = true;
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OcrError('OCR_INIT_FAILED', `the OCR engine did not start within ${this.o.initTimeoutMs / 1000} s`)), this.o.initTimeoutMs);
    });
    slot.starting = Promise.race([creating, timeout])
      .then((w) => {
        this.stats.workersStarted++;
        slot.worker = w;
        slot.retire = false;
        return w;
      })
      .catch((e) => {
        // A late worker from a timed-out start must not be left running.
        creating.then((w) => w.terminate()).catch(() => undefined);
        throw e instanceof OcrError ? e : new OcrError('OCR_INIT_FAILED', `the OCR engine could not start: ${messageOf(e)}`);
      })
      .finally(() => {
        clearTimeout(timer);
        slot.starting = null;
      });
    return slot.starting;
  }

  private async stopWorker(slot: Slot): Promise<void> {
    const w = slot.worker ?? (slot.starting ? await slot.starting.catch(() => null) : null);
    slot.worker = null;
    slot.retire = false;
    if (w) await w.terminate().catch(() => undefined);
  }
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  return JSON.stringify(e);
}

function toPageResult(page: Tesseract.Page): OcrPageResult {
  const words: OcrWord[] = [];
  // Raw y drifts ~27 px across a skewed row; Tesseract's own lines do not.
  let lineId = 0;
  const lines: string[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        lines.push(line.text.trim());
        for (const w of line.words) {
          const text = w.text.trim();
          if (!text) continue;
          words.push({ text, x0: w.bbox.x0, y0: w.bbox.y0, x1: w.bbox.x1, y1: w.bbox.y1, confidence: w.confidence / 100, lineId: `L${lineId}` });
        }
        lineId++;
      }
    }
  }
  const meanConfidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
  return { words, text: lines.join('\n'), meanConfidence };
}

let shared: OcrPool | null = null;

/** The process-wide pool; its workers stop after 2 s idle so that CLI runs exit on their own. */
export function sharedOcrPool(): OcrPool {
  if (!shared) shared = new OcrPool({ idleMs: 2_000 });
  return shared;
}

/** For tests and shutdown hooks. */
export async function closeSharedOcrPool(): Promise<void> {
  const p = shared;
  shared = null;
  if (p) await p.close();
}
