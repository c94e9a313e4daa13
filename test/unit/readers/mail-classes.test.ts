// Classes of reading failure the corpus's widened development half showed on typed e-mails,
// forwards and replies (issue #13), each on a small text written here.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { splitSegments } from '../../../parsers/email/segments';
import { findDeadline, findDeliveryDate, findPoNumber, findRelativeDeliveryDay, findShipTo, joinSpacedParts, parseOrderLines, readOrderText, unreadOrderLines } from '../../../parsers/text/index';

// The corpus's master data: it holds a customer whose part numbers are printed with a space.
const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/corpus/masterdata'));

async function mail(from: string, subject: string, body: string) {
  const bytes = Buffer.from(`From: ${from}\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: ${subject}\r\nDate: Thu, 01 Oct 2026 08:12:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
  const meta = describeDocument(bytes, { fileName: 'm.eml', channel: 'email', receivedAt: '2026-10-01T06:15:00Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

const read = (text: string) => parseOrderLines(text, md).map((l) => [l.sku ?? l.customerPartNumber, l.quantity]);

describe('a unit word marks the quantity of a list line', () => {
  it('reads the ERP unit codes and abbreviations normaliseUnit knows (KAR, ST, pai, Stk.)', () => {
    expect(read('1) 12 KAR VIS-660 (Schraube 6x60)\n2) 193 ST DIS-125 (Trennscheibe 125 mm)\n3) 9 Stück SER-3P')).toEqual([
      ['VIS-660', 12],
      ['DIS-125', 193],
      ['SER-3P', 9],
    ]);
    expect(parseOrderLines('1) 3 SET EMB-PZ2 (Bit PZ2)\n2) 4 DS CHV-6', md).map((l) => [l.sku, l.quantity, l.unit])).toEqual([
      ['EMB-PZ2', 3, 'LOT'],
      ['CHV-6', 4, 'BTE'],
    ]);
    expect(read('GAN-NIT Gants nitrile enduits taille 9 : 79 pai\nCRO-S Crochet S acier 60 mm : 10 u')).toEqual([
      ['GAN-NIT', 79],
      ['CRO-S', 10],
    ]);
  });

  it('needs no other sign than the unit, before or after the number, when master data knows the reference', () => {
    expect(read('VIS-440  12 Stk.\nCHV-6 – Dübel 6x30 – 5 Stück\nECR-M8 Dado M8 pz 7')).toEqual([
      ['VIS-440', 12],
      ['CHV-6', 5],
      ['ECR-M8', 7],
    ]);
    // A reference ending in x is not a reference and a "x" sign; a size in the designation is not the quantity.
    expect(read('CHA-INOX  12 Stk.\nCHA-S3  Chaussures de sécurité S3 pointure 42  1 Stk.\nFER-PORTE  Ferme-porte force 3  1 200 Stk.')).toEqual([
      ['CHA-INOX', 12],
      ['CHA-S3', 1],
      ['FER-PORTE', 1200],
    ]);
    // A size is not a quantity: "Boulon M 10" holds no unit of two letters before its number.
    expect(read('BOU-M10 Boulon M 10')).toEqual([]);
  });

  it('knows the quantity and reference words of other languages ("qty", "Q.tà", "Codice")', () => {
    expect(read('VIS-440 - Screw 4x40 - qty 12\nCodice VIS-450 - Vite 4x50 - Q.tà 3')).toEqual([
      ['VIS-440', 12],
      ['VIS-450', 3],
    ]);
  });
});

describe("customers' part numbers printed with a space", () => {
  it('are one reference in a list line', () => {
    expect(joinSpacedParts('- 10 st PB 11.402 Mètre', md)).toBe('- 10 st PB11.402  Mètre');
    expect(read('- 10 st PB 11.402 Mètre ruban 5 m\n- 3 pces PB 11.560 Niveau 60 cm')).toEqual([
      ['PB 11.402', 10],
      ['PB 11.560', 3],
    ]);
  });

  it('are left alone inside a longer reference', () => {
    expect(joinSpacedParts('APB 11.4020', md)).toBe('APB 11.4020');
  });
});

describe('orders written in a sentence', () => {
  it('never takes the digits of a phone number for quantities of a product', () => {
    const lines = parseOrderLines('OK pour 248 GOU-M10, à livrer mardi.\n\nCdlt\nP. Roux\nTél. +33 4 77 21 30 30', md);
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([['GOU-M10', 248]]);
  });

  it('reads a weekday right after a word of delivery as the next such day', () => {
    const thursday = new Date('2026-10-01T08:00:00Z');
    expect(findRelativeDeliveryDay('OK pour 10 VIS-440, à livrer mardi.', thursday)?.iso).toBe('2026-10-06');
    expect(findRelativeDeliveryDay('Lieferung Freitag, danke', thursday)?.iso).toBe('2026-10-02');
    // A weekday in an e-mail header says when it was sent, not when to deliver.
    expect(findRelativeDeliveryDay('Envoyé : mardi 29 septembre 2026 09:12', thursday)).toBeNull();
  });
});

describe('items one after another on a line', () => {
  it('reads every item, not the first one only', () => {
    expect(read('7 x ECR-M8, 291 bte VIS-450, 1600 cartons CHV-6 et 29 CRO-S pour le 25/11, à livrer au 7 quai du Havre 76000 Rouen. Cde C2159')).toEqual([
      ['ECR-M8', 7],
      ['VIS-450', 291],
      ['CHV-6', 1600],
      ['CRO-S', 29],
    ]);
  });

  it('reads codes made of digits only, and items joined by "+"', () => {
    expect(read('Please send 134 cartons 100005120 + 5 x CHV-6 pour lundi.\nTél. +33 4 77 21 30 30')).toEqual([
      ['100005120', 134],
      ['CHV-6', 5],
    ]);
  });

  it('keeps the other lines of the text, read by their own reader', () => {
    expect(read('2 VIS-440 et 3 VIS-450\n- 5 x CHV-6')).toEqual([
      ['VIS-440', 2],
      ['VIS-450', 3],
      ['CHV-6', 5],
    ]);
  });

  it('leaves a list line naming one product twice (SKU and EAN) to the list reader', () => {
    expect(read('- 12 x VIS-440 EAN 3760123450003')).toEqual([['VIS-440', 12]]);
  });
});

describe('a deadline in a typed sentence', () => {
  const ref = new Date('2026-10-01T08:00:00Z');
  it('is the delivery date for a person\'s e-mail, whatever word of delivery there is or not', () => {
    expect(findDeadline('Pour le 13/10/2026 si possible.', ref)).toBe('2026-10-13');
    expect(findDeadline('3 VIS-440 et 2 CHV-6 pour le 25/11, merci', ref)).toBe('2026-11-25');
    expect(readOrderText('- 2 x VIS-440\nPour le 13/10/2026 si possible.', md, { parser: 'email-body', ref, typed: true }).draft.requestedDeliveryDate).toBe('2026-10-13');
  });

  it('is read after the bare noun of delivery and a colon ("Livraison : 13/10/2026"), never an address', () => {
    for (const t of ['Livraison : 13/10/2026', 'Delivery: 13/10/2026', 'Lieferung: 13.10.2026', 'Entrega: 13/10/2026', 'Consegna: 13/10/2026', 'Levering: 13-10-2026']) expect(findDeliveryDate(t, ref)).toBe('2026-10-13');
    expect(findDeliveryDate('Livraison : 14 rue Jean Moulin, 69200 Vénissieux', ref)).toBeNull();
  });

  it('is not read on an e-mail header line, nor on a printed document', () => {
    expect(findDeadline('Envoyé : pour le 13/10/2026', ref)).toBeNull();
    expect(findDeliveryDate('Facture à régler avant le 30/11/2026', ref)).toBeNull();
    expect(readOrderText('- 2 x VIS-440\nPour le 13/10/2026 si possible.', md, { parser: 'pdf-text', ref }).draft.requestedDeliveryDate).toBeNull();
  });
});

describe('PO labels', () => {
  it('reads "N/Réf." (the buyer\'s own reference) and keeps the number as printed', () => {
    expect(findPoNumber('N/Réf. : LT/26/36')?.value).toBe('LT/26/36');
    expect(findPoNumber('OK pour 10 LUN-PRO. N/réf : CH-554')?.value).toBe('CH-554');
    for (const label of ['Our ref.:', 'Unsere Referenz:', 'Unser Zeichen:', 'Nostro riferimento:', 'Nuestra referencia:', 'Onze referentie:']) expect(findPoNumber(`${label} AB26-354-C`)?.value).toBe('AB26-354-C');
  });
});

describe('one-line delivery addresses', () => {
  it('parts an address written with spaced dashes, and ends it at its line', () => {
    const text = 'Leveringsadres: Peeters Magazijn Haven - Noorderlaan 130 - 2030 Antwerpen\nMet vriendelijke groet,\nK. Janssens\nBouwmaterialen Peeters NV';
    expect(findShipTo(text, md)).toEqual({ name: 'Peeters Magazijn Haven', street: 'Noorderlaan 130', postalCode: '2030', city: 'Antwerpen', country: null });
    // An HTML cell whose line breaks were lost: name with a dash, street and town in one run.
    expect(findShipTo('Adresse de livraison\tQuincaillerie Dupont - Dépôt ZI de la Mouche 14 rue Jean Moulin 69200 Vénissieux', md)).toMatchObject({ street: 'ZI de la Mouche 14 rue Jean Moulin', postalCode: '69200', city: 'Vénissieux' });
    // A delivery label inside a sentence, the address after it in the same sentence.
    expect(findShipTo('Bonjour, svp 5 CHV-PLQ, cde 886, livraison ZI Molina La Chazotte, 42650 Saint-Jean-Bonnefonds. Merci', md)).toMatchObject({ street: 'ZI Molina La Chazotte', postalCode: '42650' });
    expect(findShipTo('2 VIS-440 et 3 CHV-6, à livrer au 7 quai du Havre 76000 Rouen. Cde 4512', md)).toMatchObject({ street: '7 quai du Havre', postalCode: '76000', city: 'Rouen' });
    expect(findShipTo('Merci de livrer au plus vite, notre dépôt est fermé le 12/10.', md)).toBeNull();
    for (const label of ['Entregar en:', 'Levering:', 'Lieferort:', 'Adresse du chantier :', 'Livraison sur chantier :']) expect(findShipTo(`${label}\nDépôt Sud\n14 rue Jean Moulin\n69200 Vénissieux\n\nMerci`, md)?.postalCode).toBe('69200');
    // A house number starts the street, not the name.
    expect(findShipTo('Livrer à : 14 rue Jean Moulin 69200 Vénissieux', md)).toMatchObject({ street: '14 rue Jean Moulin', postalCode: '69200' });
    expect(findShipTo('Livrer à : Dépôt Sud 14 rue Jean Moulin 69200 Vénissieux', md)).toMatchObject({ name: 'Dépôt Sud', street: '14 rue Jean Moulin' });
    expect(findShipTo('Lieu de livraison : Matériaux Wallons - Dépôt Herstal - Rue de l\'Industrie 25 - 4040 Herstal - Belgique', md)).toMatchObject({ street: "Rue de l'Industrie 25", postalCode: '4040', city: 'Herstal', country: 'BE' });
  });
});

describe('lines nothing could read', () => {
  it('are found: a known product beside a number that gave no order line', () => {
    const text = '- 12 x VIS-440\nVIS-450 (il en faut 5)\nMerci';
    const lines = parseOrderLines(text, md);
    expect(lines.map((l) => l.sku)).toEqual(['VIS-440']);
    expect(unreadOrderLines(text, lines, md)).toEqual(['VIS-450 (il en faut 5)']);
    expect(readOrderText(text, md, { parser: 'email-body' }).draft.confidence).toBeLessThan(0.9);
  });

  it('are flagged on the order read from the e-mail, never passed as certain', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Commande 4512', 'Bonjour,\n- 12 x VIS-440\nVIS-450 (il en faut 5)\nN° de commande : 4512\nCordialement');
    expect(r.orders[0]!.lines.map((l) => l.sku)).toEqual(['VIS-440']);
    expect(r.problems.find((p) => p.code === 'LINES_UNREAD')).toMatchObject({ severity: 'warning', where: 'lines' });
    expect(r.orders[0]!.confidence).toBeLessThan(0.9);
  });

  it('leave a complete order alone', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Commande 4513', 'Bonjour,\n- 12 x VIS-440\n- 5 x VIS-450\nN° de commande : 4513\nCordialement');
    expect(r.problems.filter((p) => p.code === 'LINES_UNREAD')).toEqual([]);
  });
});

describe('an order written in a sentence, with articles the catalog does not know', () => {
  it('reaches an agent as an order with its articles kept as written, never the quarantine', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'commande', 'Bonjour,\n\nmerci de nous livrer 10 sacs de ciment prompt et 4 VIS-440 pour lundi.\n\nCordialement');
    expect(r.problems.filter((p) => p.code === 'EMAIL_NO_ORDER')).toEqual([]);
    const o = r.orders[0]!;
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [null, 10],
      ['VIS-440', 4],
    ]);
    expect(o.lines.find((l) => !l.sku)).toMatchObject({ description: 'ciment prompt', unit: 'SAC' });
    expect(o.confidence).toBeLessThan(0.9);
  });

  it('is no order when the message speaks of an attachment it does not carry: the hint says it may be forgotten', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'commande', 'Bonjour,\n\nmerci de nous livrer les 2 palettes de la commande ci-jointe.\n\nCordialement');
    expect(r.orders).toEqual([]);
    expect(r.problems.find((p) => p.code === 'EMAIL_NO_ORDER')!.message).toContain('forgotten');
  });

  it('never takes a confidentiality notice for a mention of an attachment', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'bonjour', 'Bonjour, pouvez-vous me rappeler ?\n\nCe message et toutes les pièces jointes sont confidentiels et établis à l’intention exclusive de ses destinataires.');
    expect(r.problems.find((p) => p.code === 'EMAIL_NO_ORDER')!.message).not.toContain('forgotten');
  });
});

describe('forwards', () => {
  it('reads a Lotus Notes forward: the original sender and date under the "Transféré par" line', () => {
    const body = 'Commande ci-dessous.\n----- Transféré par Assistante Achats/DUPONT le 02/10/2026 08:40 -----\n\n"M. Durand" <magasin@dupont-quincaillerie.fr>\n01/10/2026 16:05\n\nA\nachats@dupont-quincaillerie.fr\ncc\n\nObjet\nDemande d\'achat DA2612345\n\n\n\nMerci de commander :\nVIS-440\tVis inox\t12\n';
    const segs = splitSegments(body);
    expect(segs[1]).toMatchObject({ kind: 'forward', author: 'magasin@dupont-quincaillerie.fr', date: '01/10/2026 16:05', subject: "Demande d'achat DA2612345" });
    expect(segs[1]!.text).toContain('VIS-440');
  });

  it("flags the order date when a forward's own date was not found (the Date header is the forward's)", async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'TR: Commande', 'Pour info\n\nN° de commande : 4514\n- 12 x VIS-440');
    expect(r.problems.find((p) => p.code === 'ORDER_DATE_UNCONFIRMED')).toMatchObject({ where: 'orderDate', severity: 'warning' });
  });
});

describe('forward and reply headers in more mail programs', () => {
  it('knows Apple Mail in Italian, Spanish and Dutch, and Outlook\'s "Enviado el:"', () => {
    for (const sep of ['Inizio messaggio inoltrato:', 'Inicio del mensaje reenviado:', 'Begin doorgestuurd bericht:']) {
      // The separator alone starts the forwarded text, whatever follows it.
      const segs = splitSegments(`Vedi sotto.\n\n${sep}\n\nFR/44-0 pz 12\n`);
      expect(segs.map((x) => x.kind)).toEqual(['top', 'forward']);
      expect(segs[1]!.text).toContain('FR/44-0');
    }
    const es = splitSegments('Os reenvío el pedido.\n\nDe: Ana <almacen@ferreteria-garcia.es>\nEnviado el: lunes, 12 de octubre de 2026 9:14\nPara: compras@ferreteria-garcia.es\nAsunto: Pedido\n\nRef. GA-0440 - Cant. 12\n');
    expect(es[1]).toMatchObject({ kind: 'forward', author: 'almacen@ferreteria-garcia.es', date: 'lunes, 12 de octubre de 2026 9:14', subject: 'Pedido' });
  });
});

describe('a code found inside the designation of an order printing no price', () => {
  it('is answered by the designation naming that article, and the order is read without doubt', async () => {
    const body = 'Bonjour,\nN° de commande : 4512\nQté\tDésignation\n10\tVis inox A2 tête fraisée 4x50 VIS-450\n5\tCheville nylon 8x40 CHV-8\nLivrer à : 14 rue Jean Moulin 69200 Vénissieux\nCordialement';
    const r = await mail('achats@dupont-quincaillerie.fr', 'Commande 4512', body);
    const o = r.orders[0]!;
    expect(o.lines.map((l) => [l.sku, l.quantity, l.doubts])).toEqual([['VIS-450', 10, []], ['CHV-8', 5, []]]);
    expect(o.lines.map((l) => l.confidence)).toEqual([1, 1]);
    expect(o.confidence).toBe(1);
  });
});
