// The buyer when its mail domain says nothing (issue #13, class 7): a GLN, a delivery address known
// in master data, VAT or SIRET; and a customer two clues contradict is flagged, never guessed.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

async function mail(from: string, body: string) {
  const bytes = Buffer.from(`From: ${from}\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: Commande\r\nDate: Thu, 01 Oct 2026 08:12:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
  const meta = describeDocument(bytes, { fileName: 'm.eml', channel: 'email', receivedAt: '2026-10-01T06:15:00Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

describe('customer from the document when the mail domain is unknown', () => {
  it('by the GLN of one of its delivery points, which also gives the ship-to', async () => {
    const r = await mail('magasin.villeurbanne@gmail.com', 'N° de commande : BCR-26-101\nGLN livraison : 3020000100014\n- 10 x VIS-440');
    const o = r.orders[0]!;
    expect(o.customer).toMatchObject({ id: 'C002', matchedBy: 'gln' });
    expect(o.shipTo.code).toBe('C002-M01');
    expect(o.evidence?.shipTo?.corroboratedBy.join(' ')).toMatch(/GLN/);
  });

  it('by a delivery address it alone has, flagged since nothing else confirms it', async () => {
    const r = await mail('chef.depot@gmail.com', 'N° de commande : Q-7781\nAdresse de livraison :\nDépôt de Vénissieux\nZI de la Mouche 14 rue Jean Moulin\n69200 Vénissieux\n\n- 4 x CHV-6');
    const o = r.orders[0]!;
    expect(o.customer).toMatchObject({ id: 'C001', matchedBy: 'ship_to_address' });
    expect(r.problems.find((p) => p.code === 'CUSTOMER_UNCONFIRMED')).toMatchObject({ where: 'customer', severity: 'warning' });
    expect(o.confidence).toBeLessThan(0.7);
  });

  it('flags clues that name two customers', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'N° de commande : X-1\nTVA FR34567890123\n- 2 x VIS-440');
    expect(r.orders[0]!.customer.id).toBe('C003');
    expect(r.problems.find((p) => p.code === 'CUSTOMER_EVIDENCE_CONFLICT')?.message).toMatch(/email_domain → C001/);
  });

  it('keeps a ship-to master data does not know as read, and flags it', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'N° de commande : D-88\nLivrer à :\nChantier Part-Dieu\n5 place Charles Béraudier\n69003 Lyon\n\n- 2 x VIS-440');
    const o = r.orders[0]!;
    expect(o.shipTo).toMatchObject({ code: null, postalCode: '69003', street: '5 place Charles Béraudier' });
    expect(r.problems.find((p) => p.code === 'SHIP_TO_NOT_IN_MASTER_DATA')).toMatchObject({ where: 'shipTo', severity: 'warning' });
  });

  it('flags a missing ship-to instead of silently putting the usual one when the customer has several', async () => {
    const several = md.customers.find((c) => md.addressesOf(c.id, 'delivery').length > 1)!;
    const domain = several.emailDomains[0]!;
    const r = await mail(`achats@${domain}`, 'N° de commande : S-1\n- 2 x VIS-440');
    expect(r.problems.find((p) => p.code === 'SHIP_TO_MISSING')).toMatchObject({ where: 'shipTo', severity: 'warning' });
    expect(r.orders[0]!.evidence?.shipTo).toMatchObject({ source: 'default', flagged: true });
  });
});
