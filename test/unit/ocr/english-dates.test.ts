// The OCR reader (fax, scan) settles or flags an English order's all-numeric dates by the same rule
// as the text PDF and e-mail readers, and reads a delivery date printed only per line as they do.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');

const line = ocrLine;

const X = { ref: 140, desc: 380, qty: 1000, pu: 1150, need: 1350 };

/** A faxed English order: header fields, a ship-to block, and a table with a "Need-By Date" column. */
function faxPage(orderDate: string, needBy: [string, string]): OcrPage {
  const words = [
    ...line(10, [[30, '12/04/2026 10:42 FROM: +33 4 78 12 34 57 QUINCAILLERIE DUPONT P.1/1']]),
    ...line(200, [[130, 'PURCHASE ORDER']]),
    ...line(260, [[130, 'QUINCAILLERIE DUPONT']]),
    ...line(320, [[130, 'VAT No. FR12345678901']]),
    ...line(700, [[130, 'PO Number : 654321'], [1000, 'Order Date : ' + orderDate]]),
    ...line(760, [[130, 'Ship To : Dépôt de Vénissieux, 14 rue Jean Moulin, 69200 Vénissieux']]),
    ...line(1100, [[X.ref, 'Item'], [X.desc, 'Description'], [X.qty, 'Qty'], [X.pu, 'Unit Price'], [X.need, 'Need-By Date']]),
    ...line(1160, [[X.ref, 'VIS-440'], [X.desc, 'Screws 4x40'], [X.qty, '12'], [X.pu, '0.50'], [X.need, needBy[0]]]),
    ...line(1220, [[X.ref, 'VIS-450'], [X.desc, 'Screws 4x50'], [X.qty, '5'], [X.pu, '0.60'], [X.need, needBy[1]]]),
  ];
  return { page: 1, words, meanConfidence: 0.9 };
}

describe('readImageOrder: an English fax with all-numeric dates', () => {
  it('flags an order date that nothing settles, with both readings', () => {
    const { draft } = readImageOrder([faxPage('05/12/2026', ['22-DEC-2026', '22-DEC-2026'])], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-08-01T09:00:00Z' });
    expect(draft!.orderDate).toBe('2026-12-05');
    expect(draft!.evidence!.orderDate!.flag).toMatch(/2026-12-05.*2026-05-12/);
  });

  it('reads the dates month first when a line asks for a date that can only be month first, and takes the delivery date from the lines', () => {
    const { draft } = readImageOrder([faxPage('11/06/2026', ['11/23/2026', '11/23/2026'])], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-08-01T09:00:00Z' });
    expect(draft).toMatchObject({ orderDate: '2026-11-06', requestedDeliveryDate: '2026-11-23' });
    expect(draft!.evidence!.orderDate!.flag).toBeUndefined();
    expect(draft!.evidence!.requestedDeliveryDate).toMatchObject({ rule: 'the "Need-By Date" column of the lines' });
  });

  it('takes the earliest of the dates the lines ask for, flagged', () => {
    const { draft } = readImageOrder([faxPage('01-DEC-2026', ['22-DEC-2026', '15-DEC-2026'])], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-12-02T09:00:00Z' });
    expect(draft!.requestedDeliveryDate).toBe('2026-12-15');
    expect(draft!.evidence!.requestedDeliveryDate!.flag).toContain('different dates');
  });
});
