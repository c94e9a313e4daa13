import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readInterchange } from '../../../parsers/edi/interchange';
import { edifactOrderSegments, writeEdifact, writeX12, x12OrderSegments, type OutgoingOrder } from '../../../parsers/edi/writer';
import { problemSchema } from '../../../domain/order';

const NOW = new Date('2026-11-23T08:00:00Z');
const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
/** Text as partners write it; X12 has no escape character, so its values avoid the separators. */
const x12Text = fc.stringMatching(/^[A-Z0-9][A-Z0-9 ./\-éèçàÉ]{0,18}[A-Z0-9]$/);
/** EDIFACT text may hold any separator: the writer escapes it with the release character. */
const edifactText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ./\-'+:?*=~éèçàôÉ]{0,18}[A-Za-z0-9]$/);
const money = fc.integer({ min: 0, max: 99_999_99 }).map((c) => c / 100);
const qty = fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 99_999 }).map((c) => c / 100));

function order(text: fc.Arbitrary<string>): fc.Arbitrary<OutgoingOrder> {
  const line = fc.record({
    sku: fc.option(text, { nil: null }),
    customerPartNumber: fc.option(text, { nil: null }),
    ean: fc.option(digits(13), { nil: null }),
    description: fc.option(text, { nil: null }),
    quantity: qty,
    unitPrice: fc.option(money, { nil: null }),
  });
  return fc.record({
    poNumber: text,
    purpose: fc.constantFrom('original' as const, 'replace' as const, 'cancel' as const),
    orderDate: fc.option(isoDate, { nil: null }),
    requestedDeliveryDate: fc.option(isoDate, { nil: null }),
    currency: fc.option(fc.constantFrom('EUR', 'CHF', 'GBP'), { nil: null }),
    buyerGln: fc.option(digits(13), { nil: null }),
    shipTo: fc.option(
      fc.record({ gln: fc.option(digits(13), { nil: null }), name: fc.option(text, { nil: null }), street: fc.option(text, { nil: null }), postalCode: fc.option(digits(5), { nil: null }), city: fc.option(text, { nil: null }), country: fc.option(fc.constantFrom('FR', 'BE', 'DE'), { nil: null }) }),
      { nil: null },
    ),
    lines: fc.array(line, { minLength: 1, maxLength: 6 }).map((ls) => ls.map((l, i) => ({ lineNumber: i + 1, ...l }))),
  });
}

/** What the reader must give back for a written order (in the draft's terms). */
function expected(o: OutgoingOrder) {
  const s = o.shipTo;
  const hasShipTo = s && (s.gln || s.name || s.street || s.city || s.postalCode || s.country);
  return {
    poNumber: o.poNumber,
    purpose: o.purpose,
    orderDate: o.orderDate,
    requestedDeliveryDate: o.requestedDeliveryDate,
    currency: o.currency,
    shipTo: hasShipTo ? { gln: s.gln, name: s.name, street: s.street, postalCode: s.postalCode, city: s.city, country: s.country } : null,
    lines: o.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, customerPartNumber: l.customerPartNumber, ean: l.ean, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice })),
  };
}

function actual(d: ReturnType<typeof readInterchange>['orders'][number]) {
  const s = d.shipTo;
  return {
    poNumber: d.poNumber,
    purpose: d.purpose,
    orderDate: d.orderDate ?? null,
    requestedDeliveryDate: d.requestedDeliveryDate ?? null,
    currency: d.currency ?? null,
    shipTo: s && (s.gln || s.name || s.street || s.city || s.postalCode || s.country) ? { gln: s.gln ?? null, name: s.name ?? null, street: s.street ?? null, postalCode: s.postalCode ?? null, city: s.city ?? null, country: s.country ?? null } : null,
    lines: d.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku ?? null, customerPartNumber: l.customerPartNumber ?? null, ean: l.ean ?? null, description: l.description ?? null, quantity: l.quantity, unitPrice: l.unitPrice ?? null })),
  };
}

const X12_DELIMS = [
  { element: '*', component: ':', repetition: '^', segment: '~' },
  { element: '|', component: '^', repetition: null, segment: '~' },
  { element: '*', component: '>', repetition: null, segment: '\u2026' },
];

describe('round trip: order → writer → reader → same order', () => {
  it('X12 850, any separators and line breaks', () => {
    fc.assert(
      fc.property(fc.array(order(x12Text), { minLength: 1, maxLength: 3 }), fc.constantFrom(...X12_DELIMS), fc.constantFrom('', '\n', '\r\n'), fc.constantFrom('00401', '00501'), (orders, delimiters, lineBreak, version) => {
        const text = writeX12(
          { senderQualifier: 'ZZ', senderId: 'BRICOCENTRE', receiverQualifier: 'ZZ', receiverId: 'FIXRHONEALPES', version, controlNumber: 4711, now: NOW, test: false, delimiters, lineBreak },
          [{ functionalId: 'PO', transactions: orders.map((o) => ({ type: '850', segments: x12OrderSegments(o) })) }],
        );
        const r = readInterchange(Buffer.from(text, 'utf8'));
        expect(r.problems).toEqual([]);
        expect(r.orders.map(actual)).toEqual(orders.map(expected));
        expect(r.orders.every((d) => d.customer.x12Id === 'BRICOCENTRE' && d.customer.edifactGln === (orders[r.orders.indexOf(d)]!.buyerGln ?? null))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('EDIFACT ORDERS, escaped separators, custom UNA, decimal comma, Latin-1 or UTF-8', () => {
    const unas = [
      { component: ':', element: '+', decimal: '.', release: '?', repetition: null, segment: "'" },
      { component: ':', element: '+', decimal: ',', release: '?', repetition: null, segment: "'" },
      { component: '=', element: '*', decimal: '.', release: '?', repetition: null, segment: '~' },
    ];
    fc.assert(
      fc.property(fc.array(order(edifactText), { minLength: 1, maxLength: 3 }), fc.constantFrom(...unas), fc.constantFrom('UNOC', 'UNOW'), fc.constantFrom('', '\n'), (orders, delimiters, syntax, lineBreak) => {
        const text = writeEdifact(
          { syntax, syntaxVersion: syntax === 'UNOW' ? '4' : '3', senderId: '3020000000031', senderQualifier: '14', recipientId: '3012345000008', recipientQualifier: '14', controlRef: 'R1', now: NOW, test: false, delimiters, una: true, lineBreak },
          orders.map((o, i) => ({ reference: String(i + 1), identifier: ['ORDERS', 'D', '96A', 'UN'], segments: edifactOrderSegments(o, delimiters.decimal) })),
        );
        const r = readInterchange(Buffer.from(text, syntax === 'UNOW' ? 'utf8' : 'latin1'));
        expect(r.problems).toEqual([]);
        expect(r.orders.map(actual)).toEqual(orders.map(expected));
        expect(r.orders.every((d) => d.customer.edifactGln === '3020000000031')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('fuzz: mutated files give typed problems, never a throw', () => {
  const dir = join(import.meta.dirname, '../../../fixtures/edi');
  const seeds = ['x12', 'edifact'].flatMap((d) => readdirSync(join(dir, d)).map((f) => readFileSync(join(dir, d, f))));
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.constantFrom(0x2a, 0x7e, 0x27, 0x2b, 0x3a, 0x3f, 0x0a, 0x0d, 0x00, 0xe9, 0xff, 0x7c) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
  );

  it('survives random byte mutations of every fixture', () => {
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }), (seed, muts) => {
        let b = Buffer.from(seeds[seed]!);
        for (const m of muts) {
          const at = b.length ? m.at % b.length : 0;
          if (m.kind === 'flip' && b.length) b[at] = m.byte;
          else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
          else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
          else if (m.kind === 'truncate') b = b.subarray(0, at);
        }
        const r = readInterchange(b, { now: NOW });
        for (const p of r.problems) problemSchema.parse(p);
        for (const a of r.acks) expect(Buffer.isBuffer(a.bytes)).toBe(true);
        for (const o of r.orders) expect(typeof o.provenance.location).toBe('string');
      }),
      { numRuns: 600 },
    );
  });
});

describe('files larger than one read slice', () => {
  it('reads every order of a 2,500-transaction X12 file and a 2,500-message EDIFACT file', () => {
    const o = (i: number): OutgoingOrder => ({
      poNumber: `BCR-2026-${100000 + i}`, purpose: 'original', orderDate: '2026-11-20', requestedDeliveryDate: null, currency: 'EUR', buyerGln: null,
      shipTo: { gln: '3020000100014', name: 'BRICO CENTRE VILLEURBANNE', street: '45 COURS EMILE ZOLA', postalCode: '69100', city: 'VILLEURBANNE', country: 'FR' },
      lines: Array.from({ length: 8 }, (_, k) => ({ lineNumber: k + 1, sku: 'VIS-440', customerPartNumber: `BCR-${k}`, ean: null, description: 'VIS INOX A2 TF 4X40 BOITE DE 200 PIECES', quantity: k + 1, unitPrice: 18.9 })),
    });
    const orders = Array.from({ length: 2500 }, (_, i) => o(i));
    const x12 = Buffer.from(writeX12({ senderQualifier: 'ZZ', senderId: 'BRICOCENTRE', receiverQualifier: 'ZZ', receiverId: 'FIXRHONEALPES', version: '00401', controlNumber: 1, now: NOW, test: false, lineBreak: '\r\n' }, [{ functionalId: 'PO', transactions: orders.map((x) => ({ type: '850', segments: x12OrderSegments(x) })) }]));
    expect(x12.length).toBeGreaterThan(2 * (1 << 20));
    const rx = readInterchange(x12);
    expect(rx.problems).toEqual([]);
    expect(rx.orders.map((d) => d.poNumber)).toEqual(orders.map((x) => x.poNumber));
    expect(rx.orders[2499]!.lines.map((l) => l.quantity)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ed = Buffer.from(writeEdifact({ syntax: 'UNOC', syntaxVersion: '3', senderId: '3020000000017', senderQualifier: '14', recipientId: '3012345000008', recipientQualifier: '14', controlRef: 'BIG', now: NOW, test: false }, orders.map((x, i) => ({ reference: String(i + 1), identifier: ['ORDERS', 'D', '96A', 'UN'], segments: edifactOrderSegments(x) }))), 'latin1');
    expect(ed.length).toBeGreaterThan(2 * (1 << 20));
    const re = readInterchange(ed);
    expect(re.problems).toEqual([]);
    expect(re.orders.map((d) => d.poNumber)).toEqual(orders.map((x) => x.poNumber));
  });
});
