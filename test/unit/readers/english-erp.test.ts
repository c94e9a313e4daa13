// English purchase orders from large ERPs (issue #13): a header value taken with confidence although
// nothing on the document corroborates it. Numeric dates whose day and month may be swapped, a
// delivery date printed only per line, and numbers under labels that name another reference.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readOrder } from '../../../parsers/layout/order';
import { ambiguousPrints, dayMonthOrder, swapDayMonth } from '../../../parsers/text/dates';
import { findDeliveryDate, findOrderDate, findPoCandidates, findPoNumber, isEnglishOrder } from '../../../parsers/text/header';
import { poEvidence } from '../../../parsers/text/index';
import { onePageOrder } from '../../support/words';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

/** A one-page order in English: header fields, a ship-to block and a table. */
function page(header: [string, string][], table: { cols: [string, number][]; rows: string[][] }, title = 'Purchase Order') {
  return onePageOrder({ title, letterhead: ['Quincaillerie Dupont', 'VAT No. FR12345678901'], header, shipTo: ['Ship To', 'Dépôt de Vénissieux', '14 rue Jean Moulin', '69200 Vénissieux'], ...table });
}

const COLS: [string, number][] = [['Item', 40], ['Description', 120], ['Quantity', 300], ['Unit Price', 360]];
const ROWS = [['VIS-440', 'Screws 4x40', '12', '0.50']];

describe('numeric dates whose day and month may be swapped', () => {
  it('knows which prints settle the order, and which can be read both ways', () => {
    expect(dayMonthOrder('Date 11/06/2026, line 1 11/23/2026')).toEqual({ order: 'mdy', witness: '11/23/2026' });
    expect(dayMonthOrder('Date 23/11/2026')).toEqual({ order: 'dmy', witness: '23/11/2026' });
    expect(dayMonthOrder('Date 05/12/2026 and 13.10.2026')).toEqual({ order: null, witness: null });
    expect(ambiguousPrints('Order Date 05/12/2026', '2026-12-05')).toEqual(['05/12/2026']);
    // Dots are day first everywhere; the same day and month cannot be swapped.
    expect(ambiguousPrints('Datum 05.12.2026 / 12/12/2026', '2026-12-05')).toEqual([]);
    expect(swapDayMonth('2026-12-05')).toBe('2026-05-12');
    expect(swapDayMonth('2026-12-23')).toBeNull();
  });

  it('tells an order printed in English from one in French', () => {
    expect(isEnglishOrder('Purchase Order\nShip To\nQuantity Unit Price')).toBe(true);
    expect(isEnglishOrder('Bon de commande\nAdresse de livraison\nQuantité Désignation Description')).toBe(false);
  });

  it('reads the dates month first when another date of the document can only be month first', () => {
    const r = readOrder(page([['PO Number', '654321'], ['Order Date', '11/06/2026'], ['Delivery date', '11/10/2026']], { cols: [...COLS, ['Need-By Date', 430]], rows: [[...ROWS[0]!, '11/23/2026']] }), md, { parser: 'pdf-text', ref: new Date('2026-08-01') });
    expect(r.draft).toMatchObject({ orderDate: '2026-11-06', requestedDeliveryDate: '2026-11-10' });
    expect(r.draft!.evidence!.orderDate!.corroboratedBy!.join(' ')).toContain('11/23/2026');
    expect(r.draft!.evidence!.orderDate!.flag).toBeUndefined();
  });

  it('reads the order date the way that falls just before the day it was received', () => {
    const r = readOrder(page([['PO Number', '654321'], ['Date', '11/06/2026']], { cols: COLS, rows: ROWS }), md, { parser: 'pdf-text', ref: new Date('2026-11-07T09:00:00Z') });
    expect(r.draft!.orderDate).toBe('2026-11-06');
    expect(r.draft!.evidence!.orderDate!.corroboratedBy!.join(' ')).toContain('received');
  });

  it('flags an English date that nothing settles, with both readings', () => {
    const r = readOrder(page([['PO Number', '654321'], ['Order Date', '05/12/2026']], { cols: COLS, rows: ROWS }), md, { parser: 'pdf-text', ref: new Date('2026-08-01') });
    expect(r.draft!.orderDate).toBe('2026-12-05');
    expect(r.draft!.evidence!.orderDate!.flag).toMatch(/2026-12-05.*2026-05-12/);
  });

  it('leaves a French order\'s dates day first and unflagged', () => {
    const r = readOrder(page([['N° de commande', 'CDE-2026-77'], ['Date de commande', '05/12/2026']], { cols: [['Référence', 40], ['Désignation', 120], ['Quantité', 300], ['Prix unitaire', 360]], rows: ROWS }, 'Bon de commande'), md, { parser: 'pdf-text', ref: new Date('2026-08-01') });
    expect(r.draft!.orderDate).toBe('2026-12-05');
    expect(r.draft!.evidence!.orderDate!.flag).toBeUndefined();
  });
});

describe('a delivery date printed only on the lines', () => {
  it('takes the date every line asks for under a delivery-date column', () => {
    const r = readOrder(page([['PO Number', '654321'], ['Creation Date', '01-DEC-2026']], { cols: [...COLS, ['Need-By Date', 430]], rows: [[...ROWS[0]!, '22-DEC-2026'], ['VIS-450', 'Screws 4x50', '5', '0.60', '22-DEC-2026']] }), md, { parser: 'pdf-text', ref: new Date('2026-12-02') });
    expect(r.draft).toMatchObject({ orderDate: '2026-12-01', requestedDeliveryDate: '2026-12-22' });
    expect(r.draft!.evidence!.requestedDeliveryDate).toMatchObject({ rule: 'the "Need-By Date" column of the lines' });
    expect(r.draft!.evidence!.requestedDeliveryDate!.flag).toBeUndefined();
  });

  it('takes the earliest of different dates, flagged', () => {
    const r = readOrder(page([['PO Number', '654321'], ['Creation Date', '01-DEC-2026']], { cols: [...COLS, ['Promised', 430]], rows: [[...ROWS[0]!, '22-DEC-2026'], ['VIS-450', 'Screws 4x50', '5', '0.60', '15-DEC-2026']] }), md, { parser: 'pdf-text', ref: new Date('2026-12-02') });
    expect(r.draft!.requestedDeliveryDate).toBe('2026-12-15');
    expect(r.draft!.evidence!.requestedDeliveryDate!.flag).toContain('different dates');
  });
});

describe('labels of English ERPs', () => {
  it('reads Oracle\'s "Creation Date" and Dynamics\' "Document Date" as the order date', () => {
    expect(findOrderDate('Creation Date 05-DEC-2026')).toBe('2026-12-05');
    expect(findOrderDate('Document Date: 2026-12-05')).toBe('2026-12-05');
    expect(findOrderDate('Print Date 05-DEC-2026')).toBeNull();
  });

  it('never takes a date that "Date" qualifies as another day for the order date', () => {
    for (const label of ['Date Printed:', 'Date Revised', 'Date of Quote:', 'Date Valid Until', 'Date Required:']) expect(findOrderDate(`${label} 05-DEC-2026`)).toBeNull();
    expect(findDeliveryDate('Date Required: 05-DEC-2026')).toBe('2026-12-05');
    expect(findOrderDate('Date: 05-DEC-2026')).toBe('2026-12-05');
  });

  it('never takes another party\'s order number for the PO', () => {
    expect(findPoNumber('Supplier Order No. 99887')).toBeNull();
    expect(findPoNumber('Sales Order No. 99887\nPO Number 654321')).toMatchObject({ value: '654321' });
    expect(findPoNumber('Requisition No. 123456\nVendor No. 70012')).toBeNull();
  });

  it('reads "Document No." as weak evidence, vouched for by an order title above it', () => {
    const titled = 'Purchase Order\nDocument No. PO-000123';
    const po = findPoNumber(titled)!;
    expect(po).toMatchObject({ value: 'PO-000123', label: 'Document No.' });
    expect(poEvidence(po, findPoCandidates(titled), titled).flag).toBeUndefined();
    const bare = 'Invoice address\nDocument No. PO-000123';
    expect(poEvidence(findPoNumber(bare)!, findPoCandidates(bare), bare).flag).toContain('Document No.');
  });
});
