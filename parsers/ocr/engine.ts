// The OCR pool: one engine per core (at most 2 here), each reading one page at a time, with the guards
// the engines lack: init and page timeouts, an error handler (without it a tesseract.js worker error
// kills the process), recycling after huge pages, and an idle shutdown so that a CLI run never hangs.
// Two engines, same model, same words out:
//   - 'native': a resident libtesseract process (native/ocr-engine.cc), when it was built: about 1.5×
//     faster than WASM on this kind of CPU (AVX2 against 128-bit WASM SIMD for the int8 LSTM);
//   - 'tesseract.js': Tesseract compiled to WASM, in worker threads, fully offline; always available.
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { writeFileAtomicSync } from '../../storage/atomic';
import { gunzipSync } from 'node:zlib';
import Tesseract from 'tesseract.js';
import type { PositionedWord } from '../layout/types';
import { NativeEngine, NativeEngineError, nativeEngineBinary, type NativeWord } from './native';

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
  /** Which trained model; default defaultOcrModel(). */
  model?: OcrModel;
  /** Which engine; default defaultOcrEngine(). */
  engine?: OcrEngineKind;
}

export interface RecognizeOptions {
  dpi: number;
  /** 4 (single column of variable-size text) keeps ruled tables intact; 6 wrecked them (34 % CER). 6 and 7 (one line) read a cell's crop (reread.ts). */
  psm?: '3' | '4' | '6' | '7' | '11';
}

/**
 * 'best_int' is the model shipped in @tesseract.js-data (the default: measured on our faxes);
 * 'fast' is Tesseract's tessdata_fast (Debian's tesseract-ocr-fra): ~10 % faster, slightly less
 * accurate on normal-resolution faxes. AIGUILLAGE_OCR_MODEL=fast chooses it.
 */
export type OcrModel = 'fast' | 'best_int';

/** 'native' when the engine binary was built (scripts/build-ocr-engine.sh), else 'tesseract.js'. */
export type OcrEngineKind = 'native' | 'tesseract.js';

/** AIGUILLAGE_OCR_ENGINE when set, else native when built, else tesseract.js. */
export function defaultOcrEngine(): OcrEngineKind {
  const env = process.env.AIGUILLAGE_OCR_ENGINE;
  if (env === 'native' || env === 'tesseract.js') return env;
  return nativeEngineBinary() ? 'native' : 'tesseract.js';
}

/** Where Debian (and most distributions) keep tessdata_fast models. */
const SYSTEM_TESSDATA = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata', '/usr/share/tessdata'];

function systemModel(code: string): string | null {
  for (const dir of SYSTEM_TESSDATA) if (existsSync(join(dir, `${code}.traineddata`))) return join(dir, `${code}.traineddata`);
  return null;
}

/** The model used when none is asked for: AIGUILLAGE_OCR_MODEL, else best_int. */
export function defaultOcrModel(): OcrModel {
  return process.env.AIGUILLAGE_OCR_MODEL === 'fast' ? 'fast' : 'best_int';
}

const langDirs = new Map<OcrModel, string>();

/** One folder holding fra and eng traineddata of one model (tesseract.js wants them side by side). */
export function tessdataDir(model: OcrModel = 'best_int'): string {
  const known = langDirs.get(model);
  if (known) return known;
  const dir = join(tmpdir(), `aiguillage-tessdata-${model === 'fast' ? 'fast' : '4.0.0_best_int'}`);
  mkdirSync(dir, { recursive: true });
  for (const code of ['fra', 'eng']) {
    let src: string | null;
    let name: string;
    if (model === 'fast') {
      src = systemModel(code);
      name = `${code}.traineddata`;
      if (!src) {
        if (code === 'fra') throw new OcrError('OCR_INIT_FAILED', `the fast French OCR model is not installed (looked in ${SYSTEM_TESSDATA.join(', ')}; apt install tesseract-ocr-fra, or set AIGUILLAGE_OCR_MODEL=best_int)`);
        continue;
      }
    } else {
      src = join(dirname(require.resolve(`@tesseract.js-data/${code}/package.json`)), '4.0.0_best_int', `${code}.traineddata.gz`);
      name = `${code}.traineddata.gz`;
    }
    const dst = join(dir, name);
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
  langDirs.set(model, dir);
  return dir;
}

let nativeBestInt: string | null = null;

/** The folder the native engine loads from: the same models as tesseract.js, uncompressed. */
export function nativeTessdataDir(model: OcrModel): string {
  if (model === 'fast') {
    const fra = systemModel('fra');
    if (!fra) return tessdataDir('fast'); // throws the explanation
    return dirname(fra);
  }
  if (nativeBestInt) return nativeBestInt;
  const gz = tessdataDir('best_int');
  const dir = join(tmpdir(), 'aiguillage-tessdata-native-best_int');
  mkdirSync(dir, { recursive: true });
  for (const code of ['fra', 'eng']) {
    const dst = join(dir, `${code}.traineddata`);
    if (existsSync(dst)) continue;
    // Written aside then renamed: another process never loads half a model.
    writeFileAtomicSync(dst, gunzipSync(readFileSync(join(gz, `${code}.traineddata.gz`))));
  }
  nativeBestInt = dir;
  return dir;
}

/** One engine instance: reads a page, or is stopped. */
interface EngineWorker {
  read(job: Job, timeoutMs: number): Promise<OcrPageResult>;
  terminate(): Promise<void>;
}

interface Slot {
  worker: EngineWorker | null;
  starting: Promise<EngineWorker> | null;
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
  readonly model: OcrModel;
  readonly engine: OcrEngineKind;
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
      model: opts.model ?? defaultOcrModel(),
      engine: opts.engine ?? defaultOcrEngine(),
    };
    this.size = this.o.size;
    this.model = this.o.model;
    this.engine = this.o.engine;
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
    let worker: EngineWorker;
    try {
      worker = await this.ensureWorker(slot);
    } catch (e) {
      job.reject(e as Error);
      return;
    }
    try {
      const result = await worker.read(job, this.o.pageTimeoutMs);
      this.stats.pages++;
      job.resolve(result);
      if (job.pixels > this.o.recyclePixels) slot.retire = true;
    } catch (e) {
      // A worker that timed out or failed may be wedged: never give it another page.
      slot.retire = true;
      const err = e instanceof OcrError ? e : new OcrError('OCR_FAILED', `OCR failed: ${messageOf(e)}`);
      job.reject(err);
    }
  }

  private ensureWorker(slot: Slot): Promise<EngineWorker> {
    if (this.closed) return Promise.reject(new OcrError('OCR_CLOSED', 'the OCR pool was shut down'));
    if (slot.worker && !slot.retire) return Promise.resolve(slot.worker);
    if (slot.starting) return slot.starting;
    let creating: Promise<EngineWorker>;
    try {
      creating = this.o.engine === 'native' ? this.startNative() : this.startWasm(slot);
    } catch (e) {
      return Promise.reject(e instanceof OcrError ? e : new OcrError('OCR_INIT_FAILED', `the OCR engine could not start: ${messageOf(e)}`));
    }
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

  private startNative(): Promise<EngineWorker> {
    const binary = nativeEngineBinary();
    if (!binary) throw new OcrError('OCR_INIT_FAILED', 'the native OCR engine is not built (run scripts/build-ocr-engine.sh, or set AIGUILLAGE_OCR_ENGINE=tesseract.js)');
    const tessdata = nativeTessdataDir(this.o.model);
    return NativeEngine.start(binary, tessdata, this.o.langs, this.o.initTimeoutMs).then((engine) => ({
      read: async (job, timeoutMs) => {
        try {
          return fromNative(await engine.recognize(job.image, job.opts.dpi, Number(job.opts.psm ?? '4'), timeoutMs));
        } catch (e) {
          if (e instanceof NativeEngineError && e.kind === 'timeout') throw new OcrError('OCR_TIMEOUT', `OCR of a page took more than ${timeoutMs / 1000} s`);
          throw e;
        }
      },
      terminate: () => engine.terminate(),
    }));
  }

  private startWasm(slot: Slot): Promise<EngineWorker> {
    const langPath = tessdataDir(this.o.model);
    return Tesseract.createWorker(this.o.langs, Tesseract.OEM.LSTM_ONLY, {
      langPath,
      gzip: this.o.model === 'best_int',
      cacheMethod: 'none',
      errorHandler: (err: unknown) => {
        this.errors.push(messageOf(err));
        slot.retire = true;
      },
    }).then((worker) => ({
      read: async (job, timeoutMs) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await worker.setParameters({
            tessedit_pageseg_mode: (job.opts.psm ?? '4') as Tesseract.PSM,
            user_defined_dpi: String(Math.round(job.opts.dpi)),
            // Keep runs of spaces out of words; the table cutter works from word boxes.
            preserve_interword_spaces: '0',
          });
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new OcrError('OCR_TIMEOUT', `OCR of a page took more than ${timeoutMs / 1000} s`)), timeoutMs);
          });
          const res = await Promise.race([worker.recognize(job.image, {}, { blocks: true, text: false }), timeout]);
          return toPageResult(res.data);
        } finally {
          clearTimeout(timer);
        }
      },
      terminate: () => worker.terminate().then(() => undefined),
    }));
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

function fromNative(list: NativeWord[]): OcrPageResult {
  const words: OcrWord[] = [];
  const lines = new Map<number, string[]>();
  for (const w of list) {
    const text = w.text.trim();
    if (!text) continue;
    words.push({ text, x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1, confidence: w.confidence / 100, lineId: `L${w.line}` });
    lines.set(w.line, [...(lines.get(w.line) ?? []), text]);
  }
  const meanConfidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
  return { words, text: [...lines.values()].map((l) => l.join(' ')).join('\n'), meanConfidence };
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

/** What the readers need of an OCR pool; a reader in a child process hands its pages to its parent's. */
export type OcrRecognizer = Pick<OcrPool, 'size' | 'recognize'>;

let standIn: OcrRecognizer | null = null;

/** Route this process's OCR pages elsewhere (activities/extract-child.ts: to the parent's pool). */
export function useOcrRecognizer(r: OcrRecognizer | null): void {
  standIn = r;
}

/** The pool the readers use: the stand-in when one is set, else the process-wide pool. */
export function currentOcrPool(): OcrRecognizer {
  return standIn ?? sharedOcrPool();
}
