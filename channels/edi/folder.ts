// The partners' SFTP drops: one inbox folder per partner, watched like the scan folder
// (channels/drop-folder.ts: stable size, no links followed, a size cap), read and answered like an
// HTTP upload; the acknowledgments are written to the partner's outbox folder and the file moved to
// .done/ (or left for a retry when the pipeline cannot take it yet).
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Partner } from './partners';
import { receiveEdi, type ReceiveDeps } from './receive';
import { writeFileAtomic } from '../../storage/atomic';
import { fileRefusalNotice, watchDropFolder } from '../drop-folder';

export interface PartnerFolders {
  /** One pass over every inbox; returns the number of files taken. */
  scan(): Promise<number>;
  close(): void;
}

/** Folder paths in the YAML may be relative: to the data folder, so a demo needs no /srv. */
export function partnerFolder(dataDir: string, path: string): string {
  return resolve(dataDir, path);
}

/** A partner's folder takes what its HTTP endpoint would (default 10 MB). */
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function watchPartnerFolders(deps: ReceiveDeps, everyMs = 1000): PartnerFolders {
  const partners = deps.partners.filter((p): p is Partner & { transport: { folder: { inbox: string; outbox: string } } } => Boolean(p.transport.folder));
  const folders = partners.map((p) => {
    const inbox = partnerFolder(deps.dataDir, p.transport.folder.inbox);
    const outbox = partnerFolder(deps.dataDir, p.transport.folder.outbox);
    return watchDropFolder({
      dir: inbox,
      log: deps.log,
      maxBytes: p.transport.http?.maxBytes ?? DEFAULT_MAX_BYTES,
      everyMs,
      logContext: { partner: p.id },
      prepare: async () => {
        await mkdir(inbox, { recursive: true });
        await mkdir(outbox, { recursive: true });
      },
      take: async (f) => {
        const r = await receiveEdi(f.bytes, p, { fileName: f.name, receivedAt: f.mtime.toISOString(), via: `folder:${inbox}` }, deps);
        const base = f.name.replace(/\.[^.]*$/, '');
        for (const [i, a] of r.acks.entries()) await writeFileAtomic(join(outbox, `${base}.${a.kind.toLowerCase()}${r.acks.length > 1 ? `-${i + 1}` : ''}.edi`), a.bytes);
        return r;
      },
      // Too large to read, so no acknowledgment can be built: the partner hears of it from us, not from a TA1.
      refuse: async (f) => {
        const n = fileRefusalNotice({ folder: inbox, ...f });
        await deps.submit(n.bytes, { fileName: n.fileName, channel: 'edi', receivedAt: f.mtime.toISOString(), context: { partner: p.id, via: `folder:${inbox}` } });
      },
    });
  });

  return {
    async scan() {
      let n = 0;
      for (const f of folders) n += await f.scan();
      return n;
    },
    close() {
      for (const f of folders) f.close();
    },
  };
}
