// The order's currency is a field of the ERP's sale: read where it is printed, and flagged when the
// document prints several, or when nothing is printed and the delivery is outside the euro area, or
// when the printed one is not the delivery country's (a Swiss order read in euros must not pass).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { checkCurrency } from '../../../domain/evidence';
import { readCurrency } from '../../../parsers/text/header';

const currencyEvidence = (text: string) => readCurrency(text).evidence;

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

async function mail(body: string) {
  const bytes = Buffer.from(`From: achats@dupont-quincaillerie.fr\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: Commande\r\nDate: Thu, 01 Oct 2026 08:12:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
  const meta = describeDocument(bytes, { fileName: 'm.eml', channel: 'email', receivedAt: '2026-10-01T06:15:00Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

describe('the currency of a read order', () => {
  it('nothing printed, delivered in the euro area: the euro, corroborated by the delivery country', () => {
    const c = checkCurrency(null, undefined, 'FR');
    expect(c.value).toBe('EUR');
    expect(c.problems).toEqual([]);
    expect(c.evidence).toMatchObject({ source: 'master-data', flagged: false });
    expect(c.evidence!.corroboratedBy.join(' ')).toMatch(/FR/);
  });

  it('nothing printed, delivered in Switzerland: euro by default, flagged', () => {
    const c = checkCurrency(null, undefined, 'CH');
    expect(c.value).toBe('EUR');
    expect(c.evidence).toMatchObject({ source: 'default', flagged: true });
    expect(c.problems[0]).toMatchObject({ code: 'CURRENCY_UNCERTAIN', where: 'currency' });
    expect(c.problems[0]!.message).toMatch(/CH/);
  });

  it('printed euros for a Swiss delivery: flagged; printed francs for a Swiss delivery: believed', () => {
    expect(checkCurrency('EUR', currencyEvidence('Total EUR 1 234,50'), 'CH').problems.map((p) => p.code)).toEqual(['CURRENCY_UNCERTAIN']);
    const chf = checkCurrency('CHF', currencyEvidence("Total CHF 1'234.50"), 'CH');
    expect(chf.problems).toEqual([]);
    expect(chf.evidence).toMatchObject({ source: 'document', flagged: false, text: 'CHF' });
  });

  it("nothing printed, delivered in Switzerland: the customer's currency in master data says it", () => {
    const c = checkCurrency(null, undefined, 'CH', { customer: 'CHF' });
    expect(c).toMatchObject({ value: 'CHF', problems: [], evidence: { source: 'master-data', flagged: false, corroboratedBy: ['customers.csv currency CHF'] } });
    // Printed euros that master data says: believed; printed francs for a customer invoiced in euros: flagged.
    expect(checkCurrency('EUR', currencyEvidence('Total EUR 1 234,50'), 'CH', { customer: 'EUR' }).problems).toEqual([]);
    const contradicted = checkCurrency('CHF', currencyEvidence("Total CHF 1'234.50"), 'CH', { customer: 'EUR' });
    expect(contradicted.problems[0]).toMatchObject({ code: 'CURRENCY_UNCERTAIN', message: expect.stringMatching(/master data is EUR/) });
    // Several printed stay flagged whatever master data says.
    expect(checkCurrency('EUR', currencyEvidence('Prix unitaire CHF 12,50 … total 1 200,00 €'), 'BE', { customer: 'EUR' }).problems.map((p) => p.code)).toEqual(['CURRENCY_UNCERTAIN']);
  });

  it('nothing printed and no price printed, delivered in Switzerland: the sale takes our list prices, in euros', () => {
    const c = checkCurrency(null, undefined, 'CH', { nonePrinted: true });
    expect(c).toMatchObject({ value: 'EUR', problems: [], evidence: { source: 'master-data', flagged: false } });
    expect(c.evidence!.rule).toMatch(/no price printed/);
    expect(checkCurrency(null, undefined, 'CH', { nonePrinted: true, customer: 'CHF' }).value).toBe('CHF');
    expect(checkCurrency(null, undefined, 'CH', { nonePrinted: false }).problems.map((p) => p.code)).toEqual(['CURRENCY_UNCERTAIN']);
  });

  it('several currencies printed: the evidence names them and the field is flagged', () => {
    expect(currencyEvidence('Prix unitaire CHF 12,50 … total 1 200,00 €')).toMatchObject({ text: 'EUR, CHF', flag: expect.stringMatching(/several currencies/) });
    // A currency only named in a sentence does not contradict the one the amounts carry.
    expect(currencyEvidence('Nos tarifs CHF sur demande. Total 1 200,00 €')).toMatchObject({ text: 'EUR', flag: null, rule: 'currency printed beside amounts' });
    expect(currencyEvidence("Gesamtbetrag 1'234.50 CHF")).toMatchObject({ text: 'CHF', flag: null });
    expect(readCurrency('no money here')).toEqual({ value: null });
    expect(readCurrency("Gesamtbetrag 1'234.50 CHF").value).toBe('CHF');
  });

  it('through the e-mail reader: one currency and a French delivery pass; two currencies are flagged', async () => {
    const plain = await mail('N° de commande : CUR-1\nMontant en EUR\n- 10 x VIS-440');
    expect(plain.orders[0]!.currency).toBe('EUR');
    expect(plain.problems.some((p) => p.code === 'CURRENCY_UNCERTAIN')).toBe(false);
    const two = await mail('N° de commande : CUR-2\nTarif en CHF, facture en EUR\n- 10 x VIS-440');
    expect(two.problems.find((p) => p.code === 'CURRENCY_UNCERTAIN')).toMatchObject({ where: 'currency', severity: 'warning' });
    expect(two.orders[0]!.evidence?.currency?.flagged).toBe(true);
    expect(two.orders[0]!.confidence).toBeLessThan(0.8);
  });
});
