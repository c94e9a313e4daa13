// `aiguillage masterdata pull`: our master-data CSVs (DESIGN.md) written from the ERP, where a real
// company keeps its customers and products. Columns the ERP does not hold (market, e-mail domains,
// EDI ids, the customer's currency: Tryton keeps one per party only with its sale_price_list module,
// not installed) keep the values already in our files; cross_references.csv is ours alone and is left as is.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../storage/atomic';
import { join } from 'node:path';
import { formatCsv, parseCsv } from '../domain/csv';
import type { TrytonClient } from './tryton/client';

const COLUMNS = {
  'company.csv': ['name', 'vat_number', 'siret', 'street', 'postal_code', 'city', 'country', 'x12_id', 'edifact_gln'],
  'customers.csv': ['id', 'name', 'market', 'vat_number', 'siret', 'email_domains', 'phone', 'fax', 'x12_id', 'edifact_gln', 'currency'],
  'addresses.csv': ['customer_id', 'code', 'type', 'gln', 'name', 'street', 'postal_code', 'city', 'country'],
  'products.csv': ['sku', 'description', 'product_line', 'unit', 'list_price', 'ean'],
} as const;
type FileName = keyof typeof COLUMNS;
type Row = Record<string, string>;

interface Identifier { type: string | null; code: string }
interface Mechanism { type: string; value: string }
interface PartyRow { id: number; code: string | null; name: string; 'identifiers.'?: Identifier[]; 'contact_mechanisms.'?: Mechanism[] }
interface AddressRow { id: number; party: number; party_name: string | null; street: string | null; postal_code: string | null; city: string | null; invoice?: boolean | number; delivery?: boolean | number; 'country.'?: { code: string } | null; 'identifiers.'?: Identifier[] }
interface TemplateRow { code: string | null; name: string; list_price: number | null; 'default_uom.'?: { symbol: string }; 'categories.'?: { name: string }[]; products: number[] }

const idOf = (ids: Identifier[] | undefined, type: string | null) => ids?.find((i) => (i.type || null) === type)?.code ?? '';
/** Our address code and its GLN ride on Tryton's address as untyped identifiers (Tryton 8.2 has no GLN type): the GLN is the one of 13 digits. */
const GLN = /^\d{13}$/;
const addressIds = (ids: Identifier[] | undefined) => {
  const untyped = (ids ?? []).filter((i) => !i.type);
  return { code: untyped.find((i) => !GLN.test(i.code))?.code ?? '', gln: untyped.find((i) => GLN.test(i.code))?.code ?? idOf(ids, 'gln') };
};

export interface PullResult {
  files: { file: FileName; rows: number }[];
}

/** Reads the ERP's parties, addresses and products and writes the CSVs into `dir` (each atomically). */
export async function pullMasterData(client: TrytonClient, dir: string): Promise<PullResult> {
  const prefs = await client.model<{ company: number | null }>('res.user', 'get_preferences', [true]);
  const ctx = prefs.company ? { company: prefs.company } : {};
  const [company] = prefs.company ? await client.model<{ party: number }[]>('company.company', 'read', [[prefs.company], ['party']], ctx) : [];
  const partyFields = ['code', 'name', 'identifiers.type', 'identifiers.code', 'contact_mechanisms.type', 'contact_mechanisms.value'];
  const parties = await client.model<PartyRow[]>('party.party', 'search_read', [[], 0, null, [['code', 'ASC']], partyFields], ctx);
  const addresses = await client.model<AddressRow[]>('party.address', 'search_read', [[], 0, null, [['party', 'ASC'], ['sequence', 'ASC'], ['id', 'ASC']], ['party', 'party_name', 'street', 'postal_code', 'city', 'invoice', 'delivery', 'country.code', 'identifiers.type', 'identifiers.code']], ctx);
  const templates = await client.model<TemplateRow[]>('product.template', 'search_read', [[['salable', '=', true]], 0, null, [['code', 'ASC']], ['code', 'name', 'list_price', 'default_uom.symbol', 'categories.name', 'products']], ctx);
  const productIds = templates.flatMap((t) => t.products.slice(0, 1));
  const eans = await client.model<{ product: number; code: string }[]>('product.identifier', 'search_read', [[['type', '=', 'ean'], ['product', 'in', productIds]], 0, null, null, ['product', 'code']], ctx);
  const eanOf = new Map(eans.map((e) => [e.product, e.code]));

  const mech = (p: PartyRow, type: string) => p['contact_mechanisms.']?.find((m) => m.type === type)?.value ?? '';
  const us = parties.find((p) => p.id === company?.party);
  const customers = parties.filter((p) => p.code && p.id !== company?.party);
  const byParty = new Map<number, AddressRow[]>();
  for (const a of addresses) byParty.set(a.party, [...(byParty.get(a.party) ?? []), a]);
  const addressRow = (a: AddressRow) => ({ street: a.street?.replaceAll('\n', ', ') ?? '', postal_code: a.postal_code ?? '', city: a.city ?? '', country: a['country.']?.code ?? '' });

  const out: Record<FileName, Row[]> = {
    'company.csv': us ? [{ name: us.name, vat_number: idOf(us['identifiers.'], 'eu_vat'), siret: idOf(us['identifiers.'], 'fr_siret'), ...(byParty.get(us.id)?.[0] ? addressRow(byParty.get(us.id)![0]!) : {}) }] : [],
    'customers.csv': customers.map((p) => ({ id: p.code!, name: p.name, vat_number: idOf(p['identifiers.'], 'eu_vat'), siret: idOf(p['identifiers.'], 'fr_siret'), phone: mech(p, 'phone'), fax: mech(p, 'fax') })),
    'addresses.csv': customers.flatMap((p) =>
      (byParty.get(p.id) ?? []).map((a, i) => ({
        customer_id: p.code!,
        code: addressIds(a['identifiers.']).code || `${p.code}-${i + 1}`,
        type: a.delivery && !a.invoice ? 'delivery' : 'billing',
        gln: addressIds(a['identifiers.']).gln,
        name: a.party_name ?? p.name,
        ...addressRow(a),
      })),
    ),
    'products.csv': templates.filter((t) => t.code).map((t) => ({
      sku: t.code!, description: t.name, product_line: t['categories.']?.[0]?.name ?? '', unit: t['default_uom.']?.symbol ?? '',
      list_price: t.list_price === null ? '' : t.list_price.toFixed(2), ean: eanOf.get(t.products[0]!) ?? '',
    })),
  };

  const files: PullResult['files'] = [];
  for (const file of Object.keys(COLUMNS) as FileName[]) {
    const rows = mergeWithOurs(join(dir, file), file, out[file]);
    await writeFileAtomic(join(dir, file), formatCsv(COLUMNS[file], rows));
    files.push({ file, rows: rows.length });
  }
  return { files };
}

/** The ERP's values win; a column it left empty keeps ours (same key: customer id, address code, SKU). */
function mergeWithOurs(path: string, file: FileName, rows: Row[]): Row[] {
  if (!existsSync(path)) return rows;
  const key = (r: Row) => (file === 'customers.csv' ? r.id : file === 'addresses.csv' ? `${r.customer_id}/${r.code}` : file === 'products.csv' ? r.sku : 'company');
  const ours = new Map(parseCsv(readFileSync(path, 'utf8'), path, []).map((r) => [key(r.values), r.values]));
  return rows.map((r) => {
    const old = ours.get(key(r));
    if (!old) return r;
    const merged: Row = { ...old };
    for (const [k, v] of Object.entries(r)) if (v !== '' || !(k in old)) merged[k] = v;
    return merged;
  });
}
