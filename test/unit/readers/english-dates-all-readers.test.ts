// One rule for an all-numeric date that reads day or month first ("12/05/2026"), in every reader:
// the typed / HTML / forwarded e-mail reader (readOrderText) settles or flags it as the text PDF
// reader does (test/unit/readers/english-erp.test.ts); the OCR reader in test/unit/ocr/english-dates.test.ts.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readOrderText } from '../../../parsers/text/index';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

function englishMail(dates: string[]): string {
  return [
    'Hello,',
    'Please find our purchase order below.',
    'PO Number: 654321',
    ...dates,
    'Ship to: Dépôt de Vénissieux, 14 rue Jean Moulin, 69200 Vénissieux',
    'Qty 12 VIS-440 Screws 4x40',
    'Payment terms: 30 days net',
    'Best regards,',
  ].join('\n');
}

const read = (text: string, ref: string) => readOrderText(text, md, { parser: 'email-body', ref: new Date(ref), typed: true }).draft;

describe('an English e-mail with an all-numeric date', () => {
  it('flags a date that nothing on the message settles, with both readings', () => {
    const draft = read(englishMail(['Order Date: 05/12/2026']), '2026-08-01T09:00:00Z');
    expect(draft.orderDate).toBe('2026-12-05');
    expect(draft.evidence!.orderDate!.flag).toMatch(/2026-12-05.*2026-05-12/);
  });

  it('reads it month first when another date of the message can only be month first', () => {
    const draft = read(englishMail(['Order Date: 11/06/2026', 'Requested delivery date: 11/23/2026']), '2026-08-01T09:00:00Z');
    expect(draft.orderDate).toBe('2026-11-06');
    expect(draft.evidence!.orderDate!.flag).toBeUndefined();
    expect(draft.evidence!.orderDate!.corroboratedBy!.join(' ')).toContain('11/23/2026');
  });

  it('reads it the way that falls just before the day the message was received', () => {
    const draft = read(englishMail(['Order Date: 12/04/2026']), '2026-12-05T09:00:00Z');
    expect(draft.orderDate).toBe('2026-12-04');
    expect(draft.evidence!.orderDate!.corroboratedBy!.join(' ')).toContain('received');
  });
});

describe('a French e-mail with an all-numeric date', () => {
  it('reads it day first, unflagged', () => {
    const text = [
      'Bonjour,',
      'Veuillez trouver ci-dessous notre commande.',
      'N° de commande : CDE-2026-77',
      'Date de commande : 05/12/2026',
      'Adresse de livraison : Dépôt de Vénissieux, 14 rue Jean Moulin, 69200 Vénissieux',
      'Quantité 12 VIS-440 Vis 4x40',
      'Cordialement,',
    ].join('\n');
    const draft = read(text, '2026-08-01T09:00:00Z');
    expect(draft.orderDate).toBe('2026-12-05');
    expect(draft.evidence!.orderDate!.flag).toBeUndefined();
  });
});
