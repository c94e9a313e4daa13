// A unit price typed by a person after an article in an e-mail ("à 12,50 € pièce", "PU 12,50",
// "@ 3.02"): read as the line's price, so that the price checks (anomaly, touchless band) can judge it;
// a number after "à" with neither currency nor decimals is not a price ("à livrer à 14").
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { parseOrderLines, typedLinePrice } from '../../../parsers/text/lines';
import { describeDocument, extractDocument } from '../../../parsers/index';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));
const read = (text: string) => parseOrderLines(text, md, { typed: true }).map((l) => [l.sku, l.quantity, l.unitPrice ?? null]);

describe('prices typed in an e-mail list', () => {
  it('reads "à 12,50 € pièce", "PU 12,50", "@ 3.02", "prix 17,50 € HT" and "at €3.50 each" as the line\'s unit price', () => {
    expect(read('- 12 x VIS-440 vis inox 4x40 à 12,50 € pièce')).toEqual([['VIS-440', 12, 12.5]]);
    expect(read('- 10 x VIS-440 PU 12,50')).toEqual([['VIS-440', 10, 12.5]]);
    expect(read('- 5 CHV-8 @ 3.02')).toEqual([['CHV-8', 5, 3.02]]);
    expect(read('VIS-440 : 12 boîtes, prix 17,50 € HT')).toEqual([['VIS-440', 12, 17.5]]);
    expect(read('10 x VIS-440 at €3.50 each')).toEqual([['VIS-440', 10, 3.5]]);
    expect(read('- 4 x VIS-440 PU HT : 18,90')).toEqual([['VIS-440', 4, 18.9]]);
  });

  it('takes no price from a number after "à" with neither currency nor decimals, nor from a line without one', () => {
    expect(typedLinePrice('VIS-440 x 12 à livrer à 14')).toEqual({ rest: 'VIS-440 x 12 à livrer à 14', price: null });
    expect(read('- 12 x VIS-440 à 14')).toEqual([['VIS-440', 12, null]]);
    expect(read('- 12 x VIS-440')).toEqual([['VIS-440', 12, null]]);
    expect(typedLinePrice('- 12 x VIS-440 à 14,00')).toEqual({ rest: '- 12 x VIS-440', price: '14,00' });
  });

  it('through the e-mail reader: the typed prices are the order\'s, and the document prints prices', async () => {
    const bytes = Buffer.from('From: achats@dupont-quincaillerie.fr\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: Commande CDE-77\r\nDate: Thu, 01 Oct 2026 08:12:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\nN° de commande : CDE-77\r\n- 10 x VIS-440 à 16,07 € pièce\r\n- 8 x CHV-8 @ 7.20\r\nMerci\r\n');
    const meta = describeDocument(bytes, { fileName: 'm.eml', channel: 'email', receivedAt: '2026-10-01T06:15:00Z' });
    const order = (await extractDocument(bytes, meta, md)).result.orders[0]!;
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([['VIS-440', 10, 16.07], ['CHV-8', 8, 7.2]]);
    expect(order.evidence?.prices?.rule).toBe('price-printed');
  });
});
