// Every .eml fixture through the real pipeline entry (parsers/index.ts → parseEmail → resolve).
// Fixtures whose order sits in an attachment read by another parser (OCR, PDF, EDI) are checked
// with a recording extractNested, so these tests say what the email reader owes them.
import { SHIP_TO_DEFAULTED } from '../../../domain/resolve';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { emptyAddress, type DocumentResult, type Order } from '../../../domain/order';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { parseEmail } from '../../../parsers/email/index';
import { sniff } from '../../../parsers/sniff';
import type { ParseContext } from '../../../parsers/types';

const DIR = join(import.meta.dirname, '../../../fixtures/email');
const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

function load(name: string): Buffer {
  return readFileSync(join(DIR, name));
}

async function extract(name: string) {
  const bytes = load(name);
  const meta = describeDocument(bytes, { fileName: name, channel: 'email', receivedAt: '2026-11-23T10:00:00.000Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

interface Expected {
  po: string;
  customer: string;
  matchedBy: string;
  lines: [string, number][];
  orderDate?: string | null;
  delivery?: string | null;
  purpose?: string;
  shipTo?: string | { postalCode: string; city: string };
  signals?: string[];
  location?: string;
}

const BODY_ORDERS: Record<string, Expected> = {
  '01-liste-texte-dupont.eml': { po: 'DUP-2611-042', customer: 'C001', matchedBy: 'email_domain', lines: [['VIS-440', 12], ['CHV-6', 5], ['MET-5M', 3], ['GAN-NIT', 20]], delivery: '2026-11-27', shipTo: 'C001-L1' },
  '02-outlook-html-martin.eml': { po: 'MM-2026-1187', customer: 'C003', matchedBy: 'email_domain', lines: [['BOU-M8', 6], ['ECR-M8', 6], ['RON-M8', 4], ['NIV-60', 2]], delivery: '2026-11-30', shipTo: { postalCode: '21200', city: 'Beaune' } },
  '03-tableau-aligne-latin1-lefevre.eml': { po: '26-0457', customer: 'C010', matchedBy: 'email_domain', lines: [['VIS-8100', 10], ['CHV-MET8', 8], ['FOR-HSS6', 25], ['SER-3P', 1]], orderDate: '2026-11-23', delivery: '2026-12-01', shipTo: 'C010-L1' },
  '04-reponse-citation-moreau.eml': { po: 'SM-112', customer: 'C017', matchedBy: 'siret', lines: [['CYL-EUR', 6], ['POI-BEQ', 3], ['FER-PORTE', 2]], signals: ['reply to <devis-d-2026-0981@fixations-rhone-alpes.fr>'] },
  '05-transfert-commercial-girard.eml': { po: 'GIR-7781', customer: 'C019', matchedBy: 'email_domain', lines: [['FOR-BET8', 30], ['CHV-8', 12], ['EMB-PZ2', 10], ['DIS-125', 50]], shipTo: { postalCode: '59650', city: "Villeneuve-d'Ascq" }, signals: ['forwarded by jp.roux@fixations-rhone-alpes.fr'], location: 'body, forwarded message from achats@girard-elec.fr' },
  '06-message-joint-bernard.eml': { po: 'MB-26-318', customer: 'C011', matchedBy: 'email_domain', lines: [['VIS-530', 15], ['VIS-560', 15], ['CHA-INOX', 40], ['EQU-100', 100]], orderDate: '2026-11-23', delivery: '2026-11-26', shipTo: 'C011-L1', signals: ['forwarded by jp.roux@fixations-rhone-alpes.fr'] },
  '12-annule-remplace-btp.eml': { po: 'BTPS-2611-09', customer: 'C005', matchedBy: 'email_domain', purpose: 'replace', lines: [['MAR-500', 8], ['NIV-60', 4], ['CHA-S3', 6], ['MAS-FFP2', 10]], orderDate: '2026-11-23', delivery: '2026-12-02', shipTo: { postalCode: '38000', city: 'Grenoble' } },
  '13-english-weber.eml': { po: '4500012345', customer: 'C014', matchedBy: 'vat_number', lines: [['VIS-440', 1200], ['CHV-8', 400], ['GOU-M10', 50]], orderDate: '2026-11-23', delivery: '2026-12-07', shipTo: { postalCode: '79108', city: 'Freiburg im Breisgau' } },
  '16-copie-edi-leroymaison.eml': { po: 'LM-88-301245', customer: 'C007', matchedBy: 'email_domain', lines: [['VIS-440', 48], ['CHV-PLQ', 24], ['MET-5M', 12]], signals: ['marked COPIE', 'already sent by another channel'] },
  '17-html-seul-hcc.eml': { po: 'HCC-2026-7730', customer: 'C013', matchedBy: 'email_domain', lines: [['GAN-CUI', 50], ['LUN-PRO', 30], ['CAS-ANT', 5]], orderDate: '2026-11-23', delivery: '2026-12-03', shipTo: { postalCode: '68000', city: 'Colmar' } },
};

describe('orders typed in the message', () => {
  it.each(Object.entries(BODY_ORDERS))('%s', async (name, exp) => {
    const r = await extract(name);
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.orders).toHaveLength(1);
    const o = r.orders[0]!;
    expect(o.poNumber).toBe(exp.po);
    expect(o.customer).toMatchObject({ id: exp.customer, matchedBy: exp.matchedBy });
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual(exp.lines);
    expect(o.purpose).toBe(exp.purpose ?? 'original');
    if (exp.orderDate !== undefined) expect(o.orderDate).toBe(exp.orderDate);
    if (exp.delivery !== undefined) expect(o.requestedDeliveryDate).toBe(exp.delivery);
    if (typeof exp.shipTo === 'string') expect(o.shipTo.code).toBe(exp.shipTo);
    else if (exp.shipTo) expect(o.shipTo).toMatchObject(exp.shipTo);
    // The resolver's own note on a defaulted ship-to is not the reader's signal.
    if (exp.signals) expect(o.provenance.signals.filter((x) => x !== SHIP_TO_DEFAULTED)).toEqual(exp.signals);
    if (exp.location) expect(o.provenance.location).toBe(exp.location);
    expect(o.provenance.parser).toBe('email-body');
  });

  it('keeps the prices and designations of an Outlook HTML table (ISO-8859-1, quoted-printable)', async () => {
    const o = (await extract('02-outlook-html-martin.eml')).orders[0]!;
    expect(o.lines.map((l) => [l.description, l.unitPrice])).toEqual([
      ['Boulon TH M8x40 cl. 8.8', 24.6],
      ['Écrou hexagonal M8', 9.4],
      ['Rondelle plate M8', 7.9],
      ['Niveau à bulle alu 60 cm', 19.9],
    ]);
  });

  it('never takes our own signature, quoted in a reply, for the customer', async () => {
    // The reply comes from a public mailbox; our VAT and SIRET are in the quoted part, the customer's SIRET in its own.
    const o = (await extract('04-reponse-citation-moreau.eml')).orders[0]!;
    expect(o.customer).toEqual({ id: 'C017', name: 'Serrurerie Moreau', matchedBy: 'siret' });
    // The quoted quotation lists two articles with prices: they are not read as the order.
    expect(o.lines).toHaveLength(3);
  });

  it('reads a cancellation that has no lines', async () => {
    const r = await extract('14-annulation-imj.eml');
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]).toMatchObject({ poNumber: 'IMJ-ACH-26-311', purpose: 'cancel', customer: { id: 'C006' }, lines: [] });
    expect(r.problems).toEqual([]);
  });

  it('says clearly when a message holds no order', async () => {
    const r = await extract('15-sans-commande-outillage.eml');
    expect(r.orders).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'EMAIL_NO_ORDER', severity: 'error', where: '15-sans-commande-outillage.eml' });
    expect(r.problems[0]!.message).toContain('"Question livraison" from k.benali@outillage-pro13.fr');
  });
});

describe('orders in attachments', () => {
  it('extracts an order JSON attachment with the email as context, skipping the inline logo', async () => {
    const r = await extract('11-json-piece-jointe-isere.eml');
    expect(r.problems).toEqual([]);
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]).toMatchObject({ poNumber: 'ENG-2026-004512', customer: { id: 'C018' }, provenance: { parser: 'api-json' } });
  });

  interface Call {
    fileName: string;
    kind: string;
    context: Record<string, string>;
  }
  async function handedOver(name: string): Promise<{ calls: Call[]; out: Awaited<ReturnType<typeof parseEmail>> }> {
    const bytes = load(name);
    const calls: Call[] = [];
    const meta = describeDocument(bytes, { fileName: name, channel: 'email', receivedAt: '2026-11-23T10:00:00.000Z' });
    const ctx: ParseContext = {
      meta,
      masterData: md,
      depth: 0,
      extractNested: async (b, fileName, context = {}) => {
        calls.push({ fileName, kind: sniff(b), context });
        const empty: DocumentResult = { document: { ...meta, fileName }, orders: [], problems: [{ code: 'NOT_READ_IN_TEST', message: 'not read in this test', severity: 'error', where: fileName }] };
        return empty;
      },
    };
    return { calls, out: await parseEmail(bytes, ctx) };
  }

  it.each([
    ['07-fax-hylafax-rousseau.eml', 'fax000000412.tif', 'tiff', '0473334456'],
    ['08-efax-pdf-nice.eml', 'FAX_20261123_1763904125_88.pdf', 'pdf', '+33 4 93 80 90 01'],
    ['09-fax-t37-agri.eml', 'fax.tif', 'tiff', '+33385405061'],
  ])('%s: hands the fax over with the caller number as context.fax', async (name, fileName, kind, fax) => {
    const { calls, out } = await handedOver(name);
    expect(calls).toEqual([{ fileName, kind, context: expect.objectContaining({ fax }) }]);
    expect(calls[0]!.context.sender).toBeUndefined(); // the gateway is not the customer
    expect(out.drafts).toEqual([]);
    // Nothing came back from the attachment: the email itself says so.
    expect(out.problems.map((p) => p.code)).toEqual(['EMAIL_NO_ORDER']);
    expect(md.customerByPhone(fax)).toBeDefined();
  });

  it('adds the email\'s signals (gateway, caller) to the orders its attachments give', async () => {
    const bytes = load('07-fax-hylafax-rousseau.eml');
    const meta = describeDocument(bytes, { fileName: 'fax.eml', channel: 'email', receivedAt: '2026-11-23T10:00:00.000Z' });
    const fromOcr: Order = {
      poNumber: 'PCR-4471', orderDate: null, requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
      customer: { id: 'C016', name: 'Plomberie Chauffage Rousseau', matchedBy: 'fax' }, shipTo: emptyAddress(), lines: [], confidence: 0.8,
      provenance: { parser: 'ocr', location: 'page 1', signals: ['skewed page'] },
    };
    const ctx: ParseContext = { meta, masterData: md, depth: 0, extractNested: async (_b, fileName) => ({ document: { ...meta, fileName }, orders: [fromOcr], problems: [] }) };
    const out = await parseEmail(bytes, ctx);
    expect(out.resolved?.[0]?.orders[0]?.provenance.signals).toEqual(['skewed page', 'fax-to-email gateway (hylafax, caller 0473334456)']);
    expect(out.problems).toEqual([]);
  });

  it('hands an X12 attachment sent as application/octet-stream to the EDI reader, by its bytes', async () => {
    const { calls } = await handedOver('10-edi-piece-jointe-bricocentre.eml');
    expect(calls).toEqual([{ fileName: 'PO_558120.dat', kind: 'x12', context: expect.objectContaining({ sender: 'edi@bricocentre.fr', subject: 'PO BCR-PO-558120' }) }]);
  });

  it('extracts an attached message/rfc822 as a document of its own, telling it who forwarded it', async () => {
    const { calls, out } = await handedOver('06-message-joint-bernard.eml');
    expect(calls).toEqual([{ fileName: 'Commande atelier Mérignac.eml', kind: 'email', context: expect.objectContaining({ forwardedBy: 'jp.roux@fixations-rhone-alpes.fr' }) }]);
    // The forwarding note itself holds no order, and our rep is not the customer.
    expect(out.drafts).toEqual([]);
    expect(calls[0]!.context.sender).toBeUndefined();
  });
});

describe('order date not printed (issue #13, class 3)', () => {
  it("takes the day the customer sent the attached message (its own Date header), and says so", async () => {
    const o = (await extract('06-message-joint-bernard.eml')).orders[0]!;
    expect(o.orderDate).toBe('2026-11-23');
    expect(o.evidence?.orderDate).toMatchObject({ source: 'channel', rule: expect.stringContaining("Date header"), text: '2026-11-23T06:55:40.000Z' });
  });
});
