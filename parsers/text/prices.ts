// Whether a document prints prices at all (issue #15): the evidence `prices` of a text order. Only
// when it is CERTAIN that nothing is priced (a line without a price is then a fact, and the ERP's price
// is the customer's) does it say 'no-price-printed'; any money-like token, price or amount label,
// price column or total line anywhere in the document says 'price-printed' (a line without a price
// was then not read right). One pure function, fed by the text readers (PDF text, typed and HTML
// e-mail bodies); OCR readers never call it (a reading of paper is never certain).
import type { DraftOrder, ReadEvidence } from '../../domain/resolve';
import { NO_PRICE_PRINTED, PRICE_PRINTED } from '../../domain/signals';
import type { ColumnRole } from '../layout/types';

export interface PricesInput {
  /** Every word of the document the reader saw (body, subject; all pages' words), whole, not cut. */
  text: string;
  /** Roles of the recognised table header; absent: no table (a typed list or prose); null: a page without a recognised table header (never certain). */
  columns?: readonly (ColumnRole | null)[] | null;
  /** Total lines that closed the table ("Total HT 1 234,00"). */
  totalLines?: number;
  /** Unit prices the reader read (any non-null: a price is printed). */
  unitPrices?: readonly (number | null)[];
  /** The text was cut (too long) or part of the document was not read as text: never certain. */
  partial?: boolean;
}

/** A currency next to a number, either side ("CHF 3.02", "12,50 €", "EUR 1 200", "$5"). */
const CURRENCY_NUMBER = /(?:[€$£]|\b(?:EUR|CHF|USD|GBP)\b|\b(?:SFr|Fr)\.)\s?\d|\d\s?(?:[€$£]|(?:EUR|CHF|USD|GBP)\b|(?:SFr|Fr)\.)/iu;
/** A number with exactly two decimals that is not part of a date, time or version ("12,50", "1 234.50"; not "12.11.2026"). */
const TWO_DECIMALS = /(?<![\d.,/:])\d+[.,]\d{2}(?![\d]|[.,/:]\d)/u;
/** "à 12" / "@ 3.02" / "je 4,10": a unit price in a typed line (not "à 14h", "à 2 km", "à 3 jours"). */
const EACH_PRICE = /(?:^|\s)(?:à|@|je)\s?\d+(?:[.,]\d+)?(?![\d.,/]|\s?(?:h|heures?|km|m|jours?|semaines?|uhr|tage?n?)(?![\p{L}\p{N}]))/iu;
/** A price, amount or total label in any of our customers' languages (not VAT: a VAT number prints in signatures). */
const PRICE_LABEL = /(?<![\p{L}\p{N}])(?:prix|price|preis|prezzo|precio|prijs|tarif|tariff|p\.?\s?u|montant|amount|betrag|importo|bedrag|total|totale|totaal|summe|gesamt|ht|ttc|brutto|remise|rabatt|sconto|korting|discount|devise|currency|w[äa]hrung|valuta)(?![\p{L}\p{N}])/iu;

/** The reason the document is (or may be) priced, or null when it is certain that no price is printed. */
export function priceCue(input: PricesInput): string | null {
  if (input.partial) return 'part of the document was not read as text';
  if (input.unitPrices?.some((p) => p !== null)) return 'a unit price was read';
  if (input.columns === null) return 'no table header was recognised';
  const priced = input.columns?.find((r) => r === 'unitPrice' || r === 'amount');
  if (priced) return `the table has a ${priced === 'amount' ? 'amount' : 'unit-price'} column`;
  if (input.totalLines) return 'a total line closes the table';
  for (const [re, what] of [[CURRENCY_NUMBER, 'a currency beside a number'], [TWO_DECIMALS, 'a number with two decimals'], [EACH_PRICE, 'a price per piece'], [PRICE_LABEL, 'a price, amount or total label']] as const) {
    const m = re.exec(input.text);
    if (m) return `${what} ("${input.text.slice(Math.max(0, m.index - 12), m.index + m[0].length + 12).replace(/\s+/gu, ' ').trim()}")`;
  }
  return null;
}

/** The order's evidence `prices`: 'no-price-printed' only when certain, else 'price-printed' with what prints (or may print) one. */
export function pricesEvidence(input: PricesInput): ReadEvidence {
  const cue = priceCue(input);
  if (cue) return { source: 'document', rule: PRICE_PRINTED, text: cue };
  const how = input.columns ? 'the table has no price or amount column' : 'a typed list or prose';
  return { source: 'document', rule: NO_PRICE_PRINTED, text: `${how}, and no price, amount, total or currency figure anywhere in the document` };
}

/** Sets a draft's evidence `prices` from its own lines and what its reader saw (a cancellation without lines: nothing to price). */
export function withPricesEvidence(draft: DraftOrder | null, input: Omit<PricesInput, 'unitPrices'>): DraftOrder | null {
  if (!draft || draft.lines.length === 0) return draft;
  draft.evidence = { ...draft.evidence, prices: pricesEvidence({ ...input, unitPrices: draft.lines.map((l) => l.unitPrice ?? null) }) };
  return draft;
}
