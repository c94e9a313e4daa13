// What an agent must check before entering an order (needs-review), said in words they use.
// The order still goes to its routed agent, flagged: never to limbo. Pure (runs in the workflow).
import type { DedupResult } from './dedup';
import type { Order, Problem } from './order';
import type { MasterData } from './masterdata';

export type AnomalySeverity = 'error' | 'warning' | 'info';

export interface Anomaly {
  /** Stable code for filters and statistics: 'UNKNOWN_ITEM', 'PRICE_OFF_LIST'… */
  code: string;
  /** In French, for the agent: "Prix de VIS-440 : 12,00 € au lieu de 18,90 € au tarif (−36,5 %)". */
  message: string;
  /** error and warning put the order in needs-review; info is shown but does not. */
  severity: AnomalySeverity;
  /** Where: 'customer', 'poNumber', 'line 2 / unitPrice', or the extraction problem's location. */
  field: string | null;
}

export interface AnomalyConfig {
  /** Relative gap from the list price beyond which a price is flagged (0.10 = 10 %). */
  priceTolerance: number;
  /** Confidence below which the order or a line is flagged. */
  minConfidence: number;
  /** A quantity this many times above (or below) the customer's median is unusual. */
  quantityFactor: number;
  /** Past orders of an item needed before judging a quantity. */
  minHistory: number;
}

export const DEFAULT_ANOMALY_CONFIG: AnomalyConfig = { priceTolerance: 0.1, minConfidence: 0.8, quantityFactor: 5, minHistory: 3 };

/** What anomaly detection knows of a catalogue item (products.csv). */
export interface ProductFacts {
  sku: string;
  description: string;
  unit: string;
  listPrice: number | null;
}

export interface AnomalyInput {
  order: Order;
  /** Problems the extraction reported for this document. */
  problems: readonly Problem[];
  /** Catalogue facts for (at least) the order's SKUs. */
  products: readonly ProductFacts[] | Readonly<Record<string, ProductFacts>>;
  /** Whether order.customer.id names a customer of customers.csv (null id counts as unknown anyway). */
  customerInMasterData: boolean;
  /** This customer's past quantities per SKU (most recent orders), from order history. */
  history?: Readonly<Record<string, readonly number[]>>;
  /** The dedup decision, to flag an amendment or cancellation whose original was not found. */
  dedup?: Pick<DedupResult, 'decision' | 'matchOrderId'>;
}

export interface AnomalyReport {
  anomalies: Anomaly[];
  needsReview: boolean;
  status: 'needs-review' | 'routed';
}

export function detectAnomalies(input: AnomalyInput, config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG): AnomalyReport {
  const out: Anomaly[] = [];
  const add: AddAnomaly = (code, severity, field, message) => out.push({ code, severity, field, message });
  const products = new Map((Array.isArray(input.products) ? input.products : Object.values(input.products)).map((p: ProductFacts) => [p.sku.toUpperCase(), p]));

  headerAnomalies(input, config, add);
  const seen = new Map<string, number>();
  for (const line of input.order.lines) lineAnomalies(line, { input, config, products, seen }, add);

  for (const p of input.problems) {
    if (p.severity === 'info') continue;
    add(p.code, p.severity, p.where, p.message);
  }

  const needsReview = out.some((a) => a.severity !== 'info');
  return { anomalies: out, needsReview, status: needsReview ? 'needs-review' : 'routed' };
}

type AddAnomaly = (code: string, severity: AnomalySeverity, field: string | null, message: string) => void;
type OrderLine = Order['lines'][number];

/** What the order says as a whole: its customer, PO, lines at all, revision, dates, reading confidence. */
function headerAnomalies(input: AnomalyInput, config: AnomalyConfig, add: AddAnomaly): void {
  const { order } = input;
  if (!order.customer.id) add('UNKNOWN_CUSTOMER', 'error', 'customer', `Client non identifié${order.customer.name ? ` (« ${order.customer.name} » n’est pas dans le référentiel)` : ''} : choisir le client avant la saisie.`);
  else if (!input.customerInMasterData) add('UNKNOWN_CUSTOMER', 'error', 'customer', `Le client ${order.customer.id} n’existe pas dans le référentiel clients.`);

  if (!order.poNumber) add('MISSING_PO', 'warning', 'poNumber', 'N° de commande client absent : le demander ou noter la référence utilisée.');

  if (order.purpose !== 'cancel' && order.lines.length === 0) add('NO_LINES', 'error', 'lines', 'Aucune ligne de commande lue dans le document.');

  if (input.dedup && input.dedup.matchOrderId === null && (input.dedup.decision === 'amendment' || input.dedup.decision === 'cancellation')) {
    const po = order.poNumber ?? '(sans n°)';
    add(
      'REVISION_WITHOUT_ORIGINAL',
      'error',
      'poNumber',
      input.dedup.decision === 'cancellation'
        ? `Annulation d'une commande introuvable : aucune commande n° ${po} reçue de ce client. Rien à saisir ; vérifier si elle a été saisie autrement (téléphone, ERP). Gardée : la commande d'origine s'y rattachera si elle arrive, et sera annulée.`
        : `Modification d'une commande introuvable : aucune commande n° ${po} reçue de ce client. Vérifier avec le client avant de saisir ; la commande d'origine s'y rattachera si elle arrive.`,
    );
  }

  if (order.orderDate && order.requestedDeliveryDate && order.requestedDeliveryDate < order.orderDate) {
    add('DELIVERY_BEFORE_ORDER', 'warning', 'requestedDeliveryDate', `Livraison souhaitée le ${frDate(order.requestedDeliveryDate)}, avant la date de commande (${frDate(order.orderDate)}).`);
  }

  if (order.confidence < config.minConfidence) {
    add('LOW_CONFIDENCE', 'warning', null, `Document lu avec une confiance de ${percent(order.confidence)} : vérifier la commande contre l’original.`);
  }
}

interface LineContext {
  input: AnomalyInput;
  config: AnomalyConfig;
  /** The catalogue by upper-case SKU. */
  products: ReadonlyMap<string, ProductFacts>;
  /** The first line number of each upper-case SKU met so far (filled in as lines go by). */
  seen: Map<string, number>;
}

/** One line's item, quantity, price, usual quantity, reading confidence and repetition, in that order. */
function lineAnomalies(line: OrderLine, { input, config, products, seen }: LineContext, add: AddAnomaly): void {
  const where = `line ${line.lineNumber}`;
  const label = line.sku ?? line.customerPartNumber ?? line.description ?? `ligne ${line.lineNumber}`;
  const product = line.sku ? products.get(line.sku.toUpperCase()) : undefined;

  if (!line.sku) add('UNKNOWN_ITEM', 'error', `${where} / sku`, `Ligne ${line.lineNumber} : article non reconnu (${describe(line)}) : choisir l’article du catalogue.`);
  else if (!product) add('UNKNOWN_ITEM', 'error', `${where} / sku`, `Ligne ${line.lineNumber} : l’article ${line.sku} n’est pas au catalogue.`);

  if (line.quantity === null) add('MISSING_QUANTITY', 'error', `${where} / quantity`, `Ligne ${line.lineNumber} (${label}) : quantité illisible ou absente.`);

  if (product) priceAnomaly(line, product, config, add);
  unusualQuantity(line, input, config, add);

  if (line.confidence < config.minConfidence) {
    const doubts = line.doubts.length ? ` : ${line.doubts.join(' ; ')}` : '';
    add('LOW_CONFIDENCE', 'warning', where, `Ligne ${line.lineNumber} (${label}) lue avec une confiance de ${percent(line.confidence)}${doubts}.`);
  }

  if (line.sku) {
    const first = seen.get(line.sku.toUpperCase());
    if (first !== undefined) add('REPEATED_ITEM', 'info', `${where} / sku`, `Ligne ${line.lineNumber} : ${line.sku} figure déjà ligne ${first} ; vérifier qu’il ne s’agit pas d’un doublon.`);
    else seen.set(line.sku.toUpperCase(), line.lineNumber);
  }
}

/** The line's price against the list price, when both are known and in the same unit. */
function priceAnomaly(line: OrderLine, product: ProductFacts, config: AnomalyConfig, add: AddAnomaly): void {
  if (line.unitPrice === null || product.listPrice === null || !(product.listPrice > 0)) return;
  const where = `line ${line.lineNumber}`;
  // A price per other unit (a box vs a piece) is not comparable with the list price.
  if (line.unit && line.unit.toUpperCase() !== product.unit.toUpperCase()) {
    add('UNIT_DIFFERS', 'info', `${where} / unit`, `Ligne ${line.lineNumber} (${product.sku}) : commandé en ${line.unit}, tarif en ${product.unit} ; prix non comparé.`);
    return;
  }
  const gap = (line.unitPrice - product.listPrice) / product.listPrice;
  if (Math.abs(gap) > config.priceTolerance + 1e-9) {
    add('PRICE_OFF_LIST', 'warning', `${where} / unitPrice`, `Ligne ${line.lineNumber} (${product.sku}) : prix ${euros(line.unitPrice)} au lieu de ${euros(product.listPrice)} au tarif (${gap > 0 ? '+' : '−'}${Math.abs(gap * 100).toFixed(1).replace('.', ',')} %).`);
  }
}

/** The line's quantity against this customer's past quantities of the SKU (their median). */
function unusualQuantity(line: OrderLine, input: AnomalyInput, config: AnomalyConfig, add: AddAnomaly): void {
  const past = line.sku ? input.history?.[line.sku] ?? input.history?.[line.sku.toUpperCase()] : undefined;
  if (line.quantity === null || !past || !(past.length >= config.minHistory)) return;
  const med = median(past);
  if (med > 0 && (line.quantity > med * config.quantityFactor || line.quantity < med / config.quantityFactor)) {
    add('QUANTITY_UNUSUAL', 'warning', `line ${line.lineNumber} / quantity`, `Ligne ${line.lineNumber} (${line.sku}) : quantité ${line.quantity}, inhabituelle pour ce client (d’habitude ${Math.min(...past)} à ${Math.max(...past)}, médiane ${med}).`);
  }
}

function describe(line: OrderLine): string {
  const parts = [line.customerPartNumber && `réf. client ${line.customerPartNumber}`, line.ean && `EAN ${line.ean}`, line.description && `« ${line.description} »`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'aucune référence lue';
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function percent(x: number): string {
  return `${Math.round(x * 100)} %`;
}

function euros(n: number): string {
  return `${n.toFixed(2).replace('.', ',')} €`;
}

function frDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Reader problems that anomaly detection restates in the agents' words. */
export const COVERED_BY_ANOMALIES = new Set(['UNKNOWN_CUSTOMER', 'MISSING_PO', 'UNKNOWN_ITEM', 'MISSING_QUANTITY', 'NO_LINES']);

/**
 * The problems an order carries into its workflow: its anomalies against master data (and the
 * customer's history and the dedup decision when known), replacing the reader's codes for the same facts.
 */
export function orderProblems(order: Order, readProblems: Problem[], md: Pick<MasterData, 'product' | 'customer'>, extra: Pick<AnomalyInput, 'history' | 'dedup'> = {}): Problem[] {
  const products = order.lines.flatMap((l) => {
    const p = l.sku ? md.product(l.sku) : undefined;
    return p ? [{ sku: p.sku, description: p.description, unit: p.unit, listPrice: p.listPrice }] : [];
  });
  const report = detectAnomalies({ order, problems: readProblems.filter((p) => !COVERED_BY_ANOMALIES.has(p.code)), products, customerInMasterData: Boolean(order.customer.id && md.customer(order.customer.id)), ...extra });
  return report.anomalies.map((a) => ({ code: a.code, message: a.message, severity: a.severity, where: a.field }));
}
