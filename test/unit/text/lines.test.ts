import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { classifyHeader, classifyReference, draftLineFromCells, looksLikeReference, parseOrderLines, parseRows } from '../../../parsers/text/lines';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));
const brief = (text: string) => parseOrderLines(text, md).map((l) => [l.sku ?? l.customerPartNumber ?? l.ean, l.quantity]);

describe('parseOrderLines', () => {
  it('reads an aligned text table, cutting columns from the header words and stopping at the total', () => {
    const lines = parseOrderLines(
      `Réf.        Désignation                              Qté    PU HT     Montant HT
VIS-440     Vis inox A2 tête fraisée 4x40             10    18,90       189,00
CHV-8       Cheville nylon 8x40                       25     7,20       180,00
GAN-NIT     Gants nitrile T9                         100     2,80       280,00
                                                          Total HT      649,00

Cordialement,
Jean`,
      md,
    );
    expect(lines).toEqual([
      { lineNumber: 1, sku: 'VIS-440', customerPartNumber: null, ean: null, description: 'Vis inox A2 tête fraisée 4x40', quantity: 10, unit: null, unitPrice: 18.9, amount: 189, confidence: 1, doubts: [] },
      { lineNumber: 2, sku: 'CHV-8', customerPartNumber: null, ean: null, description: 'Cheville nylon 8x40', quantity: 25, unit: null, unitPrice: 7.2, amount: 180, confidence: 1, doubts: [] },
      { lineNumber: 3, sku: 'GAN-NIT', customerPartNumber: null, ean: null, description: 'Gants nitrile T9', quantity: 100, unit: null, unitPrice: 2.8, amount: 280, confidence: 1, doubts: [] },
    ]);
  });

  it('keeps a wrapped designation with its row and ignores the signature after the table', () => {
    const lines = parseOrderLines(
      `Code article   Désignation                     Qté   Unité
SER-3P         Serrure 3 points à larder         1   U
               finition laiton
MAS-FFP2       Masque FFP2 valve                10   BTE

Livrer à :
BTP Services
Rue des Martyrs`,
      md,
    );
    expect(lines.map((l) => [l.sku, l.quantity, l.unit, l.description])).toEqual([
      ['SER-3P', 1, 'U', 'Serrure 3 points à larder finition laiton'],
      ['MAS-FFP2', 10, 'BTE', 'Masque FFP2 valve'],
    ]);
  });

  it('reads "- 12 x VIS-440" lists in their usual spellings', () => {
    expect(brief('- 12 x VIS-440 vis inox 4x40\n* 5 x CHV-6 (chevilles)\n• MET-5M x 3\n2 boîtes de BOU-M8\nVIS-450 : 4 bte\n- CAD-40 cadenas laiton qté 6')).toEqual([
      ['VIS-440', 12],
      ['CHV-6', 5],
      ['MET-5M', 3],
      ['BOU-M8', 2],
      ['VIS-450', 4],
      ['CAD-40', 6],
    ]);
  });

  it('reads "Réf : … / Qté : …" blocks, one per line or several per line', () => {
    expect(brief('Réf : VIS-450\nDésignation : vis inox 4x50\nQté : 20\n\nRéf : CYL-EUR\nQté : 4 pièces\nPrix : 24,50 €')).toEqual([
      ['VIS-450', 20],
      ['CYL-EUR', 4],
    ]);
    expect(brief('Réf : VIS-440 - Qté : 12\nArticle: CHV-6 Quantité: 5')).toEqual([
      ['VIS-440', 12],
      ['CHV-6', 5],
    ]);
  });

  it('reads ";"-separated and tab-separated pastes, with or without a header', () => {
    expect(brief('Réf;Désignation;Qté;PU\nVIS-560;Vis agglo 5x60;40;12,75\nBOU-M10;Boulon M10;10;22,10')).toEqual([
      ['VIS-560', 40],
      ['BOU-M10', 10],
    ]);
    const tabs = parseOrderLines('VIS-660\tVis bois 6x60\t8\t16,30\nFOR-BET8\tForet béton 8x160\t20\t4,90', md);
    expect(tabs.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['VIS-660', 8, 16.3],
      ['FOR-BET8', 20, 4.9],
    ]);
  });

  it('takes customer part numbers and EANs that master data knows', () => {
    const lines = parseOrderLines('- 10 x BCR-100234\n- 4 x LM-4401100\n3760123450775 ; 3', md);
    // The third line is written another way (EAN ; quantity): read too, as a buyer mixing styles means it.
    expect(lines.map((l) => [l.sku, l.customerPartNumber, l.ean, l.quantity])).toEqual([
      [null, 'BCR-100234', null, 10],
      [null, 'LM-4401100', null, 4],
      [null, null, '3760123450775', 3],
    ]);
    expect(parseOrderLines('3760123450003 ; 12\n3760123450775 ; 3', md).map((l) => [l.ean, l.quantity])).toEqual([
      ['3760123450003', 12],
      ['3760123450775', 3],
    ]);
  });

  it('reads English numbers when the text writes decimals with a point', () => {
    const lines = parseOrderLines(
      `Item  Your ref       Our ref          Description                  Qty     Unit price
1     VIS-440        WF-SCHR-440      Countersunk screw A2 4x40    1,200   18.90
3                    WF-ANKER-M10     Anchor bolt M10x90              50   38.50`,
      md,
    );
    expect(lines.map((l) => [l.sku, l.customerPartNumber, l.quantity, l.unitPrice])).toEqual([
      ['VIS-440', 'WF-SCHR-440', 1200, 18.9],
      [null, 'WF-ANKER-M10', 50, 38.5],
    ]);
  });

  it('finds nothing in a text that holds no order', () => {
    expect(parseOrderLines("Bonjour,\nPouvez-vous me dire quand sera livrée notre commande ?\nLe transporteur n'est pas passé vendredi 20/11.\nMerci\n06 12 34 56 78", md)).toEqual([]);
  });

  it('snaps a reference mistyped with a look-alike character, saying so', () => {
    const [line] = parseOrderLines('Réf   Désignation      Qté\nVIS-44O  Vis inox      10', md);
    expect(line).toMatchObject({ sku: 'VIS-440', quantity: 10, confidence: 0.7, doubts: ['reference read as VIS-44O, taken for VIS-440'] });
  });

  it('flags a line whose amount is not quantity × price', () => {
    const [line] = parseRows([['Réf', 'Qté', 'PU', 'Montant'], ['VIS-440', '10', '18,90', '198,00']], undefined, md);
    expect(line?.doubts).toEqual(['quantity 10 × unit price 18.9 = 189, but the amount printed is 198']);
    expect(line?.confidence).toBeLessThan(1);
  });
});

describe('parseRows (cells already cut, e.g. by position in a PDF)', () => {
  it('uses the given header, by label or by role', () => {
    expect(parseRows([['VIS-440', 'Vis inox', '12']], ['Référence', 'Désignation', 'Quantité'], md)[0]).toMatchObject({ sku: 'VIS-440', quantity: 12 });
    expect(parseRows([['12', 'CHV-8']], ['quantity', 'reference'], md)[0]).toMatchObject({ sku: 'CHV-8', quantity: 12 });
  });

  it('guesses columns from their content when there is no header', () => {
    const lines = parseRows(
      [
        ['1', 'GAN-CUI', 'Gants cuir fleur T10', '50', '5,90', '295,00'],
        ['2', 'LUN-PRO', 'Lunettes de protection', '30', '4,40', '132,00'],
      ],
      undefined,
      md,
    );
    expect(lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['GAN-CUI', 50, 5.9],
      ['LUN-PRO', 30, 4.4],
    ]);
  });

  it('reports an unreadable quantity instead of inventing one', () => {
    const [line] = parseRows([['Réf', 'Qté'], ['VIS-440', 'douze']], undefined, md);
    expect(line).toMatchObject({ sku: 'VIS-440', quantity: null });
    expect(line?.doubts).toEqual(['quantity "douze" could not be read']);
  });
});

describe('building blocks', () => {
  it('classifies header labels', () => {
    expect(['Réf.', 'Votre réf.', 'Notre réf.', 'Désignation', 'Qté', 'Unité', 'P.U. HT', 'Prix unitaire', 'Montant HT', 'EAN', 'Commentaire'].map(classifyHeader)).toEqual([
      'reference',
      'reference',
      'customerReference',
      'description',
      'quantity',
      'unit',
      'unitPrice',
      'unitPrice',
      'amount',
      'ean',
      null,
    ]);
  });

  it('tells references from numbers, dates and dimensions', () => {
    expect(['VIS-440', 'BDSO-0001234', 'WF-ANKER-M10', '4500123'].map(looksLikeReference)).toEqual([true, true, true, true]);
    expect(['12', '18,90', '4x40', '23/11/2026', 'Bonjour'].map(looksLikeReference)).toEqual([false, false, false, false, false]);
  });

  it('classifies a reference through master data', () => {
    expect(classifyReference('vis-440', md)).toEqual({ sku: 'VIS-440', known: true });
    expect(classifyReference('LM-4400871', md)).toEqual({ customerPartNumber: 'LM-4400871', known: true });
    expect(classifyReference('3760123450003', md)).toEqual({ ean: '3760123450003', known: true });
    expect(classifyReference('XYZ-999', md)).toEqual({ sku: 'XYZ-999', known: false });
  });

  it('returns null for a row that is not an article', () => {
    expect(draftLineFromCells({ reference: 'Cordialement' }, md)).toBeNull();
    expect(draftLineFromCells({ description: 'Total HT' }, md)).toBeNull();
  });
});

describe('a table whose code column is titled as a designation ("Produit", "Product code")', () => {
  it('reads a cell holding only a known code as the reference, the other designation cell as the designation', () => {
    const lines = parseRows([['10', 'Vis inox A2 tête fraisée 4x50', 'VIS-450']], ['Qté', 'Désignation', 'Produit'], md);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ sku: 'VIS-450', description: 'Vis inox A2 tête fraisée 4x50', quantity: 10, confidence: 1, doubts: [] });
  });

  it('keeps the doubt when a reference column is printed too, or the code is one word of the designation', () => {
    expect(parseRows([['10', 'Vis inox 4x50 VIS-450']], ['Qté', 'Désignation'], md)[0]!.doubts).toContain('reference found inside the designation');
  });
});
