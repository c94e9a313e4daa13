import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRefused, applyErpAnswer, applyRoute, applyTouchlessAnswer, applyUndoTouchless, checkUndoTouchless, newOrderState, setStatus, TOUCHLESS_BY } from '../../../domain/order-state';
import { amountAgainstCap, decideTouchless, explainTouchless, worthAskingErp, type TouchlessFacts, type TouchlessPolicy } from '../../../domain/touchless';
import type { Order } from '../../../domain/order';
import { InvalidTouchlessPolicy, parseTouchlessPolicy, TouchlessPolicyHolder } from '../../../routing-rules/touchless';
import { readRuleFiles } from '../../../routing-rules/load';
import { ROOT } from '../../../worker/config';

const order: Order = {
  poNumber: 'CDE-9', orderDate: '2026-12-01', requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
  customer: { id: 'C001', name: 'Quincaillerie Dupont', matchedBy: 'api' },
  shipTo: { code: 'L1', gln: null, name: null, street: null, postalCode: '69003', city: 'Lyon', country: 'FR' },
  lines: [
    { lineNumber: 1, sku: 'VIS-440', customerPartNumber: null, ean: null, description: null, quantity: 20, unit: null, unitPrice: 18.9, confidence: 1, doubts: [] },
    { lineNumber: 2, sku: 'CHE-10', customerPartNumber: null, ean: null, description: null, quantity: 5, unit: null, unitPrice: null, confidence: 0.98, doubts: [] },
  ],
  confidence: 1, provenance: { parser: 'api-json', location: null, signals: [] },
};
const EXAMPLE = join(ROOT, 'routing-rules', 'examples', 'touchless.yaml');
// The shipped policy, taking a catalogue price for the one line without one (the shipped file does not: tested below).
const policy = (over: Partial<TouchlessPolicy> = {}): TouchlessPolicy => ({ ...parseTouchlessPolicy(EXAMPLE, readFileSync(EXAMPLE, 'utf8')), catalogPrices: true, ...over });
const facts = (over: Partial<TouchlessFacts> = {}): TouchlessFacts => ({
  order, channel: 'api', status: 'routed', problems: [], previousOrders: 3, duplicatesToCheck: 0,
  listPrice: (sku) => (sku === 'CHE-10' ? 12 : null), stock: { 'VIS-440': 100, 'CHE-10': 5 }, credit: { limit: 50000, used: 1000 }, ...over,
});
const failed = (f: TouchlessFacts, p = policy()) => decideTouchless(p, f).checks.filter((c) => !c.ok).map((c) => c.code);

describe('the touchless decision (domain/touchless.ts)', () => {
  it('lets a certain order through and says why, check by check', () => {
    const d = decideTouchless(policy(), facts());
    expect(d.touchless).toBe(true);
    expect(d.policyVersion).toMatch(/^sha256:/);
    expect(explainTouchless(d)).toContain('canal api autorisé');
    expect(explainTouchless(d)).toContain('montant 438,00 €'); // 20 × 18,90 + 5 × 12 (catalogue)
  });

  it('stops at each thing that is not certain, with the reason', () => {
    expect(failed(facts({ channel: 'fax' }))).toEqual(['channel']);
    expect(failed(facts({ status: 'needs-review' }))).toEqual(['status']);
    expect(failed(facts({ previousOrders: 0 }))).toEqual(['first-order']);
    expect(failed(facts({ previousOrders: 0 }), policy({ firstOrderToAgent: false }))).toEqual([]);
    expect(failed(facts({ problems: [{ code: 'PRICE_DEVIATION', message: 'prix', severity: 'warning', where: 'line 1 / unitPrice' }] }))).toEqual(['anomalies']);
    expect(failed(facts({ problems: [{ code: 'X', message: 'info', severity: 'info', where: null }] }))).toEqual([]);
    expect(failed(facts({ duplicatesToCheck: 1 }))).toEqual(['duplicates']);
    expect(failed(facts({ order: { ...order, purpose: 'replace' } }))).toEqual(['purpose']);
    expect(failed(facts({ order: { ...order, lines: [{ ...order.lines[0]!, sku: null }] } }))).toContain('lines');
    expect(failed(facts({ order: { ...order, lines: [order.lines[0]!, { ...order.lines[1]!, doubts: ['5 ou 3 ?'] }] } }))).toEqual(['confidence']);
    expect(failed(facts({ order: { ...order, customer: { ...order.customer, id: 'C009' } } }), policy({ customersExcept: ['C009'] }))).toEqual(['customer']);
    expect(failed(facts(), policy({ customersOnly: ['C002'] }))).toEqual(['customer']);
    expect(failed(facts(), policy({ enabled: false }))).toEqual(['enabled']);
    expect(failed(facts(), policy({ maxLines: 1 }))).toEqual(['max-lines']);
    expect(failed(facts({ order: { ...order, evidence: { orderDate: { source: 'default', rule: 'x', text: null, corroboratedBy: [], flagged: false } } } }))).toEqual(['fields']);
  });

  it('caps the amount, and an amount it cannot know is no pass', () => {
    expect(failed(facts(), policy({ amountBelow: 438 }))).toEqual(['amount']);
    expect(failed(facts(), policy({ amountBelow: 438.01 }))).toEqual([]);
    expect(failed(facts({ listPrice: () => null }))).toContain('amount');
    expect(failed(facts(), policy({ catalogPrices: false }))).toEqual(['amount']);
  });

  it('judges printed prices against the negotiated band, not the 10 % anomaly, and nothing else it holds', () => {
    const offList = (n: number, pct: string) => ({ code: 'PRICE_OFF_LIST', message: `prix ${pct}`, severity: 'warning' as const, where: `line ${n} / unitPrice` });
    const at = (price: number) => ({ ...order, lines: [{ ...order.lines[0]!, unitPrice: price }, order.lines[1]!] });
    const list = (sku: string) => (sku === 'VIS-440' ? 18.9 : sku === 'CHE-10' ? 12 : null);
    // 30 % under list: in review for its price alone, inside the shipped band (35 %): touchless.
    const negotiated = facts({ order: at(13.23), status: 'needs-review', problems: [offList(1, '−30 %')], listPrice: list });
    expect(failed(negotiated)).toEqual([]);
    expect(decideTouchless(policy(), negotiated).checks.find((c) => c.code === 'status')?.why).toContain('prix seulement');
    // 40 % under, or 5 % over: outside the band, an agent looks.
    expect(failed(facts({ order: at(11.34), status: 'needs-review', problems: [offList(1, '−40 %')], listPrice: list }))).toEqual(['prices']);
    expect(failed(facts({ order: at(19.85), listPrice: list }))).toEqual(['prices']);
    // A customer's own band replaces the global one.
    const band = policy().prices;
    expect(failed(facts({ order: at(11.34), status: 'needs-review', problems: [offList(1, '−40 %')], listPrice: list }), policy({ prices: { ...band, customersBelowList: { C001: 0.45 } } }))).toEqual([]);
    // Any other reason keeps it in review, and not touchless; so does a review with no reason given.
    const other = { code: 'SHIP_TO_MISSING', message: 'adresse', severity: 'warning' as const, where: 'shipTo' };
    expect(failed(facts({ order: at(13.23), status: 'needs-review', problems: [offList(1, '−30 %'), other], listPrice: list }))).toEqual(['status', 'anomalies']);
    expect(failed(facts({ status: 'needs-review', problems: [] }))).toEqual(['status']);
  });

  it('never judges prices printed in another currency against the list in euros, in or out of the band', () => {
    const list = (sku: string) => (sku === 'VIS-440' ? 18.9 : sku === 'CHE-10' ? 12 : null);
    const inFrancs = (price: number) => ({ ...order, currency: 'CHF', lines: [{ ...order.lines[0]!, unitPrice: price }, order.lines[1]!] });
    const noTariff = policy({ prices: { ...policy().prices, currencies: {} } });
    // Without a tariff in francs, 19,85 CHF (5 % over the euro figure) and 18,90 CHF (the euro figure) mean nothing: an agent.
    for (const price of [19.85, 18.9]) {
      const d = decideTouchless(noTariff, facts({ order: inFrancs(price), listPrice: list }));
      expect(d.checks.filter((c) => !c.ok).map((c) => c.code)).toEqual(['prices', 'amount']);
      expect(d.checks.find((c) => c.code === 'prices')?.why).toContain('prix imprimés en CHF, tarif en EUR : pas comparables');
      expect(d.checks.find((c) => c.code === 'amount')?.why).toContain('plafond en EUR, pas comparable');
    }
    // In euros, the same figures are judged by the band as before.
    expect(failed(facts({ order: { ...inFrancs(18.9), currency: 'EUR' }, listPrice: list }), noTariff)).toEqual([]);
    // A CHF order that prints no price takes the ERP's prices: nothing printed to compare.
    expect(failed(facts({ order: { ...inFrancs(18.9), lines: order.lines.map((l) => ({ ...l, unitPrice: null })) }, listPrice: list }), noTariff)).toEqual([]);
  });

  it('judges prices in another currency against the tariff in that currency (prices.currencies)', () => {
    const list = (sku: string) => (sku === 'VIS-440' ? 18.9 : sku === 'CHE-10' ? 12 : null);
    const inFrancs = (price: number) => ({ ...order, currency: 'CHF', lines: [{ ...order.lines[0]!, unitPrice: price }, order.lines[1]!] });
    const chf = policy({ prices: { ...policy().prices, currencies: { CHF: 1.05 } } });
    // The tariff in francs is 18,90 × 1,05 = 19,845: 19,85 CHF is the tariff, 21,00 CHF is 5,8 % over it, 12,00 CHF 39,5 % under.
    expect(failed(facts({ order: inFrancs(19.85), listPrice: list }), chf)).toEqual([]);
    expect(explainTouchless(decideTouchless(chf, facts({ order: inFrancs(19.85), listPrice: list })))).toContain('tarif en CHF : tarif en EUR × 1.05');
    expect(failed(facts({ order: inFrancs(21), listPrice: list }), chf)).toEqual(['prices']);
    expect(decideTouchless(chf, facts({ order: inFrancs(12), listPrice: list })).checks.find((c) => c.code === 'prices')?.why).toContain('ligne 1 −39,5 %');
    // Another currency still cannot be compared.
    expect(failed(facts({ order: { ...inFrancs(19.85), currency: 'GBP' }, listPrice: list }), chf)).toEqual(['prices', 'amount']);
  });

  it('holds the amount cap in euros: an amount in francs through the franc tariff, one in an unlisted currency not compared', () => {
    const band = { ...policy().prices, currencies: { CHF: 1.05 } };
    // 262 000 CHF is 249 523,81 € at the franc tariff: under a 250 000 € cap, although 262 000 > 250 000.
    expect(amountAgainstCap(262000, 'CHF', { amountBelow: 250000, prices: band })).toEqual({ ok: true, why: 'montant 262\u202f000,00 CHF (249\u202f523,81 € au tarif en EUR) < plafond 250\u202f000,00 €' });
    expect(amountAgainstCap(262500.01, 'CHF', { amountBelow: 250000, prices: band }).ok).toBe(false);
    expect(amountAgainstCap(1000, 'GBP', { amountBelow: 250000, prices: band })).toEqual({ ok: false, why: 'montant 1\u202f000,00 GBP : plafond en EUR, pas comparable (pas de tarif en GBP dans prices.currencies)' });
    expect(amountAgainstCap(1000, null, { amountBelow: 250000, prices: band }).why).toBe('montant 1\u202f000,00 € < plafond 250\u202f000,00 €');
    // Through the decision: a GBP order far under the cap in figures still stops at the cap (and at its prices), unless IT gives a GBP tariff.
    const inPounds = { ...order, currency: 'GBP', lines: [order.lines[0]!, { ...order.lines[1]!, unitPrice: 12 }] };
    expect(failed(facts({ order: inPounds, listPrice: () => null }))).toEqual(['prices', 'amount']);
    expect(failed(facts({ order: inPounds, listPrice: () => null }), policy({ prices: { ...band, currencies: { GBP: 0.87 } } }))).toEqual([]);
    // 262 000 CHF priced at the franc tariff: under the cap through the decision too, and the reason says so.
    const big = { ...order, currency: 'CHF', lines: [{ ...order.lines[0]!, quantity: 13200, unitPrice: 19.85 }] };
    const d = decideTouchless(policy({ prices: band, amountBelow: 250000 }), facts({ order: big, listPrice: (sku) => (sku === 'VIS-440' ? 18.9 : null), stock: { 'VIS-440': 20000 }, credit: { limit: null, used: 0 } }));
    expect(d.checks.filter((c) => !c.ok)).toEqual([]);
    expect(d.checks.find((c) => c.code === 'amount')?.why).toBe('montant 262\u202f020,00 CHF (249\u202f542,86 € au tarif en EUR) < plafond 250\u202f000,00 €');
  });

  it('takes the ERP\'s price for a line without one only on the channels the policy names', () => {
    const shipped = parseTouchlessPolicy(EXAMPLE, readFileSync(EXAMPLE, 'utf8'));
    expect(shipped.catalogPrices).toEqual(['edi', 'api']);
    expect(failed(facts({ channel: 'api' }), shipped)).toEqual([]);
    expect(failed(facts({ channel: 'email' }), shipped)).toEqual([]); // the JSON order attached to an e-mail is still read by api-json
    const typed = { ...order, provenance: { ...order.provenance, parser: 'email-body' } };
    expect(failed(facts({ channel: 'email', order: typed }), shipped)).toEqual(['amount']);
    expect(explainTouchless(decideTouchless(shipped, facts({ channel: 'email', order: typed })))).toContain('1 ligne(s) sans prix lu (catalog_prices: seulement edi, api');
  });

  it('never passes a stock-out or an order over the credit limit, nor one the ERP could not check', () => {
    const short = decideTouchless(policy(), facts({ stock: { 'VIS-440': 19, 'CHE-10': 5 } }));
    expect(short.touchless).toBe(false);
    expect(explainTouchless(short)).toBe('rupture : VIS-440 20 demandé(s), 19 disponible(s)');
    expect(failed(facts({ credit: { limit: 1200, used: 1000 } }))).toEqual(['credit']);
    expect(failed(facts({ credit: { limit: null, used: 99999 } }))).toEqual([]);
    const blocked = decideTouchless(policy(), facts({ credit: { limit: null, used: 0, blocked: 'client C001 désactivé dans Tryton' } }));
    expect(explainTouchless(blocked)).toBe('blocage financier : client C001 désactivé dans Tryton');
    expect(explainTouchless(decideTouchless(policy(), facts({ shipToDeliverable: false })))).toBe("blocage de livraison : adresse L1 inconnue ou bloquée dans l'ERP");
    expect(failed(facts({ shipToDeliverable: null }))).toEqual([]);
    const unread = decideTouchless(policy(), facts({ stock: null, credit: null }));
    expect(unread.checks.filter((c) => !c.ok).map((c) => c.code)).toEqual(['stock', 'credit']);
    expect(worthAskingErp(unread)).toBe(true);
    expect(worthAskingErp(decideTouchless(policy(), facts({ stock: null, credit: null, channel: 'fax' })))).toBe(false);
    expect(failed(facts({ stock: null, credit: null }), policy({ requireErpChecks: false }))).toEqual([]);
  });

  it('prices a text order from the ERP only when its reader is certain that the document prints no price', () => {
    const shipped = parseTouchlessPolicy(EXAMPLE, readFileSync(EXAMPLE, 'utf8'));
    const prices = (rule: string) => ({ prices: { source: 'document' as const, rule, text: null, corroboratedBy: [], flagged: false } });
    const typed = (parser: string, evidence?: Order['evidence']) => facts({ channel: 'email', order: { ...order, provenance: { ...order.provenance, parser }, ...(evidence ? { evidence } : {}) } });
    expect(failed(typed('email-body', prices('no-price-printed')), shipped)).toEqual([]);
    expect(explainTouchless(decideTouchless(shipped, typed('email-body', prices('no-price-printed'))))).toContain('montant 438,00 €');
    // A price printed (or maybe printed) and not read: never the catalogue's.
    expect(failed(typed('email-body', prices('price-printed')), shipped)).toEqual(['amount']);
    expect(decideTouchless(shipped, typed('email-body', prices('price-printed'))).checks.find((c) => c.code === 'amount')?.why).toContain('imprime un prix');
    expect(failed(typed('email-body'), shipped)).toEqual(['amount']);
    // The shipped policy trusts typed e-mails only; a PDF without prices may carry negotiated ones.
    expect(failed(typed('pdf-text', prices('no-price-printed')), shipped)).toEqual(['amount']);
    expect(failed(typed('pdf-text', prices('no-price-printed')), { ...shipped, catalogPricesWhenNonePrinted: true })).toEqual([]);
    expect(failed(typed('email-body', prices('no-price-printed')), { ...shipped, catalogPricesWhenNonePrinted: false })).toEqual(['amount']);
  });

  it("accepts the customer's only delivery address for a document that prints none only as ship_to_only_address says, the flag kept", () => {
    const shipped = parseTouchlessPolicy(EXAMPLE, readFileSync(EXAMPLE, 'utf8'));
    expect(shipped.shipToOnlyAddress).toBe(true);
    const base = { ...shipped, catalogPrices: true as const };
    const flaggedShipTo = (rule: string) => ({ source: 'default' as const, rule, text: null, corroboratedBy: ['addresses.csv L1'], flagged: true });
    const missing = { code: 'SHIP_TO_MISSING', message: "no delivery address was found in the document; the customer's only delivery address L1 was put in", severity: 'warning' as const, where: 'shipTo' };
    // As resolve.ts leaves it: the ship-to flagged, the document's confidence lowered to 60 %, in review.
    const lowered = { code: 'LOW_CONFIDENCE', message: 'Document lu avec une confiance de 60 %', severity: 'warning' as const, where: null };
    const only = (rule = 'no delivery address in the document: the customer has only one', extra: Partial<Order> = {}) => facts({
      status: 'needs-review', problems: [lowered, missing],
      order: { ...order, confidence: 0.6, evidence: { shipTo: flaggedShipTo(rule) }, provenance: { ...order.provenance, signals: ['ship-to from master data (none in the document)'] }, ...extra },
    });
    const d = decideTouchless(base, only());
    expect(d.touchless).toBe(true);
    expect(d.checks.find((c) => c.code === 'ship-to')?.why).toContain('la seule du client au référentiel (L1), acceptée par ship_to_only_address');
    // Off, or not for this customer: an agent checks the address.
    expect(failed(only(), { ...base, shipToOnlyAddress: false })).toEqual(['ship-to', 'anomalies', 'confidence', 'fields']);
    expect(failed(only(), { ...base, shipToOnlyAddress: ['C002'] })).toContain('ship-to');
    expect(failed(only(), { ...base, shipToOnlyAddress: ['C001'] })).toEqual([]);
    // The first of several addresses put in is never accepted; nor is any other flag beside it.
    expect(failed(only('no delivery address in the document'))).toEqual(expect.arrayContaining(['status', 'anomalies', 'fields']));
    const po = { source: 'document' as const, rule: 'label "cde"', text: '238', corroboratedBy: [], flagged: true };
    const withPo = facts({ status: 'needs-review', problems: [lowered, missing, { code: 'PO_UNCONFIRMED', message: 'po', severity: 'warning', where: 'poNumber' }], order: { ...order, confidence: 0.6, evidence: { shipTo: flaggedShipTo('no delivery address in the document: the customer has only one'), poNumber: po } } });
    expect(failed(withPo, base)).toEqual(expect.arrayContaining(['status', 'anomalies', 'fields', 'confidence']));
  });

  it('without a policy, nothing is touchless', () => {
    expect(decideTouchless(null, facts())).toMatchObject({ touchless: false, policyVersion: null });
  });
});

describe('touchless.yaml (routing-rules/touchless.ts)', () => {
  it('reads the shipped example, which the routing rules leave alone', () => {
    expect(parseTouchlessPolicy(EXAMPLE, readFileSync(EXAMPLE, 'utf8'))).toMatchObject({ enabled: true, channels: ['edi', 'api', 'email', 'folder'], amountBelow: 250000, catalogPrices: ['edi', 'api'], catalogPricesWhenNonePrinted: ['email-body'], prices: { belowList: 0.35, aboveList: 0.02, customersBelowList: {}, currencies: { CHF: 1.05 } }, firstOrderToAgent: true, minConfidence: 0.95, erpStage: 'quotation' });
    expect(readRuleFiles(join(ROOT, 'routing-rules', 'examples')).map((f) => f.name)).not.toContain(EXAMPLE);
  });

  it('names the file, line and column and the field of each mistake', () => {
    const text = 'touchless:\n  enabled: yes please\n  channels: [edi, telex]\n  amount: { below: -5 }\n  colour: red\n  customers: { only: [C001, C404] }\n';
    const err = (() => { try { parseTouchlessPolicy('rules/touchless.yaml', text, ['C001']); } catch (e) { return e; } })() as InvalidTouchlessPolicy;
    expect(err).toBeInstanceOf(InvalidTouchlessPolicy);
    const lines = err.message.split('\n').slice(1);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^rules\/touchless\.yaml:2:\d+: touchless\.enabled: expected true or false/),
      expect.stringMatching(/^rules\/touchless\.yaml:3:\d+: touchless\.channels\[1\]: expected one of: email/),
      expect.stringMatching(/^rules\/touchless\.yaml:4:\d+: touchless\.amount\.below: expected an amount above 0/),
      expect.stringMatching(/^rules\/touchless\.yaml:5:3: touchless: unknown key "colour"/),
    ]));
    const unknown = (() => { try { parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [edi]\n  customers: { only: [C001, C404] }\n', ['C001']); } catch (e) { return e as Error; } })();
    expect(unknown?.message).toMatch(/t\.yaml:4:\d+: touchless\.customers\.only: unknown customer "C404"/);
    const prices = (() => { try { parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [edi]\n  prices:\n    below_list: 35\n    customers: { C404: 0.4 }\n', ['C001']); } catch (e) { return e as Error; } })();
    expect(prices?.message).toMatch(/t\.yaml:5:\d+: touchless\.prices\.below_list: above 0\.9/);
    const who = (() => { try { parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [edi]\n  prices:\n    customers: { C404: 0.4 }\n', ['C001']); } catch (e) { return e as Error; } })();
    expect(who?.message).toMatch(/t\.yaml:5:\d+: touchless\.prices\.customers: unknown customer "C404"/);
    expect(() => parseTouchlessPolicy('t.yaml', 'touchless: [\n')).toThrow(/t\.yaml:\d+:\d+: YAML syntax/);
    expect(() => parseTouchlessPolicy('t.yaml', '')).toThrow(/t\.yaml:1:1: empty file/);
    expect(() => parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n  ship_to_only_address: [C001, C404]\n', ['C001'])).toThrow(/t\.yaml:4:\d+: touchless\.ship_to_only_address: unknown customer "C404"/);
    expect(() => parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n  ship_to_only_address: sometimes\n')).toThrow(/t\.yaml:4:\d+: touchless\.ship_to_only_address: expected true, false or a list of customer ids/);
    expect(parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n').shipToOnlyAddress).toBe(false);
    expect(() => parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n  prices:\n    currencies: { chf: 1.05 }\n')).toThrow(/t\.yaml:5:\d+: touchless\.prices\.currencies.*ISO 4217/);
    expect(() => parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n  prices:\n    currencies: { EUR: 1.05 }\n')).toThrow(/touchless\.prices\.currencies\.EUR: expected an ISO 4217 currency code other than the list's \(EUR\)/);
    expect(() => parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n  prices:\n    currencies: { CHF: 105 }\n')).toThrow(/t\.yaml:5:\d+: touchless\.prices\.currencies\.CHF: expected a coefficient of the list price, 0\.1 to 10/);
    expect(parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n').prices.currencies).toEqual({});
    expect(() => parseTouchlessPolicy('t.yaml', 'touchless:\n  enabled: true\n  channels: [email]\n  amount:\n    catalog_prices_when_none_printed: [fax]\n')).toThrow(/t\.yaml:5:\d+: .*list of readers \(email-body, pdf-text\)/);
  });

  it('keeps the last good policy running when the file turns bad, and takes the fixed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchless-'));
    const holder = new TouchlessPolicyHolder(dir);
    holder.reload();
    expect(holder.current).toBeNull();
    writeFileSync(join(dir, 'touchless.yaml'), 'touchless:\n  enabled: true\n  channels: [edi]\n');
    expect(holder.reload()).toBe(true);
    const good = holder.current!;
    writeFileSync(join(dir, 'touchless.yaml'), 'touchless:\n  enabled: true\n  channels: edi\n');
    expect(holder.reload()).toBe(false);
    expect(holder.current).toBe(good);
    expect(holder.status().lastError?.message).toMatch(/touchless\.yaml:3:\d+: touchless\.channels/);
    writeFileSync(join(dir, 'touchless.yaml'), 'touchless:\n  enabled: true\n  channels: [edi, api]\n');
    expect(holder.reload()).toBe(true);
    expect(holder.current?.channels).toEqual(['edi', 'api']);
    expect(holder.status().lastError).toBeNull();
  });
});

describe("the order's side: entered automatically, and undone that day", () => {
  const at = '2026-12-01T09:00:00.000Z';
  const routed = () => {
    const s = newOrderState('C001-CDE9', { document: { sha256: 'a'.repeat(64), fileName: 'a.order.json', mediaType: 'application/json', channel: 'api', receivedAt: at }, index: 0, order, problems: [] }, at);
    return applyRoute(setStatus({ ...s, sla: { ...s.sla, dueAt: '2026-12-01T16:00:00.000Z', atRiskAt: '2026-12-01T15:30:00.000Z' } }, 'extracted', at), { team: 'ADV', agent: 'lea', ruleId: 'r', rulesVersion: 'v', reason: 'test' }, at);
  };
  const created = { kind: 'created' as const, connector: 'tryton', erpRef: '7', number: 'SO-7', state: 'quotation', created: true };
  const auto = () => applyTouchlessAnswer(routed(), '2026-12-01T09:00:02.000Z', created, { policyVersion: 'sha256:x', reasons: ['canal api autorisé', 'aucune anomalie'] });

  it('enters the order with the ERP number and why, and leaves it unclaimed', () => {
    const s = auto();
    expect(s.status).toBe('entered');
    expect(s.claimedBy).toBeNull();
    expect(s.erp).toMatchObject({ number: 'SO-7', by: TOUCHLESS_BY });
    expect(s.touchless).toMatchObject({ policyVersion: 'sha256:x', reasons: ['canal api autorisé', 'aucune anomalie'], undone: null });
    expect(s.history.map((h) => h.event).slice(-3)).toEqual(['created in ERP', 'entered', 'touchless']);
    const refused = applyTouchlessAnswer(routed(), at, { kind: 'refused', reason: 'tryton : article inconnu' }, { policyVersion: 'v', reasons: [] });
    expect(refused.status).toBe('routed');
    expect(refused.touchless ?? null).toBeNull();
    expect(refused.history.at(-1)?.detail).toContain('tryton : article inconnu');
  });

  it('is undone the same day only, by an agent, once: the order goes back to its agent with its clock', () => {
    const s = auto();
    expect(() => checkUndoTouchless(s, 'lea', '2026-12-02T08:00:00.000Z', 'Europe/Paris')).toThrow(/jour même/);
    expect(() => checkUndoTouchless(applyErpAnswer(routed(), 'lea', at, created), 'lea', at, 'Europe/Paris')).toThrow(ActionRefused);
    checkUndoTouchless(s, 'lea', '2026-12-01T22:59:00.000Z', 'Europe/Paris'); // 23:59 in Paris: still that day
    const undone = applyUndoTouchless(s, 'lea', '2026-12-01T15:40:00.000Z', 'mauvais dépôt', { kind: 'cancelled', state: 'cancelled' });
    expect(undone.status).toBe('routed');
    expect(undone.sla).toMatchObject({ enteredAt: null, state: 'at-risk' });
    expect(undone.erp?.state).toBe('cancelled');
    expect(undone.touchless?.undone).toMatchObject({ by: 'lea', reason: 'mauvais dépôt' });
    expect(undone.history.slice(-2).map((h) => h.event)).toEqual(['touchless undone', 'routed']);
    expect(() => checkUndoTouchless(undone, 'lea', '2026-12-01T15:41:00.000Z', 'Europe/Paris')).toThrow(/déjà été annulée par lea/);
    const refused = applyUndoTouchless(s, 'lea', '2026-12-01T15:40:00.000Z', null, { kind: 'refused', reason: 'tryton : vente en cours de traitement' });
    expect(refused.status).toBe('entered');
    expect(refused.history.at(-1)).toMatchObject({ event: 'ERP refused', detail: expect.stringContaining('vente en cours de traitement') });
  });
});

describe('rules validate checks touchless.yaml with the rules', () => {
  it('reports its mistakes with file, line and column, and exits 1', async () => {
    const { Command } = await import('commander');
    const { registerRulesCommands } = await import('../../../routing-rules/commands');
    const { copyFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'touchless-validate-'));
    for (const f of ['rules.yaml', 'teams.yaml']) copyFileSync(join(ROOT, 'routing-rules', 'examples', f), join(dir, f));
    writeFileSync(join(dir, 'touchless.yaml'), 'touchless:\n  enabled: true\n  channels: [edi]\n  max_lines: many\n');
    const err: string[] = [];
    const error = console.error, log = console.log;
    console.error = (s: string) => void err.push(s);
    console.log = () => {};
    process.exitCode = undefined;
    try {
      const program = new Command().exitOverride();
      registerRulesCommands(program);
      await program.parseAsync(['node', 'aiguillage', 'rules', 'validate', dir]);
      expect(process.exitCode).toBe(1);
    } finally {
      console.error = error;
      console.log = log;
      process.exitCode = undefined;
    }
    expect(err.join('\n')).toMatch(/touchless\.yaml:4:\d+: touchless\.max_lines: expected a whole number of lines/);
  });
});
