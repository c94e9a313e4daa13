// A delivery-date label OCR garbled ("Datc Required:") or whose value it could not read (the label
// glued to its date, "Wareneingangàdétam"): the date after it is read and flagged, or the field is
// flagged as printed but unread; never left empty with nothing said.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readImageOrder, type OcrPage } from '../../../parsers/ocr/order';
import { dateWithoutDots, unreadDeliveryLabel } from '../../../parsers/ocr/delivery-label';
import { groupLines } from '../../../parsers/layout/table';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');
const REF = new Date('2026-11-16T09:00:00Z');

/** A faxed order whose header holds `dateLine` under the PO number and order date. */
function faxPage(dateLine: [number, string, number?][], english = false): OcrPage {
  const words = [
    ...ocrLine(10, [[30, '16/11/2026 10:42 FROM: +33 4 78 12 34 57 QUINCAILLERIE DUPONT P.1/1']]),
    ...ocrLine(200, [[130, english ? 'PURCHASE ORDER' : 'BESTELLUNG']]),
    ...ocrLine(260, [[130, 'QUINCAILLERIE DUPONT']]),
    ...ocrLine(500, [[130, english ? 'P.O. Number:' : 'Bestellnummer'], [700, '654321']]),
    ...ocrLine(560, [[130, english ? 'Order Date:' : 'Bestelldatum'], [700, english ? '11/15/2026' : '15.11.26']]),
    ...ocrLine(620, dateLine),
    ...ocrLine(1100, [[140, english ? 'Part Num' : 'Artikel'], [380, english ? 'Description' : 'Bezeichnung'], [1000, english ? 'Quantity' : 'Menge'], [1150, english ? 'Unit Cost' : 'Preis']]),
    ...ocrLine(1160, [[140, 'VIS-440'], [380, 'Screws 4x40'], [1000, '12'], [1150, '0.50']]),
  ];
  return { page: 1, words, meanConfidence: 0.9 };
}

const read = (page: OcrPage) => readImageOrder([page], { masterData: md, fileName: 'fax.tif', receivedAt: REF.toISOString() }).draft!;

describe('readImageOrder: a delivery-date label OCR garbled', () => {
  it('flags the delivery date when its label is printed but glued to a value OCR could not read', () => {
    const d = read(faxPage([[130, 'Gewünschtes'], [400, 'Wareneingangàdétam', 0.07]]));
    expect(d.requestedDeliveryDate ?? null).toBeNull();
    expect(d.evidence!.requestedDeliveryDate!.flag).toMatch(/could not read its date/);
  });

  it('reads the date after a label with a misread letter, month first on an English order, and flags it', () => {
    const d = read(faxPage([[130, 'Datc Required:', 0.45], [470, '12/02/2026']], true));
    expect(d.requestedDeliveryDate).toBe('2026-12-02');
    expect(d.evidence!.requestedDeliveryDate!.flag).toMatch(/OCR errors/);
  });

  it('leaves a clean delivery-date label to the header readers, unflagged', () => {
    const d = read(faxPage([[130, 'Liefertermin'], [700, '30.11.26']]));
    expect(d.requestedDeliveryDate).toBe('2026-11-30');
    expect(d.evidence!.requestedDeliveryDate!.flag).toBeUndefined();
  });
});

describe('unreadDeliveryLabel', () => {
  const lines = (...ls: [number, string, number?][][]) => groupLines({ page: 1, words: ls.flatMap((l, i) => ocrLine(100 + 60 * i, l)) });

  it('does not take a delivery address, delivery terms or a label alone at the line end for an unread date', () => {
    expect(unreadDeliveryLabel(lines([[130, 'Adresse de livraison : 12 rue des Tanneurs']], [[130, 'Conditions de livraison : franco']], [[130, 'Date de livraison']]), REF)).toBeNull();
  });

  it('knows a long delivery word with one letter misread, glued to its garbled date, beside a word of wish', () => {
    expect(unreadDeliveryLabel(lines([[130, 'Gewünschtes Wareneingant@&däta&n']]), REF)).toMatchObject({ date: null });
    // Short stems stay exact: "Lieder" is no "Liefer…".
    expect(unreadDeliveryLabel(lines([[130, 'Gewünschte Lieder 12']]), REF)).toBeNull();
  });

  it('reads a delivery word beside a word of date with its value garbled as unread', () => {
    expect(unreadDeliveryLabel(lines([[130, 'Date de livraison : 3O/1l/2O26x']]), REF)).toMatchObject({ date: null });
  });
});

describe('a delivery date OCR read as one run of digits, its dots lost', () => {
  it('reads it after its label, with a year one misread digit off taken as the order\'s year, flagged', () => {
    const d = read(faxPage([[130, 'Liefertermin'], [500, '23117026']]));
    expect(d.requestedDeliveryDate).toBe('2026-11-23');
    expect(d.evidence?.requestedDeliveryDate?.flag).toContain('its dots lost and its year read as 7026');
  });

  it('reads only a valid day and month, and a year that is the reference\'s, or one digit from it', () => {
    expect(dateWithoutDots('23112026', REF)).toEqual({ iso: '2026-11-23', garbled: 'its dots lost' });
    expect(dateWithoutDots('05012027', REF)?.iso).toBe('2027-01-05');
    for (const no of ['23117046', '32112026', '23132026', '31022026', '1234567', '23112026x']) expect(dateWithoutDots(no, REF), no).toBeNull();
  });
});
