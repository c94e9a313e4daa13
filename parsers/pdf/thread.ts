// pdf.js's parsing side in a worker thread (parsers/pdf/pdf-thread.mjs) under a work budget (issue #12:
// every reader returns within 2 s on any input of up to 1 MB). In the same thread, as pdf.js runs by
// default on Node, a parse that does not end blocks the event loop and no timer can stop it: mutated PDFs
// of a few hundred KB took 20–100 s (a damaged cross-reference table rebuilt by re-parsing each
// duplicated object to the end of the file, dictionaries nested thousands deep). In its own thread it is
// stopped wherever it is: the thread is terminated and the next PDF gets a fresh one.
//
// The budget is processor time of this process, not wall time, so that a busy machine does not refuse a
// sound PDF: a reader process (activities/extract-runner.ts) reads one document at a time, and while the
// thread parses this thread only waits. Wall time is bounded too, more loosely.
import { MessageChannel, Worker } from 'node:worker_threads';
import { pdfjs } from './pdfjs';

type PDFWorker = InstanceType<Awaited<ReturnType<typeof pdfjs>>['PDFWorker']>;

export interface PdfBudget {
  /** Processor time of this process (all its threads) the read may use, in ms. */
  cpuMs: number;
  /** Wall time, in ms. */
  wallMs: number;
  /** Heap of the thread, in MB. */
  heapMb: number;
}

/** Why the thread was stopped, and what it was doing then. */
export class PdfThreadStopped extends Error {
  constructor(
    readonly reason: 'cpu' | 'wall' | 'memory' | 'exit',
    readonly stage: string,
    readonly spentMs: number,
    detail: string,
  ) {
    super(detail);
  }
}

interface Thread {
  worker: Worker;
  pdfWorker: PDFWorker;
  heapMb: number;
  /** Terminated by us (a budget ran out), not dead on its own. */
  stopped: boolean;
  /** Rejects when the thread dies on its own (out of memory, a crash). */
  died: Promise<never>;
}

const THREAD = new URL('./pdf-thread.mjs', import.meta.url);
/** How often the budget is checked (ms). */
const TICK_MS = 20;

/** The thread for the next read (started ahead after a kill, so that the next PDF does not pay for it). */
let current: Promise<Thread> | null = null;
let queue: Promise<unknown> = Promise.resolve();

async function start(heapMb: number): Promise<Thread> {
  const { PDFWorker } = await pdfjs();
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(THREAD, { workerData: { port: port2 }, transferList: [port2], resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  worker.unref();
  const died = new Promise<never>((_, reject) => {
    worker.once('error', (e: Error & { code?: string }) => reject(new PdfThreadStopped(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'exit', '', 0, e.message)));
    worker.once('exit', (code) => reject(new PdfThreadStopped('exit', '', 0, `the PDF thread stopped (exit code ${code})`)));
  });
  died.catch(() => undefined);
  // pdf.js's main side talks to the thread through this port (pdf-thread.mjs holds the other end).
  const pdfWorker = PDFWorker.create({ port: port1 as unknown as Worker, verbosity: 0 });
  // After pdf.js listens on it (a listener holds the process open): an idle thread must not keep a CLI run alive.
  port1.unref();
  // Loading pdf.js in the thread is not the first document's work: wait until it says it is ready.
  await Promise.race([new Promise((resolve) => worker.once('message', resolve)), died]);
  return { worker, pdfWorker, heapMb, stopped: false, died };
}

function stop(t: Thread, heapMb: number): void {
  t.stopped = true;
  void t.pdfWorker.destroy();
  void t.worker.terminate();
  const next = start(heapMb);
  next.catch(() => undefined);
  current = next;
}

/**
 * Runs `read` with a pdf.js worker whose parsing happens in the thread, one read at a time. `at` names
 * what the read is doing, for the message when the budget runs out. Rejects with PdfThreadStopped when
 * the budget runs out or the thread dies; the thread is then replaced for the next read.
 */
export function withPdfThread<T>(budget: PdfBudget, read: (worker: PDFWorker, at: (stage: string) => void) => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    let thread = await (current ??= start(budget.heapMb)).catch(() => (current = start(budget.heapMb)));
    if (thread.heapMb !== budget.heapMb) {
      thread.stopped = true;
      void thread.worker.terminate();
      thread = await (current = start(budget.heapMb));
    }
    let stage = 'starting';
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        const c = process.cpuUsage(cpu0);
        const cpuMs = (c.user + c.system) / 1000;
        const wallMs = performance.now() - wall0;
        if (cpuMs <= budget.cpuMs && wallMs <= budget.wallMs) return;
        stop(thread, budget.heapMb);
        const reason = cpuMs > budget.cpuMs ? 'cpu' : 'wall';
        reject(new PdfThreadStopped(reason, stage, reason === 'cpu' ? cpuMs : wallMs, `budget of ${reason === 'cpu' ? `${budget.cpuMs} ms of processor time` : `${budget.wallMs} ms`} spent`));
      }, TICK_MS);
    });
    try {
      return await Promise.race([
        read(thread.pdfWorker, (s) => {
          stage = s;
        }),
        overrun,
        thread.died.catch((e: PdfThreadStopped) => {
          if (!thread.stopped) current = null;
          throw new PdfThreadStopped(e.reason, stage, performance.now() - wall0, e.message);
        }),
      ]);
    } finally {
      clearInterval(timer);
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
