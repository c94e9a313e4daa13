// Typed e-mail orders (issues #13, #15): a quantity asked for in a sentence that no reader turned into
// a line flags the order (never read short in silence); a weekday ("pour lundi") counted from the
// message's own Date is then as certain as the lines beside it, and says where it came from.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { readOrderText, unreadOrderLines, unreadProseMentions, WEEKDAY_FROM_SENT } from '../../../parsers/text/index';
import type { DraftLine } from '../../../domain/resolve';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/corpus/masterdata'));
const line = (sku: string, quantity: number): DraftLine => ({ sku, customerPartNumber: null, ean: null, description: null, quantity, unit: null, unitPrice: null });
const DATE_HEADER = "the e-mail's Date header";

describe('a quantity asked for in a sentence that gave no line', () => {
  it('is returned as written when no line carries it', () => {
    const text = 'Bonjour,\n\nmerci de nous livrer 10 boîtes de vis inox et 5 CHV-6 pour lundi.\n\nCordialement\nJean';
    expect(unreadProseMentions(text, [line('CHV-6', 5)], md)).toEqual(['10 boîtes de vis inox']);
    expect(unreadProseMentions(text, [line('CHV-6', 5), { ...line('VIS-440', 10), sku: null, description: 'vis inox' }], md)).toEqual([]);
  });

  it('takes no date, hour, house number, postal code, order number or phone number for one', () => {
    const text = 'Merci de nous livrer 5 CHV-6 pour le 13 octobre avant 10 h au 14 rue des Lilas, 69007 Lyon (Cde 4512, tél. 04 77 21 30 30).\nBitte liefern Sie an Bahnhofstrasse 12, 8001 Zürich.';
    expect(unreadProseMentions(text, [line('CHV-6', 5)], md)).toEqual([]);
    expect(unreadProseMentions('Please deliver 12 pcs VIS-440 to 12 High Street, Manchester.\nDeliver to: Acme Ltd, 4 Mill Lane, Leeds', [line('VIS-440', 12)], md)).toEqual([]);
  });

  it('leaves out table rows and lines naming a reference that was read', () => {
    const text = 'Merci de nous envoyer :\nVIS-440\tVis inox 4x40\t3 boîtes\n2 SER-3P Serrure 3 points à larder';
    expect(unreadProseMentions(text, [line('VIS-440', 3), line('SER-3P', 2)], md)).toEqual([]);
  });

  it('flags the order read from a list when a sentence above asks for one more article', () => {
    const text = 'Bonjour,\nmerci de nous livrer aussi 10 boîtes de chevilles nylon en plus de :\n- 12 x VIS-440\n- 5 x CHV-6\n\nMerci';
    const r = readOrderText(text, md, { parser: 'email-body', typed: true });
    expect(r.draft.lines.map((l) => [l.sku, l.quantity])).toEqual([['VIS-440', 12], ['CHV-6', 5]]);
    expect(r.found.unread).toEqual(['10 boîtes de chevilles nylon']);
  });
});

describe('every product a line names', () => {
  it('is checked, not the first only', () => {
    expect(unreadOrderLines('12 VIS-440 et 5 CHV-6', [line('VIS-440', 12)], md)).toEqual(['12 VIS-440 et 5 CHV-6']);
    expect(unreadOrderLines('12 VIS-440 et 5 CHV-6', [line('VIS-440', 12), line('CHV-6', 5)], md)).toEqual([]);
  });
});

describe('a weekday asked for, counted from the message\'s Date', () => {
  const text = 'Bonjour,\n\nmerci de nous livrer 5 CHV-6 pour lundi.\n\nJean';

  it('is the first such day after the day it was sent in Paris, unflagged, saying where it came from', () => {
    // Sunday 11 October 22:30 UTC is Monday 12 October in Paris: the next Monday is the 19th.
    const r = readOrderText(text, md, { parser: 'email-body', typed: true, sent: { at: '2026-10-11T22:30:00Z', what: DATE_HEADER } });
    expect(r.draft.requestedDeliveryDate).toBe('2026-10-19');
    const ev = r.draft.evidence!.requestedDeliveryDate!;
    expect(ev.flag).toBeUndefined();
    expect(ev.rule).toContain(WEEKDAY_FROM_SENT);
    expect(ev.rule).toContain('2026-10-12');
    expect(ev.corroboratedBy).toEqual([`${DATE_HEADER}: 2026-10-11T22:30:00Z`]);
  });

  it('stays flagged when counted from the receipt, or when a printed date follows the weekday', () => {
    const byReceipt = readOrderText(text, md, { parser: 'email-body', typed: true, sent: { at: '2026-10-09T08:00:00Z', what: 'the day it was received', byReceipt: true } });
    expect(byReceipt.draft.evidence!.requestedDeliveryDate!.flag).toContain('weekday');
    const dated = readOrderText('merci de nous livrer 5 CHV-6 pour lundi 12/10 au dépôt', md, { parser: 'email-body', typed: true, sent: { at: '2026-10-09T08:00:00Z', what: DATE_HEADER } });
    expect(dated.draft.evidence!.requestedDeliveryDate!.flag).toBeDefined();
  });

  it('stays flagged on a printed document', () => {
    const r = readOrderText(text, md, { parser: 'pdf-text', sent: { at: '2026-10-09T08:00:00Z', what: DATE_HEADER } });
    expect(r.draft.evidence!.requestedDeliveryDate!.flag).toContain('weekday');
  });
});

describe('a weekday in a forwarded order', () => {
  async function forwarded(headers: string) {
    const { describeDocument, extractDocument } = await import('../../../parsers/index');
    const body = `Pour saisie, merci.\nPaul\n\n-------- Message transféré --------\n${headers}De : Durand <achats@dupont-quincaillerie.fr>\nPour : Paul <p.girard@fixations-rhone-alpes.fr>\n\nBonjour,\nmerci de nous livrer 10 VIS-440 et 5 CHV-6 pour lundi.\nM. Durand\n`;
    const bytes = Buffer.from(`From: Paul <p.girard@fixations-rhone-alpes.fr>\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: TR: Commande\r\nDate: Thu, 08 Oct 2026 08:12:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
    const meta = describeDocument(bytes, { fileName: 'f.eml', channel: 'email', receivedAt: '2026-10-08T06:15:00Z' });
    return (await extractDocument(bytes, meta, md)).result;
  }

  it('stays flagged when only the forward\'s own Date can count it', async () => {
    const r = await forwarded('Sujet : \tCommande\n');
    expect(r.orders[0]!.evidence!.requestedDeliveryDate).toMatchObject({ flagged: true });
    expect(r.problems.find((p) => p.code === 'DELIVERY_DATE_UNCONFIRMED')?.message).toContain("forward's Date");
  });

  it('counts it from the forwarded message\'s own Date, printed above its sender (Thunderbird)', async () => {
    const r = await forwarded('Sujet : \tCommande\nDate : \t01/10/2026 16:46\n');
    expect(r.orders[0]!.orderDate).toBe('2026-10-01');
    expect(r.orders[0]!.requestedDeliveryDate).toBe('2026-10-05');
    expect(r.orders[0]!.evidence!.requestedDeliveryDate).toMatchObject({ flagged: false });
    expect(r.orders[0]!.evidence!.requestedDeliveryDate!.rule).toContain('forwarded message\'s date ("01/10/2026 16:46")');
  });

  it('stays flagged beside an order date printed for another day than the message\'s', () => {
    const direct = readOrderText('Commande du 01/10/2026\nmerci de nous livrer 5 CHV-6 pour lundi', md, { parser: 'email-body', typed: true, sent: { at: '2026-10-08T08:00:00Z', what: DATE_HEADER } });
    expect(direct.draft.evidence!.requestedDeliveryDate!.flag).toContain('weekday');
  });
});
