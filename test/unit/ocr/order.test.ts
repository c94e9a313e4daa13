// The OCR order reader on positioned words as Tesseract gives them (no OCR run: pure and fast).
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { PO_DOUBTFUL, resolveOrder } from '../../../domain/resolve';
import type { PositionedWord } from '../../../parsers/layout/types';
import { checkShipTo, cleanWords, designationRead, fixPoDigits, joinCutPo, labelWord, poConfusable, poCorroboration, poPrintedWith, readFaxHeader, readImageOrder, readQuantityCell, type OcrPage } from '../../../parsers/ocr/order';
import { groupLines } from '../../../parsers/layout/table';
import { REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import { ocrLine } from '../../support/words';

const md = loadMasterData('fixtures/masterdata');

const line = ocrLine;

const COLS = { ref: 140, desc: 380, qty: 1140, pu: 1290, amount: 1420 };
function tableRow(y: number, ref: string, desc: string, qty: string, pu: string, amount: string, confidence = 0.92): PositionedWord[] {
  return line(y, [[COLS.ref, ref], [COLS.desc, desc], [COLS.qty, qty], [COLS.pu, pu], [COLS.amount, amount]], confidence);
}

function orderPage(page: number, rows: PositionedWord[][], extra: PositionedWord[][] = []): OcrPage {
  const words = [
    ...line(10, [[30, '23/11/2026 10:42 DE: +33 4 78 12 34 57 QUINCAILLERIE DUPONT P.2/2']]),
    ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
    ...line(260, [[130, 'TVA intracom. FR12345678901']]),
    ...line(700, [[130, 'N° de commande : CDE-2026-1142'], [1000, 'Date : 23/11/2026']]),
    ...line(760, [[130, 'Livraison souhaitée : 27/11/2026']]),
    ...line(1100, [[COLS.ref, 'Réf.'], [COLS.desc, 'Désignation'], [COLS.qty, 'Qté'], [COLS.pu - 20, 'P.U. HT'], [COLS.amount, 'Montant HT']]),
    ...rows.flat(),
    ...extra.flat(),
  ];
  return { page, words, meanConfidence: 0.9 };
}

const cover: OcrPage = {
  page: 1,
  words: [
    ...line(10, [[30, '23/11/2026 10:41 DE: +33 4 78 12 34 57 QUINCAILLERIE DUPONT P.1/2']]),
    ...line(300, [[500, 'TÉLÉCOPIE']]),
    ...line(500, [[200, 'De : Quincaillerie Dupont']]),
    ...line(600, [[200, 'Nombre de pages (celle-ci comprise) : 2']]),
  ],
  meanConfidence: 0.85,
};

describe('readFaxHeader', () => {
  it('reads the sending number and the page count from the machine line', () => {
    const lines = groupLines({ page: 1, words: cover.words });
    expect(readFaxHeader(lines)).toMatchObject({ from: '+33 4 78 12 34 57', page: 1, pages: 2 });
  });
  it('ignores a top line without a transmission stamp', () => {
    const lines = groupLines({ page: 1, words: line(10, [[30, 'De : Quincaillerie Dupont, 8 avenue Jean Jaurès']]) });
    expect(readFaxHeader(lines)).toBeNull();
  });
});

describe('cleanWords', () => {
  it('drops table rules and streaks read as pipes, and splits a glued TotalHT', () => {
    const ws = cleanWords(line(0, [[0, '| VIS-440 [Montant TotalHT ;']]));
    expect(ws.map((w) => w.text)).toEqual(['VIS-440', 'Montant', 'Total', 'HT']);
  });

  it('drops a rule’s remnant glued before a bracketed code ("_[POI-BEQ]"), and keeps underscores elsewhere', () => {
    expect(cleanWords(line(0, [[0, '_[POI-BEQ] T17__FER-PORTE']])).map((w) => w.text)).toEqual(['POI-BEQ', 'T17__FER-PORTE']);
  });

  it('reads a dotted date whose dot came back as a comma, and leaves numbers alone', () => {
    const ws = cleanWords(line(0, [[0, 'Liefertermin 20,11.2026 Datum 13.11,2026: 1.234,50 12,50']]));
    expect(ws.map((w) => w.text)).toEqual(['Liefertermin', '20.11.2026', 'Datum', '13.11.2026:', '1.234,50', '12,50']);
    expect(cleanWords(line(0, [[0, 'BESTELL-NR. .,....: E4455566 ,']])).map((w) => w.text)).toEqual(['BESTELL-NR.', '......:', 'E4455566']);
  });
});

describe('cleanWords: a dotted date both of whose dots a fax lost', () => {
  it('reads "26 10 2026", three words a letter apart, as 26.10.2026; not a day over 31, a month over 12, nor numbers a column apart', () => {
    expect(cleanWords(line(0, [[0, 'Liefertermin'], [400, '26 10 2026']])).map((w) => w.text)).toEqual(['Liefertermin', '26.10.2026']);
    expect(cleanWords(line(0, [[0, 'Datum'], [400, '3 9 2026:']])).map((w) => w.text)).toEqual(['Datum', '03.09.2026:']);
    expect(cleanWords(line(0, [[0, '32 10 2026']])).map((w) => w.text)).toEqual(['32', '10', '2026']);
    expect(cleanWords(line(0, [[0, '26 13 2026']])).map((w) => w.text)).toEqual(['26', '13', '2026']);
    expect(cleanWords(line(0, [[0, '12'], [200, '10'], [400, '2026']])).map((w) => w.text)).toEqual(['12', '10', '2026']);
  });
  it('reads "24.11 2026", whose second dot the fax lost, as 24.11.2026; not "24,11" a column before "2026"', () => {
    expect(cleanWords(line(0, [[0, 'Liefertermin'], [400, '24.11 2026']])).map((w) => w.text)).toEqual(['Liefertermin', '24.11.2026']);
    expect(cleanWords(line(0, [[0, '24,11'], [300, '2026']])).map((w) => w.text)).toEqual(['24,11', '2026']);
    expect(cleanWords(line(0, [[0, '24.13 2026']])).map((w) => w.text)).toEqual(['24.13', '2026']);
  });
});

describe('cleanWords: a number with a thousands space that OCR cut in two', () => {
  it('keeps "2 600,000" and "24 440,00" whole, and leaves apart two numbers a column gap apart', () => {
    const words = [...line(0, [[1017, '2'], [1036, '600,000'], [1130, 'BTE'], [1310, '9,40'], [1442, '24'], [1472, '440,00']])];
    expect(cleanWords(words).map((w) => w.text)).toEqual(['2 600,000', 'BTE', '9,40', '24 440,00']);
    expect(cleanWords(line(0, [[1000, '12'], [1200, '345,00']])).map((w) => w.text)).toEqual(['12', '345,00']);
  });

  it('reads the quantity a row prints with a thousands space, checked by the amount', () => {
    const row = line(1160, [[COLS.ref, 'ECR-M8'], [COLS.desc, 'Écrou hexagonal M8'], [COLS.qty - 20, '2'], [COLS.qty, '600,00'], [COLS.pu, '9,40'], [COLS.amount - 40, '24'], [COLS.amount, '440,00']]);
    const l = readImageOrder([orderPage(1, [row])], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(l).toMatchObject({ sku: 'ECR-M8', quantity: 2600 });
  });
});

describe('cleanWords: a dotted date split where the fax lost its first dot', () => {
  it('joins "O8 12.2026" into 08.12.2026, and leaves a quantity beside a price apart', () => {
    expect(cleanWords(line(0, [[0, 'Leverdatum O8 12.2026']])).map((w) => w.text)).toEqual(['Leverdatum', '08.12.2026']);
    expect(cleanWords(line(0, [[0, '5 12,11 21%']])).map((w) => w.text)).toEqual(['5', '12,11', '21%']);
  });

  it('reads an "l" OCR made "!" at a word\'s start ("Livraison !e 24.10.26"), and leaves a lone "!" noise', () => {
    expect(cleanWords(line(0, [[0, 'Livraison !e 24.10.26 ! Merci!']])).map((w) => w.text)).toEqual(['Livraison', 'le', '24.10.26', 'Merci!']);
  });
});

describe('labelWord', () => {
  it('reads a long label word with one misread letter or a stray accent as the label', () => {
    expect(labelWord('Bestelinummer/Datum')).toBe('Bestellnummer/Datum');
    expect(labelWord('entréga')).toBe('entrega');
    expect(labelWord('Liefertemin:')).toBe('Liefertermin:');
    expect(labelWord('COMMANDE')).toBe('COMMANDE');
  });
  it('leaves other words, short words and far ones as printed', () => {
    expect(labelWord('Bestellungen')).toBe('Bestellungen');
    expect(labelWord('Lieferant')).toBe('Lieferant');
    expect(labelWord('Schraube')).toBe('Schraube');
    expect(labelWord('VIS-440')).toBe('VIS-440');
  });
});

describe('a misread "N°" label', () => {
  it('takes "Ne:", "N9." or "Nc:" (the degree sign read as a letter or digit, punctuation after) for "N°"', () => {
    expect(cleanWords(line(0, [[0, 'Ne: AB26-350-B N9. 12 Nc: 3']])).map((w) => w.text)).toEqual(['N°:', 'AB26-350-B', 'N°.', '12', 'N°:', '3']);
  });
  it('reads a label\'s dot read as a comma, its colon as a semicolon, the o of "No." as a zero, a split or quoted degree sign', () => {
    const texts = (s: string) => cleanWords(line(0, [[0, s]])).map((w) => w.text);
    expect(texts('Bestell-Nr, B-2026-5556')).toEqual(['Bestell-Nr.', 'B-2026-5556']);
    expect(texts('Order No, 4500123 Order N0. 4500124')).toEqual(['Order', 'No.', '4500123', 'Order', 'No.', '4500124']);
    expect(texts('n°; BC-1 n": BC-2')).toEqual(['n°:', 'BC-1', 'n°:', 'BC-2']);
    expect(texts('N ° : AB26-354-C')).toEqual(['N°', ':', 'AB26-354-C']);
  });
  it('leaves the word "Ne" without punctuation as it is', () => {
    expect(cleanWords(line(0, [[0, 'Ne pas plier']])).map((w) => w.text)).toEqual(['Ne', 'pas', 'plier']);
  });
});

describe('a PO OCR may have misread between letters and digits', () => {
  it('finds the look-alike character where letters and digits meet, only in a PO holding both', () => {
    expect(poConfusable('26CMS59234')).toBe('6');
    expect(poConfusable('CDE26/7667')).toBe('2');
    expect(poConfusable('AB26-350-B')).toBe('B');
    expect(poConfusable('CDE-2026-1142')).toBeNull();
    expect(poConfusable('4502148782')).toBeNull();
    expect(poConfusable('PO-80720')).toBeNull();
  });
  it('is corroborated by the same PO in the e-mail subject or file name, punctuation aside', () => {
    expect(poCorroboration('AB26-350-B', { fileName: 'fax.tif', context: { subject: 'TR: Commande AB26 350 B' } })).toContain('subject');
    expect(poCorroboration('AB26-350-B', { fileName: 'cde_AB26350B.pdf' })).toContain('file name');
    expect(poCorroboration('AB26-350-B', { fileName: 'fax.tif', context: { subject: 'Commande AB26-350-8' } })).toBeNull();
  });
});

describe('a PO whose dash OCR read as a space', () => {
  it('is taken as the e-mail subject or the file name prints it, only when the parts are the same', () => {
    expect(poPrintedWith('M3 434098', { fileName: 'fax.tif', context: { subject: 'Bestellung M3-434098' } })).toBe('M3-434098');
    expect(poPrintedWith('LT 26 0815', { fileName: 'fax.tif', context: { subject: 'Commande LT/26/0815' } })).toBe('LT/26/0815');
    expect(poPrintedWith('M3 434098', { fileName: 'fax.tif', context: { subject: 'Bestellung M3-434099' } })).toBeNull();
    expect(poPrintedWith('M3 434098', { fileName: 'M3-434098.tif' })).toBe('M3-434098');
  });
  it('keeps the number as printed on a fax whose subject prints it whole, saying how OCR read it', () => {
    const page = orderPage(1, [tableRow(1160, 'VIS-440', 'Vis inox', '12', '0,50', '6,00')], [line(500, [[130, 'Bestellnr.'], [700, 'M3 434098']])]);
    const draft = readImageOrder([page], { masterData: md, fileName: 'fax.tif', context: { subject: 'Bestellung M3-434098' } }).draft!;
    expect(draft.poNumber).toBe('M3-434098');
    expect(draft.evidence?.poNumber?.text).toBe('M3 434098');
    expect(draft.evidence?.poNumber?.corroboratedBy?.join(' ')).toContain('subject');
  });
});

describe('joinCutPo', () => {
  it('joins a PO the label reader cut at a space OCR put after or before a slash or dash', () => {
    expect(joinCutPo('LT/26', ['N° : LT/26/ 0815   Date : 12/10/2026'])).toEqual({ value: 'LT/26/0815', printed: 'LT/26/ 0815' });
    expect(joinCutPo('AB26-354', ['N° : AB26-354 -C'])).toEqual({ value: 'AB26-354-C', printed: 'AB26-354 -C' });
  });
  it('leaves a PO followed by a word, a date or a lone dash as it is', () => {
    expect(joinCutPo('CDE26/7667', ['CDE26/7667 27/10/2026 F45139'])).toBeNull();
    expect(joinCutPo('PO-80720', ['PO Number PO-80720 - Date 12/10/2026'])).toBeNull();
    expect(joinCutPo('2026-721', ['Commande n° 2026-721 du 12/10/2026'])).toBeNull();
  });
});

describe('fixPoDigits', () => {
  const fix = (po: string) => {
    const draft = { poNumber: po, provenance: { signals: [] as string[] }, confidence: 0.95 } as unknown as Parameters<typeof fixPoDigits>[1];
    const r = { problems: [] as { code: string }[], ctx: { fileName: 'fax.tif' } } as unknown as Parameters<typeof fixPoDigits>[0];
    fixPoDigits(r, draft);
    return { po: draft.poNumber, flagged: (r.problems as { code: string }[]).map((p) => p.code), confidence: draft.confidence };
  };
  it('takes a letter OCR made of a digit, between two digits of a PO number, for the digit, and flags it', () => {
    expect(fix('BC-2026-700B1')).toEqual({ po: 'BC-2026-70081', flagged: ['OCR_PO_DOUBTFUL'], confidence: 0.6 });
    expect(fix('45O2148782')).toMatchObject({ po: '4502148782' });
  });
  it('leaves letters that belong to the number, and short numbers, as printed', () => {
    expect(fix('AB26-354-C')).toEqual({ po: 'AB26-354-C', flagged: [], confidence: 0.95 });
    expect(fix('26CM59234').po).toBe('26CM59234');
    expect(fix('12B4').po).toBe('12B4');
  });
});

describe('readImageOrder', () => {
  it('reads a clean two-page fax: cover skipped, header, lines, customer', () => {
    const page2 = orderPage(2, [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80'), tableRow(1220, 'CHV-8', 'Cheville nylon 8x40', '30', '7,20', '216,00')], [line(1300, [[1200, 'Total HT'], [COLS.amount, '442,80 €']])]);
    const { draft, problems } = readImageOrder([cover, page2], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-11-23T10:45:00Z' });
    expect(problems).toEqual([]);
    expect(draft).not.toBeNull();
    expect(draft!.provenance.signals).toContain('cover page 1 skipped');
    expect(draft!.customer.fax).toBe('+33 4 78 12 34 57');
    const { order, problems: resolved } = resolveOrder(draft!, md);
    expect(order).toMatchObject({ poNumber: 'CDE-2026-1142', orderDate: '2026-11-23', requestedDeliveryDate: '2026-11-27', customer: { id: 'C001' } });
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['VIS-440', 12, 18.9],
      ['CHV-8', 30, 7.2],
    ]);
    expect(Math.min(...order.lines.map((l) => l.confidence))).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
    // The fax prints no delivery address: the one put in from master data is flagged, never silent.
    expect(resolved.map((p) => p.code)).toEqual(['SHIP_TO_MISSING']);
  });

  it('reports a row with neither a catalog reference nor a quantity where it is, instead of making a line of it', () => {
    const page2 = orderPage(2, [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80'), tableRow(1220, 'QXW-ZZ', 'Gants ni nitrile', 'TT', 'A8', '357')]);
    const { draft, problems } = readImageOrder([cover, page2], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-11-23T10:45:00Z' });
    expect(draft!.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 12]]);
    expect(problems.find((p) => p.code === 'OCR_ROW_UNREADABLE')).toMatchObject({ severity: 'warning', where: 'page 2, row 2' });
  });

  it('flags (PO_UNCONFIRMED) a PO of letters and digits read with middling OCR confidence, unless its e-mail subject prints it too', () => {
    const rows = [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80')];
    const page = orderPage(2, rows);
    page.words = page.words.map((w) => (w.text === 'CDE-2026-1142' ? { ...w, text: 'AB26-350-B', confidence: 0.8 } : w));
    const read = (context?: Record<string, string>) => readImageOrder([cover, page], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-11-23T10:45:00Z', ...(context ? { context } : {}) });
    const alone = read();
    expect(alone.draft!.poNumber).toBe('AB26-350-B');
    const { order, problems } = resolveOrder(alone.draft!, md);
    expect(problems.find((p) => p.code === 'PO_UNCONFIRMED')).toMatchObject({ where: 'poNumber' });
    expect(order.confidence).toBeLessThan(REVIEW_THRESHOLD);
    const confirmed = read({ subject: 'Commande AB26-350-B' });
    expect(resolveOrder(confirmed.draft!, md).problems.map((p) => p.code)).not.toContain('PO_UNCONFIRMED');
    expect(confirmed.draft!.evidence!.poNumber!.corroboratedBy).toContain("the same PO in the e-mail's subject");
  });

  it('reads a PO OCR cut at a space whole, and flags it (PO_UNCONFIRMED)', () => {
    const rows = [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80')];
    const page = orderPage(2, rows);
    page.words = page.words.flatMap((w) => (w.text === 'CDE-2026-1142' ? [{ ...w, text: 'LT/26/', x1: w.x0 + 120 }, { ...w, text: '0815', x0: w.x0 + 150 }] : [w]));
    const { draft } = readImageOrder([cover, page], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-11-23T10:45:00Z' });
    expect(draft!.poNumber).toBe('LT/26/0815');
    expect(resolveOrder(draft!, md).problems.find((p) => p.code === 'PO_UNCONFIRMED')?.message).toContain('« LT/26/ 0815 »');
  });

  it('takes the delivery date the lines print under a delivery-date column when the header prints none', () => {
    const words = [
      ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
      ...line(700, [[130, 'Bestellnummer 4502148782'], [1000, 'Datum 13.11.2026']]),
      ...line(1100, [[COLS.ref, 'Material'], [COLS.desc, 'Bezeichnung'], [COLS.qty - 140, 'Menge'], [COLS.qty + 40, 'Preis'], [COLS.pu + 60, 'Liefertermin'], [COLS.amount + 200, 'Nettowert']]),
      ...line(1160, [[COLS.ref, 'VIS-440'], [COLS.desc, 'Schraube 4x40'], [COLS.qty - 140, '12'], [COLS.qty + 40, '18,90'], [COLS.pu + 60, '18.11.2026'], [COLS.amount + 200, '226,80']]),
      ...line(1220, [[COLS.ref, 'CHV-8'], [COLS.desc, 'Dübel 8x40'], [COLS.qty - 140, '30'], [COLS.qty + 40, '7,20'], [COLS.pu + 60, '18.11.2026'], [COLS.amount + 200, '216,00']]),
    ];
    const { draft } = readImageOrder([{ page: 1, words, meanConfidence: 0.92 }], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-11-13T10:45:00Z' });
    expect(draft!.lines.map((l) => l.sku)).toEqual(['VIS-440', 'CHV-8']);
    expect(draft!.requestedDeliveryDate).toBe('2026-11-18');
    expect(draft!.evidence!.requestedDeliveryDate!.rule).toContain('Liefertermin');
  });

  it('reads the PO after an "N°." OCR read as "Ne:"', () => {
    const rows = [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80')];
    const page = orderPage(2, rows);
    page.words = page.words.filter((w) => !['de', 'commande'].includes(w.text)).map((w) => (w.text === 'N°' ? { ...w, text: 'Ne:' } : w.text === ':' && w.y0 === 700 ? { ...w, text: '' } : w.text === 'CDE-2026-1142' ? { ...w, text: 'AB26-350-B' } : w));
    const { draft } = readImageOrder([cover, page], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-11-23T10:45:00Z' });
    expect(draft!.poNumber).toBe('AB26-350-B');
  });

  it('flags a PO number OCR itself barely believed, and keeps it as read', () => {
    const rows = [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80')];
    const page = orderPage(2, rows);
    // The PO word as Tesseract gives it when it doubts it: "20266-00871" at confidence 0.
    page.words = page.words.map((w) => (w.text === 'CDE-2026-1142' ? { ...w, text: '20266-00871', confidence: 0 } : w));
    const { draft, problems } = readImageOrder([cover, page], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-11-23T10:45:00Z' });
    expect(draft!.poNumber).toBe('20266-00871');
    expect(problems).toEqual([expect.objectContaining({ code: 'OCR_PO_DOUBTFUL', severity: 'warning', where: 'poNumber', message: expect.stringContaining('« 20266-00871 » was read with low OCR confidence (0.00)') })]);
    expect(draft!.provenance.signals).toContain(`${PO_DOUBTFUL} (OCR 0.00)`);
    expect(resolveOrder(draft!, md).order.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('snaps a misread reference and says so on the line', () => {
    const page = orderPage(1, [tableRow(1160, 'VlS-44O', 'Vis inox A2 4x40', '12', '18,90', '226,80', 0.55)]);
    const { order } = resolveOrder(readImageOrder([page], { masterData: md, fileName: 'fax.tif' }).draft!, md);
    expect(order.lines[0]).toMatchObject({ sku: 'VIS-440', quantity: 12 });
    expect(order.lines[0]!.doubts).toContain('SKU read as VlS-44O, snapped to VIS-440');
  });

  it('flags, never passes as certain, a quantity that contradicts the amount', () => {
    const page = orderPage(1, [tableRow(1160, 'CHV-8', 'Cheville nylon 8x40', '12', '7,20', '216,00')]);
    const { draft, problems } = readImageOrder([page], { masterData: md, fileName: 'fax.tif' });
    const { order } = resolveOrder(draft!, md);
    expect(order.lines[0]!.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(order.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(order.lines[0]!.doubts.join(' ')).toMatch(/≠ amount 216/);
    expect(problems.map((p) => p.code)).toContain('OCR_NEEDS_REVIEW');
    expect(problems.find((p) => p.code === 'OCR_NEEDS_REVIEW')!.where).toBe('line 1');
  });

  it('keeps an unreadable reference as read, flagged, and never invents a SKU', () => {
    const page = orderPage(1, [tableRow(1160, 'XQ-7Z1', 'Article inconnu', '4', '10,00', '40,00')]);
    const { order, problems } = resolveOrder(readImageOrder([page], { masterData: md, fileName: 'fax.tif' }).draft!, md);
    expect(order.lines[0]!.sku).toBeNull();
    expect(order.lines[0]!.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(problems.map((p) => p.code)).toContain('UNKNOWN_ITEM');
  });

  it('notices a line missing against the printed total', () => {
    const page = orderPage(1, [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80')], [line(1300, [[1200, 'Total HT'], [COLS.amount, '442,80 €']])]);
    const { draft, problems } = readImageOrder([page], { masterData: md, fileName: 'fax.tif' });
    expect(problems.find((p) => p.code === 'OCR_TOTAL_MISMATCH')?.message).toBe('fax.tif: the lines add up to 226.80 but the order total reads 442.80 (a line may be missing or misread)');
    expect(draft!.lines[0]!.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });

  it('reports a fax with no order table instead of an empty order', () => {
    const { draft, problems } = readImageOrder([cover], { masterData: md, fileName: 'cover-only.tif' });
    expect(draft).toBeNull();
    expect(problems[0]).toMatchObject({ code: 'NO_ORDER_TABLE', severity: 'error' });
  });

  it('warns when the fax header announces pages that did not arrive', () => {
    const page2 = orderPage(2, [tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80')]);
    const { problems } = readImageOrder([page2], { masterData: md, fileName: 'fax.tif' });
    expect(problems.map((p) => p.code)).toContain('FAX_PAGES_MISSING');
  });
});

describe('readQuantityCell', () => {
  it('drops OCR junk after the number: a rule, a bracket, a comma, a speck read as a letter', () => {
    for (const [cell, value] of [['576,', 576], ['16|', 16], ['5]', 5], ['372)', 372], ['16 l', 16], ['5J', 5], ['60 !', 60]] as const) {
      expect(readQuantityCell(cell), cell).toEqual({ qty: { value, unit: null }, changed: true });
    }
  });
  it('drops a mark before the number read as a short word ("Le 140", "_ 12"), as a change to be checked', () => {
    for (const [cell, value] of [['Le 140', 140], ['_ 12', 12], ['i. 8', 8]] as const) {
      expect(readQuantityCell(cell), cell).toEqual({ qty: { value, unit: null }, changed: true });
    }
    expect(readQuantityCell('Lot de 12').qty).toBeNull();
  });
  it('drops two rule remnants after the number read as letters ("_223 LL"), as a change to be checked', () => {
    expect(readQuantityCell('_223 LL')).toEqual({ qty: { value: 223, unit: null }, changed: true });
    expect(readQuantityCell('16 Il')).toEqual({ qty: { value: 16, unit: null }, changed: true });
  });
  it('keeps a real unit, and reads nothing from a cell without a number', () => {
    expect(readQuantityCell('12 BTE')).toEqual({ qty: { value: 12, unit: 'BTE' }, changed: false });
    expect(readQuantityCell('l')).toEqual({ qty: null, changed: false });
  });
  it('reads a unit word glued to its number as printed, before taking its letters for digits ("1DS" is 1 box, not "10S")', () => {
    expect(readQuantityCell('1DS')).toEqual({ qty: { value: 1, unit: 'BTE' }, changed: false });
    expect(readQuantityCell('12ST')).toEqual({ qty: { value: 12, unit: 'U' }, changed: false });
    // Letters that are no unit are still digits: "1O" is 10.
    expect(readQuantityCell('1O').qty).toEqual({ value: 10, unit: null });
  });
});

describe('readImageOrder: quantities and references OCR garbled', () => {
  it('settles a code between two articles by a designation whose size OCR garbled ("Mi0x50" is M10x50), keeping the text as read', () => {
    const page = orderPage(1, [tableRow(1160, 'BOU-M1D', 'Sechskantschraube Mi0x50', '13', '21,00', '273,00')]);
    const l = readImageOrder([page], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(l).toMatchObject({ sku: 'BOU-M10', quantity: 13, description: 'Sechskantschraube Mi0x50' });
    expect(l.doubts!.join(' ')).toContain('the designation names BOU-M10 (m10x50)');
  });

  it('reads only a size\'s look-alike letters as digits in a designation', () => {
    expect(designationRead('Sechskantschraube Mi0x50')).toBe('Sechskantschraube M10x50');
    expect(designationRead('Cheville 6xl0 lot')).toBe('Cheville 6x10 lot');
    for (const kept of ['Plug 6x30', 'Boîte de 50', 'Lot 4xA0', 'Oxo lIx', 'Vis 4x40 inox']) expect(designationRead(kept)).toBe(kept);
  });

  it('finds the code behind a position glued to it by a rule\'s remnant ("T17__FER-PORTE")', () => {
    const page = orderPage(1, [tableRow(1160, 'T17__FER-PORTE', 'Ferme-porte', '3', '64,00', '192,00')]);
    expect(readImageOrder([page], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]).toMatchObject({ sku: 'FER-PORTE', quantity: 3 });
  });

  it('reads a quantity with trailing junk, confirmed by the amount', () => {
    const page = orderPage(1, [tableRow(1160, 'CHV-8', 'Cheville nylon 8x40', '30 l', '7,20', '216,00'), tableRow(1220, 'VIS-440', 'Vis inox A2 4x40', '12)', '18,90', '226,80')]);
    const { order } = resolveOrder(readImageOrder([page], { masterData: md, fileName: 'fax.tif' }).draft!, md);
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['CHV-8', 30],
      ['VIS-440', 12],
    ]);
    expect(order.lines.every((l) => l.confidence >= REVIEW_THRESHOLD)).toBe(true);
  });

  it('takes an AS/400 "10,000" read as "16,606" as 10 when amount / list price says so, just above review', () => {
    const page = orderPage(1, [tableRow(1160, 'CHV-8', 'Cheville nylon 8x40', '16,606', '7,20', '72,00')]);
    const { order } = resolveOrder(readImageOrder([page], { masterData: md, fileName: 'fax.tif' }).draft!, md);
    expect(order.lines[0]).toMatchObject({ sku: 'CHV-8', quantity: 10, unitPrice: 7.2 });
    expect(order.lines[0]!.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
    expect(order.lines[0]!.confidence).toBeLessThan(0.8);
    expect(order.lines[0]!.doubts.join(' ')).toContain('quantity read as "16,606", but amount 72 / unit price 7,2 gives 10: corrected (the list price agrees)');
  });

  it('flags, though it corrects, a misread quantity when the price is not the list price', () => {
    // 6,50 is this customer's price, not the 7,20 list price: only the amount vouches for 60.
    const page = orderPage(1, [tableRow(1160, 'CHV-8', 'Cheville nylon 8x40', '66', '6,50', '390,00')]);
    const { draft, problems } = readImageOrder([page], { masterData: md, fileName: 'fax.tif' });
    expect(draft!.lines[0]).toMatchObject({ quantity: 60 });
    expect(draft!.lines[0]!.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(problems.map((p) => p.code)).toContain('OCR_NEEDS_REVIEW');
  });

  it('settles a reference between two codes by the list price, and leaves it open when the price fits neither', () => {
    const settled = orderPage(1, [tableRow(1160, 'VIS-4560', 'Vis agglo 5x60', '4', '12,75', '51,00')]);
    const a = readImageOrder([settled], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(a).toMatchObject({ sku: 'VIS-560', quantity: 4, confidence: 0.72 });
    expect(a.doubts!.join(' ')).toContain('is the list price of VIS-560');
    const open = orderPage(1, [tableRow(1160, 'VIS-4560', 'Vis boîte de 200', '4', '13,00', '52,00')]);
    const b = readImageOrder([open], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(b.sku).not.toMatch(/^VIS-(450|560)$/);
    expect(b.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
});

describe('readImageOrder: a reference between two codes settled by its designation', () => {
  it('takes the code the row\'s designation names, just above review when the amount agrees; flags it when it does not', () => {
    // "VIS-4560": VIS-450 or VIS-560; 13,00 is this customer's price, not a list price; the designation names VIS-560.
    const settled = orderPage(1, [tableRow(1160, 'VIS-4560', 'Vis agglo zinguée 5x60', '4', '13,00', '52,00')]);
    const a = readImageOrder([settled], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(a).toMatchObject({ sku: 'VIS-560', quantity: 4, confidence: 0.72 });
    expect(a.doubts!.join(' ')).toContain('the designation names VIS-560');
    const wrongAmount = orderPage(1, [tableRow(1160, 'VIS-4560', 'Vis agglo zinguée 5x60', '4', '13,00', '58,00')]);
    expect(readImageOrder([wrongAmount], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
});

describe('readImageOrder: a row whose code is lost, its designation naming one article', () => {
  it('takes the article the designation names when quantity × price = amount, under review; never when the numbers disagree', () => {
    // The buyer's own number, unknown to the cross references; the designation names GOU-M10 by its size.
    const agree = orderPage(1, [tableRow(1160, '6845567398', 'Keilbout M10x90', '206', '26,95', '5.551,70')]);
    const a = readImageOrder([agree], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!;
    expect(a).toMatchObject({ sku: 'GOU-M10', quantity: 206 });
    expect(a.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(a.doubts!.join(' ')).toContain('the designation names GOU-M10');
    const disagree = orderPage(1, [tableRow(1160, '6845567398', 'Keilbout M10x90', '206', '26,95', '5.000,00')]);
    expect(readImageOrder([disagree], { masterData: md, fileName: 'fax.tif' }).draft!.lines[0]!.sku).not.toBe('GOU-M10');
  });
});

describe('readImageOrder: ship-to', () => {
  // The AS/400 letterhead: the delivery block on the left, the order's fields on the right, side by side.
  function shipToPage(postalLine: string): OcrPage {
    const page = orderPage(1, [tableRow(1160, 'CHV-8', 'Cheville nylon 8x40', '30', '7,20', '216,00')], [
      line(860, [[130, 'LIVRER A :'], [900, 'DATE CDE : 23/11/26']]),
      line(900, [[130, 'Quincaillerie Dupont - Dépôt'], [900, 'CODE CLIENT : C001']]),
      line(940, [[130, 'ZI de la Mouche 14 rue Jean Moulin']]),
      line(980, [[130, postalLine]]),
    ]);
    return { ...page, width: 1700, height: 2200 };
  }

  it('reads the ship-to block column by column, and master data wins over a misread city', () => {
    const { draft, problems } = readImageOrder([shipToPage('69200 Venlssieux')], { masterData: md, fileName: 'fax.tif' });
    expect(problems.map((p) => p.code)).not.toContain('OCR_SHIP_TO_UNCONFIRMED');
    expect(draft!.shipTo).toMatchObject({ code: 'C001-L1', street: 'ZI de la Mouche 14 rue Jean Moulin', postalCode: '69200', city: 'Vénissieux' });
    expect(draft!.provenance.signals!.join(' ')).toContain('ship-to C001-L1 from master data (postal code 69200; read as');
    expect(resolveOrder(draft!, md).order.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });

  it('reads the postal code of a city line a fax left a speck in ("69280 Marcy be! Etoile"), the block\'s label kept', () => {
    // A site master data does not know, so that only the printed line can give the postal code.
    const page = orderPage(1, [tableRow(1160, 'CHV-8', 'Cheville nylon 8x40', '30', '7,20', '216,00')], [
      line(860, [[130, 'LIVRER A :'], [900, 'DATE CDE : 23/11/26']]),
      line(900, [[130, 'Chantier Les Prés'], [900, 'CODE CLIENT : C001']]),
      line(940, [[130, '3 chemin des Prés']]),
      line(980, [[130, '69280 Marcy be! Etoile']]),
    ]);
    const { draft } = readImageOrder([{ ...page, width: 1700, height: 2200 }], { masterData: md, fileName: 'fax.tif' });
    expect(draft!.shipTo).toMatchObject({ postalCode: '69280' });
  });

  it('flags a ship-to whose postal code matches none of the customer\'s delivery addresses', () => {
    const { draft, problems } = readImageOrder([shipToPage('69280 Vénissieux')], { masterData: md, fileName: 'fax.tif' });
    expect(draft!.shipTo).toMatchObject({ postalCode: '69280', city: 'Vénissieux' });
    expect(draft!.shipTo!.code).toBeUndefined();
    expect(problems.find((p) => p.code === 'OCR_SHIP_TO_UNCONFIRMED')).toMatchObject({ severity: 'warning', where: 'shipTo' });
    expect(problems.find((p) => p.code === 'OCR_SHIP_TO_UNCONFIRMED')!.message).toContain('C001-L1 69200 Vénissieux');
    expect(resolveOrder(draft!, md).order.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
});

describe('readImageOrder: header blocks side by side', () => {
  it('reads the order date whose value sits far right of its label, beside the delivery block', () => {
    const words = [
      ...line(200, [[130, 'AGRI-FOURNITURES BOURGOGNE'], [900, 'Fournisseur :']]),
      ...line(250, [[130, '18 rue de Lyon'], [900, 'Fixations Rhône-Alpes SAS']]),
      ...line(300, [[130, '71000 Mâcon'], [900, '69007 Lyon']]),
      ...line(600, [[130, 'BON DE COMMANDE N° CDE-2026-08012']]),
      ...line(660, [[130, 'Date :'], [400, '03/12/2026'], [900, 'Livrer à :']]),
      ...line(700, [[900, 'Agri-Fournitures - Entrepôt']]),
      ...line(740, [[900, 'Route de Cluny']]),
      ...line(780, [[900, '71850 Charnay-lès-Mâcon']]),
      ...line(1100, [[COLS.ref, 'Réf.'], [COLS.desc, 'Désignation'], [COLS.qty, 'Qté'], [COLS.pu - 20, 'P.U. HT'], [COLS.amount, 'Montant HT']]),
      ...tableRow(1160, 'CHV-8', 'Cheville nylon 8x40', '30', '7,20', '216,00'),
    ];
    const { draft } = readImageOrder([{ page: 1, words, meanConfidence: 0.9, width: 1700, height: 2200 }], { masterData: md, fileName: 'fax.tif' });
    expect(draft).toMatchObject({ poNumber: 'CDE-2026-08012', orderDate: '2026-12-03' });
    expect(draft!.shipTo).toMatchObject({ name: 'Agri-Fournitures - Entrepôt', street: 'Route de Cluny', postalCode: '71850' });
  });
});

describe('checkShipTo', () => {
  it('leaves "adresse habituelle" and an unknown customer to resolve', () => {
    expect(checkShipTo({ usual: true }, 'C001', md, 'f.tif')).toEqual({ shipTo: { usual: true }, signal: null, problem: null });
    expect(checkShipTo({ postalCode: '99999' }, null, md, 'f.tif').problem).toBeNull();
  });
  it('without a readable postal code, takes the address its street and town name, and flags any other', () => {
    const named = checkShipTo({ name: 'IMJ Usine 2', street: 'ZA Les Grands Champs, Dole' }, 'C006', md, 'f.tif');
    expect(named).toMatchObject({ shipTo: { code: 'C006-L1', postalCode: '39100' }, problem: null });
    expect(named.signal).toContain('postal code unreadable');
    const garbled = checkShipTo({ name: 'IMJ Usine 2', street: 'ZA Les Grands Chomps, Dol' }, 'C006', md, 'f.tif');
    expect(garbled.problem?.code).toBe('OCR_SHIP_TO_UNCONFIRMED');
    expect(garbled.shipTo.code).toBeUndefined();
  });
  it('takes the master address silently when OCR read it right', () => {
    const c = checkShipTo({ name: 'Matériaux Martin - Agence Beaune', street: '5 route de Seurre', postalCode: '21200', city: 'Beaune' }, 'C003', md, 'f.tif');
    expect(c).toMatchObject({ shipTo: { code: 'C003-L1', city: 'Beaune' }, signal: null, problem: null });
  });
});

describe('readImageOrder: a form\'s row of field boxes, faxed', () => {
  // Labels in a row of boxes, the values under them: the boxes' padding leaves about two line
  // heights between the two rows (ocrLine lines are 30 px high; here 60 px apart).
  function boxesPage(): OcrPage {
    const words = [
      ...line(10, [[30, '11/10/2026 11:50 DE: +33 4 78 12 34 57 QUINCAILLERIE DUPONT P.1/1']]),
      ...line(200, [[130, 'QUINCAILLERIE DUPONT']]),
      ...line(260, [[130, 'BON DE COMMANDE FOURNISSEUR']]),
      ...line(560, [[130, 'N° BC'], [460, 'Date'], [760, 'Réf. chantier'], [1150, 'Livraison sur chantier le']]),
      ...line(650, [[130, 'CF2665957'], [460, '11/10/26'], [760, 'CH26-118 Grenoble'], [1150, '19/10/26']]),
      ...line(1100, [[COLS.ref, 'Réf.'], [COLS.desc, 'Désignation'], [COLS.qty, 'Qté'], [COLS.pu - 20, 'P.U. HT'], [COLS.amount, 'Montant HT']]),
      ...tableRow(1160, 'VIS-440', 'Vis inox A2 4x40', '12', '18,90', '226,80'),
    ];
    return { page: 1, words, meanConfidence: 0.9 };
  }

  it('reads each value under its label: PO, order date and delivery date', () => {
    const { draft } = readImageOrder([boxesPage()], { masterData: md, fileName: 'fax.tif', receivedAt: '2026-10-11T10:00:00Z' });
    expect(draft).toMatchObject({ poNumber: 'CF2665957', orderDate: '2026-10-11', requestedDeliveryDate: '2026-10-19' });
  });
});
