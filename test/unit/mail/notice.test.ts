// A message the listener will not submit becomes a refusal notice: a document of our own that the
// pipeline keeps and quarantines with its reason, so that the miss shows where agents look.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { sniff } from '../../../parsers/sniff';
import { refusalNotice } from '../../../channels/email/message';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));
const refused = {
  mailbox: 'commandes',
  folder: 'Quarantine',
  uid: 7,
  uidValidity: '1764000000',
  reason: 'too-large' as const,
  detail: '312000 bytes, above the 200000-byte limit of this mailbox',
  messageId: '<cde-4471@dupont-quincaillerie.fr>',
  from: 'jean@dupont-quincaillerie.fr',
  subject: 'Commande n° CDE-2026-4471 + plans scannés',
  receivedAt: '2026-11-23T08:15:00.000Z',
  size: 312000,
};

async function read(bytes: Buffer, fileName: string) {
  const meta = describeDocument(bytes, { fileName, channel: 'email', receivedAt: '2026-11-23T08:15:00.000Z' });
  return { meta, result: (await extractDocument(bytes, meta, md)).result };
}

describe('refusal notices', () => {
  it('are the same bytes for the same message, so that a retry submits nothing twice', () => {
    const a = refusalNotice(refused);
    expect(refusalNotice({ ...refused }).bytes.equals(a.bytes)).toBe(true);
    expect(refusalNotice({ ...refused, uid: 8 }).bytes.equals(a.bytes)).toBe(false);
    expect(a.fileName).toBe('Commande n° CDE-2026-4471 + plans scannés (non lu).json');
    expect(refusalNotice({ ...refused, subject: null }).fileName).toBe('uid-7 (non lu).json');
  });

  it('read as no order and one problem that says which message, why, and where it waits', async () => {
    const n = refusalNotice(refused);
    expect(sniff(n.bytes)).toBe('notice');
    const { meta, result } = await read(n.bytes, n.fileName);
    expect(meta.mediaType).toBe('application/vnd.aiguillage.notice+json');
    expect(result.orders).toEqual([]);
    expect(result.problems).toEqual([
      {
        code: 'MAIL_TOO_LARGE',
        severity: 'error',
        where: 'commandes / Quarantine, UID 7 (UIDVALIDITY 1764000000)',
        message:
          'the e-mail « Commande n° CDE-2026-4471 + plans scannés » from jean@dupont-quincaillerie.fr (305 kB) is too large to be read (312000 bytes, above the 200000-byte limit of this mailbox): it was not read and waits in the IMAP folder Quarantine of mailbox commandes for someone to open it; Message-ID <cde-4471@dupont-quincaillerie.fr>',
      },
    ]);
  });

  it('say what is wrong with a damaged notice instead of taking it for an API order', async () => {
    const bytes = Buffer.from(JSON.stringify({ notice: 'aiguillage.mail-refused', mailbox: 'commandes', uid: 'sept' }));
    expect(sniff(bytes)).toBe('notice');
    const { result } = await read(bytes, 'x.json');
    expect(result.orders).toEqual([]);
    expect(result.problems.map((p) => p.code)).toContain('NOTICE_UNREADABLE');
    expect(result.problems.find((p) => p.code === 'NOTICE_UNREADABLE')!.message).toMatch(/^x\.json: field /);
  });
});
