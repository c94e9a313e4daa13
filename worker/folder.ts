// The watched folder (scanner, fax server, SFTP drop): every file that lands is ingested with its
// modification time as receipt time, then moved to .done/. A file is taken only once its size is stable.
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { channelForFile, type Ingestor } from './ingest';

export interface FolderWatcher {
  scan(): Promise<number>;
  close(): void;
}

export function watchFolder(dir: string, ingestor: Ingestor, log: Logger, everyMs = 1000): FolderWatcher {
  const seen = new Map<string, number>(); // name → size at the previous scan
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;

  async function scan(): Promise<number> {
    if (running) return 0;
    running = true;
    let taken = 0;
    try {
      await mkdir(dir, { recursive: true });
      for (const name of await readdir(dir)) {
        if (name.startsWith('.')) continue;
        const path = join(dir, name);
        const st = await stat(path).catch(() => null);
        if (!st?.isFile()) continue;
        if (seen.get(name) !== st.size) {
          seen.set(name, st.size); // still being written? take it at the next scan
          continue;
        }
        try {
          const bytes = await readFile(path);
          const r = await ingestor.submit(bytes, { fileName: name, channel: channelForFile(bytes), receivedAt: st.mtime.toISOString(), context: { folder: dir } });
          const done = join(dir, '.done', new Date().toISOString().slice(0, 10));
          await mkdir(done, { recursive: true });
          await rename(path, join(done, `${r.sha256.slice(0, 12)}-${name}`));
          seen.delete(name);
          taken++;
        } catch (e) {
          // Temporal unreachable or the like: the file stays where it is and is retried.
          log.warn({ file: path, error: (e as Error).message }, 'could not ingest file yet; will retry');
        }
      }
    } finally {
      running = false;
    }
    return taken;
  }

  const tick = () => void scan().catch((e: Error) => log.error({ dir, error: e.message }, 'folder scan failed'));
  timer = setInterval(tick, everyMs);
  try {
    watcher = watch(dir, () => tick());
  } catch {
    watcher = null; // the interval is enough
  }
  tick();
  return {
    scan,
    close() {
      if (timer) clearInterval(timer);
      watcher?.close();
    },
  };
}
