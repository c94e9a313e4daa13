// Master data (DESIGN.md): who we are, our customers, their addresses, our catalog and the
// customers' own part numbers. Loaded from CSV; every error names file, line and column.
import { CsvError, parseCsv, type CsvRow } from './csv';
import { foldName } from './names';

export { foldName };

export interface Company {
  name: string;
  vatNumber: string;
  siret: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  x12Id: string;
  edifactGln: string;
}

export interface Customer {
  id: string;
  name: string;
  market: string;
  vatNumber: string | null;
  siret: string | null;
  emailDomains: string[];
  phone: string | null;
  fax: string | null;
  x12Id: string | null;
  edifactGln: string | null;
  /** The currency the customer is invoiced in (ISO 4217, the sale price list's); absent: not said (the company's). */
  currency?: string | null;
}

export interface CustomerAddress {
  customerId: string;
  code: string;
  type: 'billing' | 'delivery';
  gln: string | null;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface Product {
  sku: string;
  description: string;
  productLine: string;
  unit: string;
  listPrice: number | null;
  ean: string | null;
}

export interface CrossReference {
  customerId: string;
  customerPartNumber: string;
  sku: string;
}

export interface MasterDataRecords {
  company: Company;
  customers: Customer[];
  addresses: CustomerAddress[];
  products: Product[];
  crossReferences: CrossReference[];
}

export const MASTER_DATA_FILES = {
  company: ['name', 'vat_number', 'siret', 'street', 'postal_code', 'city', 'country', 'x12_id', 'edifact_gln'],
  customers: ['id', 'name', 'market', 'vat_number', 'siret', 'email_domains', 'phone', 'fax', 'x12_id', 'edifact_gln'],
  addresses: ['customer_id', 'code', 'type', 'gln', 'name', 'street', 'postal_code', 'city', 'country'],
  products: ['sku', 'description', 'product_line', 'unit', 'list_price', 'ean'],
  cross_references: ['customer_id', 'customer_part_number', 'sku'],
} as const;

/** Digits only, French national form: "+33 1 44 55 66 77", "01.44.55.66.77" → "144556677". */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // "+33 (0)4 …": the trunk zero in brackets is not dialled from abroad.
  let d = raw.replace(/\(0\)/g, '').replace(/\D/g, '');
  if (d.startsWith('0033')) d = d.slice(4);
  else if (d.startsWith('33') && d.length === 11) d = d.slice(2);
  if (d.startsWith('0') && d.length === 10) d = d.slice(1);
  return d.length >= 6 ? d : null;
}

export function normaliseVat(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const v = raw.replace(/[\s.-]/g, '').toUpperCase();
  return v.length >= 4 ? v : null;
}

export function normaliseSiret(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const d = raw.replace(/\D/g, '');
  return d.length === 14 || d.length === 9 ? d : null;
}

/** Indexed, read-only master data. Build with loadMasterData(dir) or new MasterData(records). */
export class MasterData {
  readonly company: Company;
  readonly customers: readonly Customer[];
  readonly addresses: readonly CustomerAddress[];
  readonly products: readonly Product[];
  readonly crossReferences: readonly CrossReference[];

  private byId = new Map<string, Customer>();
  private byDomain = new Map<string, Customer>();
  private byVat = new Map<string, Customer>();
  private bySiret = new Map<string, Customer>();
  private bySiren = new Map<string, Customer>();
  private byPhone = new Map<string, Customer>();
  private byX12 = new Map<string, Customer>();
  private byGln = new Map<string, Customer>();
  private addressGlnIndex = new Map<string, CustomerAddress>();
  private productBySku = new Map<string, Product>();
  private eanIndex = new Map<string, Product>();
  private xref = new Map<string, string>();

  constructor(records: MasterDataRecords) {
    this.company = records.company;
    this.customers = records.customers;
    this.addresses = records.addresses;
    this.products = records.products;
    this.crossReferences = records.crossReferences;
    for (const c of records.customers) {
      this.byId.set(c.id, c);
      for (const d of c.emailDomains) this.byDomain.set(d.toLowerCase(), c);
      const vat = normaliseVat(c.vatNumber);
      if (vat) this.byVat.set(vat, c);
      const siret = normaliseSiret(c.siret);
      if (siret) {
        this.bySiret.set(siret, c);
        this.bySiren.set(siret.slice(0, 9), c);
      }
      for (const p of [c.phone, c.fax]) {
        const n = normalisePhone(p);
        if (n) this.byPhone.set(n, c);
      }
      if (c.x12Id) this.byX12.set(c.x12Id.trim().toUpperCase(), c);
      if (c.edifactGln) this.byGln.set(c.edifactGln.trim(), c);
    }
    for (const a of records.addresses) if (a.gln) this.addressGlnIndex.set(a.gln, a);
    for (const p of records.products) {
      this.productBySku.set(p.sku.toUpperCase(), p);
      if (p.ean) this.eanIndex.set(p.ean, p);
    }
    for (const x of records.crossReferences) this.xref.set(xrefKey(x.customerId, x.customerPartNumber), x.sku);
  }

  customer(id: string): Customer | undefined {
    return this.byId.get(id);
  }
  customerByEmail(address: string): Customer | undefined {
    const domain = address.split('@').pop()?.trim().toLowerCase().replace(/>$/, '');
    if (!domain) return undefined;
    // "commandes.dupont.fr" also belongs to "dupont.fr"
    const parts = domain.split('.');
    for (let i = 0; i < parts.length - 1; i++) {
      const c = this.byDomain.get(parts.slice(i).join('.'));
      if (c) return c;
    }
    return undefined;
  }
  customerByVat(vat: string): Customer | undefined {
    const v = normaliseVat(vat);
    return v ? this.byVat.get(v) : undefined;
  }
  customerBySiret(siret: string): Customer | undefined {
    const s = normaliseSiret(siret);
    if (!s) return undefined;
    return this.bySiret.get(s) ?? this.bySiren.get(s.slice(0, 9));
  }
  customerByPhone(phone: string): Customer | undefined {
    const n = normalisePhone(phone);
    return n ? this.byPhone.get(n) : undefined;
  }
  customerByX12Id(id: string): Customer | undefined {
    return this.byX12.get(id.trim().toUpperCase());
  }
  customerByGln(gln: string): Customer | undefined {
    return this.byGln.get(gln.trim());
  }
  customerByName(name: string): Customer | undefined {
    const n = foldName(name);
    if (n.length < 3) return undefined;
    return this.customers.find((c) => foldName(c.name) === n);
  }
  addressByGln(gln: string): CustomerAddress | undefined {
    return this.addressGlnIndex.get(gln.trim());
  }
  addressesOf(customerId: string, type?: CustomerAddress['type']): CustomerAddress[] {
    return this.addresses.filter((a) => a.customerId === customerId && (!type || a.type === type));
  }
  product(sku: string): Product | undefined {
    return this.productBySku.get(sku.trim().toUpperCase());
  }
  productByEan(ean: string): Product | undefined {
    const e = ean.trim();
    return this.eanIndex.get(e) ?? this.eanIndex.get(e.padStart(13, '0')) ?? this.eanIndex.get(e.replace(/^0+/, ''));
  }
  skuForCustomerPart(customerId: string, part: string): string | undefined {
    return this.xref.get(xrefKey(customerId, part));
  }
  /** True when the text names us, the supplier (so our own block is never taken for the customer). */
  isOurs(evidence: { vat?: string | null; siret?: string | null; name?: string | null; gln?: string | null; x12Id?: string | null }): boolean {
    const c = this.company;
    if (evidence.vat && normaliseVat(evidence.vat) === normaliseVat(c.vatNumber)) return true;
    if (evidence.siret && normaliseSiret(evidence.siret)?.slice(0, 9) === normaliseSiret(c.siret)?.slice(0, 9)) return true;
    if (evidence.gln && evidence.gln.trim() === c.edifactGln) return true;
    if (evidence.x12Id && evidence.x12Id.trim().toUpperCase() === c.x12Id.toUpperCase()) return true;
    if (evidence.name && foldName(evidence.name) === foldName(c.name)) return true;
    return false;
  }
}

function xrefKey(customerId: string, part: string): string {
  return `${customerId}\u0000${part.trim().toUpperCase().replace(/\s+/g, '')}`;
}

/** Lower case, no accents, no legal form, single spaces: "Quincaillerie Dupont S.A.S." → "quincaillerie dupont". */

// ---------------------------------------------------------------- loading

/** One master-data file as read by storage/: its path (for messages) and its text, null when it is absent. */
export type MasterDataFileReader = (name: keyof typeof MASTER_DATA_FILES) => { file: string; text: string | null };

function readCsv(read: MasterDataFileReader, name: keyof typeof MASTER_DATA_FILES, optional = false): { file: string; rows: CsvRow[] } {
  const got = read(name);
  if (got.text === null) {
    if (optional) return { file: got.file, rows: [] };
    throw new CsvError(got.file, 0, null, `file not found (master data needs ${name}.csv with columns ${MASTER_DATA_FILES[name].join(',')})`);
  }
  return { file: got.file, rows: parseCsv(got.text, got.file, MASTER_DATA_FILES[name]) };
}

function req(file: string, row: CsvRow, col: string): string {
  const v = row.values[col] ?? '';
  if (v === '') throw new CsvError(file, row.line, col, 'a value is required');
  return v;
}
function opt(row: CsvRow, col: string): string | null {
  const v = row.values[col] ?? '';
  return v === '' ? null : v;
}
function country(file: string, row: CsvRow, col: string): string {
  const v = req(file, row, col).toUpperCase();
  if (!/^[A-Z]{2}$/.test(v)) throw new CsvError(file, row.line, col, `"${v}" is not an ISO 3166 alpha-2 country code (e.g. FR)`);
  return v;
}

/** The master data from its CSV files (storage/masterdata-source.ts reads them): file:line errors on bad rows. */
export function masterDataFromCsv(read: MasterDataFileReader): MasterData {
  const co = readCsv(read, 'company');
  const first = co.rows[0];
  if (!first) throw new CsvError(co.file, 2, null, 'company.csv needs one row describing us, the supplier');
  const company: Company = {
    name: req(co.file, first, 'name'),
    vatNumber: req(co.file, first, 'vat_number'),
    siret: req(co.file, first, 'siret'),
    street: req(co.file, first, 'street'),
    postalCode: req(co.file, first, 'postal_code'),
    city: req(co.file, first, 'city'),
    country: country(co.file, first, 'country'),
    x12Id: opt(first, 'x12_id') ?? '',
    edifactGln: opt(first, 'edifact_gln') ?? '',
  };

  const customers = customersOf(readCsv(read, 'customers'));
  const seen = new Set(customers.map((c) => c.id));

  const ad = readCsv(read, 'addresses');
  const addresses: CustomerAddress[] = ad.rows.map((r) => {
    const customerId = req(ad.file, r, 'customer_id');
    if (!seen.has(customerId)) throw new CsvError(ad.file, r.line, 'customer_id', `unknown customer "${customerId}" (not in customers.csv)`);
    const type = req(ad.file, r, 'type');
    if (type !== 'billing' && type !== 'delivery') throw new CsvError(ad.file, r.line, 'type', `"${type}" must be billing or delivery`);
    return {
      customerId,
      code: req(ad.file, r, 'code'),
      type,
      gln: opt(r, 'gln'),
      name: req(ad.file, r, 'name'),
      street: req(ad.file, r, 'street'),
      postalCode: req(ad.file, r, 'postal_code'),
      city: req(ad.file, r, 'city'),
      country: country(ad.file, r, 'country'),
    };
  });

  const products = productsOf(readCsv(read, 'products'));
  const skus = new Set(products.map((p) => p.sku.toUpperCase()));

  const xr = readCsv(read, 'cross_references', true);
  const crossReferences: CrossReference[] = xr.rows.map((r) => {
    const customerId = req(xr.file, r, 'customer_id');
    if (!seen.has(customerId)) throw new CsvError(xr.file, r.line, 'customer_id', `unknown customer "${customerId}"`);
    const sku = req(xr.file, r, 'sku');
    if (!skus.has(sku.toUpperCase())) throw new CsvError(xr.file, r.line, 'sku', `unknown SKU "${sku}" (not in products.csv)`);
    return { customerId, customerPartNumber: req(xr.file, r, 'customer_part_number'), sku };
  });

  return new MasterData({ company, customers, addresses, products, crossReferences });
}

/** customers.csv: unique IDs, e-mail domains and GLNs checked. */
function customersOf(cu: { file: string; rows: CsvRow[] }): Customer[] {
  const seen = new Set<string>();
  return cu.rows.map((r) => {
    const id = req(cu.file, r, 'id');
    if (seen.has(id)) throw new CsvError(cu.file, r.line, 'id', `duplicate customer id "${id}"`);
    seen.add(id);
    const domains = (opt(r, 'email_domains') ?? '').split(';').map((d) => d.trim().toLowerCase()).filter(Boolean);
    for (const d of domains) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) throw new CsvError(cu.file, r.line, 'email_domains', `"${d}" is not a domain name (separate several with ';')`);
    }
    const gln = opt(r, 'edifact_gln');
    if (gln && !/^\d{13}$/.test(gln)) throw new CsvError(cu.file, r.line, 'edifact_gln', `"${gln}" is not a 13-digit GLN`);
    const currency = opt(r, 'currency');
    if (currency && !/^[A-Z]{3}$/.test(currency)) throw new CsvError(cu.file, r.line, 'currency', `"${currency}" is not an ISO 4217 currency code (EUR, CHF, GBP…)`);
    return {
      id,
      name: req(cu.file, r, 'name'),
      market: req(cu.file, r, 'market'),
      vatNumber: opt(r, 'vat_number'),
      siret: opt(r, 'siret'),
      emailDomains: domains,
      phone: opt(r, 'phone'),
      fax: opt(r, 'fax'),
      x12Id: opt(r, 'x12_id'),
      edifactGln: gln,
      currency,
    };
  });
}

/** products.csv: unique SKUs (whatever their case), prices and EANs checked. */
function productsOf(pr: { file: string; rows: CsvRow[] }): Product[] {
  const skus = new Set<string>();
  return pr.rows.map((r) => {
    const sku = req(pr.file, r, 'sku');
    if (skus.has(sku.toUpperCase())) throw new CsvError(pr.file, r.line, 'sku', `duplicate SKU "${sku}"`);
    skus.add(sku.toUpperCase());
    const priceRaw = opt(r, 'list_price');
    const listPrice = priceRaw === null ? null : Number(priceRaw.replace(',', '.'));
    if (listPrice !== null && !(listPrice >= 0)) throw new CsvError(pr.file, r.line, 'list_price', `"${priceRaw}" is not a price (use 12.50)`);
    const ean = opt(r, 'ean');
    if (ean && !/^\d{8,14}$/.test(ean)) throw new CsvError(pr.file, r.line, 'ean', `"${ean}" is not an EAN of 8 to 14 digits`);
    return { sku, description: req(pr.file, r, 'description'), productLine: req(pr.file, r, 'product_line'), unit: req(pr.file, r, 'unit'), listPrice, ean };
  });
}
