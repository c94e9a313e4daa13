// The native OCR engine: one resident `aiguillage-ocr` process (native/ocr-engine.cc, libtesseract)
// per pool slot. The model is loaded once per process; pages go through stdin, words come back as
// tab-separated lines. A page that times out or a process that dies costs that page only: the slot
// is retired and the pool starts a new process for the next page.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One word as the native engine reports it; confidence 0–100 like tesseract.js. */
export interface NativeWord {
  line: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  confidence: number;
  text: string;
}

export class NativeEngineError extends Error {
  constructor(
    readonly kind: 'init' | 'timeout' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The engine binary: AIGUILLAGE_OCR_BIN, else the one scripts/build-ocr-engine.sh builds; null when absent. */
export function nativeEngineBinary(): string | null {
  const fromEnv = process.env.AIGUILLAGE_OCR_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const built = join(ROOT, '.tools', 'bin', 'aiguillage-ocr');
  return existsSync(built) ? built : null;
}

interface Pending {
  id: number;
  resolve: (words: NativeWord[]) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class NativeEngine {
  private proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private ready: Promise<string>;
  private pending: Pending | null = null;
  /** Words still to read for the current answer, and those read so far. */
  private expect = -1;
  private words: NativeWord[] = [];
  private nextId = 1;
  private exited: string | null = null;
  private stderr = '';

  private constructor(binary: string, tessdata: string, langs: string, initTimeoutMs: number) {
    // One thread per process: the pool runs one process per core.
    this.proc = spawn(binary, ['--tessdata', tessdata, '--lang', langs], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stderr.setEncoding('utf8');
    // Leptonica's warnings ("Error in pixReadMem…"): kept short, for the error message of a failure.
    this.proc.stderr.on('data', (d: string) => void (this.stderr = (this.stderr + d).slice(-2000)));
    this.proc.stdin.on('error', () => undefined);
    this.ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new NativeEngineError('init', `the native OCR engine did not start within ${initTimeoutMs / 1000} s`));
        this.proc.kill('SIGKILL');
      }, initTimeoutMs);
      const onLine = (line: string): boolean => {
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          resolve(line.slice(6));
          return true;
        }
        if (line.startsWith('FATAL ')) {
          clearTimeout(timer);
          reject(new NativeEngineError('init', `the native OCR engine could not start: ${line.slice(6)}`));
          return true;
        }
        return false;
      };
      this.lineHandler = (line) => {
        if (onLine(line)) this.lineHandler = (l) => this.onAnswerLine(l);
      };
      this.proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        this.exited = signal ? `killed by ${signal}` : `exited with status ${code}`;
        reject(new NativeEngineError('init', `the native OCR engine ${this.exited} before it was ready${this.stderrTail()}`));
        this.failPending(new NativeEngineError('failed', `the native OCR engine ${this.exited}${this.stderrTail()}`));
      });
      this.proc.on('error', (e) => {
        clearTimeout(timer);
        this.exited = e.message;
        reject(new NativeEngineError('init', `the native OCR engine could not be run: ${e.message}`));
      });
    });
    this.proc.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.lineHandler(line);
      }
    });
  }

  private lineHandler: (line: string) => void = () => undefined;

  /** Starts a process and waits until its model is loaded. */
  static async start(binary: string, tessdata: string, langs: string, initTimeoutMs: number): Promise<NativeEngine> {
    const engine = new NativeEngine(binary, tessdata, langs, initTimeoutMs);
    try {
      await engine.ready;
    } catch (e) {
      engine.proc.kill('SIGKILL');
      throw e;
    }
    return engine;
  }

  /** Reads one page; rejects with NativeEngineError('timeout') past timeoutMs (the process is then killed). */
  recognize(image: Buffer, dpi: number, psm: number, timeoutMs: number): Promise<NativeWord[]> {
    if (this.exited) return Promise.reject(new NativeEngineError('failed', `the native OCR engine ${this.exited}`));
    if (this.pending) return Promise.reject(new NativeEngineError('failed', 'the native OCR engine is busy (one page at a time)'));
    const id = this.nextId++;
    return new Promise<NativeWord[]>((resolve, reject) => {
      // The engine stops itself at the deadline; the kill is for an engine that does not.
      const timer = setTimeout(() => {
        this.failPending(new NativeEngineError('timeout', `OCR of a page took more than ${timeoutMs / 1000} s`));
        this.proc.kill('SIGKILL');
      }, timeoutMs + 5_000);
      this.pending = { id, resolve, reject, timer };
      this.expect = -1;
      this.words = [];
      this.proc.stdin.write(`${id} ${Math.round(dpi)} ${psm} ${timeoutMs} ${image.length}\n`);
      this.proc.stdin.write(image);
    });
  }

  private onAnswerLine(line: string): void {
    const p = this.pending;
    if (!p) return;
    if (this.expect < 0) {
      const m = /^(\d+) (OK (\d+)|ERR (.*))$/.exec(line);
      if (!m || Number(m[1]) !== p.id) {
        this.failPending(new NativeEngineError('failed', `the native OCR engine answered out of step: ${line.slice(0, 120)}`));
        this.proc.kill('SIGKILL');
        return;
      }
      if (m[4] !== undefined) {
        this.failPending(new NativeEngineError(m[4] === 'timeout' ? 'timeout' : 'failed', m[4] === 'timeout' ? 'OCR of a page took too long' : m[4]));
        return;
      }
      this.expect = Number(m[3]);
    } else {
      const f = line.split('\t');
      this.words.push({ line: Number(f[0]), x0: Number(f[1]), y0: Number(f[2]), x1: Number(f[3]), y1: Number(f[4]), confidence: Number(f[5]), text: f.slice(6).join(' ') });
      this.expect--;
    }
    if (this.expect === 0) {
      clearTimeout(p.timer);
      this.pending = null;
      this.expect = -1;
      p.resolve(this.words);
    }
  }

  private failPending(e: Error): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.reject(e);
  }

  private stderrTail(): string {
    const t = this.stderr.trim().split('\n').slice(-2).join(' / ');
    return t ? ` (${t.slice(0, 300)})` : '';
  }

  async terminate(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.stdin.end();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 2_000);
    await done;
    clearTimeout(timer);
  }
}
