import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { findCopySignals, findCustomerEvidence, findDeliveryDate, findOrderDate, findPoNumber, findPurpose, findShipTo } from '../../../parsers/text/header';
import { readOrderText } from '../../../parsers/text/index';
import { resolveOrder } from '../../../domain/resolve';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));
const ref = new Date('2026-11-23T09:00:00Z');

describe('findPoNumber', () => {
  it.each([
    ['N° de commande : 4500123456', '4500123456', 'N° de commande'],
    ['Bon de commande n° BC-2026-0117', 'BC-2026-0117', 'Bon de commande n°'],
    ['Commande n°88172 du 23/11/2026', '88172', 'Commande n°'],
    ['NO CDE: 77812', '77812', 'NO CDE'],
    ['Réf. commande : DUP/2611/04', 'DUP/2611/04', 'Réf. commande'],
    ['Votre commande 123456 a bien été', '123456', 'Votre commande'],
    ['PO# 4500998877', '4500998877', 'PO#'],
    ['P.O. Number: PO-88213', 'PO-88213', 'P.O. Number'],
    ['Order no. 55102', '55102', 'Order no.'],
    ['Engagement n° 2026-ENG-00412', '2026-ENG-00412', 'Engagement n°'],
    ['TR: Commande 4500012345', '4500012345', 'Commande'],
  ])('reads %j', (text, value, label) => {
    expect(findPoNumber(text)).toEqual({ value, label });
  });

  it('never takes a date, a quantity or a word for the PO number', () => {
    expect(findPoNumber('Commande du 23/11/2026')).toBeNull();
    expect(findPoNumber('commande de 12 boîtes')).toBeNull();
    expect(findPoNumber('Votre commande est en préparation')).toBeNull();
  });

  it('prefers a numbered label anywhere over a bare "commande" met first', () => {
    expect(findPoNumber('Suite à notre commande 150 du mois dernier,\nN° de commande : CDE-2026-77')?.value).toBe('CDE-2026-77');
  });
});

describe('dates in the header', () => {
  it('reads the order date under its labels', () => {
    expect(findOrderDate('Date de commande : 23/11/2026', ref)).toBe('2026-11-23');
    expect(findOrderDate('Lyon, le 23 novembre 2026', ref)).toBe('2026-11-23');
    expect(findOrderDate('Order date: Nov 23, 2026', ref)).toBe('2026-11-23');
    expect(findOrderDate('Commande n° 4512 du 20/11/2026', ref)).toBe('2026-11-20');
  });

  it('does not take the delivery date for the order date', () => {
    expect(findOrderDate('Livraison pour le 26/11/2026', ref)).toBeNull();
  });

  it('reads a faxed "Data de commande" (OCR\'s a for e) as the order date, and never a "Date prévue"', () => {
    expect(findOrderDate('Data de commande : 09/10/2026', ref)).toBe('2026-10-09');
    expect(findOrderDate('Date prévue : 26/10/2026\nData de commande : 09/10/2026', ref)).toBe('2026-10-09');
    expect(findOrderDate('Date prévue : 26/10/2026', ref)).toBeNull();
  });

  it('reads the requested delivery date under its labels', () => {
    expect(findDeliveryDate('Livraison souhaitée : 27/11/2026', ref)).toBe('2026-11-27');
    expect(findDeliveryDate('Date de livraison : 30.11.26', ref)).toBe('2026-11-30');
    expect(findDeliveryDate('Date prévue : 14/10/2026', ref)).toBe('2026-10-14');
    expect(findDeliveryDate('Gewünschtes Wareneingangsdatum 29.10.26', ref)).toBe('2026-10-29');
    expect(findDeliveryDate('Requested Receipt Date: 29/10/2026', ref)).toBe('2026-10-29');
    expect(findDeliveryDate('à livrer pour le lundi 30 novembre 2026', ref)).toBe('2026-11-30');
    expect(findDeliveryDate('Requested delivery date: December 7, 2026', ref)).toBe('2026-12-07');
    expect(findDeliveryDate('Délai : 04/12', ref)).toBe('2026-12-04');
    expect(findDeliveryDate('Date de commande : 23/11/2026', ref)).toBeNull();
  });
});

const REPLY_WITH_OUR_SIGNATURE = `Bonjour, voici notre commande.
Paul Moreau - Serrurerie Moreau
SIRET 778 899 001 00015 - Tél. 02 47 20 30 40

> Service ADV - Fixations Rhône-Alpes SAS
> 12 rue des Tanneurs - 69007 Lyon
> TVA FR47512345678 - SIRET 512 345 678 00021
> adv@fixations-rhone-alpes.fr`;

describe('findCustomerEvidence', () => {
  it('collects VAT, SIRET, emails, fax and phone, and names the customer', () => {
    const ev = findCustomerEvidence(
      'Quincaillerie Dupont - achats@dupont-quincaillerie.fr\nTél : 04 78 12 34 56 - Fax : 04 78 12 34 57\nTVA FR 12 345678901 - SIRET 345 678 901 00015',
      md,
    );
    expect(ev).toEqual({ vatNumber: 'FR12345678901', siret: '34567890100015', email: 'achats@dupont-quincaillerie.fr', fax: '04 78 12 34 57', phone: '04 78 12 34 56', name: 'Quincaillerie Dupont' });
  });

  it('never takes our own VAT, SIRET or mail domain for the customer', () => {
    const ev = findCustomerEvidence(REPLY_WITH_OUR_SIGNATURE, md, { ourDomains: ['fixations-rhone-alpes.fr'] });
    expect(ev.vatNumber).toBeUndefined();
    expect(ev.siret).toBe('77889900100015');
    expect(ev.email).toBeUndefined();
    expect(md.customerBySiret(ev.siret!)?.id).toBe('C017');
  });

  it('prefers the candidate that names a known customer', () => {
    const ev = findCustomerEvidence('TVA FR99999999999\nTVA intracom. FR23456789012', md);
    expect(ev.vatNumber).toBe('FR23456789012');
  });

  it('leaves out phone numbers the caller says are ours', () => {
    const ev = findCustomerEvidence('Tél. 04 72 10 20 30', md, { ourPhones: ['+33 4 72 10 20 30'] });
    expect(ev.phone).toBeUndefined();
  });
});

describe('findShipTo', () => {
  it('reads name, street, postal code and city after "Livrer à"', () => {
    expect(findShipTo('Livrer à :\nQuincaillerie Dupont - Dépôt\nZI de la Mouche 14 rue Jean Moulin\n69200 Vénissieux\n\nMerci')).toEqual({
      name: 'Quincaillerie Dupont - Dépôt',
      street: 'ZI de la Mouche 14 rue Jean Moulin',
      postalCode: '69200',
      city: 'Vénissieux',
      country: 'FR',
    });
  });

  it('reads a foreign address on the same line as the label', () => {
    expect(findShipTo('Ship to: Weber Fixations Lager\nHans-Bunte-Straße 10\nD-79108 Freiburg im Breisgau')).toMatchObject({ name: 'Weber Fixations Lager', postalCode: '79108', country: 'DE' });
    expect(findShipTo('Bitte liefern Sie an:\nSchrauben Huber - Filiale Ludwigsburg\nSchwieberdinger Straße 60\n71636 Ludwigsburg\nDeutschland')).toMatchObject({ street: 'Schwieberdinger Straße 60', postalCode: '71636', country: 'DE' });
  });

  it('says "usual" for "adresse habituelle" and null when nothing is said', () => {
    expect(findShipTo('Livraison à notre adresse habituelle.')).toEqual({ usual: true });
    expect(findShipTo('Adresse de livraison : adresse habituelle')).toEqual({ usual: true });
    expect(findShipTo('Bonjour, merci pour votre devis.')).toBeNull();
  });

  it('refuses our own address as a ship-to', () => {
    expect(findShipTo('Livrer à :\nFixations Rhône-Alpes SAS\n12 rue des Tanneurs\n69007 Lyon', md)).toBeNull();
  });
});

describe('purpose and copy signals', () => {
  it('tells replacements and cancellations apart', () => {
    expect(findPurpose('Cette commande annule et remplace la commande 4498')).toBe('replace');
    expect(findPurpose('Commande modifiée : quantités revues')).toBe('replace');
    expect(findPurpose('Annulation de commande 4512')).toBe('cancel');
    expect(findPurpose("Merci d'annuler la commande 4512")).toBe('cancel');
    expect(findPurpose('Please cancel our purchase order 4500012345')).toBe('cancel');
    expect(findPurpose('Commande 4512')).toBeNull();
  });

  it('notices copies and orders already sent through another channel', () => {
    expect(findCopySignals('COPIE - commande transmise par EDI')).toEqual(['marked COPIE', 'already sent by another channel']);
    expect(findCopySignals('DUPLICATA')).toEqual(['marked DUPLICATA']);
    expect(findCopySignals('Confirmation de commande')).toEqual(['confirmation of an order']);
    // "copie" inside a sentence about a photocopier is no signal.
    expect(findCopySignals('Merci de livrer la photocopieuse')).toEqual([]);
  });
});

describe('readOrderText', () => {
  it('turns a typed order into a draft that resolves to our catalog and customer', () => {
    const text = `Bonjour,
Commande n° DUP-2611-042 du 23/11/2026
Livraison souhaitée : 27/11/2026

- 12 x VIS-440 vis inox 4x40
- 5 x CHV-6

Quincaillerie Dupont - TVA FR12345678901`;
    const { draft, found } = readOrderText(text, md, { parser: 'email-body', ref });
    expect(found).toMatchObject({ poLabel: 'Commande n°', lines: 2 });
    const { order, problems } = resolveOrder(draft, md);
    // No delivery address printed: the customer's only one is put in, and flagged.
    expect(problems.map((p) => p.code)).toEqual(['SHIP_TO_MISSING']);
    expect(order).toMatchObject({ poNumber: 'DUP-2611-042', orderDate: '2026-11-23', requestedDeliveryDate: '2026-11-27', purpose: 'original', customer: { id: 'C001', matchedBy: 'vat_number' } });
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['VIS-440', 12],
      ['CHV-6', 5],
    ]);
  });

  it('lets channel evidence (the sender) win over a quoted address', () => {
    const { draft } = readOrderText('contact: someone@bricocentre.fr\n- 3 x VIS-440', md, { parser: 'email-body', customer: { email: 'achats@dupont-quincaillerie.fr' } });
    expect(draft.customer.email).toBe('achats@dupont-quincaillerie.fr');
  });
});
