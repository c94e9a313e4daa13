// Line-level evidence (issue #13): each line read from a document says how its article was identified
// and what corroborates it; a line something contradicts is flagged by itself, so that the agent
// knows WHICH line to check, not only that the document holds a wrong one.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../storage/masterdata-source';
import { resolveOrder, type DraftLine, type DraftOrder } from '../../domain/resolve';
import { matchDesignation, unlikelyQuantity } from '../../domain/line-evidence';

const MD = loadMasterData(join(import.meta.dirname, '../../fixtures/masterdata'));

/** An order read from a document (evidence present): C001, delivered in 69200, dated 2026. */
function read(lines: DraftLine[], extra: Partial<DraftOrder> = {}) {
  const draft: DraftOrder = {
    poNumber: 'CDE-1',
    orderDate: '2026-10-02',
    customer: { id: 'C001' },
    shipTo: { postalCode: '69200', street: 'ZI de la Mouche 14 rue Jean Moulin', city: 'Vénissieux' },
    lines,
    provenance: { parser: 'pdf-text' },
    evidence: {},
    ...extra,
  };
  return resolveOrder(draft, MD);
}
const codes = (r: ReturnType<typeof read>) => r.problems.map((p) => p.code);

describe('a line read from a document carries its evidence', () => {
  it('says how the article was identified and that the designation and the amount agree', () => {
    const r = read([{ sku: 'VIS-440', description: 'Vis inox A2 tête fraisée 4x40', quantity: 10, unitPrice: 18.9, amount: 189, confidence: 1 }]);
    const line = r.order.lines[0]!;
    expect(line.evidence).toMatchObject({ source: 'document', rule: 'our SKU as printed', text: 'VIS-440', flagged: false });
    expect(line.evidence!.corroboratedBy).toEqual([
      expect.stringContaining('designation agrees'),
      'quantity × unit price = amount printed (189)',
      'unit price 18.9 near the list price 18.9',
    ]);
    expect(line.confidence).toBe(1);
    expect(line.doubts).toEqual([]);
  });

  it('names a customer part number resolved through the cross references, and an EAN that agrees', () => {
    const r = read([{ customerPartNumber: 'BCR-100234', ean: '3760123450003', quantity: 4, confidence: 1 }], { customer: { id: 'C002' }, shipTo: {} });
    const line = r.order.lines[0]!;
    expect(line.sku).toBe('VIS-440');
    expect(line.evidence).toMatchObject({ rule: 'customer part number (cross_references.csv)', text: 'BCR-100234', corroboratedBy: ['EAN printed agrees with the reference'] });
  });

  it('gives a line without its article or quantity a confidence that says it cannot be right as read', () => {
    const r = read([{ sku: 'XYZ-999', quantity: 4, confidence: 1 }, { sku: 'VIS-440', quantity: null, confidence: 1 }, { sku: 'CHV-6', quantity: 2, confidence: 1 }]);
    expect(r.order.lines.map((l) => [l.confidence, l.evidence!.flagged])).toEqual([[0.5, true], [0.5, true], [1, false]]);
    expect(codes(r)).toEqual(['UNKNOWN_ITEM', 'MISSING_QUANTITY']);
    // An API order's unknown article is an anomaly, not a reading doubt.
    expect(resolveOrder({ poNumber: 'X', customer: { id: 'C001' }, lines: [{ sku: 'XYZ-999', quantity: 4 }], provenance: { parser: 'api-json' } }, MD).order.lines[0]!.confidence).toBe(1);
  });

  it('leaves EDI and API orders (no reader evidence) as they were', () => {
    const r = resolveOrder({ poNumber: 'X', customer: { id: 'C001' }, lines: [{ sku: 'VIS-440', description: 'Cheville nylon 6x30 (boîte de 100)', quantity: 2026 }], provenance: { parser: 'api-json' } }, MD);
    expect(r.order.lines[0]!.evidence).toBeUndefined();
    expect(r.order.lines[0]!.confidence).toBe(1);
    expect(codes(r)).toEqual([]);
  });
});

describe('the designation printed against the catalog', () => {
  it('flags a designation that is clearly another product, naming both', () => {
    const r = read([{ sku: 'VIS-440', description: 'Cheville nylon 6x30 (boîte de 100)', quantity: 10, confidence: 1 }]);
    const line = r.order.lines[0]!;
    expect(line.confidence).toBe(0.5);
    expect(line.evidence!.flagged).toBe(true);
    expect(line.doubts.at(-1)).toContain('is that of CHV-6');
    expect(r.problems.find((p) => p.code === 'ITEM_CONFLICT')).toMatchObject({ severity: 'warning', where: 'line 1', message: expect.stringContaining('not of VIS-440') });
    expect(r.order.confidence).toBe(0.5);
  });

  it('flags a size that is another product of the same family (4x50 printed, VIS-440 read)', () => {
    const r = read([{ sku: 'VIS-440', description: 'Vis inox A2 tête fraisée 4x50 (boîte de 200)', quantity: 10, confidence: 1 }]);
    expect(r.problems.find((p) => p.code === 'ITEM_CONFLICT')?.message).toContain('is that of VIS-450');
  });

  it('stays neutral on a designation in another language, or none', () => {
    for (const description of ['Gehörschutz', 'Wall plug', null]) {
      const r = read([{ sku: 'CHV-PLQ', description, quantity: 3, confidence: 1 }]);
      expect(r.order.lines[0]!.confidence).toBe(1);
      expect(r.order.lines[0]!.evidence!.corroboratedBy).toEqual([]);
      expect(codes(r)).not.toContain('ITEM_CONFLICT');
    }
  });

  it('reads a size across languages ("Sechskantschraube M8x40" names BOU-M8)', () => {
    const m = matchDesignation('Sechskantschraube M8x40', 'BOU-M8', MD);
    expect(m.read).toBeGreaterThanOrEqual(3);
    expect(m.shared).toEqual(['m8x40']);
  });
});

describe('the price against the list price', () => {
  it('flags a price far from the article read (another article, or quantity and price mixed up)', () => {
    const r = read([{ sku: 'VIS-440', quantity: 19, unitPrice: 180, amount: 3420, confidence: 1 }]);
    expect(r.problems.find((p) => p.code === 'ITEM_PRICE_CONFLICT')).toMatchObject({ where: 'line 1', message: expect.stringContaining('far from the list price 18.9 of VIS-440') });
    expect(r.order.lines[0]!.confidence).toBe(0.5);
  });

  it('does not compare a price per another unit', () => {
    const r = read([{ sku: 'VIS-440', quantity: 2, unit: 'CAR', unitPrice: 180, amount: 360, confidence: 1 }]);
    expect(codes(r)).not.toContain('ITEM_PRICE_CONFLICT');
  });

  it('flags a priced line that nothing corroborates (no amount, price off the list, designation naming nothing)', () => {
    const r = read([{ sku: 'VIS-440', description: 'Schraube', quantity: 10, unitPrice: 9, confidence: 1 }]);
    expect(r.problems.find((p) => p.code === 'LINE_UNCORROBORATED')?.where).toBe('line 1');
    expect(r.order.lines[0]!.confidence).toBe(0.6);
  });

  it('flags the one line whose amount does not agree when the other lines\' amounts do', () => {
    const r = read([
      { sku: 'VIS-440', quantity: 10, unitPrice: 18.9, amount: 189, confidence: 1 },
      { sku: 'CHV-6', quantity: 5, unitPrice: 5.6, amount: 28, confidence: 1 },
      { sku: 'RON-M8', quantity: 3, unitPrice: 7.9, amount: null, confidence: 1 },
      { sku: 'ECR-M8', quantity: 2, unitPrice: 9.4, amount: 18.8, confidence: 1 },
    ]);
    expect(r.problems.filter((p) => p.code === 'LINE_UNCORROBORATED').map((p) => p.where)).toEqual(['line 3']);
    expect(r.order.lines.map((l) => l.confidence)).toEqual([1, 1, 0.6, 1]);
  });

  it('flags every line of a table half of whose lines are contradicted (misread as a whole)', () => {
    const r = read([
      { sku: 'VIS-440', description: 'Cheville nylon 6x30 (boîte de 100)', quantity: 10, confidence: 1 },
      { sku: 'CHV-6', description: 'Rondelle plate M8 (boîte de 500)', quantity: 5, confidence: 1 },
      { sku: 'RON-M8', description: null, quantity: 3, confidence: 1 },
    ]);
    expect(r.problems.map((p) => `${p.code} ${p.where}`)).toEqual(['ITEM_CONFLICT line 1', 'ITEM_CONFLICT line 2', 'LINE_UNCORROBORATED line 3']);
    expect(r.order.lines[2]!.doubts).toEqual(['2 of the 3 lines are contradicted by what they print: the table may be misread as a whole']);
  });

  it('leaves a typed line without price alone (nothing could corroborate it, nothing contradicts it)', () => {
    const r = read([{ sku: 'VIS-440', quantity: 10, confidence: 1 }]);
    expect(r.order.lines[0]!.confidence).toBe(1);
    expect(r.problems).toEqual([]);
  });
});

describe('a quantity the product cannot be ordered in', () => {
  const ctx = { years: [2026], postalCodes: ['69200'] };
  const q = (quantity: number, more: { unit?: string | null; unitPrice?: number | null; amount?: number | null } = {}) =>
    unlikelyQuantity({ quantity, unit: more.unit ?? null, unitPrice: more.unitPrice ?? null, amount: more.amount ?? null }, MD.product('VIS-440'), ctx);

  it('flags a copy of another number of the document, or a fraction of a box', () => {
    expect(q(2026)).toContain('year');
    expect(q(69200)).toContain('postal code');
    expect(q(3760123450003)).toContain('EAN');
    expect(q(18.9)).toContain('not a whole number of BTE');
    expect(q(189, { unitPrice: 18.9, amount: 189 })).toContain("line's amount");
  });

  it('accepts ordinary quantities, and fractions of a unit that is measured', () => {
    expect(q(2000)).toBeNull();
    expect(q(12)).toBeNull();
    expect(q(2.5, { unit: 'M' })).toBeNull();
  });

  it('flags the line in the order', () => {
    const r = read([{ sku: 'VIS-440', quantity: 2026, confidence: 1 }]);
    expect(r.problems.find((p) => p.code === 'QUANTITY_UNLIKELY')).toMatchObject({ where: 'line 1', message: expect.stringContaining('quantity 2026 is the year') });
    expect(r.order.lines[0]!.confidence).toBe(0.5);
  });
});

describe('lines the order\'s other lines put in doubt', () => {
  it('flags the same article and quantity printed again, naming the first line', () => {
    const r = read([
      { sku: 'VIS-440', quantity: 10, confidence: 1 },
      { sku: 'CHV-6', quantity: 5, confidence: 1 },
      { sku: 'VIS-440', quantity: 10, confidence: 1 },
      { sku: 'VIS-440', quantity: 12, confidence: 1 },
    ]);
    expect(r.problems.filter((p) => p.code === 'LINE_REPEATED')).toEqual([expect.objectContaining({ where: 'line 3', message: expect.stringContaining('same article and quantity as line 1') })]);
    expect(r.order.lines.map((l) => l.confidence)).toEqual([1, 1, 0.6, 1]);
  });

  it('flags quantities that are every line\'s position', () => {
    const r = read([10, 20, 30].map((n, i) => ({ lineNumber: n, sku: ['VIS-440', 'CHV-6', 'RON-M8'][i]!, quantity: n, confidence: 1 })));
    expect(r.problems.filter((p) => p.code === 'QUANTITY_UNLIKELY').map((p) => p.where)).toEqual(['line 10', 'line 20', 'line 30']);
    const ok = read([10, 20, 30].map((n, i) => ({ lineNumber: n, sku: ['VIS-440', 'CHV-6', 'RON-M8'][i]!, quantity: i === 1 ? 7 : n, confidence: 1 })));
    expect(codes(ok)).toEqual([]);
  });
});

describe("a reader's doubt on a code found inside the designation", () => {
  const doubt = 'page 1, row 1: reference found inside the designation';
  const odoo = { sku: 'VIS-450', description: '[VIS-450] Vis inox A2 tête fraisée 4x50 (boîte de 200)', quantity: 3, unitPrice: 19.26, amount: 57.78, confidence: 1 };

  it('is answered when the designation without the code names that article and the amount agrees', () => {
    const line = read([{ ...odoo, doubts: [doubt] }]).order.lines[0]!;
    expect(line.doubts).toEqual([]);
    expect(line.evidence!.corroboratedBy).toContain('code VIS-450 found inside the designation, which names that article without it (vis, inox, a2, tete, fraisee, 4x50, boite, de, 200)');
    expect(line.evidence!.flagged).toBe(false);
  });

  it('is answered on a line printing no price when the code is the only one of the catalogue in the designation, its confidence whole again', () => {
    const line = read([{ ...odoo, unitPrice: null, amount: null, confidence: 0.9, doubts: ['reference found inside the designation'] }]).order.lines[0]!;
    expect(line.doubts).toEqual([]);
    expect(line.confidence).toBe(1);
    expect(line.evidence!.corroboratedBy).toContain('code VIS-450 found inside the designation, which names that article without it (vis, inox, a2, tete, fraisee, 4x50, boite, de, 200), the only code of the catalogue in it, no price printed');
  });

  it('stays on a line printing no price when the designation holds another code, names another article, or names none', () => {
    const unpriced = { ...odoo, unitPrice: null, amount: null, doubts: [doubt] };
    expect(read([{ ...unpriced, description: '[VIS-450] Vis inox A2 tête fraisée 4x50 (boîte de 200) remplace VIS-440' }]).order.lines[0]!.doubts).toContain(doubt);
    expect(read([{ ...unpriced, description: 'Cheville nylon 8x40 pour VIS-450' }]).order.lines[0]!.doubts).toContain(doubt);
    expect(read([{ ...unpriced, description: 'VIS-450 article' }]).order.lines[0]!.doubts).toContain(doubt);
  });

  it('stays when a price printed on the line does not agree, or the designation only mentions the code', () => {
    expect(read([{ ...odoo, amount: 60, doubts: [doubt] }]).order.lines[0]!.doubts).toEqual([doubt]);
    expect(read([{ ...odoo, description: 'Remplace VIS-450 par le modèle suivant', doubts: [doubt] }]).order.lines[0]!.doubts).toContain(doubt);
    // Another doubt of the reader on the same line: not lifted by this one's answer.
    expect(read([{ ...odoo, doubts: [doubt, 'page 1, row 1: quantity read across two cells'] }]).order.lines[0]!.doubts).toContain(doubt);
  });
});
