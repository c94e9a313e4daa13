// The watched folder (scanner, fax server, SFTP drop): every file that lands is ingested with its
// modification time as receipt time, then moved to .done/ (channels/drop-folder.ts: stable size, no
// links followed, a size cap; a file over the cap is refused and shows in the quarantine).
import type { Logger } from 'pino';
import { channelForFile, type Ingestor } from '../../intake/submit';
import { fileRefusalNotice, watchDropFolder, type DropFolder } from '../drop-folder';

export type FolderWatcher = DropFolder;

/** The same cap as an upload to the HTTP API. */
export const INBOX_MAX_BYTES = 50 * 1024 * 1024;

export function watchFolder(dir: string, ingestor: Ingestor, log: Logger, everyMs = 1000, maxBytes = INBOX_MAX_BYTES): FolderWatcher {
  return watchDropFolder({
    dir,
    log,
    maxBytes,
    everyMs,
    take: (f) => ingestor.submit(f.bytes, { fileName: f.name, channel: channelForFile(f.bytes), receivedAt: f.mtime.toISOString(), context: { folder: dir } }),
    refuse: async (f) => {
      const n = fileRefusalNotice({ folder: dir, ...f });
      await ingestor.submit(n.bytes, { fileName: n.fileName, channel: 'folder', receivedAt: f.mtime.toISOString(), context: { folder: dir } });
    },
  });
}
