import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalisePhone, foldName } from '../../domain/masterdata';
import { loadMasterData } from '../../storage/masterdata-source';
import { CsvError, parseCsv } from '../../domain/csv';

const SAMPLE = join(import.meta.dirname, '../../fixtures/masterdata');

function copyWith(file: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-'));
  cpSync(SAMPLE, dir, { recursive: true });
  writeFileSync(join(dir, file), content);
  return dir;
}

describe('master data', () => {
  it('loads the sample master data and indexes it', () => {
    const md = loadMasterData(SAMPLE);
    expect(md.company.name).toBe('Fixations Rhône-Alpes SAS');
    expect(md.customers.length).toBeGreaterThanOrEqual(25);
    expect(md.products.length).toBeGreaterThanOrEqual(40);
    expect(md.customerByEmail('achats@dupont-quincaillerie.fr')?.id).toBe('C001');
    expect(md.customerByEmail('Jean <jean@commandes.dupont-quincaillerie.fr>')?.id).toBe('C001');
    expect(md.customerByPhone('04.78.12.34.57')?.id).toBe('C001');
    expect(md.customerByVat('FR 12 345678901')?.id).toBe('C001');
    expect(md.customerByX12Id('bricocentre')?.id).toBe('C002');
    expect(md.customerByGln('3020000000024')?.id).toBe('C007');
    expect(md.skuForCustomerPart('C002', 'bcr-100234')).toBe('VIS-440');
    expect(md.productByEan(md.product('VIS-440')!.ean!)?.sku).toBe('VIS-440');
    expect(md.addressByGln('3020000100014')?.city).toBe('Villeurbanne');
    expect(md.isOurs({ vat: 'FR47 512345678' })).toBe(true);
    expect(md.isOurs({ vat: 'FR12345678901' })).toBe(false);
  });

  it('names file, line and column of a bad value', () => {
    const dir = copyWith('products.csv', 'sku,description,product_line,unit,list_price,ean\nVIS-1,Vis,VISSERIE,U,12.5,3760123450003\nVIS-2,Vis,VISSERIE,U,douze,\n');
    expect(() => loadMasterData(dir)).toThrowError(/products\.csv:3 \(column list_price\): "douze" is not a price/);
  });

  it("reads a customer's currency when customers.csv has the column, and names a bad one", () => {
    const rows = readFileSync(join(SAMPLE, 'customers.csv'), 'utf8').trim().split('\n');
    const withColumn = (c001: string) => [`${rows[0]},currency`, ...rows.slice(1).map((r) => `${r},${r.startsWith('C001,') ? c001 : ''}`)].join('\n');
    const md = loadMasterData(copyWith('customers.csv', withColumn('CHF')));
    expect(md.customer('C001')?.currency).toBe('CHF');
    expect(md.customer('C002')?.currency).toBeNull();
    expect(loadMasterData(SAMPLE).customer('C001')?.currency ?? null).toBeNull();
    expect(() => loadMasterData(copyWith('customers.csv', withColumn('francs')))).toThrowError(/customers\.csv:2 \(column currency\): "francs" is not an ISO 4217 currency code/);
  });

  it('names a missing column and an unclosed quote', () => {
    expect(() => parseCsv('sku,description\nA,B\n', 'p.csv', ['sku', 'ean'])).toThrowError(/p\.csv:1 \(column ean\): missing column/);
    expect(() => parseCsv('a,b\n1,"open\n2,3\n', 'q.csv', ['a'])).toThrowError(CsvError);
  });

  it('refuses a cross reference to an unknown SKU', () => {
    const dir = copyWith('cross_references.csv', 'customer_id,customer_part_number,sku\nC001,X-1,NOPE\n');
    expect(() => loadMasterData(dir)).toThrowError(/cross_references\.csv:2 \(column sku\): unknown SKU "NOPE"/);
  });

  it('normalises phone numbers and names', () => {
    expect(normalisePhone('+33 (0)4 78 12 34 57')).toBe(normalisePhone('04 78 12 34 57'));
    expect(foldName('Matériaux Martin SARL')).toBe('materiaux martin');
  });
});
