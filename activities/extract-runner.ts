// Extraction under a hard deadline. The readers run in a few child processes, reused from one
// document to the next; a reader past its document's deadline is killed (SIGKILL) and replaced, and
// the document comes back unreadable with EXTRACTION_TIMEOUT, so it is quarantined. One hostile
// document costs its own time only and never blocks this process's event loop (heartbeats, HTTP).
// OCR pages come back here to this process's OCR pool, which keeps its own per-page deadline; each
// page a document sends to OCR adds to its deadline. Child processes rather than worker threads:
// killing a thread in the middle of a native call (sharp, pdf.js's canvas) can bring the process down.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { problem, type DocumentMeta } from '../domain/order';
import type { MasterData, MasterDataRecords } from '../domain/masterdata';
import { failedExtraction, type Extraction } from '../parsers/index';
import { DEADLINES } from '../parsers/limits';
import type { OcrRecognizer, RecognizeOptions } from '../parsers/ocr/engine';

export interface ExtractRunnerOptions {
  /** Reader processes; default AIGUILLAGE_EXTRACT_PROCESSES, else one per core, at most 2. */
  size?: number;
  /** Deadline of one document, OCR apart (ms). */
  deadlineMs?: number;
  /** Added to the deadline for each page the document sends to OCR (ms). */
  ocrPageMs?: number;
  /** Never more than this in all (ms). */
  maxMs?: number;
  /** V8 heap limit of a reader process (MB): a document that needs more kills its reader only. */
  heapMb?: number;
  /** Idle readers are stopped after this long (ms), so that a CLI run or a test can exit. */
  idleMs?: number;
  /** Where OCR pages go; default the process-wide pool. */
  ocr?: () => Promise<OcrRecognizer>;
}

/** Messages between this process and a reader process (structured clone over IPC). */
export type ToReader =
  | { type: 'extract'; job: number; bytes: Uint8Array; meta: DocumentMeta; masterData: { version: number; records?: MasterDataRecords }; ocrSize: number }
  | { type: 'ocr-result'; id: number; result?: unknown; error?: { code: string; message: string } };
export type FromReader =
  | { type: 'started'; job: number }
  | { type: 'done'; job: number; extraction: Extraction }
  | { type: 'failed'; job: number; message: string; busy?: boolean }
  | { type: 'ocr'; job: number; id: number; image: Uint8Array; opts: RecognizeOptions; pixels: number };

interface Job {
  id: number;
  bytes: Buffer;
  meta: DocumentMeta;
  masterData: MasterData;
  resolve: (e: Extraction) => void;
  startedAt: number;
  deadlineAt: number;
  ocrPages: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  child: ChildProcess | null;
  job: Job | null;
  /** The master-data version the reader holds (sent again when it changes). */
  masterDataVersion: number;
}

/** How long a new reader process may take to load before its first document's deadline starts. */
const READER_STARTUP_MS = 60_000;

const READER = fileURLToPath(new URL('./extract-child.mjs', import.meta.url));

const versions = new WeakMap<MasterData, number>();
let nextVersion = 1;
function versionOf(md: MasterData): number {
  let v = versions.get(md);
  if (v === undefined) versions.set(md, (v = nextVersion++));
  return v;
}

function seconds(env: string | undefined, fallback: number): number {
  const n = Number(env);
  return env !== undefined && env !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The options the environment gives (README: Configuration). */
export function extractRunnerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ExtractRunnerOptions {
  const size = Math.floor(seconds(env.AIGUILLAGE_EXTRACT_PROCESSES, Math.max(1, Math.min(2, availableParallelism()))));
  return {
    size,
    deadlineMs: seconds(env.AIGUILLAGE_EXTRACT_DEADLINE_SECONDS, DEADLINES.extractSeconds) * 1000,
    ocrPageMs: seconds(env.AIGUILLAGE_EXTRACT_OCR_PAGE_SECONDS, DEADLINES.ocrPageSeconds) * 1000,
  };
}

export class ExtractRunner {
  private readonly o: Required<ExtractRunnerOptions>;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextJob = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** For diagnosis and tests: reader processes started, documents killed at their deadline. */
  readonly stats = { started: 0, timeouts: 0, crashes: 0 };

  constructor(opts: ExtractRunnerOptions = {}) {
    this.o = {
      size: Math.max(1, opts.size ?? 2),
      deadlineMs: opts.deadlineMs ?? DEADLINES.extractSeconds * 1000,
      ocrPageMs: opts.ocrPageMs ?? DEADLINES.ocrPageSeconds * 1000,
      maxMs: opts.maxMs ?? DEADLINES.maxSeconds * 1000,
      heapMb: opts.heapMb ?? 1536,
      idleMs: opts.idleMs ?? 120_000,
      ocr: opts.ocr ?? (async () => (await import('../parsers/ocr/engine')).sharedOcrPool()),
    };
    this.slots = Array.from({ length: this.o.size }, () => ({ child: null, job: null, masterDataVersion: 0 }));
  }

  /** Extract one document in a reader process, within its deadline; never rejects. */
  run(bytes: Buffer, meta: DocumentMeta, masterData: MasterData): Promise<Extraction> {
    if (this.closed) return Promise.resolve(failedExtraction(meta, problem('EXTRACTION_FAILED', `${meta.fileName}: the readers were shut down before it could be read`, 'error', meta.fileName)));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextJob++, bytes, meta, masterData, resolve, startedAt: 0, deadlineAt: 0, ocrPages: 0 });
      this.pump();
    });
  }

  /** Start the readers now (benchmarks, and a worker that wants its first document fast). */
  warmUp(): void {
    if (this.closed) return;
    for (const s of this.slots) if (!s.job) this.ensureChild(s);
    this.armIdle();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const j of this.queue.splice(0)) j.resolve(failedExtraction(j.meta, problem('EXTRACTION_FAILED', `${j.meta.fileName}: the readers were shut down before it could be read`, 'error', j.meta.fileName)));
    await Promise.all(this.slots.map((s) => this.stop(s)));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      this.assign(slot, this.queue.shift()!);
    }
  }

  private assign(slot: Slot, job: Job): void {
    const child = this.ensureChild(slot);
    slot.job = job;
    child.ref();
    (child.channel as { ref?: () => void } | undefined)?.ref?.();
    // A fresh reader first loads its code (a second or two, more under load): the deadline starts
    // when it takes the document ('started'); until then only a start-up bound applies.
    job.startedAt = Date.now();
    this.arm(slot, job, job.startedAt + this.o.deadlineMs + READER_STARTUP_MS);
    const version = versionOf(job.masterData);
    const md = job.masterData;
    const records: MasterDataRecords | undefined =
      slot.masterDataVersion === version ? undefined : { company: md.company, customers: [...md.customers], addresses: [...md.addresses], products: [...md.products], crossReferences: [...md.crossReferences] };
    slot.masterDataVersion = version;
    const msg: ToReader = { type: 'extract', job: job.id, bytes: job.bytes, meta: job.meta, masterData: { version, records }, ocrSize: Math.max(1, Math.min(2, availableParallelism())) };
    child.send(msg, (err) => {
      if (err && slot.job === job) this.finish(slot, failedExtraction(job.meta, problem('EXTRACTION_FAILED', `${job.meta.fileName}: could not be handed to a reader (${err.message})`, 'error', job.meta.fileName)));
    });
  }

  private arm(slot: Slot, job: Job, at: number): void {
    if (job.timer) clearTimeout(job.timer);
    job.deadlineAt = Math.min(at, job.startedAt + this.o.maxMs);
    job.timer = setTimeout(() => this.expire(slot, job), Math.max(0, job.deadlineAt - Date.now()));
  }

  private expire(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    this.stats.timeouts++;
    const child = slot.child;
    slot.child = null;
    slot.masterDataVersion = 0;
    child?.kill('SIGKILL');
    const secs = Math.round((job.deadlineAt - job.startedAt) / 1000);
    const ocr = job.ocrPages ? ` (${job.ocrPages} page(s) sent to OCR)` : '';
    this.finish(slot, failedExtraction(job.meta, problem('EXTRACTION_TIMEOUT', `${job.meta.fileName}: reading took more than ${secs} s${ocr} and was stopped; the document may be built to stall the readers, or too large (AIGUILLAGE_EXTRACT_DEADLINE_SECONDS)`, 'error', job.meta.fileName)));
  }

  private finish(slot: Slot, extraction: Extraction): void {
    const job = slot.job;
    if (!job) return;
    if (job.timer) clearTimeout(job.timer);
    slot.job = null;
    job.resolve(extraction);
    if (this.queue.length) this.pump();
    else this.armIdle();
  }

  private armIdle(): void {
    if (this.slots.some((s) => s.job)) return;
    for (const s of this.slots) {
      // An idle reader must not keep a CLI run alive.
      s.child?.unref();
      (s.child?.channel as { unref?: () => void } | undefined)?.unref?.();
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.slots.some((s) => s.job) || this.queue.length) return;
      for (const s of this.slots) void this.stop(s);
    }, this.o.idleMs);
    this.idleTimer.unref();
  }

  private ensureChild(slot: Slot): ChildProcess {
    if (slot.child && slot.child.exitCode === null && slot.child.signalCode === null) return slot.child;
    const child = fork(READER, [], {
      serialization: 'advanced',
      execArgv: [`--max-old-space-size=${this.o.heapMb}`],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.stats.started++;
    slot.child = child;
    slot.masterDataVersion = 0;
    child.on('message', (m: FromReader) => this.onMessage(slot, child, m));
    child.on('error', () => undefined); // reported through 'exit'
    child.on('exit', (code, signal) => {
      if (slot.child !== child) return; // killed on purpose
      slot.child = null;
      const job = slot.job;
      if (!job) return;
      this.stats.crashes++;
      const why = signal ? `signal ${signal}` : `exit code ${code}`;
      this.finish(slot, failedExtraction(job.meta, problem('EXTRACTION_FAILED', `${job.meta.fileName}: the reader stopped while reading it (${why}); the document may need more memory than a reader has`, 'error', job.meta.fileName)));
    });
    return child;
  }

  private onMessage(slot: Slot, child: ChildProcess, m: FromReader): void {
    const job = slot.job;
    if (slot.child !== child || !job || m.job !== job.id) return;
    if (m.type === 'started') {
      job.startedAt = Date.now();
      this.arm(slot, job, job.startedAt + this.o.deadlineMs);
    } else if (m.type === 'done') this.finish(slot, m.extraction);
    else if (m.type === 'failed') this.finish(slot, failedExtraction(job.meta, failedReading(job.meta.fileName, m)));
    else if (m.type === 'ocr') {
      job.ocrPages++;
      this.arm(slot, job, job.deadlineAt + this.o.ocrPageMs);
      const reply = (r: ToReader) => {
        if (slot.child === child && child.connected) child.send(r, () => undefined);
      };
      this.o
        .ocr()
        .then((pool) => pool.recognize(Buffer.from(m.image.buffer, m.image.byteOffset, m.image.byteLength), m.opts, m.pixels))
        .then(
          (result) => reply({ type: 'ocr-result', id: m.id, result }),
          (e: unknown) => reply({ type: 'ocr-result', id: m.id, error: { code: (e as { code?: string }).code ?? 'OCR_FAILED', message: (e as Error).message } }),
        );
    }
  }

  private async stop(slot: Slot): Promise<void> {
    const child = slot.child;
    slot.child = null;
    slot.masterDataVersion = 0;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await gone;
  }
}

let shared: ExtractRunner | null = null;

/** The process-wide runner, configured from the environment. */
export function sharedExtractRunner(): ExtractRunner {
  if (!shared) shared = new ExtractRunner(extractRunnerOptionsFromEnv());
  return shared;
}

export async function closeSharedExtractRunner(): Promise<void> {
  const r = shared;
  shared = null;
  if (r) await r.close();
}

/**
 * Why a reader process gave up on a document. A reader that ran out of time because the machine was
 * busy (READER_BUSY) says nothing about the document: the intake activity retries it later.
 */
export function failedReading(fileName: string, m: { message: string; busy?: boolean }) {
  if (m.busy) return problem(READER_BUSY, `${fileName}: not read yet, the machine was too busy (${m.message}); it will be read again`, 'error', fileName);
  return problem('PARSER_FAILED', `${fileName}: could not be read (${m.message})`, 'error', fileName);
}

/** The problem code of a reading abandoned because the machine was busy, not because of the document. */
export const READER_BUSY = 'READER_BUSY';
