import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInterchange, type InterchangeResult } from '../../../parsers/edi/interchange';
import { build855, buildOrdrsp, ordrspIdentifier } from '../../../parsers/edi/acks';
import { findSent, sentOrders } from '../../../parsers/edi/echo';
import { loadMasterData } from '../../../storage/masterdata-source';
import { resolveOrder } from '../../../domain/resolve';

const FIX = join(import.meta.dirname, '../../../fixtures/edi');
const NOW = new Date('2026-11-23T08:05:00Z');
const read = (p: string, opts = {}): InterchangeResult => readInterchange(readFileSync(join(FIX, p)), { now: NOW, ...opts });
const x12Segs = (b: Buffer): string[] => b.toString('utf8').split('~').filter(Boolean);
const edifactSegs = (b: Buffer): string[] => b.toString('latin1').split("'").filter(Boolean);
const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

describe('997 functional acknowledgment', () => {
  it('accepts a clean 850, answering from the receiver ID to the sender ID', () => {
    const r = read('x12/brico-centre-850-004010.edi');
    expect(r.acks.map((a) => [a.kind, a.status, a.acknowledges])).toEqual([['997', 'A', '000004711']]);
    expect(x12Segs(r.acks[0]!.bytes)).toEqual([
      'ISA*00*          *00*          *ZZ*FIXRHONEALPES  *ZZ*BRICOCENTRE    *261123*0805*U*00401*000004711*0*P*:',
      'GS*FA*FIXRHONEALPES*BRICOCENTRE*20261123*0805*4711*X*004010',
      'ST*997*0001',
      'AK1*PO*4711',
      'AK2*850*0001',
      'AK5*A',
      'AK9*A*1*1*1',
      'SE*6*0001',
      'GE*1*4711',
      'IEA*1*000004711',
    ]);
  });

  it('uses the partner’s own separators and the 005010 AK1 version', () => {
    const r = read('x12/brico-depot-so-850-005010-pipe.edi', { controlNumber: 42 });
    const segs = x12Segs(r.acks[0]!.bytes);
    expect(segs[0]).toBe('ISA|00|          |00|          |ZZ|FIXRHONEALPES  |ZZ|BDSO850        |261123|0805|^|00501|000000042|0|P|:');
    expect(segs.slice(2, 7)).toEqual(['ST|997|0001', 'AK1|PO|120003|005010', 'AK2|850|0001', 'AK5|A', 'AK9|A|1|1|1']);
  });

  it('rejects a transaction whose SE01 count is wrong and a group whose GE01 count is wrong', () => {
    const r = read('x12/broken-counts.edi');
    expect(r.orders).toEqual([]);
    expect(x12Segs(r.acks[0]!.bytes).slice(2, 7)).toEqual(['ST*997*0001', 'AK1*PO*4730', 'AK2*850*0001', 'AK5*R*4', 'AK9*R*2*1*0*5']);
    expect(r.problems.map((p) => [p.code, p.where])).toEqual([
      ['EDI_ENVELOPE_COUNT', 'segment 8 (SE)'],
      ['EDI_ENVELOPE_COUNT', 'segment 9 (GE)'],
    ]);
  });

  it('accepts part of a group: AK3/AK4 say which segment and element, AK9 P', () => {
    const r = read('x12/cancel-and-missing-po.edi');
    expect(x12Segs(r.acks[0]!.bytes).slice(2, -3)).toEqual([
      'ST*997*0001',
      'AK1*PO*4760',
      'AK2*850*0001',
      'AK5*A',
      'AK2*850*0002',
      'AK3*BEG*2**8',
      'AK4*3*324*1',
      'AK3*PO1*4*PO1*8',
      'AK4*2*330*6*x12',
      'AK5*R*5',
      'AK9*P*2*2*1',
    ]);
  });

  it('notes an impossible date (AK4 code 8) but keeps the order, without inventing a date', () => {
    const raw = readFileSync(join(FIX, 'x12/brico-centre-850-004010.edi'), 'latin1').replace('BEG*00*SA*BCR-2026-118734**20261120', 'BEG*00*SA*BCR-2026-118734**20260230');
    const r = readInterchange(Buffer.from(raw, 'latin1'), { now: NOW });
    expect(r.orders[0]!.orderDate).toBeNull();
    expect(x12Segs(r.acks[0]!.bytes).slice(4, 8)).toEqual(['AK2*850*0001', 'AK3*BEG*2**8', 'AK4*5*373*8*20260230', 'AK5*E*5']);
  });

  it('answers ISA14=1 with a TA1 as well, and keeps the test indicator', () => {
    const r = read('x12/weber-850-wrapped80-test-ackrequested.edi');
    expect(r.acks.map((a) => a.kind)).toEqual(['TA1', '997']);
    expect(x12Segs(r.acks[0]!.bytes)).toEqual([
      'ISA*00*          *00*          *ZZ*FIXRHONEALPES  *ZZ*WEBERFIX       *261123*0805*U*00401*000000913*0*T*:',
      'TA1*000000913*261118*1602*A*000',
      'IEA*0*000000913',
    ]);
    expect(x12Segs(r.acks[1]!.bytes)[0]).toContain('*000000914*0*T*');
    expect(r.test).toBe(true);
  });

  it('rejects the whole interchange with a TA1 when IEA02 differs from ISA13: no order, no 997', () => {
    const r = read('x12/control-number-mismatch.edi');
    expect(r.orders).toEqual([]);
    expect(r.acks.map((a) => [a.kind, a.status])).toEqual([['TA1', 'R']]);
    expect(x12Segs(r.acks[0]!.bytes)[1]).toBe('TA1*000004740*261120*0742*R*001');
    expect(r.problems).toEqual([expect.objectContaining({ code: 'EDI_CONTROL_NUMBER_MISMATCH', severity: 'error', where: 'segment 10 (IEA)' })]);
  });

  it('keeps the complete transactions of a file cut before GE/IEA: TA1 E 023 and AK9 E 3', () => {
    const raw = readFileSync(join(FIX, 'x12/brico-centre-850-004010.edi'), 'latin1');
    const r = readInterchange(Buffer.from(raw.slice(0, raw.indexOf('GE*')), 'latin1'), { now: NOW });
    expect(r.orders).toHaveLength(1);
    expect(r.problems.map((p) => [p.code, p.severity, p.where])).toEqual([
      ['EDI_ENVELOPE_MISSING_TRAILER', 'warning', 'segment 2 (GS)'],
      ['EDI_ENVELOPE_MISSING_TRAILER', 'warning', 'segment 1 (ISA)'],
    ]);
    expect(x12Segs(r.acks[0]!.bytes)[1]).toBe('TA1*000004711*261120*0742*E*023');
    expect(x12Segs(r.acks[1]!.bytes)).toContain('AK9*E*1*1*1*3');
  });

  it('never acknowledges an acknowledgment', () => {
    const r = read('x12/997-from-partner.edi');
    expect(r.acks).toEqual([]);
    expect(r.orders).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['EDI_ACKNOWLEDGMENT_RECEIVED', 'info']]);
    expect(r.interchanges[0]!.acknowledgmentOnly).toBe(true);
  });

  it('follows the partner policy: no 997 when not wanted, TA1 always when asked', () => {
    const policy = (functional: boolean, ta1: 'always' | 'requested' | 'never') => [{ id: 'brico-centre', x12: { qualifier: 'ZZ', id: 'BRICOCENTRE' }, acknowledge: { functional, ta1 } }];
    expect(read('x12/brico-centre-850-004010.edi', { partners: policy(false, 'never') }).acks).toEqual([]);
    expect(read('x12/brico-centre-850-004010.edi', { partners: policy(true, 'always') }).acks.map((a) => a.kind)).toEqual(['TA1', '997']);
    const unknown = read('x12/weber-850-wrapped80-test-ackrequested.edi', { partners: policy(true, 'never') });
    expect(unknown.problems).toEqual([expect.objectContaining({ code: 'EDI_UNKNOWN_PARTNER', severity: 'warning' })]);
  });
});

describe('CONTRL', () => {
  it('acknowledges when UNB 0031 asks for it (UCI 7, UCM 7), mirroring the UNA', () => {
    const r = read('edifact/leroy-maison-orders-decimal-comma-test.edi');
    expect(r.acks.map((a) => [a.kind, a.status])).toEqual([['CONTRL', 'A']]);
    expect(r.acks[0]!.bytes.toString('latin1').startsWith("UNA:+,? '")).toBe(true);
    expect(edifactSegs(r.acks[0]!.bytes).slice(1)).toEqual([
      'UNB+UNOC:3+3012345000008:14+3020000000024:14+261123:0805+1++++++1', // UNB 0035 = 1: our answer to test data is test data
      'UNH+1+CONTRL:D:3:UN',
      'UCI+LM00000571+3020000000024:14+3012345000008:14+7',
      'UCM+ME0571+ORDERS:D:96A:UN+7',
      'UNT+4+1',
      'UNZ+1+1',
    ]);
  });

  it('sends nothing for a clean interchange that did not ask', () => {
    expect(read('edifact/castel-orders-d96a-unoc-latin1.edi').acks).toEqual([]);
  });

  it('rejects a message whose UNT count is wrong (UCM 4, error 29)', () => {
    const r = read('edifact/broken-unt-count.edi');
    expect(r.orders).toEqual([]);
    expect(edifactSegs(r.acks[0]!.bytes).slice(3, 6)).toEqual(['UCI+CB000420+3020000000031:14+3012345000008:14+7', 'UCM+0007+ORDERS:D:96A:UN+4+29', 'UNT+4+1']);
  });

  it('rejects the interchange when UNZ does not match UNB (UCI 4, error 28), without message detail', () => {
    const raw = readFileSync(join(FIX, 'edifact/castel-orders-d96a-unoc-latin1.edi'), 'latin1').replace("UNZ+1+CB000417'", "UNZ+1+CB000471'");
    const r = readInterchange(Buffer.from(raw, 'latin1'), { now: NOW });
    expect(r.orders).toEqual([]);
    expect(edifactSegs(r.acks[0]!.bytes).slice(3, 5)).toEqual(['UCI+CB000417+3020000000031:14+3012345000008:14+4+28', 'UNT+3+1']);
  });

  it('rejects a message that is not an order, accepts the cancellation beside it', () => {
    const r = read('edifact/brico-centre-cancel-and-invoic.edi');
    expect(edifactSegs(r.acks[0]!.bytes).slice(4, 7)).toEqual(['UCM+1+ORDERS:D:96A:UN+7', 'UCM+2+INVOIC:D:96A:UN+4+17', 'UNT+5+1']);
    expect(r.acks[0]!.status).toBe('P');
  });

  it('answers receipt only (UCI 8) to a partner who asks for that, and details errors with UCS/UCD', () => {
    const cbf = [{ id: 'cbf', edifact: { id: '5412345000013', qualifier: '14' }, acknowledge: { functional: true, ta1: 'never' as const, contrl: 'receipt' as const } }];
    const ok = read('edifact/cbf-orders-custom-una-one-line.edi', { partners: cbf });
    expect(ok.acks[0]!.bytes.toString('latin1')).toContain('~UCI*CBF2611200004*5412345000013=14*3012345000008=14*8~UNT*3*1~');
    const raw = readFileSync(join(FIX, 'edifact/cbf-orders-custom-una-one-line.edi'), 'latin1').replace('QTY*21=100', 'QTY*21=1OO');
    const bad = readInterchange(Buffer.from(raw, 'latin1'), { now: NOW, partners: cbf });
    expect(bad.orders).toHaveLength(1);
    expect(bad.problems).toEqual([expect.objectContaining({ code: 'EDI_SYNTAX', where: 'segment 13 (QTY)', message: expect.stringContaining('"1OO" is not a quantity') })]);
    expect(bad.acks[0]!.bytes.toString('latin1').split('~').slice(3, 7)).toEqual(['UCI*CBF2611200004*5412345000013=14*3012345000008=14*7', 'UCM*CBF0004*ORDERS=D=01B=UN*7', 'UCS*12', 'UCD*37*1=2']);
  });

  it('never acknowledges a CONTRL', () => {
    const r = read('edifact/contrl-from-partner.edi');
    expect(r.acks).toEqual([]);
    expect(r.orders).toEqual([]);
  });
});

describe('855 / ORDRSP confirmations', () => {
  const order = resolveOrder(read('x12/brico-centre-850-004010.edi').orders[0]!, md).order;
  const env = { senderQualifier: 'ZZ', senderId: 'FIXRHONEALPES', receiverQualifier: 'ZZ', receiverId: 'BRICOCENTRE', version: '00401', controlNumber: 7001, now: NOW, test: false };

  const sent = findSent(sentOrders(readFileSync(join(FIX, 'x12/brico-centre-850-004010.edi'))), order);

  it('855 BAK AD echoes the partner’s units and exactly the ID qualifiers it sent on each line', () => {
    expect(sent).not.toBeNull();
    const segs = x12Segs(Buffer.from(build855(order, [], env, sent)));
    expect(segs.slice(2, -2)).toEqual([
      'ST*855*0001',
      'BAK*00*AD*BCR-2026-118734*20261120*****20261123',
      'PO1*1*48*BX*18.9**VP*VIS-440*BP*BCR-100234',
      'ACK*IA*48*BX',
      'PO1*2*120*BX*5.6**BP*BCR-100240',
      'ACK*IA*120*BX',
      'PO1*3*24*EA*11.2**EN*3760123452595',
      'ACK*IA*24*EA',
      'CTT*3',
      'SE*10*0001',
    ]);
    expect(segs[1]).toBe('GS*PR*FIXRHONEALPES*BRICOCENTRE*20261123*0805*7001*X*004010');
  });

  it('855 adds our SKU as VP only on a line the partner named by nothing, and keeps units it wrote in its own way', () => {
    const raw = readFileSync(join(FIX, 'x12/brico-centre-850-004010.edi'), 'latin1').replace('PO1*3*24*EA*11.2**EN*3760123452595', 'PO1*3*24*PC*11.2');
    const r = readInterchange(Buffer.from(raw, 'latin1'), { now: NOW });
    const o = resolveOrder(r.orders[0]!, md).order;
    const withSku = { ...o, lines: o.lines.map((l) => (l.lineNumber === 3 ? { ...l, sku: 'CAD-40' } : l)) };
    const segs = x12Segs(Buffer.from(build855(withSku, [], env, findSent(sentOrders(Buffer.from(raw, 'latin1')), o))));
    expect(segs.filter((x) => x.startsWith('PO1*3') || x.startsWith('ACK')).slice(-2)).toEqual(['PO1*3*24*PC*11.2**VP*CAD-40', 'ACK*IA*24*PC']);
  });

  it('855 without the original document: catalog units in X12 codes, never the EAN resolution found', () => {
    const segs = x12Segs(Buffer.from(build855(order, [], env)));
    expect(segs.filter((x) => x.startsWith('PO1'))).toEqual(['PO1*1*48*BX*18.9**BP*BCR-100234', 'PO1*2*120*BX*5.6**BP*BCR-100240', 'PO1*3*24*EA*11.2**VP*CAD-40']);
  });

  it('855 BAK AC with a changed quantity (IQ), a new date and a rejected line (IR)', () => {
    const segs = x12Segs(Buffer.from(build855(order, [{ lineNumber: 1, status: 'changed', quantity: 40, deliveryDate: '2026-11-27' }, { lineNumber: 3, status: 'rejected' }], env, sent)));
    expect(segs[3]).toBe('BAK*00*AC*BCR-2026-118734*20261120*****20261123');
    expect(segs.filter((s) => s.startsWith('ACK'))).toEqual(['ACK*IQ*40*BX*068*20261127', 'ACK*IA*120*BX', 'ACK*IR*0*EA']);
  });

  it('ORDRSP BGM 4 with LIN action codes 3/5/7, in the partner’s version and terms', () => {
    const file = readFileSync(join(FIX, 'edifact/castel-orders-d96a-unoc-latin1.edi'));
    const eorder = resolveOrder(readInterchange(file, { now: NOW }).orders[0]!, md).order;
    const out = buildOrdrsp(eorder, [{ lineNumber: 2, status: 'changed', quantity: 20 }, { lineNumber: 3, status: 'rejected' }], {
      syntax: 'UNOC', syntaxVersion: '3', senderId: '3012345000008', senderQualifier: '14', recipientId: '3020000000031', recipientQualifier: '14', controlRef: 'ORSP7002', now: NOW, test: false,
    }, '1', findSent(sentOrders(file), eorder));
    expect(edifactSegs(Buffer.from(out, 'latin1'))).toEqual([
      'UNB+UNOC:3+3012345000008:14+3020000000031:14+261123:0805+ORSP7002',
      // EANCOM 1997: ORDERS EAN008 is answered by ORDRSP EAN005.
      'UNH+1+ORDRSP:D:96A:UN:EAN005',
      'BGM+231+CB-PO-2026-30417+4',
      'DTM+137:20261123:102',
      'RFF+ON:CB-PO-2026-30417',
      'DTM+171:20261120:102',
      'NAD+DP+3020000300015::9',
      'LIN+1+5+3760123450218:SRV',
      'PIA+1+CB-77001:IN',
      'QTY+21:80:PCE',
      'PRI+AAA:12.75',
      'LIN+2+3+3760123450423:SRV',
      'PIA+1+CB-77002:IN',
      'QTY+21:20:PCE',
      'PRI+AAA:24.6',
      'LIN+3+7',
      'PIA+5+CYL-EUR:SA',
      'PIA+1+CB-77090:IN',
      'QTY+21:0:PCE',
      'PRI+AAA:24.5',
      'UNS+S',
      'CNT+2:3',
      'UNT+22+1',
      'UNZ+1+ORSP7002',
    ]);
  });

  it('finds each order of a multi-interchange file again by where it was read', () => {
    const file = readFileSync(join(FIX, 'x12/multi-interchange-multi-group.edi'));
    const r = readInterchange(file, { now: NOW });
    const all = sentOrders(file);
    expect(r.orders.length).toBeGreaterThan(1);
    for (const o of r.orders) {
      const s = findSent(all, o as Parameters<typeof findSent>[1]);
      expect(s?.location).toBe(o.provenance.location);
      expect(s?.poNumber).toBe(o.poNumber);
      expect(s?.lines).toHaveLength(o.lines.length);
    }
  });

  it('ORDRSP message identifier: the ORDERS version, else the partner’s configured one, never a guessed subset', () => {
    expect(ordrspIdentifier(['ORDERS', 'D', '01B', 'UN', 'EAN010'])).toEqual(['ORDRSP', 'D', '01B', 'UN', 'EAN007']);
    expect(ordrspIdentifier(['ORDERS', 'D', '01B', 'UN'])).toEqual(['ORDRSP', 'D', '01B', 'UN']);
    expect(ordrspIdentifier(['ORDERS', 'D', '96A', 'UN', 'XYZ123'])).toEqual(['ORDRSP', 'D', '96A', 'UN']);
    expect(ordrspIdentifier(null, 'D01B')).toEqual(['ORDRSP', 'D', '01B', 'UN']);
  });
});
