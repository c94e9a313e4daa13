import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryIndex } from '../../../storage/mail-delivery-index';

const id = { messageId: 'po-4512@lefevre-fils.fr', fingerprint: 'a'.repeat(64) };

describe('delivery index', () => {
  it('remembers submissions across restarts', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idx-')), 'mail', 'deliveries.sqlite');
    let idx = new DeliveryIndex(path);
    expect(await idx.once(id, 'commandes', async () => 'f'.repeat(64))).toEqual({ sha256: 'f'.repeat(64), duplicate: false });
    idx.close();
    idx = new DeliveryIndex(path);
    let called = false;
    expect(await idx.once(id, 'fax', async () => ((called = true), 'e'.repeat(64)))).toEqual({ sha256: 'f'.repeat(64), duplicate: true });
    expect(called).toBe(false);
    expect(idx.get(id)?.mailbox).toBe('commandes');
    idx.close();
  });

  it('submits a message arriving twice at once only once', async () => {
    const idx = new DeliveryIndex(join(mkdtempSync(join(tmpdir(), 'idx-')), 'd.sqlite'));
    let calls = 0;
    const submit = () => new Promise<string>((r) => setTimeout(() => r(`${++calls}`.padStart(64, '0')), 20));
    const [a, b] = await Promise.all([idx.once(id, 'commandes', submit), idx.once(id, 'fax', submit)]);
    expect(calls).toBe(1);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.sha256).toBe(b.sha256);
    idx.close();
  });

  it('remembers nothing when the submission failed, so the message is tried again', async () => {
    const idx = new DeliveryIndex(join(mkdtempSync(join(tmpdir(), 'idx-')), 'd.sqlite'));
    await expect(idx.once(id, 'commandes', () => Promise.reject(new Error('Temporal unreachable')))).rejects.toThrow('Temporal unreachable');
    expect(idx.get(id)).toBeNull();
    expect((await idx.once(id, 'commandes', async () => 'c'.repeat(64))).duplicate).toBe(false);
    idx.close();
  });

  it('keeps a reused Message-ID with other content apart (no order is hidden)', async () => {
    const idx = new DeliveryIndex(join(mkdtempSync(join(tmpdir(), 'idx-')), 'd.sqlite'));
    await idx.once(id, 'fax', async () => '1'.repeat(64));
    const other = await idx.once({ ...id, fingerprint: 'b'.repeat(64) }, 'fax', async () => '2'.repeat(64));
    expect(other).toEqual({ sha256: '2'.repeat(64), duplicate: false });
    expect(idx.count()).toBe(2);
    idx.close();
  });
});
