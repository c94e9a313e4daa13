// What IT edits while the stack runs (routing rules, the touchless policy) is reloaded on change, and
// a bad edit never takes effect: the last good version stays in force and the error (file:line:column)
// is kept for the rules page and the log, until the file is fixed. One definition of that rule.
import { basename } from 'node:path';
import { watch, type FSWatcher } from 'node:fs';

export interface LastGoodStatus<E> {
  version: string | null;
  loadedAt: string | null;
  lastError: E | null;
}

export interface LastGoodSource<T, E> {
  /** The folder watched. */
  dir: string;
  /** Reads the current version; null when there is none (a removed optional file); throws E when invalid. */
  load: () => T | null;
  /** The errors that mean "invalid, keep the last good one" (anything else is a bug and is thrown). */
  invalid: (e: unknown) => e is E;
  /** Only changes to this file name reload (default: any file of the folder). */
  file?: string;
  onReload?: (status: LastGoodStatus<E> & { changed: boolean }) => void;
}

export class LastGood<T extends { version: string }, E extends Error> {
  private value: T | null = null;
  private error: E | null = null;
  private loadedAt: string | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly source: LastGoodSource<T, E>) {}

  /** The version in force; null if none ever loaded (or the optional file was removed). */
  get current(): T | null {
    return this.value;
  }
  get lastError(): E | null {
    return this.error;
  }
  status(): LastGoodStatus<E> {
    return { version: this.value?.version ?? null, loadedAt: this.loadedAt, lastError: this.error };
  }

  /** Reads again. Returns whether the version in force changed. */
  reload(): boolean {
    let changed = false;
    try {
      const next = this.source.load();
      changed = next?.version !== this.value?.version;
      if (changed) {
        this.value = next;
        this.loadedAt = new Date().toISOString();
      }
      this.error = null;
    } catch (e) {
      if (!this.source.invalid(e)) throw e;
      this.error = e;
    }
    this.source.onReload?.({ ...this.status(), changed });
    return changed;
  }

  /** Reloads on file changes (debounced: editors write in several steps). Returns a stop function. */
  watch(debounceMs = 200): () => void {
    this.reload();
    this.watcher = watch(this.source.dir, (_event, name) => {
      if (this.source.file && name !== null && basename(String(name)) !== this.source.file) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), debounceMs);
    });
    return () => {
      if (this.timer) clearTimeout(this.timer);
      this.watcher?.close();
      this.watcher = null;
    };
  }
}
