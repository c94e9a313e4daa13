import { describe, expect, it } from 'vitest';
import { detectHeader, extractTable, groupLines } from '../../../parsers/layout/table';
import type { PageWords, PositionedWord } from '../../../parsers/layout/types';

/** Lays out a line of cells at given x positions, words split as an OCR engine would. */
function row(y: number, cells: [number, string][], opts: { h?: number; conf?: number; lineId?: string; skew?: number } = {}): PositionedWord[] {
  const h = opts.h ?? 10;
  const out: PositionedWord[] = [];
  for (const [x, text] of cells) {
    let cx = x;
    for (const t of text.split(' ')) {
      const w = t.length * 5;
      const dy = (opts.skew ?? 0) * cx;
      out.push({ text: t, x0: cx, x1: cx + w, y0: y + dy, y1: y + dy + h, ...(opts.conf !== undefined ? { confidence: opts.conf } : {}), ...(opts.lineId ? { lineId: opts.lineId } : {}) });
      cx += w + 3;
    }
  }
  return out;
}

const HEADER: [number, string][] = [[20, 'Réf.'], [90, 'Désignation'], [300, 'Qté'], [340, 'Unité'], [390, 'Prix unit. HT'], [480, 'Montant HT']];

describe('groupLines', () => {
  it('keeps the OCR engine line grouping even when y drifts across a skewed row', () => {
    // 0.05 px per px of x: the right end of each row sits 25 px lower, lower than the next row's start.
    const words = [
      ...row(100, [[20, 'VIS-440'], [90, 'Vis inox'], [300, '12']], { skew: 0.06, lineId: 'a' }),
      ...row(118, [[20, 'CHV-8'], [90, 'Cheville nylon'], [300, '5']], { skew: 0.06, lineId: 'b' }),
    ];
    const lines = groupLines({ page: 1, words });
    expect(lines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['VIS-440 Vis inox 12', 'CHV-8 Cheville nylon 5']);
  });

  it('joins two engine lines lying side by side at one height (a row cut at the wide gap before the numbers)', () => {
    const words = [
      ...row(100, [[20, 'Référence'], [90, 'Désignation']], { lineId: 'a' }),
      ...row(97, [[300, 'Qté'], [340, 'P.U. HT']], { lineId: 'b' }),
      ...row(130, [[20, 'FOR-COF'], [90, 'Coffret 19 forets']], { lineId: 'c' }),
      ...row(132, [[300, '11,00'], [340, '24,30']], { lineId: 'd' }),
    ];
    expect(groupLines({ page: 1, words }).map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['Référence Désignation Qté P.U. HT', 'FOR-COF Coffret 19 forets 11,00 24,30']);
  });

  it('joins a row cut at a wide gap on a crooked page, its right half lower by the page\'s slant', () => {
    // 0.025 px down per px across (about 1.4°): the numbers' half starts 9 px lower than the
    // designation's half's average height, most of a word's height, but level where the two meet.
    const s = 0.025;
    const words = [
      ...row(100, [[20, 'Réf.'], [90, 'Désignation article'], [300, 'Unité']], { skew: s, lineId: 'a' }),
      ...row(100, [[420, 'Qté'], [470, 'Prix unit.'], [540, 'Montant HT']], { skew: s, lineId: 'b' }),
      ...row(130, [[20, 'FOR-COF'], [90, 'Coffret de forets'], [300, 'U']], { skew: s, lineId: 'c' }),
      ...row(130, [[420, '11,00'], [470, '24,30'], [540, '267,30']], { skew: s, lineId: 'd' }),
      // The designation's second line: nearer the numbers' half in average height than its own row.
      ...row(137, [[90, 'carton de 10']], { skew: s, lineId: 'g' }),
      ...row(160, [[20, 'VIS-440'], [90, 'Vis inox tête fraisée'], [300, 'BTE']], { skew: s, lineId: 'e' }),
      ...row(160, [[420, '5'], [470, '12,00'], [540, '60,00']], { skew: s, lineId: 'f' }),
    ];
    expect(groupLines({ page: 1, words }).map((l) => l.words.map((w) => w.text).join(' '))).toEqual([
      'Réf. Désignation article Unité Qté Prix unit. Montant HT',
      'FOR-COF Coffret de forets U 11,00 24,30 267,30',
      'carton de 10',
      'VIS-440 Vis inox tête fraisée BTE 5 12,00 60,00',
    ]);
  });

  it('groups by vertical band when no line ids are given', () => {
    const words = [...row(118, [[20, 'B']]), ...row(100, [[60, 'A2'], [20, 'A1']]), ...row(101, [[100, 'A3']])];
    expect(groupLines({ page: 1, words }).map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['A1 A2 A3', 'B']);
  });
});

describe('detectHeader', () => {
  it('finds French and English header rows and their roles', () => {
    const [fr] = groupLines({ page: 1, words: row(50, HEADER) });
    expect(detectHeader(fr!)?.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unit', 'unitPrice', 'amount']);
    const [en] = groupLines({ page: 1, words: row(50, [[20, 'Item'], [90, 'Description'], [300, 'Qty'], [340, 'UoM'], [390, 'Unit price'], [480, 'Amount']]) });
    expect(detectHeader(en!)?.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unit', 'unitPrice', 'amount']);
  });

  it('does not take a grid of header fields for a table header: "Date commande" is a date, not a misread "Qté commande"', () => {
    const [grid] = groupLines({ page: 1, words: row(50, [[20, 'N° commande'], [120, 'Date commande'], [220, 'Date livraison'], [320, 'Code fournisseur']]) });
    expect(detectHeader(grid!)).toBeNull();
    const [table] = groupLines({ page: 1, words: row(50, [[20, 'Code'], [90, 'Libellé'], [300, 'Qte commande'], [390, 'Prix'], [480, 'Montant']]) });
    expect(detectHeader(table!)?.map((c) => c.role)).toContain('quantity');
  });

  it('does not take a sentence for a header', () => {
    const [l] = groupLines({ page: 1, words: row(50, [[20, 'Merci de respecter la quantité et la référence indiquées sur la désignation du bon']]) });
    expect(detectHeader(l!)).toBeNull();
  });
});

describe('extractTable', () => {
  it('ends the table at a total in any language it reads, right under the last row ("Base imponible", "Summe")', () => {
    for (const total of ['Base Imponible', 'Summe netto', 'Totale imponibile']) {
      const words = [
        ...row(50, [[20, 'Código'], [90, 'Descripción'], [300, 'Cantidad'], [390, 'Precio'], [480, 'Importe']]),
        ...row(70, [[20, 'MAS-FFP2'], [90, 'Mascarilla FFP2'], [300, '6'], [390, '14,50'], [480, '87,00']]),
        ...row(82, [[300, total], [480, '87,00 EUR']]),
      ];
      const { table } = extractTable([{ page: 1, words }]);
      expect(table!.rows.map((r) => r.cells.quantity?.text)).toEqual(['6']);
      expect(table!.totalLines).toHaveLength(1);
    }
  });

  it('reads rows, keeps a wrapped designation with its row and stops at the totals', () => {
    const words = [
      ...row(20, [[20, 'BON DE COMMANDE'], [300, 'N° 4500123']]),
      ...row(50, HEADER),
      ...row(70, [[20, 'VIS-440'], [90, 'Vis inox A2 tête fraisée'], [300, '12'], [340, 'BTE'], [390, '18,90'], [480, '226,80']]),
      ...row(82, [[90, '4x40 boîte de 200']]),
      ...row(96, [[20, 'CHV-8'], [90, 'Cheville nylon 8x40'], [300, '5'], [340, 'BTE'], [390, '7,20'], [480, '36,00']]),
      ...row(120, [[390, 'Total HT'], [480, '262,80']]),
      ...row(140, [[20, 'Livraison souhaitée le 02/12/2026']]),
    ];
    const { table, outside } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => [r.cells.reference?.text, r.cells.description?.text, r.cells.quantity?.text, r.cells.amount?.text])).toEqual([
      ['VIS-440', 'Vis inox A2 tête fraisée 4x40 boîte de 200', '12', '226,80'],
      ['CHV-8', 'Cheville nylon 8x40', '5', '36,00'],
    ]);
    expect(table!.rows[0]!.lineCount).toBe(2);
    expect(table!.totalLines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['Total HT 262,80']);
    expect(outside.map((l) => l.words[0]!.text)).toEqual(['BON', 'Livraison']);
  });

  it('keeps a packing note wrapped under the article code in its column with its row, and still starts a row at the next code', () => {
    const words = [
      ...row(50, [[20, 'Art.-Nr.'], [90, 'Bezeichnung'], [300, 'Anzahl'], [390, 'Preis'], [480, 'Betrag']]),
      ...row(70, [[20, 'VIS-450'], [90, 'Schraube 4x50'], [300, '16'], [390, '21,40'], [480, '342,40']]),
      ...row(82, [[20, 'Lose Ware, ohne']]),
      ...row(94, [[20, 'Verpackung']]),
      ...row(108, [[20, 'PAT-ANG'], [90, 'Spiegelhalter'], [300, '7'], [390, '6,56'], [480, '45,92']]),
      ...row(120, [[20, 'VE: Karton à 100 Stück']]),
      ...row(134, [[20, 'CHV-6'], [90, 'Dübel 6x30'], [300, '12'], [390, '3,92'], [480, '47,04']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => [r.cells.reference?.text.split(' ')[0], r.cells.quantity?.text, r.lineCount])).toEqual([
      ['VIS-450', '16', 3],
      ['PAT-ANG', '7', 2],
      ['CHV-6', '12', 1],
    ]);
  });

  it('still starts a row at a code under a row with no quantity yet, or at words under the code column beside a quantity', () => {
    const words = [
      ...row(50, [[20, 'Art.-Nr.'], [90, 'Bezeichnung'], [300, 'Anzahl'], [390, 'Preis']]),
      ...row(70, [[20, 'VIS-450'], [90, 'Schraube 4x50'], [300, '16'], [390, '21,40']]),
      ...row(82, [[20, 'Sonderteil'], [90, 'nach Zeichnung'], [300, '3'], [390, '5,00']]),
    ];
    expect(extractTable([{ page: 1, words }]).table!.rows.map((r) => r.cells.reference?.text)).toEqual(['VIS-450', 'Sonderteil']);
  });

  it('continues the table on the next page, skipping the footer, the carried amount and the repeated header', () => {
    const p1: PageWords = {
      page: 1,
      words: [
        ...row(50, HEADER),
        ...row(70, [[20, 'VIS-440'], [90, 'Vis inox'], [300, '12'], [340, 'BTE']]),
        ...row(90, [[20, 'CHV-8'], [90, 'Cheville'], [300, '5'], [340, 'BTE']]),
        ...row(110, [[390, 'A reporter'], [480, '262,80']]),
        ...row(400, [[250, 'Page 1/2']]),
      ],
    };
    const p2: PageWords = {
      page: 2,
      words: [
        ...row(20, [[20, 'Commande 4500123 du 23/11/2026 (suite)'], [300, '12']]),
        ...row(50, HEADER.map(([x, t]) => [x + 4, t] as [number, string])),
        ...row(70, [[24, 'GAN-NIT'], [94, 'Gants nitrile'], [304, '100'], [344, 'PAI']]),
        ...row(100, [[394, 'Total HT'], [484, '542,80']]),
        ...row(400, [[250, 'Page 2/2']]),
      ],
    };
    const { table } = extractTable([p1, p2]);
    expect(table!.rows.map((r) => `${r.page}:${r.cells.reference?.text}:${r.cells.quantity?.text}`)).toEqual(['1:VIS-440:12', '1:CHV-8:5', '2:GAN-NIT:100']);
    expect(table!.headerPages).toEqual([1, 2]);
  });

  it('keeps the lowest word confidence of each cell, so OCR doubts survive', () => {
    const words = [
      ...row(50, HEADER, { conf: 0.95 }),
      ...row(70, [[20, 'VIS-440'], [90, 'Vis inox']], { conf: 0.96 }),
      ...row(70, [[300, '1Z']], { conf: 0.41 }),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows[0]!.cells.quantity).toEqual({ text: '1Z', confidence: 0.41 });
    expect(table!.rows[0]!.cells.reference!.confidence).toBe(0.96);
  });

  it('assigns a right-aligned number wider than its header to that column', () => {
    const words = [...row(50, HEADER), ...row(70, [[20, 'VIS-440'], [90, 'Vis'], [290, '1 200'], [340, 'BTE'], [470, '22 680,00']])];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows[0]!.cells.quantity?.text).toBe('1 200');
    expect(table!.rows[0]!.cells.amount?.text).toBe('22 680,00');
  });

  it('returns no table when no header row is printed', () => {
    const { table, outside } = extractTable([{ page: 1, words: row(50, [[20, 'Bonjour, merci de nous livrer 10 boîtes de VIS-440']]) }]);
    expect(table).toBeNull();
    expect(outside).toHaveLength(1);
  });
});

describe('header labels misread by OCR', () => {
  it('still finds the header when a label has one wrong letter', () => {
    const [l] = groupLines({ page: 1, words: row(50, [[20, 'Product code'], [90, 'Product'], [300, 'Qiy'], [340, 'UoM'], [390, 'Unit price'], [480, 'Line total']]) });
    expect(detectHeader(l!)?.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unit', 'unitPrice', 'amount']);
  });

  it('knows the misread labels of every language it reads, not only French and English', () => {
    const [de] = groupLines({ page: 1, words: row(50, [[20, 'Pos.'], [60, 'Material'], [120, 'Bezeichnung'], [300, 'Bestelimenge'], [380, 'ME'], [420, 'Preis']]) });
    expect(detectHeader(de!)?.map((c) => c.role)).toEqual(['lineNumber', 'reference', 'description', 'quantity', 'unit', 'unitPrice']);
    const [es] = groupLines({ page: 1, words: row(50, [[20, 'Cédigo'], [90, 'Descripciôn'], [300, 'Eantidad'], [380, 'Precio'], [460, 'Importe']]) });
    expect(detectHeader(es!)?.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unitPrice', 'amount']);
  });

  it('knows the abbreviated Dutch titles of Flemish bestelbons (Hoev., Eenh.prijs, Netto bedrag)', () => {
    const [nl] = groupLines({ page: 1, words: row(50, [[20, 'Artikel'], [90, 'Omschrijving'], [300, 'Hoev.'], [360, 'Eenh.prijs'], [430, 'Korting'], [480, 'Netto bedrag']]) });
    expect(detectHeader(nl!)?.map((c) => c.role)).toEqual(['reference', 'description', 'quantity', 'unitPrice', 'discount', 'amount']);
  });

  it('does not stretch a short word into a label', () => {
    const [l] = groupLines({ page: 1, words: row(50, [[20, 'Le'], [90, 'tu'], [300, 'Qiy'], [340, 'de']]) });
    expect(detectHeader(l!)).toBeNull();
  });
});

describe('OCR header boxes', () => {
  it('keeps "PRIX UNIT." one label when the boxes hug the capitals (short height, one space apart)', () => {
    // Courier at 204 dpi: capitals 14 px high, 13.6 px per character, one space = 15 px gap.
    const cw = 13.6;
    const at = (col: number, text: string): PositionedWord => ({ text, x0: 100 + col * cw, x1: 100 + (col + text.length) * cw, y0: 500, y1: 514, confidence: 0.9, lineId: 'h' });
    const words = [at(0, 'ARTICLE'), at(13, 'DESIGNATION'), at(57, 'QTE'), at(61, 'UN'), at(70, 'PRIX'), at(75, 'UNIT.'), at(87, 'MONTANT')];
    const [l] = groupLines({ page: 1, words });
    expect(detectHeader(l!)?.map((c) => `${c.role}:${c.label}`)).toEqual(['reference:ARTICLE', 'description:DESIGNATION', 'quantity:QTE', 'unit:UN', 'unitPrice:PRIX UNIT.', 'amount:MONTANT']);
  });
});

describe('sub-totals inside the table', () => {
  it('keeps reading rows after a section sub-total, and stops at the order total', () => {
    const words = [
      ...row(50, HEADER),
      ...row(70, [[20, 'VIS-440'], [90, 'Vis inox'], [300, '12']]),
      ...row(90, [[390, 'Sous-total visserie'], [480, '226,80']]),
      ...row(110, [[20, 'GAN-NIT'], [90, 'Gants nitrile'], [300, '100']]),
      ...row(130, [[390, 'Total HT'], [480, '506,80']]),
      ...row(150, [[20, 'REM-01'], [90, 'Remarque'], [300, '1']]),
    ];
    const { table } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => r.cells.reference?.text)).toEqual(['VIS-440', 'GAN-NIT']);
    expect(table!.totalLines).toHaveLength(2);
  });
});

describe('the line after the last row', () => {
  it('is no part of the row when it prints a second amount under the amount column (a total under an unknown label)', () => {
    const words = [
      ...row(50, HEADER),
      ...row(70, [[20, 'VIS-440'], [90, 'Vis inox A2 tête fraisée'], [300, '12'], [340, 'BTE'], [390, '18,90'], [480, '226,80']]),
      ...row(82, [[90, 'Coloris : gris']]),
      ...row(96, [[20, 'CHV-8'], [90, 'Cheville nylon 8x40'], [300, '5'], [340, 'BTE'], [390, '7,20'], [480, '36,00']]),
      ...row(108, [[90, 'Coloris : noir']]),
      ...row(122, [[330, 'Valeur cumulée nette'], [480, '262,80']]),
      ...row(136, [[20, 'Nos conditions générales s’appliquent']]),
    ];
    const { table, outside } = extractTable([{ page: 1, words }]);
    expect(table!.rows.map((r) => [r.cells.description?.text, r.cells.unitPrice?.text, r.cells.amount?.text])).toEqual([
      ['Vis inox A2 tête fraisée Coloris : gris', '18,90', '226,80'],
      ['Cheville nylon 8x40 Coloris : noir', '7,20', '36,00'],
    ]);
    expect(outside.map((l) => l.words.map((w) => w.text).join(' '))).toContain('Valeur cumulée nette 262,80');
  });
});

