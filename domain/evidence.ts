// Why each header value of a read document is believed: where it was read, by which rule, and what
// corroborates it. A value that nothing corroborates, or that two readings contradict, is flagged
// (a problem naming the field and its evidence), so that a wrong value never passes as certain.
// Pure: applied by resolve.ts to orders read from documents (email, PDF, fax), never to EDI or API.
import type { CustomerAddress, MasterData } from './masterdata';
import { foldName, tokenOverlap as overlap } from './names';
import { problem, type Address, type FieldEvidence, type Problem } from './order';
import { FLAGGED_CONFIDENCE, ONLY_DELIVERY_ADDRESS } from './signals';

/** What a reader says about a value: the rest (corroboration, flag) is decided here. */
export type ReadEvidence = Pick<FieldEvidence, 'source' | 'rule'> & { text?: string | null; corroboratedBy?: string[]; flag?: string | null };

export { FLAGGED_CONFIDENCE, ONLY_DELIVERY_ADDRESS };

export function evidence(e: ReadEvidence, extra: string[] = [], flagged = false): FieldEvidence {
  return { source: e.source, rule: e.rule, text: e.text ?? null, corroboratedBy: [...(e.corroboratedBy ?? []), ...extra], flagged: flagged || !!e.flag };
}

export interface AddressMatch {
  address: CustomerAddress;
  /** What agreed: 'GLN', 'postal code', 'street', 'name', 'city'. */
  by: string[];
}

/**
 * The one address of `candidates` the printed address designates, by GLN, postal code, street,
 * name and city; null when none agrees or two agree equally (nothing then says which).
 */
export function matchAddress(read: Partial<Address>, candidates: readonly CustomerAddress[]): AddressMatch | null {
  if (read.gln) {
    const byGln = candidates.find((a) => a.gln === read.gln);
    if (byGln) return { address: byGln, by: ['GLN'] };
  }
  const scored = candidates
    .map((a) => {
      const by: string[] = [];
      let score = 0;
      const pc = !!read.postalCode && a.postalCode.replace(/\s/g, '') === read.postalCode.replace(/\s/g, '');
      const agree = (what: string, points: number) => {
        by.push(what);
        score += points;
      };
      if (pc) agree('postal code', 3);
      const street = overlap(read.street, a.street);
      if (street >= 0.6) agree('street', 2 + street);
      if (overlap(read.name, a.name) >= 0.6) agree('name', 1);
      if (read.city && foldName(read.city) === foldName(a.city)) agree('city', 1);
      // A postal code that differs is only forgiven when street and city both agree (a misprint).
      const ok = pc || (by.includes('street') && by.includes('city'));
      return { a, by, score: ok ? score : 0 };
    })
    .filter((x) => x.score > 0)
    .sort((x, y) => y.score - x.score);
  const best = scored[0];
  if (!best) return null;
  if (scored[1] && scored[1].score >= best.score) return null;
  return { address: best.a, by: best.by };
}

/** The customers whose delivery addresses the printed ship-to designates (a clue when nothing else names the buyer). */
export function customersByAddress(read: Partial<Address>, md: MasterData): string[] {
  if (!read.postalCode && !read.gln) return [];
  const m = matchAddress(read, md.addresses.filter((a) => a.type === 'delivery'));
  return m && (m.by.includes('GLN') || m.by.includes('street') || m.by.includes('name')) ? [m.address.customerId] : [];
}

export interface ShipToDecision {
  shipTo: Address;
  evidence: FieldEvidence | null;
  problems: Problem[];
}

const known = (a: CustomerAddress): Address => ({ code: a.code, gln: a.gln, name: a.name, street: a.street, postalCode: a.postalCode, city: a.city, country: a.country });

/**
 * The ship-to of an order read from a document, decided with master data as evidence: one of the
 * customer's delivery addresses when the document designates it; as read, and flagged, when it
 * designates none (or a billing address, or ours); flagged when the document names none at all
 * (the customer's only delivery address is put in, flagged too: the document did not say it).
 */
export function decideShipTo(read: Partial<Address> & { usual?: boolean }, readEv: ReadEvidence | undefined, customerId: string | null, md: MasterData): ShipToDecision | null {
  if (!customerId) return null;
  const delivery = md.addressesOf(customerId, 'delivery');
  const printed = [read.name, read.street, read.postalCode, read.city].filter(Boolean).join(', ');
  const empty = !read.street && !read.postalCode && !read.city && !read.gln && !read.code;
  if (read.usual || empty) {
    const usual = delivery[0];
    if (!usual) return null;
    if (read.usual) return { shipTo: known(usual), evidence: evidence({ source: 'master-data', rule: 'the document asks for the usual delivery address' }, [`addresses.csv ${usual.code}`]), problems: [] };
    // Even a customer's only delivery address is a default, not a reading: a site address may be new.
    if (delivery.length === 1) {
      return {
        shipTo: known(usual),
        evidence: evidence({ source: 'default', rule: ONLY_DELIVERY_ADDRESS }, [`addresses.csv ${usual.code}`], true),
        problems: [problem('SHIP_TO_MISSING', `no delivery address was found in the document; the customer's only delivery address ${usual.code} (${usual.postalCode} ${usual.city}) was put in until an agent checks`, 'warning', 'shipTo')],
      };
    }
    return {
      shipTo: known(usual),
      evidence: evidence({ source: 'default', rule: 'no delivery address in the document' }, [], true),
      problems: [problem('SHIP_TO_MISSING', `no delivery address was found in the document; the customer has ${delivery.length} (${delivery.map((a) => `${a.code} ${a.postalCode} ${a.city}`).join(', ')}), ${usual.code} was put in until an agent checks`, 'warning', 'shipTo')],
    };
  }
  if (read.code) {
    const byCode = delivery.find((a) => a.code === read.code);
    if (byCode) return { shipTo: known(byCode), evidence: evidence(readEv ?? { source: 'document', rule: 'address read' }, [`addresses.csv ${byCode.code}`]), problems: [] };
  }
  const m = matchAddress(read, delivery);
  if (m) return { shipTo: known(m.address), evidence: evidence(readEv ?? { source: 'document', rule: 'address read' }, [`addresses.csv ${m.address.code} (${m.by.join(', ')})`]), problems: [] };
  const asRead: Address = { code: null, gln: read.gln ?? null, name: read.name ?? null, street: read.street ?? null, postalCode: read.postalCode ?? null, city: read.city ?? null, country: read.country ?? null };
  const billing = matchAddress(read, md.addressesOf(customerId, 'billing'));
  const ours = !!read.postalCode && read.postalCode === md.company.postalCode && overlap(read.street, md.company.street) >= 0.6;
  const why = ours ? 'is our own address' : billing && billing.by.length >= 2 ? `is the customer's billing address ${billing.address.code}` : `matches none of the customer's delivery addresses (${delivery.map((a) => `${a.code} ${a.postalCode} ${a.city}`).join(', ') || 'none in addresses.csv'})`;
  return {
    shipTo: asRead,
    evidence: evidence(readEv ?? { source: 'document', rule: 'address read' }, [], true),
    problems: [problem(ours || billing ? 'SHIP_TO_NOT_DELIVERY' : 'SHIP_TO_NOT_IN_MASTER_DATA', `the ship-to read as "${printed}" ${why}; kept as read, check it before confirming the order`, 'warning', 'shipTo')],
  };
}

/** ISO day difference b − a. */
function days(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export interface DateCheck {
  evidence: FieldEvidence | null;
  problems: Problem[];
}

/** An order date printed on the document, checked against the day it arrived. */
export function checkOrderDate(value: string | null, ev: ReadEvidence | undefined, receivedDay: string | null): DateCheck {
  if (!value || !ev) return { evidence: null, problems: [] };
  if (ev.flag) return { evidence: evidence(ev, [], true), problems: [problem('ORDER_DATE_UNCONFIRMED', `the order date ${value} (${ev.rule}) is in doubt: ${ev.flag}; check it`, 'warning', 'orderDate')] };
  if (ev.source !== 'document' || !receivedDay) return { evidence: evidence(ev), problems: [] };
  const d = days(value, receivedDay);
  // Buyers date orders ahead at times (a weekly order printed on Friday); a month ahead, or a year back, is a misreading.
  if (d < -31 || d > 366) {
    const what = d < 0 ? `more than a month after the day it was received (${receivedDay})` : `more than a year before it was received (${receivedDay})`;
    return { evidence: evidence(ev, [], true), problems: [problem('ORDER_DATE_UNLIKELY', `the order date read as ${value} (${ev.rule}) is ${what}`, 'warning', 'orderDate')] };
  }
  return { evidence: evidence(ev, d >= 0 ? [`received ${d === 0 ? 'the same day' : `${d} day(s) later`}`] : []), problems: [] };
}

/** A requested delivery date, checked against the order date. */
export function checkDeliveryDate(value: string | null, ev: ReadEvidence | undefined, orderDate: string | null): DateCheck {
  // None read, but the document prints a date nothing explained: say so, it may be this one.
  if (!value && ev?.flag) return { evidence: evidence(ev, [], true), problems: [problem('DELIVERY_DATE_UNREAD', `no requested delivery date was read: ${ev.flag}`, 'warning', 'requestedDeliveryDate')] };
  if (!value || !ev) return { evidence: null, problems: [] };
  if (ev.flag) return { evidence: evidence(ev, [], true), problems: [problem('DELIVERY_DATE_UNCONFIRMED', `the requested delivery date ${value} was inferred: ${ev.flag}; check it`, 'warning', 'requestedDeliveryDate')] };
  if (!orderDate) return { evidence: evidence(ev), problems: [] };
  const d = days(orderDate, value);
  if (d < 0 || d > 366) {
    const what = d < 0 ? `before the order date ${orderDate}` : `more than a year after the order date ${orderDate}`;
    return { evidence: evidence(ev, [], true), problems: [problem('DELIVERY_DATE_UNLIKELY', `the requested delivery date read as ${value} (${ev.rule}) is ${what}`, 'warning', 'requestedDeliveryDate')] };
  }
  return { evidence: evidence(ev, [`after the order date (${d} day(s))`]), problems: [] };
}

/** The PO number: flagged when only a bare word labels it, or when the document prints two. */
export function checkPoNumber(value: string | null, ev: ReadEvidence | undefined): DateCheck {
  if (!value || !ev) return { evidence: null, problems: [] };
  if (ev.flag) return { evidence: evidence(ev, [], true), problems: [problem('PO_UNCONFIRMED', `the PO number « ${value} » ${ev.flag}; check it on the document`, 'warning', 'poNumber')] };
  return { evidence: evidence(ev), problems: [] };
}

/** Countries whose currency is the euro (ISO 3166 alpha-2): where a document's unprinted currency may be taken as EUR. */
const EURO_AREA = new Set(['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MC', 'MT', 'NL', 'PT', 'SI', 'SK', 'AD', 'SM', 'VA']);
/** The currency of a few non-euro countries our customers deliver to, to see a printed currency contradicted. */
const NATIONAL_CURRENCY: Record<string, string> = { CH: 'CHF', LI: 'CHF', GB: 'GBP', US: 'USD' };

function currencyOfCountry(country: string | null): string | null {
  if (!country) return null;
  return EURO_AREA.has(country) ? 'EUR' : (NATIONAL_CURRENCY[country] ?? null);
}

/** What else says the currency of an order: master data, and whether the document prints any price. */
export interface CurrencyContext {
  /** The customer's currency in master data (customers.csv `currency`, the sale price list's); null: not said. */
  customer?: string | null;
  /** The reader is certain the document prints no price (evidence `prices`: no-price-printed): the ERP's prices will be used. */
  nonePrinted?: boolean;
  /** The currency of our own list prices (products.csv, the ERP's): the euro. */
  company?: string;
}

/**
 * The order's currency: printed, or EUR by default. Flagged (CURRENCY_UNCERTAIN) when the document
 * prints several currencies, when nothing is printed and the delivery country is outside the euro
 * area (unless the customer's currency in master data says it, or no price is printed at all: the sale
 * then takes the ERP's prices, in their currency), or when the printed currency is not the delivery
 * country's or the customer's in master data: a sale in the wrong currency must never go through unseen.
 */
export function checkCurrency(value: string | null, ev: ReadEvidence | undefined, deliveryCountry: string | null, known: CurrencyContext = {}): { value: string | null; evidence: FieldEvidence | null; problems: Problem[] } {
  const local = currencyOfCountry(deliveryCountry);
  const flag = (e: ReadEvidence, v: string, why: string) => ({
    value: v,
    evidence: evidence(e, [], true),
    problems: [problem('CURRENCY_UNCERTAIN', `the currency « ${v} » ${why}; check it on the document`, 'warning', 'currency')],
  });
  if (!value) {
    // Nothing printed: the customer's currency in master data, else the delivery country's when that is the euro.
    if (known.customer) return { value: known.customer, evidence: evidence({ source: 'master-data', rule: "no currency printed: the customer's currency in master data" }, [`customers.csv currency ${known.customer}`]), problems: [] };
    if (local === 'EUR') return { value: 'EUR', evidence: evidence({ source: 'master-data', rule: 'no currency printed: the delivery country\'s, the euro' }, [`delivery in ${deliveryCountry} (euro area)`]), problems: [] };
    // No price printed either: the sale is priced from our list, in its currency, whatever the country.
    const ours = known.company ?? 'EUR';
    if (known.nonePrinted) return { value: ours, evidence: evidence({ source: 'master-data', rule: `no currency and no price printed: the sale takes the ERP's prices, in ${ours}` }, ['no price printed (evidence prices)']), problems: [] };
    return flag({ source: 'default', rule: 'no currency printed: euro by default' }, 'EUR', deliveryCountry ? `was not printed and is taken as the euro, although the delivery is in ${deliveryCountry}` : 'was not printed and nothing says where the order is delivered');
  }
  const read: ReadEvidence = ev ?? { source: 'document', rule: 'currency printed' };
  if (read.flag) return flag(read, value, read.flag);
  if (known.customer && known.customer !== value) return flag(read, value, `is printed but the customer's currency in master data is ${known.customer}`);
  if (local && local !== value && known.customer !== value) return flag(read, value, `is printed but the delivery is in ${deliveryCountry}, whose currency is ${local}`);
  return { value, evidence: evidence(read, [...(local === value ? [`delivery in ${deliveryCountry}`] : []), ...(known.customer === value ? [`customers.csv currency ${value}`] : [])]), problems: [] };
}
