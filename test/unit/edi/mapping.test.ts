import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInterchange } from '../../../parsers/edi/interchange';
import { loadMasterData } from '../../../storage/masterdata-source';
import { resolveOrder } from '../../../domain/resolve';

const FIX = join(import.meta.dirname, '../../../fixtures/edi');
const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));
const read = (p: string) => readInterchange(readFileSync(join(FIX, p)), { now: new Date('2026-11-23T08:00:00Z') });

describe('X12 850 → order', () => {
  it('maps BEG, CUR, DTM, N1/N3/N4 and PO1/PID of Brico Centre, resolving SKUs three ways', () => {
    const r = read('x12/brico-centre-850-004010.edi');
    expect(r.problems).toEqual([]);
    expect(r.orders).toHaveLength(1);
    const d = r.orders[0]!;
    expect(d).toMatchObject({
      poNumber: 'BCR-2026-118734', orderDate: '2026-11-20', requestedDeliveryDate: '2026-11-24', purpose: 'original', currency: 'EUR',
      customer: { x12Id: 'BRICOCENTRE', edifactGln: '3020000000017', name: 'BRICO CENTRE RHONE' },
      shipTo: { gln: '3020000100014', name: 'BRICO CENTRE VILLEURBANNE', street: '45 COURS EMILE ZOLA', postalCode: '69100', city: 'VILLEURBANNE', country: 'FR' },
      provenance: { parser: 'x12-850', location: 'interchange 000004711, group 4711, transaction 0001', signals: [] },
    });
    const { order, problems } = resolveOrder(d, md);
    expect(problems).toEqual([]);
    expect(order.customer).toEqual({ id: 'C002', name: 'Brico Centre Rhône', matchedBy: 'x12_id' });
    expect(order.shipTo.code).toBe('C002-M01');
    expect(order.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unit, l.unitPrice])).toEqual([
      [1, 'VIS-440', 48, 'BTE', 18.9], // VP = our SKU
      [2, 'CHV-6', 120, 'BTE', 5.6], // BP = their part number, through cross_references.csv
      [3, 'CAD-40', 24, 'U', 11.2], // EN = EAN, through products.csv; EA left to the catalog's unit
    ]);
  });

  it('reads 005010 with N1*BT/ST/SF: the ship-to is ST, never our own SF block', () => {
    const d = read('x12/brico-depot-so-850-005010-pipe.edi').orders[0]!;
    expect(d.shipTo?.gln).toBe('3020000400012');
    const { order } = resolveOrder(d, md);
    expect(order.customer.id).toBe('C015');
    expect(order.shipTo.code).toBe('C015-ENT');
    expect(order.lines.map((l) => l.sku)).toEqual(['ANC-CHIM', 'GOU-M10', 'MAS-FFP2']);
    expect(order.lines.map((l) => l.lineNumber)).toEqual([10, 20, 30]);
  });

  it('marks ISA15=T orders with the test signal', () => {
    const d = read('x12/weber-850-wrapped80-test-ackrequested.edi').orders[0]!;
    expect(d.provenance.signals).toContain('test');
    expect(resolveOrder(d, md).order.lines.map((l) => l.sku)).toEqual(['VIS-440', 'CHV-8', 'GOU-M10']);
  });

  it('reads purpose codes 05 (replace) and 01 (cancel)', () => {
    expect(read('x12/bom-tabs-ellipsis-replace.edi').orders[0]!.purpose).toBe('replace');
    const r = read('x12/cancel-and-missing-po.edi');
    expect(r.orders.map((o) => [o.poNumber, o.purpose])).toEqual([['BCR-2026-118801', 'cancel']]);
    expect(r.problems.find((p) => p.message.includes('BEG03'))).toMatchObject({ code: 'EDI_SYNTAX', severity: 'error', where: 'segment 8 (BEG)' });
  });

  it('returns every 850 of a file with several interchanges and groups, each with its location', () => {
    const r = read('x12/multi-interchange-multi-group.edi');
    expect(r.orders.map((o) => o.provenance.location)).toEqual([
      'interchange 000004720, group 4720, transaction 0001',
      'interchange 000004720, group 4720, transaction 0002',
      'interchange 000004720, group 4721, transaction 0001',
      'interchange 000000560, group 560, transaction 0001',
    ]);
    expect(r.orders.map((o) => o.customer.x12Id)).toEqual(['BRICOCENTRE', 'BRICOCENTRE', 'BRICOCENTRE', 'LEROYMAISON']);
    expect(r.problems).toEqual([]); // IEA02 "4720" unpadded is the same number as ISA13 000004720
  });

  it('warns when CTT01 does not match the number of PO1 lines', () => {
    const raw = readFileSync(join(FIX, 'x12/brico-centre-850-004010.edi'), 'latin1').replace('CTT*3~', 'CTT*4~');
    const r = readInterchange(Buffer.from(raw, 'latin1'));
    expect(r.orders).toHaveLength(1);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'EDI_LINE_COUNT', severity: 'warning', where: 'segment 18 (CTT)' })]);
  });
});

describe('EDIFACT ORDERS → order', () => {
  it('maps BGM, DTM, CUX, NAD, LIN/PIA/IMD/QTY/PRI of Castel (UNOC, Latin-1)', () => {
    const r = read('edifact/castel-orders-d96a-unoc-latin1.edi');
    expect(r.problems).toEqual([]);
    const d = r.orders[0]!;
    expect(d).toMatchObject({
      poNumber: 'CB-PO-2026-30417', orderDate: '2026-11-20', requestedDeliveryDate: '2026-11-26', purpose: 'original', currency: 'EUR',
      customer: { edifactGln: '3020000000031', name: 'CASTEL BRICOLAGE DISTRIBUTION', vatNumber: 'FR89012345678' },
      shipTo: { gln: '3020000300015', name: 'Plateforme Nord Castel', street: 'ZAC des Bruyères', postalCode: '95190', city: 'Goussainville', country: 'FR' },
      provenance: { parser: 'edifact-orders', location: 'interchange CB000417, message 0001' },
    });
    expect(d.lines.map((l) => [l.ean, l.customerPartNumber, l.sku, l.quantity, l.unitPrice, l.description])).toEqual([
      ['3760123450218', 'CB-77001', undefined, 80, 12.75, 'Vis agglo zinguée 5x60 + 10% gratuit'],
      ['3760123450423', 'CB-77002', undefined, 25, 24.6, 'Boulon TH M8x40 classe 8.8'],
      [undefined, 'CB-77090', 'CYL-EUR', 6, 24.5, 'Cylindre européen 30x30 3 clés'],
    ]);
    const { order } = resolveOrder(d, md);
    expect(order.customer).toMatchObject({ id: 'C008', matchedBy: 'edifact_gln' });
    expect(order.lines.map((l) => l.sku)).toEqual(['VIS-560', 'BOU-M8', 'CYL-EUR']);
  });

  it('reads decimal commas, DTM format 203 and the test indicator', () => {
    const d = read('edifact/leroy-maison-orders-decimal-comma-test.edi').orders[0]!;
    expect(d.orderDate).toBe('2026-11-20');
    expect(d.lines.map((l) => [l.quantity, l.unitPrice])).toEqual([[120, 18.9], [24, 8.7]]);
    expect(d.provenance.signals).toEqual(['test']);
    const { order } = resolveOrder(d, md);
    expect(order.shipTo.code).toBe('C007-M12'); // ship-to given only by GLN, found in addresses.csv
  });

  it('reads every message of a UNG group and the custom-UNA single-line file', () => {
    const w = read('edifact/weber-orders-unow-ung.edi');
    expect(w.problems).toEqual([]);
    expect(w.orders.map((o) => [o.poNumber, o.provenance.location])).toEqual([
      ['WF-PO-778820', 'interchange WF2026111801, group 77, message 1'],
      ['WF-PO-778821', 'interchange WF2026111801, group 77, message 2'],
    ]);
    const c = read('edifact/cbf-orders-custom-una-one-line.edi').orders[0]!;
    const { order } = resolveOrder(c, md);
    expect(order.customer.id).toBe('C025');
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 30], ['CHV-6', 100]]);
  });

  it('reads a cancellation and refuses the INVOIC beside it', () => {
    const r = read('edifact/brico-centre-cancel-and-invoic.edi');
    expect(r.orders.map((o) => [o.poNumber, o.purpose])).toEqual([['BCR-2026-118734', 'cancel']]);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'EDI_NOT_AN_ORDER', where: 'segment 7 (UNH)' })]);
  });

  it('keeps the orders of an interchange without UNZ, and reports the missing trailer', () => {
    const r = read('edifact/missing-unz.edi');
    expect(r.orders.map((o) => o.poNumber)).toEqual(['CB-PO-2026-30421']);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'EDI_ENVELOPE_MISSING_TRAILER', severity: 'warning' })]);
  });
});
