// The one way this project opens a SQLite file (read model, EDI records, mail delivery index): its
// folder made, WAL so that several processes (HTTP server, worker, listeners) share it, and a busy
// wait instead of an error when another process holds the write lock.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Sqlite = Database.Database;

export function openSqlite(path: string, opts: { readonly?: boolean } = {}): Sqlite {
  if (opts.readonly) {
    // Only read (replays, reports): an existing file, nothing created or changed.
    const ro = new Database(path, { readonly: true, fileMustExist: true });
    ro.pragma('busy_timeout = 5000');
    return ro;
  }
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
