// The partners' SFTP drops: one inbox folder per partner, watched like the scan folder (a file is
// taken once its size is stable), read and answered like an HTTP upload; the acknowledgments are
// written to the partner's outbox folder and the file moved to .done/ (or left for a retry when
// the pipeline cannot take it yet).
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Partner } from './partners';
import { receiveEdi, type ReceiveDeps } from './receive';

export interface PartnerFolders {
  /** One pass over every inbox; returns the number of files taken. */
  scan(): Promise<number>;
  close(): void;
}

/** Folder paths in the YAML may be relative: to the data folder, so a demo needs no /srv. */
export function partnerFolder(dataDir: string, path: string): string {
  return resolve(dataDir, path);
}

async function writeAtomic(path: string, bytes: Buffer): Promise<void> {
  const tmp = join(path, '..', `.${process.pid}.${Date.now()}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

export function watchPartnerFolders(deps: ReceiveDeps, everyMs = 1000): PartnerFolders {
  const partners = deps.partners.filter((p): p is Partner & { transport: { folder: { inbox: string; outbox: string } } } => Boolean(p.transport.folder));
  const sizes = new Map<string, number>(); // path → size at the previous scan
  const unusable = new Set<string>(); // inboxes already reported as not usable
  const watchers: FSWatcher[] = [];
  let running = false;

  async function scanPartner(p: (typeof partners)[number]): Promise<number> {
    const inbox = partnerFolder(deps.dataDir, p.transport.folder.inbox);
    const outbox = partnerFolder(deps.dataDir, p.transport.folder.outbox);
    try {
      await mkdir(inbox, { recursive: true });
      await mkdir(outbox, { recursive: true });
    } catch (e) {
      if (!unusable.has(inbox)) deps.log.error({ partner: p.id, inbox, outbox, error: (e as Error).message }, 'EDI partner folder cannot be used');
      unusable.add(inbox);
      return 0;
    }
    unusable.delete(inbox);
    let taken = 0;
    for (const name of (await readdir(inbox)).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(inbox, name);
      const st = await stat(path).catch(() => null);
      if (!st?.isFile()) continue;
      if (sizes.get(path) !== st.size) {
        sizes.set(path, st.size); // maybe still being uploaded: taken at the next pass if unchanged
        continue;
      }
      try {
        const bytes = await readFile(path);
        const r = await receiveEdi(bytes, p, { fileName: name, receivedAt: st.mtime.toISOString(), via: `folder:${inbox}` }, deps);
        const base = name.replace(/\.[^.]*$/, '');
        for (const [i, a] of r.acks.entries()) await writeAtomic(join(outbox, `${base}.${a.kind.toLowerCase()}${r.acks.length > 1 ? `-${i + 1}` : ''}.edi`), a.bytes);
        const done = join(inbox, '.done', new Date().toISOString().slice(0, 10));
        await mkdir(done, { recursive: true });
        await rename(path, join(done, `${r.sha256.slice(0, 12)}-${name}`));
        sizes.delete(path);
        taken++;
      } catch (e) {
        // Temporal unreachable or the like: the file stays and is tried again at the next pass.
        deps.log.warn({ partner: p.id, file: path, error: (e as Error).message }, 'could not take EDI file yet; will retry');
      }
    }
    return taken;
  }

  async function scan(): Promise<number> {
    if (running) return 0;
    running = true;
    try {
      let n = 0;
      for (const p of partners) n += await scanPartner(p);
      return n;
    } finally {
      running = false;
    }
  }

  const tick = () => void scan().catch((e: Error) => deps.log.error({ error: e.message }, 'EDI folder scan failed'));
  const timer = everyMs > 0 ? setInterval(tick, everyMs) : null;
  for (const p of partners) {
    try {
      watchers.push(watch(partnerFolder(deps.dataDir, p.transport.folder.inbox), () => tick()));
    } catch {
      // Not there yet or not watchable: the interval is enough.
    }
  }
  if (everyMs > 0) tick();
  return {
    scan,
    close() {
      if (timer) clearInterval(timer);
      for (const w of watchers) w.close();
    },
  };
}
