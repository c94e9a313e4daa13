// Our canonical order as a Tryton sale (sale.sale): party by its code (our customer ID), ship-to by the
// address identifier that carries our address code (or its GLN), lines by product code (our SKU).
// Exactly once: the sale carries our order key in its description; it is looked up before creating,
// and if two attempts raced, the older sale wins and the newer, still a draft, is deleted.
import type { Order } from '../../domain/order';
import { ErpRefused, ErpUnavailable, erpOrderKey, type ErpConnector, type ErpCredit, type ErpDeliveryAddress, type ErpOrderState, type ErpOrderStatus, type ErpSalesOrder, type ErpStage, type ErpStock } from '../connector';
import { decimal, TrytonClient, TrytonError, type TrytonClientOptions } from './client';
import { perKeyLimit } from '../../activities/per-key-limit';
import { erpShipToRefusal } from '../../domain/portfolio';

interface SaleRow {
  id: number;
  number: string | null;
  state: string;
  shipment_state?: string;
  invoice_state?: string;
}
interface AddressRow {
  id: number;
  invoice?: boolean | number;
  delivery?: boolean | number;
  'identifiers.'?: { code: string }[];
}
interface ProductRow {
  id: number;
  code: string;
  quantity?: number;
  forecast_quantity?: number;
  list_price_used?: number | null;
  'default_uom.'?: { id: number; symbol: string };
  'sale_uom.'?: { id: number; symbol: string };
}

const STATES: Record<string, ErpOrderState> = { draft: 'draft', quotation: 'quotation', confirmed: 'confirmed', processing: 'processing', done: 'done', cancelled: 'cancelled' };
const stateOf = (s: string): ErpOrderState => STATES[s] ?? 'processing';

export class TrytonConnector implements ErpConnector {
  readonly name = 'tryton';
  readonly client: TrytonClient;
  private ctx: Promise<{ company: number; warehouse: number | null; currency: string }> | null = null;

  constructor(opts: TrytonClientOptions) {
    this.client = new TrytonClient(opts);
  }

  /** The user's company (Tryton's multi-company context) and the first warehouse. */
  private context() {
    this.ctx ??= (async () => {
      const prefs = await this.client.model<{ company: number | null }>('res.user', 'get_preferences', [true]);
      if (!prefs.company) throw new ErpRefused("l'utilisateur Tryton n'a pas de société : créez-la (scripts/tryton) ou choisissez-la dans ses préférences");
      const [company] = await this.client.model<{ 'currency.': { code: string } }[]>('company.company', 'read', [[prefs.company], ['currency.code']]);
      const [wh] = await this.client.model<{ id: number }[]>('stock.location', 'search_read', [[['type', '=', 'warehouse']], 0, 1, null, ['id']]);
      return { company: prefs.company, warehouse: wh?.id ?? null, currency: company?.['currency.']?.code ?? 'EUR' };
    })().catch((e) => {
      this.ctx = null;
      throw e;
    });
    return this.ctx;
  }

  private async salesFor(orderId: string, ctx: Record<string, unknown>): Promise<SaleRow[]> {
    // A cancelled sale (an undone touchless entry) is not the order any more: entering it again makes a new one.
    return this.client.model<SaleRow[]>('sale.sale', 'search_read', [[['description', '=', erpOrderKey(orderId)], ['state', '!=', 'cancelled']], 0, null, [['id', 'ASC']], ['number', 'state']], ctx);
  }

  /**
   * One creation at a time per order in this process: Tryton numbers a sale when it is created but
   * shows it to others only once committed, so two racing attempts could each see only their own
   * sale and both keep it. Across processes (a retry after a crash) the older attempt is dead.
   */
  private readonly onePerOrder = perKeyLimit(1);

  createSalesOrder(order: Order, orderId: string, opts: { stage?: ErpStage } = {}): Promise<ErpSalesOrder> {
    return this.onePerOrder(orderId, () => this.createOnce(order, orderId, opts.stage ?? 'confirmed'));
  }

  /**
   * Tryton cancels a draft or a quotation; a confirmed sale not yet processed goes back to draft first.
   * A sale in process (shipments made) is Tryton's to refuse, with its own message.
   */
  async cancelSalesOrder(erpRef: string): Promise<{ state: ErpOrderState }> {
    const { company } = await this.context();
    const ctx = { company };
    const id = Number(erpRef);
    const read = async () => (await this.client.model<SaleRow[]>('sale.sale', 'search_read', [[['id', '=', id]], 0, 1, null, ['number', 'state']], ctx))[0];
    const sale = Number.isInteger(id) && id > 0 ? await read() : undefined;
    if (!sale) throw new ErpRefused(`la vente ${erpRef} n'existe pas dans Tryton`, 'erp-rule');
    if (sale.state === 'cancelled') return { state: 'cancelled' };
    if (sale.state !== 'draft' && sale.state !== 'quotation' && sale.state !== 'confirmed') throw new ErpRefused(`la vente ${sale.number ?? id} est à l'état « ${sale.state} » (expéditions ou factures engagées) : Tryton ne l'annule plus, à traiter dans Tryton`, 'erp-rule');
    try {
      if (sale.state === 'confirmed') await this.client.model('sale.sale', 'draft', [[id]], ctx);
      await this.client.model('sale.sale', 'cancel', [[id]], ctx);
    } catch (e) {
      if (e instanceof TrytonError && e.isUserError) throw new ErpRefused(e.message, 'erp-rule');
      throw e;
    }
    const after = await read();
    return { state: stateOf(after?.state ?? 'cancelled') };
  }

  private async createOnce(order: Order, orderId: string, stage: ErpStage): Promise<ErpSalesOrder> {
    const { company } = await this.context();
    const ctx = { company };
    let created = false;
    let [sale] = await this.salesFor(orderId, ctx);
    if (!sale) {
      await this.refuseBlocked(order);
      const values = await this.saleValues(order, orderId, ctx);
      const [id] = await this.client.model<number[]>('sale.sale', 'create', [[values]], ctx);
      created = true;
      // Two attempts that raced (a retry while the first was still running) both created: the older
      // sale is the order, the newer one (a draft nobody saw) goes.
      const all = await this.salesFor(orderId, ctx);
      sale = all[0]!;
      if (sale.id !== id) {
        await this.client.model('sale.sale', 'delete', [[id]], ctx).catch(() => undefined);
        created = false;
      }
    }
    const now = await this.confirm(sale, ctx, stage);
    return { connector: this.name, erpRef: String(sale.id), number: now.number, state: stateOf(now.state), created };
  }

  /**
   * Draft → quotation → confirmed. An attempt racing this one may move the sale under our feet: a
   * transition refused because the state changed is that race (read again, go on); refused twice in
   * the same state is Tryton saying no, with its reason.
   */
  private async confirm(sale: SaleRow, ctx: Record<string, unknown>, stage: ErpStage): Promise<SaleRow> {
    let current = sale;
    for (let attempt = 0; attempt < 6; attempt++) {
      if (current.state !== 'draft' && (current.state !== 'quotation' || stage === 'quotation')) return current;
      const step = current.state === 'draft' ? 'quote' : 'confirm';
      try {
        await this.client.model('sale.sale', step, [[current.id]], ctx);
      } catch (e) {
        if (!(e instanceof TrytonError && e.isUserError)) throw e;
        const [again] = await this.client.model<SaleRow[]>('sale.sale', 'search_read', [[['id', '=', current.id]], 0, 1, null, ['number', 'state']], ctx);
        if (again && again.state !== current.state) {
          current = again;
          continue;
        }
        if (again && (again.state === 'draft' || again.state === 'quotation')) {
          // Refused (credit limit, missing data): the sale goes, so that the corrected order is made anew.
          await this.client.model('sale.sale', 'draft', [[current.id]], ctx).catch(() => undefined);
          await this.client.model('sale.sale', 'delete', [[current.id]], ctx).catch(() => undefined);
        }
        throw new ErpRefused(e.message, e.warning?.endsWith('credit_limit_amount') ? 'credit-limit' : 'erp-rule');
      }
      const [next] = await this.client.model<SaleRow[]>('sale.sale', 'search_read', [[['id', '=', current.id]], 0, 1, null, ['number', 'state']], ctx);
      if (!next) throw new ErpUnavailable(`the Tryton sale ${current.id} disappeared while it was being confirmed`);
      current = next;
    }
    return current;
  }

  /**
   * Before creating: a customer whose sales Tryton blocks (deactivated, no credit at all) or a ship-to
   * Tryton will not deliver to (deactivated, not for deliveries) is refused with Tryton's reason, as the
   * portfolio and touchless read them (readCredit, readDeliveryAddresses, domain/portfolio.ts).
   */
  private async refuseBlocked(order: Order): Promise<void> {
    const customerId = order.customer.id;
    if (!customerId) return; // saleValues says so
    const [credit, addresses] = await Promise.all([this.readCredit(customerId), this.readDeliveryAddresses(customerId)]);
    if (credit?.blocked) throw new ErpRefused(credit.blocked, 'blocked-customer');
    const refusal = addresses ? erpShipToRefusal(order.shipTo, addresses) : null;
    if (refusal) throw new ErpRefused(refusal, 'blocked-address');
  }

  private async saleValues(order: Order, orderId: string, ctx: Record<string, unknown>): Promise<Record<string, unknown>> {
    const customerId = order.customer.id;
    if (!customerId) throw new ErpRefused('client non identifié : impossible de créer la commande dans l’ERP', 'unknown-customer');
    const [party] = await this.client.model<{ id: number }[]>('party.party', 'search_read', [[['code', '=', customerId]], 0, 1, null, ['id']], ctx);
    if (!party) throw new ErpRefused(`le client ${customerId} n'existe pas dans Tryton`, 'unknown-customer');
    const addresses = await this.client.model<AddressRow[]>('party.address', 'search_read', [[['party', '=', party.id]], 0, null, [['id', 'ASC']], ['invoice', 'delivery', 'identifiers.code']], ctx);
    const codes = (a: AddressRow) => (a['identifiers.'] ?? []).map((i) => i.code);
    const invoice = addresses.find((a) => a.invoice) ?? addresses[0];
    let shipment: AddressRow | undefined;
    const wanted = [order.shipTo.code, order.shipTo.gln].filter((x): x is string => Boolean(x));
    if (wanted.length > 0) {
      shipment = addresses.find((a) => wanted.some((w) => codes(a).includes(w)));
      if (!shipment) throw new ErpRefused(`adresse de livraison ${wanted.join(' / ')} inconnue pour le client ${customerId} dans Tryton`, 'unknown-address');
    } else {
      const deliveries = addresses.filter((a) => a.delivery);
      shipment = deliveries.length === 1 ? deliveries[0] : invoice;
    }
    if (!invoice || !shipment) throw new ErpRefused(`le client ${customerId} n'a pas d'adresse dans Tryton`, 'unknown-address');

    if (order.lines.length === 0) throw new ErpRefused('la commande n’a pas de ligne', 'incomplete-order');
    const skus = [...new Set(order.lines.map((l) => l.sku).filter((s): s is string => Boolean(s)))];
    const products = await this.client.model<ProductRow[]>('product.product', 'search_read', [[['code', 'in', skus]], 0, null, null, ['code', 'list_price_used', 'sale_uom.symbol', 'default_uom.symbol']], ctx);
    const bySku = new Map(products.map((p) => [p.code, p]));
    const lines = order.lines.map((l) => {
      if (!l.sku) throw new ErpRefused(`ligne ${l.lineNumber} : référence article manquante`, 'incomplete-order');
      if (!l.quantity) throw new ErpRefused(`ligne ${l.lineNumber} : quantité manquante`, 'incomplete-order');
      const p = bySku.get(l.sku);
      if (!p) throw new ErpRefused(`ligne ${l.lineNumber} : l'article ${l.sku} n'existe pas dans Tryton`, 'unknown-product');
      const unit = p['sale_uom.'] ?? p['default_uom.'];
      const price = l.unitPrice ?? p.list_price_used;
      if (price === null || price === undefined) throw new ErpRefused(`ligne ${l.lineNumber} : pas de prix pour ${l.sku}`, 'incomplete-order');
      return { type: 'line', product: p.id, quantity: l.quantity, ...(unit ? { unit: unit.id } : {}), unit_price: decimal(price), ...(l.description ? { description: l.description } : {}) };
    });
    let currency: number | undefined;
    if (order.currency) {
      const [c] = await this.client.model<{ id: number }[]>('currency.currency', 'search_read', [[['code', '=', order.currency]], 0, 1, null, ['id']], ctx);
      if (!c) throw new ErpRefused(`devise ${order.currency} inconnue dans Tryton`, 'incomplete-order');
      currency = c.id;
    }
    return {
      party: party.id,
      invoice_address: invoice.id,
      shipment_address: shipment.id,
      reference: order.poNumber,
      description: erpOrderKey(orderId),
      ...(currency ? { currency } : {}),
      lines: [['create', lines]],
    };
  }

  async readOrderState(erpRef: string): Promise<ErpOrderStatus | null> {
    const { company } = await this.context();
    const id = Number(erpRef);
    if (!Number.isInteger(id) || id <= 0) return null;
    const rows = await this.client.model<SaleRow[]>('sale.sale', 'search_read', [[['id', '=', id]], 0, 1, null, ['number', 'state', 'shipment_state', 'invoice_state']], { company });
    const s = rows[0];
    return s ? { erpRef, number: s.number, state: stateOf(s.state), shipmentState: s.shipment_state ?? null, invoiceState: s.invoice_state ?? null } : null;
  }

  async readStock(skus: string[]): Promise<Map<string, ErpStock>> {
    const { company, warehouse } = await this.context();
    const out = new Map<string, ErpStock>();
    if (skus.length === 0) return out;
    const rows = await this.client.model<ProductRow[]>('product.product', 'search_read', [[['code', 'in', skus]], 0, null, null, ['code', 'quantity', 'forecast_quantity', 'default_uom.symbol']], {
      company,
      ...(warehouse ? { locations: [warehouse] } : {}),
    });
    for (const r of rows) out.set(r.code, { sku: r.code, onHand: r.quantity ?? 0, forecast: r.forecast_quantity ?? 0, unit: r['default_uom.']?.symbol ?? null });
    return out;
  }

  /**
   * The customer's credit, and whether Tryton blocks their sales (blocage financier): a party
   * deactivated in Tryton, or a credit limit of 0 (Tryton then refuses any sale to them).
   */
  async readCredit(customerId: string): Promise<ErpCredit | null> {
    const { company, currency } = await this.context();
    const [p] = await this.client.model<{ credit_limit_amount: number | null; credit_amount: number | null; active: boolean }[]>('party.party', 'search_read', [[['code', '=', customerId], ['active', 'in', [true, false]]], 0, 1, null, ['credit_limit_amount', 'credit_amount', 'active']], { company });
    if (!p) return null;
    const limit = p.credit_limit_amount ?? null;
    const blocked = !p.active ? `client ${customerId} désactivé dans Tryton` : limit === 0 ? `limite de crédit à 0 pour ${customerId} dans Tryton (compte bloqué)` : null;
    return { customerId, currency, limit, used: p.credit_amount ?? 0, blocked };
  }

  /** The customer's addresses by our codes (and GLNs), deactivated ones and those not marked for deliveries included. */
  async readDeliveryAddresses(customerId: string): Promise<ErpDeliveryAddress[] | null> {
    const { company } = await this.context();
    const [party] = await this.client.model<{ id: number }[]>('party.party', 'search_read', [[['code', '=', customerId], ['active', 'in', [true, false]]], 0, 1, null, ['id']], { company });
    if (!party) return null;
    const rows = await this.client.model<(AddressRow & { active: boolean })[]>('party.address', 'search_read', [[['party', '=', party.id], ['active', 'in', [true, false]]], 0, null, [['id', 'ASC']], ['active', 'delivery', 'identifiers.code']], { company });
    const blocked = (a: { active: boolean; delivery?: boolean | number }) => (!a.active ? 'désactivée dans Tryton' : !a.delivery ? "pas ouverte aux livraisons dans Tryton (case « Livraison » non cochée)" : null);
    return rows.flatMap((a) => {
      const why = blocked(a);
      return (a['identifiers.'] ?? []).map((i) => (why ? { code: i.code, deliverable: false, blocked: why } : { code: i.code, deliverable: true }));
    });
  }
}
