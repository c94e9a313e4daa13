import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { hashApiKey, InvalidPartners, loadPartners, parsePartners, partnerBySender, verifyApiKey } from '../../../channels/edi/partners';
import { checkDuplicateInterchange, pruneSeen, type SeenInterchange } from '../../../channels/edi/duplicates';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readFileSync } from 'node:fs';
import { readInterchange } from '../../../parsers/edi/interchange';

const EXAMPLE = join(import.meta.dirname, '../../../channels/edi/partners.example.yaml');
const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

function invalid(text: string): InvalidPartners {
  try {
    parsePartners(text, 'partners.yaml');
  } catch (e) {
    if (e instanceof InvalidPartners) return e;
    throw e;
  }
  throw new Error('expected InvalidPartners');
}

describe('partners configuration', () => {
  it('loads the example, whose IDs are those of customers.csv', () => {
    const partners = loadPartners(EXAMPLE);
    expect(partners.map((p) => p.id)).toEqual(['brico-centre', 'leroy-maison', 'castel', 'brico-depot-so', 'weber', 'cbf']);
    for (const p of partners) {
      const c = md.customer(p.customer)!;
      expect(c, p.id).toBeDefined();
      if (p.x12) expect(p.x12.id).toBe(c.x12Id);
      if (p.edifact) expect(p.edifact.id).toBe(c.edifactGln);
    }
    expect(partners.find((p) => p.id === 'weber')!.acknowledge).toEqual({ functional: true, ta1: 'requested', contrl: 'detail', confirmation: false });
    expect(partnerBySender(partners, 'x12', { qualifier: 'ZZ', id: 'BDSO850 ' })?.id).toBe('brico-depot-so');
    expect(partnerBySender(partners, 'edifact', { qualifier: '14', id: '3020000000031' })?.id).toBe('castel');
    expect(partnerBySender(partners, 'x12', { qualifier: '01', id: 'BDSO850' })).toBeUndefined();
  });

  it('names line and field of every mistake', () => {
    const e = invalid(
      [
        'partners:',
        '  - id: brico-centre',
        '    name: Brico Centre Rhône',
        '    customer: C002',
        '    standard: x12',
        '    version: "004010"',
        '    x12: { qualifier: Z, id: BRICOCENTRE }',
        '    transport:',
        '      http: { apiKeyHash: "my-secret-key" }',
      ].join('\n'),
    );
    expect(e.issues).toEqual([
      { line: 7, field: 'partners.0.x12.qualifier', message: expect.stringContaining('2-character') },
      { line: 9, field: 'partners.0.transport.http.apiKeyHash', message: expect.stringContaining('never the key itself') },
    ]);
    expect(e.message).toContain('partners.yaml: line 7, partners.0.x12.qualifier');
  });

  it('says what is missing for the chosen standard, and refuses duplicate IDs', () => {
    const base = (id: string, gln: string) => `  - { id: ${id}, name: X, customer: C008, standard: edifact, version: D96A, edifact: { id: "${gln}" }, transport: { folder: { inbox: /in, outbox: /out } } }`;
    expect(invalid(`partners:\n  - { id: a, name: X, customer: C008, standard: edifact, version: D96A, transport: {} }`).issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'partners.0.edifact'],
      [2, 'partners.0.transport'],
    ]);
    expect(invalid(`partners:\n${base('a', '3020000000031')}\n${base('b', '3020000000031')}`).issues).toEqual([
      { line: 3, field: 'partners.1', message: 'edifact 3020000000031 is already used by partners.0' },
    ]);
    expect(invalid('partners: [\n  - oops').issues[0]!.field).toBe('(yaml)');
  });

  it('checks API keys against scrypt and sha256 hashes', async () => {
    const stored = hashApiKey('s3cret-brico', Buffer.alloc(16, 7));
    expect(stored).toMatch(/^scrypt:(07){16}:[0-9a-f]{64}$/);
    expect(await verifyApiKey('s3cret-brico', stored)).toBe(true);
    expect(await verifyApiKey('s3cret-bricO', stored)).toBe(false);
    const partners = loadPartners(EXAMPLE);
    const hash = partners[0]!.transport.http!.apiKeyHash;
    expect(await verifyApiKey('demo-brico-centre-2026', hash)).toBe(true);
    expect(await verifyApiKey('demo-brico-centre-2027', hash)).toBe(false);
    expect(await verifyApiKey('', 'plain-text')).toBe(false);
    expect(await verifyApiKey('x'.repeat(100_000), stored)).toBe(false);
  });

  it('checks a scrypt key off the event loop', async () => {
    const stored = hashApiKey('s3cret-brico', Buffer.alloc(16, 7));
    let done = false;
    const check = verifyApiKey('wrong-key', stored).then((ok) => ((done = true), ok));
    // A synchronous scrypt would have finished before any timer could fire.
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBe(false);
    expect(await check).toBe(false);
  });
});

describe('duplicate interchanges', () => {
  const seen: SeenInterchange[] = [
    { partnerId: 'brico-centre', controlNumber: '000004711', receivedAt: '2026-11-20T06:42:00Z', documentSha256: 'a'.repeat(64), acks: [{ kind: '997', base64: 'SVNBKg==' }] },
    { partnerId: 'brico-centre', controlNumber: '000000905', receivedAt: '2026-09-01T06:00:00Z', documentSha256: 'b'.repeat(64), acks: [] },
  ];

  it('recognises the same control number from the same partner within 30 days, numerically', () => {
    const v = checkDuplicateInterchange(seen, { partnerId: 'brico-centre', controlNumber: '4711', receivedAt: '2026-11-23T08:00:00Z' });
    expect(v).toMatchObject({ duplicate: true, earlier: { documentSha256: 'a'.repeat(64) } });
    expect(v.duplicate && Math.round(v.ageDays * 10) / 10).toBe(3.1);
  });

  it('is not a duplicate from another partner, after 30 days, or with another number', () => {
    expect(checkDuplicateInterchange(seen, { partnerId: 'leroy-maison', controlNumber: '000004711', receivedAt: '2026-11-23T08:00:00Z' }).duplicate).toBe(false);
    expect(checkDuplicateInterchange(seen, { partnerId: 'brico-centre', controlNumber: '000000905', receivedAt: '2026-11-23T08:00:00Z' }).duplicate).toBe(false);
    expect(checkDuplicateInterchange(seen, { partnerId: 'brico-centre', controlNumber: '000004712', receivedAt: '2026-11-23T08:00:00Z' }).duplicate).toBe(false);
    expect(pruneSeen(seen, '2026-11-23T08:00:00Z').map((s) => s.controlNumber)).toEqual(['000004711']);
  });

  it('drops a re-sent interchange in the reader: inside one file, and against the record', () => {
    const fix = (f: string) => readFileSync(join(import.meta.dirname, '../../../fixtures/edi/x12', f));
    const twice = readInterchange(fix('duplicate-control-number.edi'));
    expect(twice.orders).toHaveLength(1);
    expect(twice.acks.map((a) => a.kind)).toEqual(['997']);
    expect(twice.interchanges.map((i) => i.duplicate)).toEqual([false, true]);
    expect(twice.problems).toEqual([expect.objectContaining({ code: 'EDI_DUPLICATE_INTERCHANGE', severity: 'warning', where: 'segment 10 (ISA)' })]);

    const partners = loadPartners(EXAMPLE);
    const resent = readInterchange(fix('brico-centre-850-004010.edi'), {
      isDuplicate: ({ standard, sender, controlNumber }) => {
        const partner = partnerBySender(partners, standard, sender);
        return !!partner && checkDuplicateInterchange(seen, { partnerId: partner.id, controlNumber, receivedAt: '2026-11-23T08:00:00Z' }).duplicate;
      },
    });
    expect(resent.orders).toEqual([]);
    expect(resent.acks).toEqual([]); // the caller sends seen[0].acks again
    expect(resent.interchanges[0]).toMatchObject({ duplicate: true, controlNumber: '000004711' });
  });
});
