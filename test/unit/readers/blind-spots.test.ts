// Classes of reading failure seen on the corpus's development half (issue #13), each on a small
// document built here: what the readers now read, and what they flag when they cannot.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { readOrder, tableDeliveryDate, wrappedYearDate } from '../../../parsers/layout/order';
import { dropSplitFragments } from '../../../parsers/layout/table';
import type { PositionedWord, Table, TableRow, TextLine } from '../../../parsers/layout/types';
import { checkHeaderlessAmount } from '../../../parsers/ocr/order';
import { findDeliveryDate, findPoNumber, looseDates } from '../../../parsers/text/index';
import { parseQuantity } from '../../../parsers/text/numbers';
import { putWords } from '../../support/words';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

async function mail(from: string, subject: string, body: string) {
  const bytes = Buffer.from(`From: ${from}\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: ${subject}\r\nDate: Thu, 01 Oct 2026 08:12:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
  const meta = describeDocument(bytes, { fileName: 'm.eml', channel: 'email', receivedAt: '2026-10-01T06:15:00Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

describe('dates no label explains', () => {
  it('reads a delivery date written in a sentence', () => {
    expect(findDeliveryDate('Nous vous prions de bien vouloir nous livrer les articles suivants pour le 10/12/26 :', new Date('2026-12-01'))).toBe('2026-12-10');
    expect(findDeliveryDate('Please deliver the goods below by 03/11/2026.', new Date('2026-10-20'))).toBe('2026-11-03');
    // A date in another sentence, or with no preposition saying when, is not the delivery's.
    expect(findDeliveryDate('Livraison à notre dépôt. Offre du 10/12/2026', new Date('2026-12-01'))).toBeNull();
  });

  it('flags the delivery date when the document prints a later date under a label it does not know', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Commande', 'N° de commande : CDE-2026-77\nDate de commande : 01/10/2026\nZustellung gewünscht ab 15/10/2026\n\n- 10 x VIS-440');
    const o = r.orders[0]!;
    expect(o.requestedDeliveryDate).toBeNull();
    expect(r.problems.find((p) => p.code === 'DELIVERY_DATE_UNREAD')).toMatchObject({ where: 'requestedDeliveryDate', severity: 'warning' });
    expect(r.problems.find((p) => p.code === 'DELIVERY_DATE_UNREAD')!.message).toContain('15/10/2026');
    expect(o.confidence).toBeLessThan(0.9);
  });

  it('does not flag a document whose dates are all explained', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Commande', 'N° de commande : CDE-2026-78\nDate de commande : 01/10/2026\nLivraison souhaitée : 15/10/2026\n\n- 10 x VIS-440');
    expect(r.orders[0]!.requestedDeliveryDate).toBe('2026-10-15');
    expect(r.problems.filter((p) => /DATE/.test(p.code))).toEqual([]);
  });

  it('leaves out the dates of a quoted e-mail header', () => {
    expect(looseDates('Le 12/11/2026 à 10:42, Paul a écrit :\nSent: 12/11/2026 10:42\nOffre du 12/11/2026', [], new Date('2026-11-20'))).toEqual([{ iso: '2026-11-12', text: '12/11/2026' }]);
  });

  it('reads a date printed a wide gap right of its label, in a column of labels beside a column of values', () => {
    const words: PositionedWord[] = [];
    const put = (y: number, x: number, text: string) => putWords(words, y, x, text);
    put(40, 40, 'Quincaillerie Dupont');
    put(55, 40, 'TVA FR12345678901');
    put(100, 40, 'PO Number');
    put(100, 200, 'PO-68831');
    put(115, 40, 'Date');
    put(115, 200, '29-Sep-2026');
    put(130, 40, 'Requested delivery');
    put(130, 200, '03-Oct-2026');
    put(100, 330, 'Ship To');
    put(115, 330, 'Dépôt de Vénissieux');
    put(130, 330, '14 rue Jean Moulin');
    put(145, 330, '69200 Vénissieux');
    put(200, 40, 'Item');
    put(200, 80, 'Part Number');
    put(200, 200, 'Description');
    put(200, 400, 'Qty');
    put(215, 40, '1');
    put(215, 80, 'VIS-440');
    put(215, 200, 'Screws 4x40');
    put(215, 400, '12');
    const r = readOrder([{ page: 1, words, width: 595, height: 842 }], md, { parser: 'pdf-text', ref: new Date('2026-09-30') });
    expect(r.draft).toMatchObject({ orderDate: '2026-09-29', requestedDeliveryDate: '2026-10-03' });
  });
});

describe('e-mail headers and typed e-mails', () => {
  it('recovers the sender address a mailer encoded together with the name', async () => {
    const encoded = `=?UTF-8?B?${Buffer.from('J. Martin - Quincaillerie Dupont <achats@dupont-quincaillerie.fr>').toString('base64')}?=`;
    const r = await mail(encoded, 'Commande', 'N° de commande : CDE-2026-90\n- 10 x VIS-440');
    expect(r.orders[0]!.customer).toMatchObject({ id: 'C001', matchedBy: 'email_domain' });
  });

  it('keeps the printed order date of a cancellation', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Annulation commande CDE-2026-91', "Merci d'annuler notre commande n° CDE-2026-91 du 18/09/2026.");
    expect(r.orders[0]).toMatchObject({ purpose: 'cancel', poNumber: 'CDE-2026-91', orderDate: '2026-09-18' });
  });

  it("flags a customer's only delivery address put in because the document names none", async () => {
    const single = md.customers.find((c) => md.addressesOf(c.id, 'delivery').length === 1 && c.emailDomains.length > 0)!;
    const r = await mail(`achats@${single.emailDomains[0]}`, 'Commande', 'N° de commande : CDE-2026-92\n- 10 x VIS-440');
    expect(r.orders[0]!.shipTo.code).toBe(md.addressesOf(single.id, 'delivery')[0]!.code);
    expect(r.problems.find((p) => p.code === 'SHIP_TO_MISSING')).toMatchObject({ where: 'shipTo', severity: 'warning' });
    expect(r.orders[0]!.evidence?.shipTo?.flagged).toBe(true);
  });

  it('reads a one-line delivery address whose country is in brackets', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Commande', 'N° de commande : CDE-2026-93\nAdresse de livraison : Dépôt de Vénissieux, 14 rue Jean Moulin, 69200 Vénissieux (France)\n- 10 x VIS-440');
    expect(r.orders[0]!.shipTo).toMatchObject({ postalCode: '69200', city: 'Vénissieux', country: 'FR' });
  });

  it('takes a three-digit PO number that closes its clause, never one followed by a word', () => {
    expect(findPoNumber('svp 81 BOU-M10, cde 238, livraison lundi')?.value).toBe('238');
    expect(findPoNumber('une commande de 120 vis')).toBeNull();
  });

  it('reads German and Dutch unit abbreviations after a quantity', () => {
    expect(parseQuantity('7,000 KAR')).toEqual({ value: 7, unit: 'BTE' });
    expect(parseQuantity('12 ST')).toEqual({ value: 12, unit: 'U' });
    expect(parseQuantity('3 Paar')).toEqual({ value: 3, unit: 'PAI' });
  });
});

describe('OCR rows', () => {
  const row = (index: number, y0: number, y1: number, cells: TableRow['cells']): TableRow => ({ page: 1, index, y0, y1, cells, lineCount: 1, text: '' });

  it('joins a numbers-only fragment to the row it was cut from, the nearest one at its height', () => {
    const rows = [
      row(1, 1030, 1093, { reference: { text: 'ECR-M8', confidence: 0.9 }, quantity: { text: '209', confidence: 0.9 }, unitPrice: { text: '6,58', confidence: 0.9 } }),
      row(2, 1070, 1093, { quantity: { text: '170', confidence: 0.9 }, unitPrice: { text: '15,47', confidence: 0.9 } }),
      row(3, 1067, 1131, { reference: { text: 'BOU-M10', confidence: 0.9 }, quantity: { text: '170', confidence: 0.9 }, unitPrice: { text: '1É', confidence: 0.4 } }),
    ];
    const out = dropSplitFragments(rows);
    expect(out).toHaveLength(2);
    expect(out[0]!.cells.unitPrice!.text).toBe('6,58');
    expect(out[1]!.cells.unitPrice!.text).toBe('15,47');
  });

  it('keeps a numbers-only row that lies at no other row’s height', () => {
    const rows = [row(1, 100, 130, { reference: { text: 'VIS-440', confidence: 1 } }), row(2, 140, 170, { quantity: { text: '5', confidence: 1 } })];
    expect(dropSplitFragments(rows)).toHaveLength(2);
  });

  it("corrects a headerless line's quantity when its amount says which digit OCR misread, and keeps it below review", () => {
    const l: TextLine = { page: 1, words: [], x0: 0, y0: 0, x1: 0, y1: 0, text: 'GAN-NIT   HANDSCHUHE 9   13,600 PAA   2,800   36,40', confidence: 0.9 };
    const fixed = checkHeaderlessAmount({ lineNumber: 1, sku: 'GAN-NIT', quantity: 13.6, unitPrice: 2.8, confidence: 0.65 }, l, md);
    expect(fixed.quantity).toBe(13);
    expect(fixed.confidence).toBeLessThan(0.7);
    expect(fixed.doubts?.join(' ')).toMatch(/taken as 13/);
    const agreeing = { lineNumber: 1, sku: 'GAN-NIT', quantity: 13, unitPrice: 2.8, confidence: 0.65 };
    expect(checkHeaderlessAmount(agreeing, l, md)).toBe(agreeing);
  });
});

describe('forwarded e-mails in other languages', () => {
  it('finds the customer and the date of a message forwarded from a German mail program', async () => {
    const body = [
      'Bitte erfassen, danke.',
      '',
      '---------- Weitergeleitete Nachricht ----------',
      'Von: Einkauf <einkauf@dupont-quincaillerie.fr>',
      'Gesendet: Montag, 28. September 2026 09:12',
      'An: vertrieb@fixations-rhone-alpes.fr',
      'Betreff: Bestellung 4711-26',
      '',
      'Bestellnummer: 4711-26',
      '- 10 x VIS-440',
      '- 4 x CHV-6',
    ].join('\n');
    const r = await mail('Paul Girard <p.girard@fixations-rhone-alpes.fr>', 'WG: Bestellung 4711-26', body);
    const o = r.orders[0]!;
    expect(o.customer.id).toBe('C001');
    expect(o.poNumber).toBe('4711-26');
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 10], ['CHV-6', 4]]);
    // No order date printed: the day the customer sent it, from the forwarded header, not the forward's own Date.
    expect(o.orderDate).toBe('2026-09-28');
    expect(o.evidence?.orderDate?.rule).toMatch(/forwarded message's date/);
  });
});

describe('a faxed page with a written list and no table', () => {
  it('reads each line however it is written, flagged, instead of quarantining the page', async () => {
    const { listLines } = await import('../../../parsers/ocr/order');
    const at = (text: string, y: number): TextLine => ({ page: 1, words: [], x0: 0, y0: y, x1: 100, y1: y + 10, text, confidence: 0.9 });
    const lines = listLines([at('Commande', 0), at('1900 VIS-440(vis inox A2)', 20), at('CHV-6 : 10', 40), at('Merci - C. Blanc', 60)], md);
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 1900], ['CHV-6', 10]]);
    expect(lines.every((l) => (l.confidence ?? 1) < 0.7)).toBe(true);
  });

  it('snaps a code OCR misread in the list ("CHV-METS" for CHV-MET8) to the one SKU it is close to, saying so', async () => {
    const { listLines } = await import('../../../parsers/ocr/order');
    const at = (text: string, y: number): TextLine => ({ page: 1, words: [], x0: 0, y0: y, x1: 100, y1: y + 10, text, confidence: 0.9 });
    const lines = listLines([at('Commande', 0), at('25 CHV-METS (Cheville métallique à )', 20), at('11 x PAT-ANG', 40)], md);
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([['CHV-MET8', 25], ['PAT-ANG', 11]]);
    expect(lines[0]!.doubts).toContain('SKU read as CHV-METS, snapped to CHV-MET8');
    expect(lines[0]!.confidence).toBeLessThan(0.7);
  });

  it('reads a handwritten "code, a speck, count" line ("GIL-HV ! 140") as that many of the code, flagged', async () => {
    const { listLines } = await import('../../../parsers/ocr/order');
    const at = (text: string, y: number): TextLine => ({ page: 1, words: [], x0: 0, y0: y, x1: 100, y1: y + 10, text, confidence: 0.9 });
    const lines = listLines([at('Commande N° 915', 0), at('GIL-HV ! 140', 20), at('Livrer : Rue de la Méditerranée, 34000 Montpellier', 40)], md);
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([['GIL-HV', 140]]);
    expect(lines[0]!.confidence).toBeLessThan(0.7);
    // A code the catalog does not know, or words between code and number: not read so.
    const none = listLines([at('ZZZ-99 ! 140', 0), at('GIL-HV taille 140', 20)], md);
    expect(none.map((l) => [l.sku, l.quantity])).not.toContainEqual(['GIL-HV', 140]);
  });

  it('keeps a printout row without header whose code OCR misread ("MAR-506"), snapped and doubted, inside its run', async () => {
    const { headerlessLines } = await import('../../../parsers/layout/order');
    const { referenceCandidates, snapReference } = await import('../../../parsers/ocr/snap');
    const candidates = referenceCandidates(md, null);
    const snap = (t: string) => {
      const s = snapReference(t, 0.5, candidates);
      return s.value && s.candidate && s.distance > 0 && !s.rivals.length ? s.candidate.value : null;
    };
    const at = (text: string, y: number): TextLine => ({ page: 1, words: [], x0: 0, y0: y, x1: 100, y1: y + 10, text, confidence: 0.9 });
    const page = [at('BESTELLUNG    24/10/26', 0), at('CRO-S    S-HAKEN 60 MM    243,000 ST    0,850    206,55', 20), at('MAR-506    HAMMER 500 G    358,000 ST    14,630    5.237,54', 40), at('POI-BEQ    DRÜCKERGARNITUR    11,000 ST    28,800    316,80', 60)];
    const read = headerlessLines(page, md, snap);
    expect(read.lines.map((l) => [l.sku, l.quantity])).toEqual([['CRO-S', 243], ['MAR-500', 358], ['POI-BEQ', 11]]);
    expect(read.lines[1]!.doubts).toContain('reference read as MAR-506, snapped to MAR-500');
    expect(read.lines[1]!.confidence).toBeLessThan(0.7);
    // Without a snapper (the text readers), the misread row is not taken.
    expect(headerlessLines(page, md).lines.map((l) => l.sku)).toEqual(['CRO-S', 'POI-BEQ']);
    // A run of misread codes alone is no table: nothing the catalog knows as read vouches for it.
    expect(headerlessLines([at('MAR-506    HAMMER 500 G    358,000 ST    14,630    5.237,54', 0)], md, snap).lines).toEqual([]);
  });
});

describe('typed e-mails in Italian and Spanish', () => {
  it('reads an Italian list with "n." before the quantity, its PO, date and delivery', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Ordine', 'Buongiorno,\nvi preghiamo di inviarci:\n- VIS-440 n. 10 confezioni\n- CHV-6 n. 5\n\nOrdine n. 88/2026 del 28/09/2026\nConsegna entro il 12/10/2026\nCordiali saluti');
    const o = r.orders[0]!;
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 10], ['CHV-6', 5]]);
    expect(o).toMatchObject({ poNumber: '88/2026', orderDate: '2026-09-28', requestedDeliveryDate: '2026-10-12' });
  });

  it('takes a weekday named in Italian or Spanish as the next such day after the message\'s Date', async () => {
    const r = await mail('achats@dupont-quincaillerie.fr', 'Pedido', 'Buenos días,\nnecesitamos 10 VIS-440 y 5 CHV-6 para el viernes.\nReferencia pedido: 2026/55\nGracias');
    expect(r.orders[0]).toMatchObject({ poNumber: '2026/55', requestedDeliveryDate: '2026-10-02' });
    expect(r.orders[0]!.evidence!.requestedDeliveryDate).toMatchObject({ text: 'para el viernes' });
    expect(r.orders[0]!.evidence!.requestedDeliveryDate!.rule).toMatch(/after the message was sent/);
  });
});

describe('OCR label glyphs', () => {
  it('reads a fax\'s "N?" or "n*" as "N°", so the PO number after it is found', async () => {
    const { cleanWords } = await import('../../../parsers/ocr/order');
    const w = (text: string): PositionedWord => ({ text, x0: 0, y0: 0, x1: 10, y1: 10 });
    expect(cleanWords([w('Pedido'), w('n?'), w(':'), w('PC-26/2750')]).map((x) => x.text).join(' ')).toBe('Pedido n° : PC-26/2750');
    expect(cleanWords([w('N*.'), w('Nom')]).map((x) => x.text)).toEqual(['N°.', 'Nom']);
    expect(findPoNumber('Pedido n° : PC-26/2750')?.value).toBe('PC-26/2750');
  });
});

describe('a delivery-date column on the lines, as a fax prints it', () => {
  const ref = new Date('2026-11-25T00:00:00Z');
  const table = (label: string, texts: string[]): Table => ({
    columns: [{ role: 'description', label: 'Description', x0: 0, x1: 100 }, { role: 'other', label, x0: 100, x1: 200 }],
    rows: texts.map((text, i) => ({ page: 1, index: i + 1, y0: i * 20, y1: i * 20 + 10, x0: 0, x1: 200, cells: {}, lineCount: text.split(' / ').length, text }) as TableRow),
    headerPages: [1],
    totalLines: [],
  });

  it('reads a date whose year wrapped onto the row\'s next line ("Dec 16," above "2026"), not a number before it taken for a day', () => {
    expect(wrappedYearDate('12.000 EA FER-PORTE   Door closer 3   Dec 16,   64.0000   768.00 / 2026', ref)).toBe('2026-12-16');
    expect(wrappedYearDate('12.000 EA FER-PORTE   Door closer 3   64.0000   768.00', ref)).toBeNull();
    const t = table('Promise Date', ['319.000 KT EMB-PZ2   Screwdriver bit 25 mm   Dec 16,   6.1800   1,971.42 / 2026', '12.000 EA FER-PORTE   Door closer 3   Dec 16,   64.0000   768.00 / 2026']);
    expect(tableDeliveryDate(t, ref)?.iso).toBe('2026-12-16');
  });

  it('finds the column when OCR glued its title to the neighbour\'s ("Montant Date besoin")', () => {
    const t = table('Montant Date besoin', ['Gants cuir fleur taille 10   CAS-MAG-00417   2700,00 PAI   5,31   14 337,00 30/10/2026', 'Casque antibruit 30 dB   CAS-ANT   8,00 U   11,97   95,76 30/10/2026']);
    expect(tableDeliveryDate(t, ref)?.iso).toBe('2026-10-30');
  });
});
