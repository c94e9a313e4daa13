// Master data read from its folder of CSV files, and a source that follows them: reloaded when a CSV
// changes; a broken edit keeps the last good data running and is reported, never a crash of the worker.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { masterDataFromCsv, MASTER_DATA_FILES, type MasterData } from '../domain/masterdata';

/** The master data of a folder of CSV files (DESIGN.md): file:line errors; a missing optional file is empty. */
export function loadMasterData(dir: string): MasterData {
  return masterDataFromCsv((name) => {
    const file = join(dir, `${name}.csv`);
    return { file, text: existsSync(file) ? readFileSync(file, 'utf8') : null };
  });
}

export function masterDataSource(dir: string, log: Logger, checkEveryMs = 2000): { get: () => MasterData; lastError: () => string | null } {
  let current = loadMasterData(dir);
  let stamp = fingerprint(dir);
  let checkedAt = Date.now();
  let lastError: string | null = null;
  return {
    get() {
      if (Date.now() - checkedAt < checkEveryMs) return current;
      checkedAt = Date.now();
      const now = fingerprint(dir);
      if (now === stamp) return current;
      stamp = now;
      try {
        current = loadMasterData(dir);
        lastError = null;
        log.info({ dir }, 'master data reloaded');
      } catch (e) {
        lastError = (e as Error).message;
        log.error({ dir, error: lastError }, 'master data not reloaded: keeping the previous version');
      }
      return current;
    },
    lastError: () => lastError,
  };
}

function fingerprint(dir: string): string {
  return Object.keys(MASTER_DATA_FILES)
    .map((f) => {
      try {
        const s = statSync(join(dir, `${f}.csv`));
        return `${s.mtimeMs}:${s.size}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}
