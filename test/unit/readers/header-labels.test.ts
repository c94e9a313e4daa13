// Header fields under labels and formats from many issuing systems and languages (issue #13,
// classes 1 and 3): every value kept exactly as printed, never a prefix eaten by its label.
import { describe, expect, it } from 'vitest';
import { findDeliveryDate, findOrderDate, findPoNumber } from '../../../parsers/text/header';
import { parseDate } from '../../../parsers/text/dates';

const ref = new Date('2026-10-01T09:00:00Z');

describe('PO numbers as printed', () => {
  it.each([
    ['N° : CDE26/00412', 'CDE26/00412'],
    ['BON DE COMMANDE\nN° CDE26/0042', 'CDE26/0042'],
    ['Commande n° LT/26/0815 du 01/10/2026', 'LT/26/0815'],
    ['Bon de commande N° BC-2026-00917', 'BC-2026-00917'],
    ['Order No.: AB26-354-C', 'AB26-354-C'],
    ['PO Number   4500123987', '4500123987'],
    ['P.O. No. PO-77120', 'PO-77120'],
    ['Bestell-Nr.: 4711-0026', '4711-0026'],
    ['Bestellnummer 26/0098', '26/0098'],
    ['N. ordine: OA-2026-118', 'OA-2026-118'],
    ['Numero ordine 2026/4411', '2026/4411'],
    ['Nº de pedido: PED-26-0091', 'PED-26-0091'],
    ['Número de pedido 88/2026', '88/2026'],
    ['Bestelnummer: BN260044', 'BN260044'],
    ['Inkooporder nr. IO-26-515', 'IO-26-515'],
    ['Votre commande n°CF-2026/118 du 02/10', 'CF-2026/118'],
  ])('%j → %s', (text, value) => {
    expect(findPoNumber(text)?.value).toBe(value);
  });

  it('never takes a supplier, VAT or SIRET number after a bare N° for the PO', () => {
    expect(findPoNumber('Fournisseur N° 40012')).toBeNull();
    expect(findPoNumber('N° TVA FR47512345678')).toBeNull();
    expect(findPoNumber('N° SIRET 512 345 678 00021')).toBeNull();
  });

  it('prefers a numbered label to a bare N° met first', () => {
    expect(findPoNumber('Client N° 4411\nN° : 9921\nCommande n° CDE26/7')?.value).toBe('CDE26/7');
  });
});

describe('dates under labels from many systems', () => {
  it.each([
    ['Date de livraison souhaitée : 13/10/2026', '2026-10-13'],
    ['Livraison souhaitée le 13.10.2026', '2026-10-13'],
    ['Délai : 2 oct. 2026', '2026-10-02'],
    ['Requested delivery: 13/10/26', '2026-10-13'],
    ['Liefertermin: 2. Oktober 2026', '2026-10-02'],
    ['Data consegna: 13/10/2026', '2026-10-13'],
    ['Fecha de entrega: 2 de octubre de 2026', '2026-10-02'],
    ['Gewenste leverdatum: 13-10-2026', '2026-10-13'],
  ])('delivery %j → %s', (text, iso) => {
    expect(findDeliveryDate(text, ref)).toBe(iso);
  });

  it.each([
    ['Bestelldatum: 01.10.2026', '2026-10-01'],
    ['Datum: 1. Oktober 2026', '2026-10-01'],
    ['Data ordine 01/10/26', '2026-10-01'],
    ['Fecha de pedido: 1 de octubre de 2026', '2026-10-01'],
    ['Order date 1 Oct 2026', '2026-10-01'],
  ])('order %j → %s', (text, iso) => {
    expect(findOrderDate(text, ref)).toBe(iso);
  });

  it('does not take a delivery date printed after a generic "Data" label for the order date', () => {
    expect(findOrderDate('Data consegna: 13/10/2026', ref)).toBeNull();
  });

  it('reads month names in German, Italian, Spanish and Dutch', () => {
    expect(parseDate('3. März 2026', ref)).toBe('2026-03-03');
    expect(parseDate('12 dicembre 2026', ref)).toBe('2026-12-12');
    expect(parseDate('5 septiembre 2026', ref)).toBe('2026-09-05');
    expect(parseDate('7 mei 2026', ref)).toBe('2026-05-07');
  });
});
