// Touchless entry ("saisie automatique"): which orders go into the ERP with no agent. One pure decision,
// used by the order workflow (through an activity that gathers the facts) and by `touchless replay`.
// The policy is IT's YAML (routing-rules/touchless.ts reads it); every check it passes or fails is said
// in French, as routing explains its rules. No Node built-ins (runs anywhere).
import type { Channel, Order, Problem } from './order';
import { orderAmount } from './amount';
import { reviewReasons } from './order-state';
import type { OrderState, OrderStatus } from './order-model';
import { euros } from './format';
import { FLAGGED_CONFIDENCE, NO_PRICE_PRINTED, ONLY_DELIVERY_ADDRESS, SHIP_TO_DEFAULTED } from './signals';
import { overCreditLimit, shortLines, type CreditFacts } from './portfolio';

/** The text readers that say whether a document prints prices (evidence `prices`): e-mail bodies (typed or HTML) and text PDFs. */
export const NONE_PRINTED_READERS = ['email-body', 'pdf-text'] as const;
export type NonePrintedReader = (typeof NONE_PRINTED_READERS)[number];

export interface TouchlessPolicy {
  /** Shown on each automatic entry, so that one can tell which policy let it through. */
  version: string;
  file: string;
  enabled: boolean;
  channels: Channel[];
  /** Only these customers (null: any known customer). */
  customersOnly: string[] | null;
  /** Never these customers. */
  customersExcept: string[];
  /** The amount must be strictly below this (null: no cap). */
  amountBelow: number | null;
  /**
   * A line without a price gets the ERP's price (the customer's price list, else the list price): true
   * on every channel, false never (every price printed), or the channels where no price is a fact and
   * not a reading (EDI, API: a structured order without a price has none, also when it comes attached
   * to an e-mail; a text order may have one the reader did not see).
   */
  catalogPrices: boolean | Channel[];
  /**
   * On the other channels (text), a line without a price may still take the ERP's price when the
   * reader is certain the document prints no price at all (evidence `prices`: 'no-price-printed'):
   * true for every text reader, or the readers listed (a typed e-mail that names no price orders at
   * our price; a purchasing system's PDF without prices may carry the customer's negotiated ones).
   * Never when the document prints a price, or may (a printed price not read would enter the sale wrong).
   */
  catalogPricesWhenNonePrinted: boolean | NonePrintedReader[];
  /** The printed prices IT accepts against the list price: the negotiated band (see priceBand). */
  prices: PriceBand;
  maxLines: number | null;
  /** A customer's first order goes to an agent. */
  firstOrderToAgent: boolean;
  /** Every line and the document read with at least this confidence (0–1). */
  minConfidence: number;
  /** The ship-to may come from master data (the customer's only delivery address). */
  shipToFromMasterData: boolean;
  /**
   * A document that prints no delivery address, from a customer with exactly one delivery address in
   * master data: that address may go into the ERP with no agent (true: every customer; a list: these
   * customers; false: an agent checks it). The order keeps its flag (SHIP_TO_MISSING and the evidence);
   * the decision says it accepted it.
   */
  shipToOnlyAddress: boolean | string[];
  /** Stock and credit must have been read in the ERP (an ERP that cannot tell: never touchless). */
  requireErpChecks: boolean;
  /** Where the ERP's sales order stays: a quotation (can be cancelled in Tryton) or confirmed. */
  erpStage: 'quotation' | 'confirmed';
}

/**
 * How far a printed unit price may sit from the list price and still go in touchless, as fractions of
 * the list price (0.35 = 35 %). The ERP's sale always carries the printed price (the customer's, the
 * truth); the band only says when a deviation is normal (a negotiated price) and when an agent looks.
 */
export interface PriceBand {
  belowList: number;
  aboveList: number;
  /** Per customer, the most below list their negotiated prices go (replaces belowList for them). */
  customersBelowList: Record<string, number>;
  /**
   * The company's tariff in another currency than the list's, as a coefficient of the list price
   * (CHF: 1.05 = the tariff in francs is the euro list × 1.05): printed prices in that currency are
   * judged against it. A currency not here cannot be compared: an agent checks its prices.
   */
  currencies: Record<string, number>;
}

/** The currency of our list prices (products.csv, the ERP's tariff): the company's, the euro. */
export const LIST_CURRENCY = 'EUR';

/** The band an unconfigured policy keeps: the anomaly tolerance (±10 %), as before the band existed. */
export const DEFAULT_PRICE_BAND: PriceBand = { belowList: 0.1, aboveList: 0.1, customersBelowList: {}, currencies: {} };

/** The review reason a printed price off the list price raises (domain/anomalies.ts); the band judges it here. */
const PRICE_OFF_LIST = 'PRICE_OFF_LIST';

/** Review reasons other than prices off the list (those the policy's band judges). */
export function reasonsBesidesPrices(problems: Problem[], order: Order): Problem[] {
  return reviewReasons(problems, order).filter((p) => p.code !== PRICE_OFF_LIST);
}

/** The ship-to was put in from master data: the document prints none and the customer has only one delivery address. */
export function shipToIsOnlyAddress(order: Order): boolean {
  const e = order.evidence?.shipTo;
  return !!e && e.source === 'default' && e.rule === ONLY_DELIVERY_ADDRESS && !!order.shipTo.code;
}

/** Flagged header fields besides a ship-to that is the customer's only delivery address. */
function flaggedBesidesOnlyAddress(order: Order): string[] {
  return Object.entries(order.evidence ?? {}).filter(([k, e]) => (e.flagged || e.source === 'default') && !(k === 'shipTo' && shipToIsOnlyAddress(order))).map(([k]) => k);
}

/**
 * Review reasons that come only from a ship-to that is the customer's only delivery address: its
 * SHIP_TO_MISSING, and the document's low confidence when that flag alone lowered it (FLAGGED_CONFIDENCE).
 */
function onlyAddressReason(p: Problem, order: Order): boolean {
  if (!shipToIsOnlyAddress(order)) return false;
  if (p.code === 'SHIP_TO_MISSING') return true;
  return p.code === 'LOW_CONFIDENCE' && (p.where === 'lines' || p.where === null) && order.confidence >= FLAGGED_CONFIDENCE && flaggedBesidesOnlyAddress(order).length === 0;
}

/** Whether the policy accepts, for this order's customer, the only delivery address put in for one the document does not print. */
export function acceptsOnlyAddress(policy: Pick<TouchlessPolicy, 'shipToOnlyAddress'>, order: Order): boolean {
  const p = policy.shipToOnlyAddress;
  return shipToIsOnlyAddress(order) && (p === true || (Array.isArray(p) && !!order.customer.id && p.includes(order.customer.id)));
}

/** The review reasons the policy keeps: besides prices off the list (the band judges them) and, when it accepts it, the only delivery address. */
export function reasonsPolicyKeeps(policy: Pick<TouchlessPolicy, 'shipToOnlyAddress'>, problems: Problem[], order: Order): Problem[] {
  const accepted = acceptsOnlyAddress(policy, order);
  return reasonsBesidesPrices(problems, order).filter((p) => !(accepted && onlyAddressReason(p, order)));
}

/**
 * In review only for reasons a policy may accept (prices off the list, the customer's only delivery
 * address put in): the workflow asks then too; the policy decides.
 */
export function heldForPolicyOnly(status: OrderStatus, problems: Problem[], order: Order): boolean {
  if (status !== 'needs-review') return false;
  const reasons = reviewReasons(problems, order);
  return reasons.length > 0 && reasons.every((p) => p.code === PRICE_OFF_LIST || onlyAddressReason(p, order));
}

/**
 * In review for prices off the list and for nothing else: such an order may still go in touchless
 * when each price is inside the policy's band (the workflow asks then, and only then).
 */
export function heldByPricesOnly(status: OrderStatus, problems: Problem[], order: Order): boolean {
  if (status !== 'needs-review') return false;
  const reasons = reviewReasons(problems, order);
  return reasons.length > 0 && reasons.every((p) => p.code === PRICE_OFF_LIST);
}

/** Lines whose printed price is outside the band (the catalogue's price known, same unit), with their gap. */
export function pricesOutsideBand(order: Order, band: PriceBand, listPrice: (sku: string) => number | null): { lineNumber: number; gap: number }[] {
  const below = (order.customer.id ? band.customersBelowList[order.customer.id] : undefined) ?? band.belowList;
  const currency = order.currency ?? LIST_CURRENCY;
  const factor = currency === LIST_CURRENCY ? 1 : band.currencies[currency];
  if (factor === undefined) return [];
  return order.lines.flatMap((l) => {
    const euroList = l.sku ? listPrice(l.sku) : null;
    const list = euroList === null ? null : euroList * factor;
    if (l.unitPrice === null || list === null || !(list > 0)) return [];
    const gap = (l.unitPrice - list) / list;
    return gap < -below - 1e-9 || gap > band.aboveList + 1e-9 ? [{ lineNumber: l.lineNumber, gap }] : [];
  });
}


/**
 * The currency of the order's printed prices when it is not the list's (null: the same, or no price
 * printed to compare). A price in francs set against a list price in euros means nothing, in or out of
 * the band: such prices cannot be judged here, and an agent checks them against the customer's tariff.
 */
export function printedPricesCurrencyOffList(order: Pick<Order, 'currency' | 'lines'>, band: Pick<PriceBand, 'currencies'>): string | null {
  const currency = order.currency ?? LIST_CURRENCY;
  return currency !== LIST_CURRENCY && band.currencies[currency] === undefined && order.lines.some((l) => l.unitPrice !== null) ? currency : null;
}

/**
 * The amount against the cap, which is in the list's currency: an amount in another currency is brought
 * to it through that currency's tariff coefficient (prices.currencies); without one, it cannot be
 * compared (never francs against a cap in euros, as never a price in francs against a list in euros).
 */
export function amountAgainstCap(value: number, currency: string | null, policy: Pick<TouchlessPolicy, 'amountBelow' | 'prices'>): { ok: boolean; why: string } {
  const cur = currency ?? LIST_CURRENCY;
  const shown = cur === LIST_CURRENCY ? euros(value) : `${euros(value).slice(0, -2)} ${cur}`;
  if (policy.amountBelow === null) return { ok: true, why: `montant ${shown}` };
  const factor = cur === LIST_CURRENCY ? 1 : policy.prices.currencies[cur];
  if (factor === undefined) return { ok: false, why: `montant ${shown} : plafond en ${LIST_CURRENCY}, pas comparable (pas de tarif en ${cur} dans prices.currencies)` };
  const inList = value / factor;
  const ok = inList < policy.amountBelow;
  return { ok, why: `montant ${shown}${factor === 1 ? '' : ` (${euros(inList)} au tarif en ${LIST_CURRENCY})`} ${ok ? '<' : '≥'} plafond ${euros(policy.amountBelow)}` };
}

const pct = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(1).replace('.', ',')} %`;

/** What the decision looks at: the order as routed, plus what the ERP and our history say. */
export interface TouchlessFacts {
  order: Order;
  /** The channel of the order's first document. */
  channel: Channel | null;
  status: OrderStatus;
  problems: Problem[];
  /** Orders of this customer received before this one (read model). */
  previousOrders: number;
  /** Probable duplicates waiting for an agent's decision. */
  duplicatesToCheck: number;
  listPrice: (sku: string) => number | null;
  /** Available (forecast) stock per SKU as the ERP says; null: not read (no ERP, or not asked). */
  stock: Record<string, number> | null;
  /** The customer's credit in the ERP; null: not read; limit null: no limit; blocked: why the ERP blocks their sales. */
  credit: CreditFacts | null;
  /** The ship-to as master data and the ERP know it (portfolio's shipToDeliverable); false: blocage de livraison; absent or null: not read, or none named. */
  shipToDeliverable?: boolean | null;
}

export interface TouchlessCheck {
  code: string;
  ok: boolean;
  /** In French, for the agent: "canal EDI autorisé", "montant 12 480,00 € ≥ plafond 10 000 €". */
  why: string;
}

export interface TouchlessDecision {
  touchless: boolean;
  policyVersion: string | null;
  checks: TouchlessCheck[];
}

/** The checks that need the ERP's stock and credit; decided first without them, to ask the ERP only when worth it. */
export const ERP_CHECKS = new Set(['stock', 'credit', 'delivery']);

/**
 * Every check the policy asks for, each passed or failed with its reason; touchless only when all pass.
 * A check on a fact we do not have (an amount with a missing price, stock not read) fails: only when certain.
 */
export function decideTouchless(policy: TouchlessPolicy | null, f: TouchlessFacts): TouchlessDecision {
  if (!policy) return { touchless: false, policyVersion: null, checks: [{ code: 'policy', ok: false, why: 'aucune politique de saisie automatique (touchless.yaml) : tout passe par un agent' }] };
  const checks: TouchlessCheck[] = [];
  const check = (code: string, ok: boolean, why: string) => void checks.push({ code, ok, why });
  const { order } = f;

  check('enabled', policy.enabled, policy.enabled ? 'saisie automatique activée' : 'saisie automatique désactivée (enabled: false)');
  check('channel', f.channel !== null && policy.channels.includes(f.channel), f.channel && policy.channels.includes(f.channel) ? `canal ${f.channel} autorisé` : `canal ${f.channel ?? 'inconnu'} non autorisé (autorisés : ${policy.channels.join(', ')})`);
  check('purpose', order.purpose === 'original', order.purpose === 'original' ? 'commande initiale' : order.purpose === 'replace' ? 'modification de commande : à traiter par un agent' : 'annulation : à traiter par un agent');

  const cid = order.customer.id;
  if (!cid) check('customer', false, 'client non identifié');
  else if (policy.customersExcept.includes(cid)) check('customer', false, `client ${cid} exclu (customers.except)`);
  else if (policy.customersOnly && !policy.customersOnly.includes(cid)) check('customer', false, `client ${cid} hors de la liste (customers.only)`);
  else check('customer', true, `client ${cid}${policy.customersOnly ? ' dans la liste' : ''}`);
  if (policy.firstOrderToAgent) check('first-order', f.previousOrders > 0, f.previousOrders > 0 ? `client connu (${f.previousOrders} commande(s) avant)` : 'première commande de ce client : un agent la saisit');

  // A price off the list is judged by the policy's band (check 'prices'), the only delivery address by
  // ship_to_only_address (check 'ship-to'); every other anomaly stops.
  const reasons = reasonsPolicyKeeps(policy, f.problems, order);
  const byPrices = heldByPricesOnly(f.status, f.problems, order);
  const byPolicy = !byPrices && heldForPolicyOnly(f.status, f.problems, order);
  check('status', f.status === 'routed' || byPrices || byPolicy, f.status === 'routed' ? 'routée, rien à vérifier' : byPrices ? 'à vérifier pour ses prix seulement (jugés par la bande de prix)' : byPolicy ? 'à vérifier pour ce que la politique juge seulement (prix, adresse de livraison unique)' : `statut ${f.status} (seules les commandes routées sans anomalie passent)`);
  if (shipToIsOnlyAddress(order)) {
    const ok = acceptsOnlyAddress(policy, order);
    check('ship-to', ok, ok ? `aucune adresse de livraison écrite : la seule du client au référentiel (${order.shipTo.code}), acceptée par ship_to_only_address (signalée sur la commande)` : `aucune adresse de livraison écrite : la seule du client au référentiel (${order.shipTo.code}) n'est pas acceptée sans agent (ship_to_only_address)`);
  }
  check('anomalies', reasons.length === 0, reasons.length === 0 ? 'aucune anomalie' : `${reasons.length} anomalie(s) : ${reasons.slice(0, 3).map((p) => p.message).join(' ; ')}`);
  // The band compares printed prices with the list only in the list's currency (never francs with euros).
  const otherCurrency = printedPricesCurrencyOffList(order, policy.prices);
  const outside = otherCurrency ? [] : pricesOutsideBand(order, policy.prices, f.listPrice);
  if (otherCurrency) check('prices', false, `prix imprimés en ${otherCurrency}, tarif en ${LIST_CURRENCY} : pas comparables (pas de tarif en ${otherCurrency} dans prices.currencies) ; un agent les vérifie`);
  else check('prices', outside.length === 0, outside.length ? `prix hors de la bande autorisée : ${outside.map((o) => `ligne ${o.lineNumber} ${pct(o.gap)}`).join(', ')}` : order.lines.some((l) => l.unitPrice !== null) ? `prix imprimés en ${order.currency ?? LIST_CURRENCY}${(order.currency ?? LIST_CURRENCY) === LIST_CURRENCY ? ', la devise du tarif,' : ` (tarif en ${order.currency} : tarif en ${LIST_CURRENCY} × ${policy.prices.currencies[order.currency!]})`} et dans la bande autorisée par rapport au tarif` : 'aucun prix imprimé à comparer au tarif');
  check('duplicates', f.duplicatesToCheck === 0, f.duplicatesToCheck === 0 ? 'pas de doublon probable en attente' : `${f.duplicatesToCheck} doublon(s) probable(s) à décider`);

  const unresolved = order.lines.filter((l) => !l.sku || l.quantity === null);
  const doubtful = order.lines.filter((l) => l.confidence < policy.minConfidence || l.doubts.length > 0);
  check('lines', order.lines.length > 0 && unresolved.length === 0, order.lines.length === 0 ? 'aucune ligne' : unresolved.length ? `ligne(s) ${unresolved.map((l) => l.lineNumber).join(', ')} sans article ou sans quantité` : `${order.lines.length} ligne(s), toutes avec article et quantité`);
  // The document's confidence lowered by the accepted only-address flag alone is the lines' confidence.
  const accepted = acceptsOnlyAddress(policy, order) && flaggedBesidesOnlyAddress(order).length === 0 && order.confidence >= FLAGGED_CONFIDENCE;
  const docConf = accepted ? Math.min(1, ...order.lines.map((l) => l.confidence)) : order.confidence;
  const conf = Math.min(docConf, ...order.lines.map((l) => l.confidence));
  check('confidence', doubtful.length === 0 && docConf >= policy.minConfidence, doubtful.length || docConf < policy.minConfidence ? `lu avec un doute (${Math.round(conf * 100)} % < ${Math.round(policy.minConfidence * 100)} %${doubtful.length ? `, ligne(s) ${doubtful.map((l) => l.lineNumber).join(', ')}` : ''})` : `lu sans doute (≥ ${Math.round(policy.minConfidence * 100)} %)`);
  if (policy.maxLines !== null) check('max-lines', order.lines.length <= policy.maxLines, `${order.lines.length} ligne(s)${order.lines.length <= policy.maxLines ? ' ≤ ' : ' > '}${policy.maxLines}`);

  const flagged = acceptsOnlyAddress(policy, order) ? flaggedBesidesOnlyAddress(order).map((k) => [k]) : Object.entries(order.evidence ?? {}).filter(([, e]) => e.flagged || e.source === 'default');
  const shipFromMd = order.provenance.signals.includes(SHIP_TO_DEFAULTED) || order.evidence?.shipTo?.source === 'master-data';
  const fieldsOk = flagged.length === 0 && (policy.shipToFromMasterData || !shipFromMd);
  check('fields', fieldsOk, flagged.length ? `champ(s) non corroboré(s) : ${flagged.map(([k]) => k).join(', ')}` : !fieldsOk ? 'adresse de livraison prise du référentiel, pas lue (ship_to_from_master_data: false)' : 'chaque champ lu et corroboré');

  const amount = orderAmount(order.lines, f.listPrice);
  if (amount.value === null) check('amount', false, amount.missing ? `montant inconnu (ligne ${amount.missing.lineNumber} sans ${amount.missing.what})` : 'montant inconnu');
  else if (amount.estimatedLines > 0 && !catalogPricesAllowed(policy, f.channel, order)) check('amount', false, `${amount.estimatedLines} ligne(s) sans prix lu (catalog_prices: ${Array.isArray(policy.catalogPrices) ? `seulement ${policy.catalogPrices.join(', ')}` : 'false'}${policy.catalogPricesWhenNonePrinted ? ` ; ${order.evidence?.prices?.rule === NO_PRICE_PRINTED ? `document sans prix lu par ${order.provenance.parser}, hors de catalog_prices_when_none_printed` : order.evidence?.prices ? 'le document imprime un prix ou peut en imprimer un' : 'la lecture ne dit pas si le document imprime des prix'}` : ''})`);
  else {
    // Lines priced from our list alone make an amount in the list's currency.
    const cap = amountAgainstCap(amount.value, order.lines.some((l) => l.unitPrice !== null) ? order.currency : LIST_CURRENCY, policy);
    check('amount', cap.ok, cap.why);
  }

  // Stock-out and over-limit orders are never touchless, whatever the policy says.
  if (f.stock) {
    const short = shortLines(order, f.stock);
    check('stock', short.length === 0, short.length ? `rupture : ${short.map((l) => `${l.sku} ${l.quantity} demandé(s), ${l.available} disponible(s)`).join(' ; ')}` : 'stock disponible pour chaque ligne');
  } else check('stock', !policy.requireErpChecks, policy.requireErpChecks ? "stock non lu dans l'ERP" : "stock non vérifié (require_erp_checks: false)");
  if (f.credit?.blocked) check('credit', false, `blocage financier : ${f.credit.blocked}`);
  else if (f.credit) {
    const over = overCreditLimit(f.credit, amount.value);
    check('credit', !over, f.credit.limit === null ? 'pas de limite de crédit' : over ? `limite de crédit : encours ${euros(f.credit.used)} + commande > limite ${euros(f.credit.limit)}` : `encours ${euros(f.credit.used)} + commande ≤ limite ${euros(f.credit.limit)}`);
  } else check('credit', !policy.requireErpChecks, policy.requireErpChecks ? "crédit non lu dans l'ERP" : 'crédit non vérifié (require_erp_checks: false)');

  if (f.shipToDeliverable === false) check('delivery', false, `blocage de livraison : adresse ${order.shipTo.code ?? order.shipTo.gln} inconnue ou bloquée dans l'ERP`);

  return { touchless: checks.every((c) => c.ok), policyVersion: policy.version, checks };
}

/** The structured readers, and the channel whose documents they read: an EDI or JSON order attached to an e-mail is as structured. */
const STRUCTURED: Record<string, Channel> = { 'api-json': 'api', 'x12-850': 'edi', 'edifact-orders': 'edi' };

/**
 * Whether lines without a printed price may take the ERP's price: by channel or by the structured reader
 * that read it (catalog_prices), else only when the reader is certain that the document prints no
 * price at all (catalog_prices_when_none_printed and the order's evidence `prices`).
 */
export function catalogPricesAllowed(policy: Pick<TouchlessPolicy, 'catalogPrices' | 'catalogPricesWhenNonePrinted'>, channel: Channel | null, order: Pick<Order, 'provenance' | 'evidence'>): boolean {
  if (policy.catalogPrices === true) return true;
  const as = [channel, STRUCTURED[order.provenance.parser] ?? null];
  if (Array.isArray(policy.catalogPrices) && as.some((c) => c !== null && (policy.catalogPrices as Channel[]).includes(c))) return true;
  const byReader = policy.catalogPricesWhenNonePrinted;
  const reader = byReader === true || (Array.isArray(byReader) && (byReader as string[]).includes(order.provenance.parser));
  return reader && order.evidence?.prices?.rule === NO_PRICE_PRINTED;
}

/** True when only the ERP's checks are left to pass: then, and only then, is the ERP asked. */
export function worthAskingErp(d: TouchlessDecision): boolean {
  return d.checks.every((c) => c.ok || ERP_CHECKS.has(c.code));
}

/** The reasons of a decision in one line: what passed (touchless) or what did not. */
export function explainTouchless(d: TouchlessDecision): string {
  return (d.touchless ? d.checks : d.checks.filter((c) => !c.ok)).map((c) => c.why).join(' ; ');
}

// ------------------------------------------------------------------ replay over recent orders

/** The order as it was read, before agents corrected it (their corrections undone, last first). */
export function orderAsRead(s: Pick<OrderState, 'order' | 'corrections'>): Order {
  const order: Order = { ...s.order, customer: { ...s.order.customer }, lines: s.order.lines.map((l) => ({ ...l })) };
  for (const c of [...s.corrections].reverse()) {
    const [head, n, field] = c.field.split('.');
    if (head === 'lines' && n && field) {
      const line = order.lines.find((l) => l.lineNumber === Number(n));
      if (line) (line as Record<string, unknown>)[field] = c.from;
    } else if (c.field === 'customer.id') order.customer.id = (c.from as string | null) ?? null;
    else (order as Record<string, unknown>)[c.field] = c.from;
  }
  return order;
}

export interface ReplayOutcome {
  orderId: string;
  channel: Channel | null;
  touchless: boolean;
  /** Would have gone in, and an agent later changed it (corrected, rejected, undid the entry). */
  wrong: string | null;
  /** The checks that failed (not touchless), or the ERP's stop recorded at the time. */
  failed: TouchlessCheck[];
}

/**
 * The policy over one past order, without side effects: the order as first read and routed, the
 * customer's history before it; stock and credit are not read again (today's stock says nothing of
 * last week's): the ERP's stop recorded in the order's history counts, otherwise they pass.
 */
export function replayOrder(policy: TouchlessPolicy, s: OrderState, facts: { previousOrders: number; listPrice: (sku: string) => number | null }): ReplayOutcome {
  const routedAt = s.history.find((h) => h.event === 'routed' || h.event === 'needs-review');
  const status: OrderStatus = routedAt?.event === 'routed' ? 'routed' : routedAt ? 'needs-review' : s.status;
  const order = orderAsRead(s);
  const probable = s.documents.filter((d) => d.role === 'duplicate' && (d.probable || d.confirmedBy) && (!routedAt || Date.parse(d.receivedAt) <= Date.parse(routedAt.at))).length;
  const d = decideTouchless({ ...policy, requireErpChecks: false }, {
    order, channel: s.documents[0]?.channel ?? null, status, problems: s.problems, previousOrders: facts.previousOrders, duplicatesToCheck: probable, listPrice: facts.listPrice, stock: null, credit: null,
  });
  const erpStop = s.history.find((h) => h.event === 'not touchless');
  const failed = d.checks.filter((c) => !c.ok && !ERP_CHECKS.has(c.code));
  if (d.touchless && erpStop) failed.push({ code: 'erp', ok: false, why: erpStop.detail ?? "arrêtée par l'ERP" });
  const touchless = failed.length === 0;
  const changedBy = s.corrections.length ? `corrigée par ${[...new Set(s.corrections.map((c) => c.by))].join(', ')} (${s.corrections.map((c) => c.field).join(', ')})`
    : s.status === 'rejected' ? `rejetée${s.rejection ? ` : ${s.rejection}` : ''}`
    : s.touchless?.undone ? `saisie automatique annulée par ${s.touchless.undone.by}` : null;
  return { orderId: s.orderId, channel: s.documents[0]?.channel ?? null, touchless, wrong: touchless ? changedBy : null, failed };
}

export interface ReplaySummary {
  orders: number;
  touchless: number;
  wrong: ReplayOutcome[];
  byChannel: Record<string, { orders: number; touchless: number; wrong: number }>;
  /** Why the others did not go through: per check, how many orders, one example. */
  reasons: { code: string; orders: number; example: string }[];
}

export function summariseReplay(outcomes: ReplayOutcome[]): ReplaySummary {
  const byChannel: ReplaySummary['byChannel'] = {};
  const reasons = new Map<string, { code: string; orders: number; example: string }>();
  for (const o of outcomes) {
    const c = (byChannel[o.channel ?? 'inconnu'] ??= { orders: 0, touchless: 0, wrong: 0 });
    c.orders++;
    if (o.touchless) c.touchless++;
    if (o.wrong) c.wrong++;
    for (const f of o.failed) {
      const r = reasons.get(f.code) ?? { code: f.code, orders: 0, example: f.why };
      r.orders++;
      reasons.set(f.code, r);
    }
  }
  return { orders: outcomes.length, touchless: outcomes.filter((o) => o.touchless).length, wrong: outcomes.filter((o) => o.wrong), byChannel, reasons: [...reasons.values()].sort((a, b) => b.orders - a.orders) };
}
