// Content-addressed document store: the bytes of every document ever received, kept by sha256 under
// .data/documents, with what we know of their receipt. Workflows carry the hash, never the bytes.
import { mkdir, readFile, stat, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic as atomicWrite } from './atomic';
import { documentMetaSchema, type DocumentMeta, type Problem } from '../domain/order';
import { sha256 } from '../parsers/index';

export interface QuarantineRecord {
  sha256: string;
  fileName: string;
  channel: string;
  receivedAt: string;
  quarantinedAt: string;
  problems: Problem[];
  /** Each time someone started the intake again (`aiguillage retry`, "Relancer"). */
  retries?: { at: string; by: string }[];
}

export class DocumentStore {
  constructor(readonly root: string) {}

  private dir(hash: string): string {
    return join(this.root, 'documents', hash.slice(0, 2));
  }
  private path(hash: string, suffix = ''): string {
    return join(this.dir(hash), hash + suffix);
  }

  /** Keep the bytes (once) and the receipt metadata. The first receipt's metadata wins. */
  async put(bytes: Buffer, meta: Omit<DocumentMeta, 'sha256'>): Promise<{ meta: DocumentMeta; isNew: boolean }> {
    const hash = sha256(bytes);
    await mkdir(this.dir(hash), { recursive: true });
    const existing = await this.meta(hash).catch(() => null);
    if (existing) return { meta: existing, isNew: false };
    const full: DocumentMeta = documentMetaSchema.parse({ ...meta, sha256: hash });
    await atomicWrite(this.path(hash), bytes);
    await atomicWrite(this.path(hash, '.meta.json'), Buffer.from(JSON.stringify(full, null, 1)));
    return { meta: full, isNew: true };
  }

  async bytes(hash: string): Promise<Buffer> {
    return readFile(this.path(hash));
  }
  async meta(hash: string): Promise<DocumentMeta> {
    return documentMetaSchema.parse(JSON.parse(await readFile(this.path(hash, '.meta.json'), 'utf8')));
  }
  has(hash: string): boolean {
    return existsSync(this.path(hash, '.meta.json'));
  }

  /** Extraction results are kept beside the document, so large files are delivered in batches. */
  async putResult(hash: string, result: unknown): Promise<void> {
    await atomicWrite(this.path(hash, '.result.json'), Buffer.from(JSON.stringify(result)));
  }
  async result<T>(hash: string): Promise<T> {
    return JSON.parse(await readFile(this.path(hash, '.result.json'), 'utf8')) as T;
  }

  async quarantine(rec: QuarantineRecord): Promise<void> {
    const dir = join(this.root, 'quarantine');
    await mkdir(dir, { recursive: true });
    await atomicWrite(join(dir, `${rec.sha256}.json`), Buffer.from(JSON.stringify(rec, null, 1)));
  }
  async quarantined(): Promise<QuarantineRecord[]> {
    const dir = join(this.root, 'quarantine');
    const names = await readdir(dir).catch(() => [] as string[]);
    const out: QuarantineRecord[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) out.push(JSON.parse(await readFile(join(dir, n), 'utf8')) as QuarantineRecord);
    return out.sort((a, b) => b.quarantinedAt.localeCompare(a.quarantinedAt));
  }

  async size(hash: string): Promise<number> {
    return (await stat(this.path(hash))).size;
  }
}

