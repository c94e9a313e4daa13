// The delivery address among other blocks (issue #13, class 2): the delivery column only, never
// the billing or supplier column beside it, never two columns merged; one-line addresses in mail.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { groupLines } from '../../../parsers/layout/table';
import { shipToFromBlocks } from '../../../parsers/layout/order';
import { findShipTo } from '../../../parsers/text/header';
import { cellWords } from '../../support/words';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

const line = cellWords;

describe('ship-to by geometry', () => {
  it('takes the delivery column of three address blocks side by side', () => {
    const words = [
      line(100, [[20, 'Fournisseur :'], [220, 'Adresse de livraison :'], [420, 'Adresse de facturation :']]),
      line(113, [[20, 'Fixations Rhône-Alpes SAS'], [220, 'Quincaillerie Dupont - Dépôt'], [420, 'Quincaillerie Dupont']]),
      line(126, [[20, '12 rue des Tanneurs'], [220, '14 rue Jean Moulin'], [420, '8 avenue Jean Jaurès']]),
      line(139, [[20, '69007 Lyon'], [220, '69200 Vénissieux'], [420, '69007 Lyon']]),
    ].flat();
    const lines = groupLines({ page: 1, words });
    expect(shipToFromBlocks(lines, md)).toMatchObject({ name: 'Quincaillerie Dupont - Dépôt', street: '14 rue Jean Moulin', postalCode: '69200', city: 'Vénissieux', country: 'FR' });
  });

  it('reads a German Lieferanschrift printed right of the billing block', () => {
    const words = [
      line(100, [[20, 'Rechnungsadresse'], [300, 'Lieferanschrift']]),
      line(113, [[20, 'Weber GmbH'], [300, 'Weber GmbH Lager Süd']]),
      line(126, [[20, 'Hauptstraße 1'], [300, 'Hans-Bunte-Straße 10']]),
      line(139, [[20, 'D-10115 Berlin'], [300, 'D-79108 Freiburg']]),
    ].flat();
    expect(shipToFromBlocks(groupLines({ page: 1, words }), md)).toMatchObject({ postalCode: '79108', city: 'Freiburg', country: 'DE', street: 'Hans-Bunte-Straße 10' });
  });

  it('reads the value right of its label on the same line', () => {
    const words = line(100, [[20, 'Livrer à :'], [90, 'Dépôt Nord, 14 rue Jean Moulin, 69200 Vénissieux']]);
    expect(shipToFromBlocks(groupLines({ page: 1, words }), md)).toMatchObject({ postalCode: '69200', street: '14 rue Jean Moulin' });
  });
});

describe('ship-to in text', () => {
  it.each([
    ['Lieu de livraison : 14 rue Jean Moulin, 69200 Vénissieux, France', '69200', '14 rue Jean Moulin'],
    ['Delivery address: Unit 4, Hans-Bunte-Straße 10, D-79108 Freiburg', '79108', null],
    ['Indirizzo di consegna:\nMagazzino Nord\nVia Roma 12\n20121 Milano', '20121', 'Via Roma 12'],
    ['Dirección de entrega:\nAlmacén Central\nCalle Mayor 5\n28013 Madrid', '28013', 'Calle Mayor 5'],
    ['Afleveradres:\nMagazijn Oost\nStationsstraat 4\n1012 AB Amsterdam', '1012 AB', 'Stationsstraat 4'],
  ])('%j', (text, pc, street) => {
    const s = findShipTo(text, md);
    expect(s?.postalCode).toBe(pc);
    if (street) expect(s?.street).toBe(street);
  });

  it('does not take a delivery date line for an address', () => {
    expect(findShipTo('Livraison souhaitée le 27/11/2026\nMerci', md)).toBeNull();
    expect(findShipTo('Delivery: 13/10/2026', md)).toBeNull();
  });
});
