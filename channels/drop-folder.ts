// A watched drop folder (the scan/fax inbox, each EDI partner's SFTP inbox): every regular file is
// taken once its size is stable over two passes, then moved to .done/<date>/. Symbolic links are
// never followed (a link in a drop folder could make us read and move any file of the machine),
// and a file over the size cap is never read into memory: it is moved to .refused/<date>/ and
// reported through `refuse`, so that it shows in the quarantine rather than vanishing.
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { moveDurably } from '../storage/atomic';
import { FILE_REFUSAL_NOTICE, type RefusedFile as RefusedFileNotice } from '../parsers/notice';

export interface DroppedFile {
  name: string;
  path: string;
  bytes: Buffer;
  /** Receipt time of a dropped file: its modification time. */
  mtime: Date;
}

export interface RefusedFile {
  name: string;
  /** Where the file was moved, unread. */
  movedTo: string;
  size: number;
  maxBytes: number;
  mtime: Date;
}

export interface DropFolderOptions {
  dir: string;
  log: Logger;
  /** Files larger than this are refused unread. */
  maxBytes: number;
  /** Take one file; resolves with its hash once the pipeline has it. A throw leaves it for the next pass. */
  take(file: DroppedFile): Promise<{ sha256: string }>;
  /** Tell the pipeline about a file refused for its size (already moved aside). */
  refuse(file: RefusedFile): Promise<void>;
  /** Run before each pass (make the folders); a throw skips the pass, logged once until it works again. */
  prepare?: () => Promise<void>;
  /** Poll interval; 0: only when scan() is called (tests). */
  everyMs?: number;
  /** Added to every log line (partner, …). */
  logContext?: Record<string, string>;
}

export interface DropFolder {
  /** One pass; returns the number of files taken (refused ones included). */
  scan(): Promise<number>;
  close(): void;
}

const today = () => new Date().toISOString().slice(0, 10);

export function watchDropFolder(opts: DropFolderOptions): DropFolder {
  const { dir, log } = opts;
  const ctx = { dir, ...opts.logContext };
  const sizes = new Map<string, number>(); // name → size at the previous pass
  const skipped = new Set<string>(); // symbolic links and the like, logged once
  let unusable = false;
  let running = false;

  async function scanOnce(): Promise<number> {
    try {
      await (opts.prepare ? opts.prepare() : mkdir(dir, { recursive: true }));
    } catch (e) {
      if (!unusable) log.error({ ...ctx, error: (e as Error).message }, 'drop folder cannot be used');
      unusable = true;
      return 0;
    }
    unusable = false;
    let taken = 0;
    for (const name of (await readdir(dir)).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const st = await lstat(path).catch(() => null);
      if (!st) continue;
      if (!st.isFile()) {
        if (!skipped.has(name)) log.warn({ ...ctx, file: name, kind: st.isSymbolicLink() ? 'symbolic link' : 'not a regular file' }, 'drop folder: skipped (only regular files are taken; links are never followed)');
        skipped.add(name);
        continue;
      }
      skipped.delete(name);
      if (sizes.get(name) !== st.size) {
        sizes.set(name, st.size); // maybe still being written: taken at the next pass if unchanged
        continue;
      }
      const outcome = await takeStable(opts, ctx, name, path, st);
      if (outcome === 'grown') sizes.delete(name);
      else if (outcome === 'taken') {
        sizes.delete(name);
        taken++;
      }
    }
    return taken;
  }

  async function scan(): Promise<number> {
    if (running) return 0;
    running = true;
    try {
      return await scanOnce();
    } finally {
      running = false;
    }
  }

  const everyMs = opts.everyMs ?? 1000;
  const tick = () => void scan().catch((e: Error) => log.error({ ...ctx, error: e.message }, 'drop folder scan failed'));
  const timer = everyMs > 0 ? setInterval(tick, everyMs) : null;
  let watcher: FSWatcher | null = null;
  if (everyMs > 0) {
    try {
      watcher = watch(dir, () => tick());
    } catch {
      watcher = null; // not there yet or not watchable: the interval is enough
    }
    tick();
  }
  return {
    scan,
    close() {
      if (timer) clearInterval(timer);
      watcher?.close();
    },
  };
}

/**
 * What enters the pipeline for a refused file: a small notice the pipeline quarantines with
 * FILE_TOO_LARGE, so the miss shows where agents look. Same file, same bytes (no clock inside).
 */
export function fileRefusalNotice(f: { folder: string } & Pick<RefusedFile, 'name' | 'movedTo' | 'size' | 'maxBytes'>): { bytes: Buffer; fileName: string } {
  const body: RefusedFileNotice = { notice: FILE_REFUSAL_NOTICE, folder: f.folder, name: f.name, movedTo: f.movedTo, size: f.size, maxBytes: f.maxBytes };
  return { bytes: Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8'), fileName: `${f.name} (non lu).json` };
}

/** The file's bytes, unless it is over the cap (bytes null, its size) or grew while read (size -1). */
async function readCapped(path: string, maxBytes: number): Promise<{ bytes: Buffer | null; size: number }> {
  // O_NOFOLLOW: a file swapped for a link between lstat and open is refused by the kernel.
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await fh.stat();
    if (size > maxBytes) return { bytes: null, size };
    const buf = Buffer.alloc(size + 1);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    // Grown since the stat: taken at a later pass, once stable again.
    if (got > size) return { bytes: null, size: -1 };
    return { bytes: buf.subarray(0, got), size };
  } finally {
    await fh.close();
  }
}

/** A file over the cap: the pipeline is told (a notice), then the file is moved aside unread. */
async function refuse(opts: DropFolderOptions, ctx: Record<string, unknown>, name: string, path: string, size: number, mtime: Date): Promise<void> {
  // Told first, moved after: if the pipeline cannot take the notice yet, the file stays for the
  // next pass; the same file gives the same place aside, so a notice sent twice is one document.
  const aside = join(opts.dir, '.refused', today());
  const movedTo = join(aside, `${Math.trunc(mtime.getTime())}-${name}`);
  await opts.refuse({ name, movedTo, size, maxBytes: opts.maxBytes, mtime });
  await mkdir(aside, { recursive: true });
  await moveDurably(path, movedTo);
  opts.log.error({ ...ctx, file: name, size, maxBytes: opts.maxBytes, movedTo }, 'dropped file too large: moved aside unread');
}

/** A file whose size held still between two passes: taken (then moved to .done/), refused, or left for the next pass. */
async function takeStable(opts: DropFolderOptions, ctx: Record<string, unknown>, name: string, path: string, st: Stats): Promise<'taken' | 'grown' | 'retry'> {
  try {
    if (st.size > opts.maxBytes) {
      await refuse(opts, ctx, name, path, st.size, st.mtime);
    } else {
      const r = await readCapped(path, opts.maxBytes);
      if (!r.bytes && r.size < 0) return 'grown';
      if (!r.bytes) await refuse(opts, ctx, name, path, r.size, st.mtime);
      else {
        const { sha256 } = await opts.take({ name, path, bytes: r.bytes, mtime: st.mtime });
        const done = join(opts.dir, '.done', today());
        await mkdir(done, { recursive: true });
        await moveDurably(path, join(done, `${sha256.slice(0, 12)}-${name}`));
      }
    }
    return 'taken';
  } catch (e) {
    // Temporal unreachable or the like: the file stays where it is and is tried again.
    opts.log.warn({ ...ctx, file: path, error: (e as Error).message }, 'could not take dropped file yet; will retry');
    return 'retry';
  }
}
