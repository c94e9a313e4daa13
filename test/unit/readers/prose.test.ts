// Orders written as a sentence in a mail body (issue #13, class 6): read, not quarantined, and the
// reply never suggests a forgotten attachment the message never spoke of.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { parseOrderLines } from '../../../parsers/text/lines';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

function eml(from: string, subject: string, body: string, extra = ''): Buffer {
  return Buffer.from(`From: ${from}\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: ${subject}\r\nDate: Thu, 01 Oct 2026 08:12:00 +0200\r\nMessage-ID: <p-${subject.length}@x>\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
}

async function extract(bytes: Buffer) {
  const meta = describeDocument(bytes, { fileName: 'm.eml', channel: 'email', receivedAt: '2026-10-01T06:15:00Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

describe('orders in a sentence', () => {
  it.each([
    ['Bonjour, merci de nous livrer 10 VIS-440 et 5 CHV-6 pour lundi. Cordialement', [['VIS-440', 10], ['CHV-6', 5]]],
    ['Hello, please send 12 x FOR-BET8 and 3 MAR-500 asap, thanks', [['FOR-BET8', 12], ['MAR-500', 3]]],
    ['Pouvez-vous nous envoyer 4 boîtes de BOU-M8, 2 NIV-60 ; merci', [['BOU-M8', 4], ['NIV-60', 2]]],
  ])('%j', (text, want) => {
    expect(parseOrderLines(text, md).map((l) => [l.sku, l.quantity])).toEqual(want);
  });

  it('names an article by its designation, below the review threshold and saying why', () => {
    const [l] = parseOrderLines('merci de livrer 6 mètres ruban 5 m pour jeudi', md);
    expect(l).toMatchObject({ sku: 'MET-5M', quantity: 6 });
    expect(l!.confidence).toBeLessThan(0.7);
    expect(l!.doubts?.[0]).toMatch(/designation/);
  });

  it('reads a one-line mail order end to end, with the order date from the Date header', async () => {
    const r = await extract(eml('achats@dupont-quincaillerie.fr', 'Commande', 'Bonjour,\nmerci de nous livrer 10 VIS-440 et 5 CHV-6 pour lundi.\nPaul'));
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]!.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 10], ['CHV-6', 5]]);
    expect(r.orders[0]!.orderDate).toBe('2026-10-01');
    expect(r.problems.map((p) => p.code)).not.toContain('EMAIL_NO_ORDER');
  });

  it('suggests a forgotten attachment only when the message speaks of one', async () => {
    const plain = await extract(eml('achats@dupont-quincaillerie.fr', 'Commande 4512', 'Bonjour, pouvez-vous confirmer le délai ?'));
    expect(plain.problems.find((p) => p.code === 'EMAIL_NO_ORDER')?.message).not.toMatch(/forgotten/);
    const said = await extract(eml('achats@dupont-quincaillerie.fr', 'Commande 4512', 'Bonjour, ci-joint notre commande.'));
    expect(said.problems.find((p) => p.code === 'EMAIL_NO_ORDER')?.message).toMatch(/forgotten/);
  });
});

describe('"pour lundi"', () => {
  it('is the next Monday after the day the message says it was sent, with that Date as its evidence', async () => {
    const bytes = eml('achats@dupont-quincaillerie.fr', 'Commande', 'merci de nous livrer 10 VIS-440 et 5 CHV-6 pour lundi');
    const meta = describeDocument(bytes, { fileName: 'm.eml', channel: 'email', receivedAt: '2026-10-01T06:15:00Z' });
    const r = (await extractDocument(bytes, meta, md)).result;
    // Sent on Thursday 1 October 2026.
    expect(r.orders[0]!.requestedDeliveryDate).toBe('2026-10-05');
    expect(r.problems.find((p) => p.code === 'DELIVERY_DATE_UNCONFIRMED')).toBeUndefined();
    expect(r.orders[0]!.evidence!.requestedDeliveryDate).toMatchObject({ text: 'pour lundi', corroboratedBy: expect.arrayContaining([expect.stringContaining('Date header')]) });
  });

  it('stays flagged when a quantity asked for in the sentence gave no line', async () => {
    const r = await extract(eml('achats@dupont-quincaillerie.fr', 'Commande', 'Bonjour,\nmerci de nous livrer pour lundi 10 boîtes de chevilles nylon en plus de :\n- 12 x VIS-440\n- 5 x CHV-6\nPaul'));
    expect(r.orders[0]!.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 12], ['CHV-6', 5]]);
    expect(r.problems.find((p) => p.code === 'LINES_UNREAD')?.message).toContain('10 boîtes de chevilles nylon');
  });
});
