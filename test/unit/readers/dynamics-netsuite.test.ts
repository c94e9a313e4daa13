// English ERP printouts (issue #13): Dynamics Business Central / NAV and NetSuite-style purchase
// orders. The item "No." column is the article, a two-line column title names its column as a
// whole, a bare "No." under an order title is the PO but "Vendor Order No." is not, and the
// receipt-date and ship-to labels those systems print are known.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { detectHeader, extractTable, groupLines, isTotalLine, wholeTitleRole } from '../../../parsers/layout/table';
import { shipToFromBlocks, textLineFromRow } from '../../../parsers/layout/order';
import type { TableRow } from '../../../parsers/layout/types';
import { findDeliveryDate, findPoCandidates, findPoNumber, findShipTo, settleDayMonth } from '../../../parsers/text/header';
import type { DraftOrder } from '../../../domain/resolve';
import { poEvidence } from '../../../parsers/text/index';
import { parseQuantity } from '../../../parsers/text/numbers';
import { cellWords } from '../../support/words';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

const line = cellWords;

describe('the item "No." column of a Dynamics order', () => {
  const head = line(50, [[20, 'No.'], [100, 'Description'], [300, 'Quantity'], [350, 'UoM'], [400, 'Unit Cost'], [480, 'Amount']]);

  it('is the reference when it holds codes, not positions', () => {
    const words = [
      ...head,
      ...line(70, [[20, 'VIS-440'], [100, 'Screw 4x40'], [310, '87.00'], [350, 'BOX'], [410, '6.90'], [480, '600.30']]),
      ...line(84, [[20, '100004711'], [100, 'Wall plug 8x40'], [310, '4.00'], [350, 'BOX'], [410, '7.20'], [480, '28.80']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => [r.cells.reference?.text, r.cells.lineNumber?.text])).toEqual([
      ['VIS-440', undefined],
      ['100004711', undefined],
    ]);
  });

  it('is the reference on a long order too, whose page footer was read as a row', () => {
    const words = [
      ...head,
      ...line(70, [[20, 'VIS-440'], [100, 'Screw 4x40'], [310, '87.00'], [350, 'BOX'], [410, '6.90'], [480, '600.30']]),
      ...line(84, [[20, 'CHV-8'], [100, 'Wall plug 8x40'], [310, '4.00'], [350, 'BOX'], [410, '7.20'], [480, '28.80']]),
      ...line(98, [[310, '1/…']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => r.cells.reference?.text).filter(Boolean)).toEqual(['VIS-440', 'CHV-8']);
  });

  it('stays the line number when OCR misread a position ("l", "2"): no codes there', () => {
    const words = [
      ...head,
      ...line(70, [[20, 'l'], [100, 'Screw 4x40'], [310, '87.00'], [350, 'BOX'], [410, '6.90'], [480, '600.30']]),
      ...line(84, [[20, '2'], [100, 'Wall plug 8x40'], [310, '4.00'], [350, 'BOX'], [410, '7.20'], [480, '28.80']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => r.cells.reference?.text)).toEqual([undefined, undefined]);
  });

  it('stays the line number when it counts the lines (1, 2 or 10, 20)', () => {
    const words = [
      ...head,
      ...line(70, [[20, '1'], [100, 'Screw 4x40'], [310, '87.00'], [350, 'BOX'], [410, '6.90'], [480, '600.30']]),
      ...line(84, [[20, '2'], [100, 'Wall plug 8x40'], [310, '4.00'], [350, 'BOX'], [410, '7.20'], [480, '28.80']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => [r.cells.reference?.text, r.cells.lineNumber?.text])).toEqual([
      [undefined, '1'],
      [undefined, '2'],
    ]);
  });
});

describe('column titles on two lines', () => {
  it('names the column by the whole title: "Line / Disc. %" is the discount, "Direct Unit / Cost Excl. VAT" the price', () => {
    expect(wholeTitleRole('Line Disc. %')).toBe('discount');
    expect(wholeTitleRole('Direct Unit Cost Excl. VAT')).toBe('unitPrice');
    expect(wholeTitleRole('Unit of Measure')).toBe('unit');
    const words = [
      ...line(50, [[20, 'Item No.'], [100, 'Description'], [300, 'Quantity'], [350, 'Unit of'], [410, 'Direct Unit'], [480, 'Line'], [520, 'Amount']]),
      ...line(61, [[350, 'Measure'], [398, 'Cost Excl. VAT'], [480, 'Disc. %']]),
      ...line(80, [[20, 'VIS-440'], [100, 'Screw 4x40'], [310, '87.00'], [350, 'BOX'], [440, '6.90'], [485, '5.00'], [520, '600.30']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.columns.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unit', 'unitPrice', 'discount', 'amount']);
    expect(table!.rows[0]!.cells.unitPrice?.text).toBe('6.90');
  });

  it('reads "Unit of Measure Code" as one unit column, not a unit and a code', () => {
    const [l] = groupLines({ page: 1, words: line(50, [[20, 'No.'], [100, 'Description'], [300, 'Quantity'], [350, 'Unit of Measure Code'], [470, 'Amount']]) });
    expect(detectHeader(l!)?.map((c) => c.role)).toEqual(['lineNumber', 'description', 'quantity', 'unit', 'amount']);
  });
});

describe('PO number beside other numbers', () => {
  it('takes a bare "No." under an order title, never "Vendor Order No.", "Buy-from Vendor No." or "Phone No."', () => {
    const text = ['Purchase Order', 'Phone No.   +49 761 123 456', 'Buy-from Vendor No.   73900', 'Vendor Order No.   SO857477', 'No.   104202', 'Your Reference   MME-4498'].join('\n');
    expect(findPoNumber(text)).toEqual({ value: '104202', label: 'No.' });
    expect(findPoNumber('Order\nVendor Order No.   SO857477\nPhone No. 0761123456')).toBeNull();
  });

  it('never takes a "No." whose qualifier OCR ended with a comma ("Reg, No." for "Req. No.")', () => {
    const text = ['Purchase Order', 'Reg, No.   438379', 'PO Number   PO-2026-118'].join('\n');
    expect(findPoCandidates(text).map((c) => c.value)).not.toContain('438379');
    expect(findPoNumber(['Purchase Order', 'Reg, No.   438379'].join('\n'))).toBeNull();
  });
});

describe('receipt dates and shipping addresses', () => {
  it('reads Dynamics and NetSuite receipt-date labels as the delivery date', () => {
    expect(findDeliveryDate('Expected Receipt Date   15/11/2026')).toBe('2026-11-15');
    expect(findDeliveryDate('Promised Receipt Date   15/11/2026')).toBe('2026-11-15');
    expect(findDeliveryDate('Expected Receipt   15/11/2026')).toBe('2026-11-15');
    expect(findDeliveryDate('Receive By   15/11/2026')).toBe('2026-11-15');
  });

  it('opens the delivery address at "Ship-to Address" and "Shipping Address", in text and by geometry', () => {
    expect(findShipTo('Ship-to Address\nQuincaillerie Dupont - Dépôt\n14 rue Jean Moulin\n69200 Vénissieux', md)).toMatchObject({ postalCode: '69200', street: '14 rue Jean Moulin' });
    const words = [
      line(100, [[20, 'Vendor'], [300, 'Shipping Address']]),
      line(113, [[20, 'Fixations Rhône-Alpes SAS'], [300, 'Quincaillerie Dupont - Dépôt']]),
      line(126, [[20, '12 rue des Tanneurs'], [300, '14 rue Jean Moulin']]),
      line(139, [[20, '69007 Lyon'], [300, '69200 Vénissieux']]),
    ].flat();
    expect(shipToFromBlocks(groupLines({ page: 1, words }), md)).toMatchObject({ postalCode: '69200', city: 'Vénissieux' });
  });
});

describe('an English numeric date both readings of which fall in the month before receipt', () => {
  const text = 'PURCHASE ORDER\nPurchase Order: 43490\nOrder Date: 10/09/2026\nShip To:\nQuantity UOM Description Unit Cost';
  const draft = (): DraftOrder => ({ orderDate: '2026-09-10', evidence: { orderDate: { source: 'document', rule: 'printed under an order-date label' } } }) as DraftOrder;

  it('takes the reading in the week before the day it was received, and says so', () => {
    const d = draft();
    settleDayMonth(d, text, new Date('2026-10-09T11:28:00Z'));
    expect(d.orderDate).toBe('2026-10-09');
    expect(d.evidence!.orderDate!.flag).toBeUndefined();
    expect(d.evidence!.orderDate!.corroboratedBy!.join(' ')).toContain('week before');
  });

  it('still flags both readings when the order was received long after either', () => {
    const d = draft();
    settleDayMonth(d, text, new Date('2026-12-20T11:28:00Z'));
    expect(d.evidence!.orderDate!.flag).toMatch(/2026-09-10.*2026-10-09/);
  });
});

describe('a totals block under the table (Dynamics, Epicor)', () => {
  it('knows the English totals labels: line total, sales tax, charges, the invoice discount', () => {
    for (const t of ['Line Total   29,411.98', 'Sales Tax   0.00', 'Misc. Charges   0.00', 'Invoice Discount Amount   0.00', 'Freight   12.00']) {
      const [l] = groupLines({ page: 1, words: line(100, [[20, t]]) });
      expect(isTotalLine(l!), t).toBe(true);
    }
  });

  it('makes no order line of a label and an amount in the reference column', () => {
    const row = (cells: TableRow['cells']): TableRow => ({ page: 1, index: 19, y0: 0, y1: 10, x0: 0, x1: 500, cells, lineCount: 1, text: '' });
    const ctx = { md, locale: 'en' as const, customerId: null, where: 'line 19' };
    expect(textLineFromRow(row({ reference: { text: 'Handling Fee', confidence: 1 }, amount: { text: '0.00', confidence: 1 } }), ctx)).toBeNull();
    // A code with its quantity unread is still a line (flagged), never dropped.
    expect(textLineFromRow(row({ reference: { text: 'VIS-440', confidence: 1 }, amount: { text: '12.00', confidence: 1 } }), ctx)).not.toBeNull();
  });
});

describe('a PO printed alone under the title ("#PO1045", NetSuite)', () => {
  it('is read under a "Purchase Order" title, and the title vouches for it', () => {
    const text = 'Schrauben Huber GmbH   Purchase Order\nPhone +49 711 456 78 0   #PO10452\n12/5/2026\nVendor # 74827';
    const po = findPoNumber(text);
    expect(po).toEqual({ value: 'PO10452', label: '#' });
    expect(poEvidence(po!, findPoCandidates(text), text).corroboratedBy).toContain('under a title naming an order');
  });

  it('never reads "Item #", "Vendor # 7412" or a "#" inside a line as the PO', () => {
    expect(findPoNumber('Purchase Order\nVendor # 74827\nItem #   Description\nLine #12 of 3')).toBeNull();
  });
});

describe('US quantity cells and column titles (Epicor, Infor)', () => {
  it('reads a quantity with a unit ending in x ("138 BX", "12 Box") or a kit ("2,600 KT"), and still strips "12x"', () => {
    expect(parseQuantity('138 BX', 'en')).toEqual({ value: 138, unit: 'BTE' });
    expect(parseQuantity('12 Box', 'en')).toEqual({ value: 12, unit: 'BTE' });
    expect(parseQuantity('2,600 KT', 'en')).toEqual({ value: 2600, unit: 'LOT' });
    expect(parseQuantity('12x', 'en')).toEqual({ value: 12, unit: null });
  });

  it('knows "Our Part", "Part Num" and an extended price beside the unit cost', () => {
    const [a] = groupLines({ page: 1, words: line(50, [[20, 'Order Qty'], [100, 'Our Part'], [200, 'Description'], [400, 'Unit Cost'], [480, 'Ext Price']]) });
    expect(detectHeader(a!)?.map((c) => c.role)).toEqual(['quantity', 'customerReference', 'description', 'unitPrice', 'amount']);
    const [b] = groupLines({ page: 1, words: line(50, [[20, 'Qty'], [100, 'Part Num'], [200, 'Description'], [400, 'Unit Cost'], [480, 'Extended']]) });
    expect(detectHeader(b!)?.map((c) => c.role)).toEqual(['quantity', 'reference', 'description', 'unitPrice', 'amount']);
  });
});

describe('a NetSuite item table', () => {
  it('reads its "Rate" column as the unit price, printed beside the amount', () => {
    const words = [
      ...line(50, [[20, 'Item'], [130, 'Vendor Part #'], [230, 'Description'], [400, 'Qty'], [425, 'UOM'], [500, 'Rate'], [560, 'Amount']]),
      ...line(70, [[20, 'PAT-ANG'], [230, 'Mirror clip'], [405, '12'], [425, 'Case of 10'], [500, '6.56'], [560, '78.72']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.columns.map((c) => c.role)).toContain('unitPrice');
    expect(table!.rows[0]!.cells.unitPrice?.text).toBe('6.56');
  });

  it('never reads a tax rate as the unit price', () => {
    const [l] = groupLines({ page: 1, words: line(50, [[20, 'Item'], [230, 'Description'], [400, 'Qty'], [460, 'VAT Rate'], [560, 'Amount']]) });
    expect(detectHeader(l!)?.map((c) => c.role)).not.toContain('unitPrice');
  });
});

