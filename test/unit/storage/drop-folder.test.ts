// The drop-folder loop shared by the scan inbox and the EDI partners' folders, on a real folder:
// stable size first, links never followed, a file over the cap refused unread; and the atomic write.
import { beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { fileRefusalNotice, watchDropFolder, type DroppedFile, type RefusedFile } from '../../../channels/drop-folder';
import { writeFileAtomic } from '../../../storage/atomic';
import { parseNotice } from '../../../parsers/notice';
import { describeDocument } from '../../../parsers/index';

const log = pino({ level: 'silent' });
let dir: string;
let taken: DroppedFile[];
let refused: RefusedFile[];
const folder = (maxBytes = 1000) =>
  watchDropFolder({
    dir,
    log,
    maxBytes,
    everyMs: 0,
    take: async (f) => {
      taken.push(f);
      return { sha256: createHash('sha256').update(f.bytes).digest('hex') };
    },
    refuse: async (f) => {
      refused.push(f);
    },
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'drop-'));
  taken = [];
  refused = [];
});

describe('watchDropFolder', () => {
  it('takes a file once its size is stable, then moves it to .done/', async () => {
    writeFileSync(join(dir, 'a.edi'), 'ISA*hello');
    const f = folder();
    expect(await f.scan()).toBe(0); // first sight: maybe still being written
    expect(await f.scan()).toBe(1);
    expect(taken.map((t) => t.bytes.toString())).toEqual(['ISA*hello']);
    expect(existsSync(join(dir, 'a.edi'))).toBe(false);
    const day = readdirSync(join(dir, '.done'))[0]!;
    expect(readdirSync(join(dir, '.done', day))[0]).toMatch(/^[0-9a-f]{12}-a\.edi$/);
  });

  it('never follows a symbolic link, and leaves it where it is', async () => {
    const secret = join(mkdtempSync(join(tmpdir(), 'secret-')), 'passwd');
    writeFileSync(secret, 'root:x:0:0');
    symlinkSync(secret, join(dir, 'link.edi'));
    const f = folder();
    await f.scan();
    expect(await f.scan()).toBe(0);
    expect(taken).toHaveLength(0);
    expect(existsSync(join(dir, 'link.edi'))).toBe(true);
    expect(readFileSync(secret, 'utf8')).toBe('root:x:0:0');
  });

  it('refuses a file over the cap unread: moved to .refused/ and reported', async () => {
    writeFileSync(join(dir, 'huge.tif'), Buffer.alloc(5000, 1));
    const f = folder(1000);
    await f.scan();
    expect(await f.scan()).toBe(1);
    expect(taken).toHaveLength(0);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ name: 'huge.tif', size: 5000, maxBytes: 1000 });
    expect(existsSync(refused[0]!.movedTo)).toBe(true);
    // The notice the pipeline receives is quarantined with its own code and says where the file waits.
    const n = fileRefusalNotice({ folder: dir, ...refused[0]! });
    const meta = describeDocument(n.bytes, { fileName: n.fileName, channel: 'folder', receivedAt: new Date().toISOString() });
    const r = await parseNotice(n.bytes, { meta } as Parameters<typeof parseNotice>[1]);
    expect(r.drafts).toHaveLength(0);
    expect(r.problems[0]).toMatchObject({ code: 'FILE_TOO_LARGE', severity: 'error' });
    expect(r.problems[0]!.message).toContain(refused[0]!.movedTo);
  });

  it('leaves a file for the next pass when the pipeline cannot take it', async () => {
    writeFileSync(join(dir, 'b.pdf'), '%PDF-1.4');
    let fail = true;
    const f = watchDropFolder({ dir, log, maxBytes: 1000, everyMs: 0, refuse: async () => undefined, take: async (x) => {
      if (fail) throw new Error('Temporal unreachable');
      taken.push(x);
      return { sha256: 'ab'.repeat(32) };
    } });
    await f.scan();
    expect(await f.scan()).toBe(0);
    expect(existsSync(join(dir, 'b.pdf'))).toBe(true);
    fail = false;
    expect(await f.scan()).toBe(1);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file behind', async () => {
    const p = join(dir, 'x.json');
    await writeFileAtomic(p, '{"v":1}');
    await writeFileAtomic(p, Buffer.from('{"v":2}'));
    expect(readFileSync(p, 'utf8')).toBe('{"v":2}');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });
});
