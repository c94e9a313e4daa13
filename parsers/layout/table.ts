// Positioned words of each page → the order table: lines grouped by y (or by the OCR engine's own
// line ids), the header row found by its labels, columns cut from the header words' x ranges,
// multi-line designations kept with their row, tables continued across pages, and page footers,
// carried-forward amounts and totals left out. Pure: the PDF reader and OCR both call it.
import { editDistance } from '../../domain/names';
import { COLUMN_LABELS } from '../text/labels';
import { alignedColumns, CODE_WORD, DECIMAL_CELL, INTEGER_CELL, looksLikeRow, productAgrees } from './content-columns';
import type { Column, ColumnRole, PageWords, PositionedWord, Table, TableCell, TableRow, TextLine } from './types';

/** Lower case, no accents, punctuation as spaces: "Qté cdée." → "qte cdee". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/n°/g, 'no ')
    .replace(/[^a-z0-9°#%€]+/g, ' ')
    .trim();
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function lineOf(page: number, words: PositionedWord[]): TextLine {
  const ws = [...words].sort((a, b) => a.x0 - b.x0);
  const h = median(ws.map((w) => w.y1 - w.y0)) || 1;
  let text = '';
  ws.forEach((w, i) => {
    if (i > 0) text += w.x0 - ws[i - 1]!.x1 > 1.5 * h ? '   ' : ' ';
    text += w.text;
  });
  return {
    page,
    words: ws,
    x0: Math.min(...ws.map((w) => w.x0)),
    y0: Math.min(...ws.map((w) => w.y0)),
    x1: Math.max(...ws.map((w) => w.x1)),
    y1: Math.max(...ws.map((w) => w.y1)),
    text,
    confidence: Math.min(1, ...ws.map((w) => w.confidence ?? 1)),
  };
}

/**
 * Words → lines, top to bottom. With lineId (tesseract) the engine's grouping is kept; otherwise
 * a word joins the line whose vertical band holds its centre.
 */
export function groupLines(page: PageWords): TextLine[] {
  const words = page.words.filter((w) => w.text.trim() !== '');
  if (words.length === 0) return [];
  const groups: PositionedWord[][] = [];
  if (words.every((w) => w.lineId !== undefined)) {
    const byId = new Map<string, PositionedWord[]>();
    for (const w of words) {
      const g = byId.get(w.lineId!);
      if (g) g.push(w);
      else byId.set(w.lineId!, [w]);
    }
    groups.push(...joinSideBySide([...byId.values()]));
  } else {
    const sorted = [...words].sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2 || a.x0 - b.x0);
    let current: PositionedWord[] = [];
    let band = { y0: 0, y1: 0 };
    for (const w of sorted) {
      const cy = (w.y0 + w.y1) / 2;
      if (current.length > 0 && cy >= band.y0 && cy <= band.y1) {
        current.push(w);
      } else {
        if (current.length) groups.push(current);
        current = [w];
        const h = w.y1 - w.y0;
        // A third of the height either side of the centre: superscripts join, the next row does not.
        band = { y0: cy - h * 0.35, y1: cy + h * 0.35 };
      }
    }
    if (current.length) groups.push(current);
  }
  return groups.map((g) => lineOf(page.page, g)).sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2);
}

/**
 * The engine's lines that lie side by side at one height (Tesseract cuts a row at a wide gap
 * between columns into two lines, once the rules that held it together are gone): one line. Lines
 * that overlap horizontally are never joined, so a skewed page's rows stay apart. On a crooked page
 * the heights are compared where the two lines meet, along the page's slant (a row cut after its
 * designation sits lower at its right end, by as much as a line's height on a wide table).
 */
function joinSideBySide(groups: PositionedWord[][]): PositionedWord[][] {
  const box = (g: PositionedWord[]) => {
    const y0 = median(g.map((w) => w.y0));
    const y1 = median(g.map((w) => w.y1));
    return { x0: Math.min(...g.map((w) => w.x0)), x1: Math.max(...g.map((w) => w.x1)), cy: (y0 + y1) / 2, h: Math.max(1, y1 - y0) };
  };
  const slant = pageSlant(groups);
  const mid = (w: PositionedWord) => ({ x: (w.x0 + w.x1) / 2, y: (w.y0 + w.y1) / 2 });
  // How far apart in height the two words facing each other across the gap are (the left line's
  // last, the right line's first), once the page's slant is taken off.
  const offset = (left: PositionedWord[], right: PositionedWord[]) => {
    if (!left.length) return Infinity;
    const a = mid(left.reduce((p, w) => (w.x1 > p.x1 ? w : p)));
    const c = mid(right.reduce((p, w) => (w.x0 < p.x0 ? w : p)));
    return Math.abs(c.y - (a.y + slant * (c.x - a.x)));
  };
  const joined: { words: PositionedWord[]; spans: { x0: number; x1: number }[]; cy: number; h: number }[] = [];
  for (const g of [...groups].sort((a, b) => box(a).x0 - box(b).x0)) {
    const b = box(g);
    // Level lines on a straight page; on a crooked one, lines that meet along the slant.
    const gap = (j: (typeof joined)[number]) => (slant === 0 ? Math.abs(j.cy - b.cy) : offset(j.words.filter((w) => w.x1 <= b.x0), g));
    const near = joined
      .filter((j) => j.spans.every((s) => s.x1 < b.x0 || b.x1 < s.x0))
      .map((j) => ({ j, gap: gap(j) }))
      .filter(({ j, gap }) => gap <= 0.4 * Math.min(j.h, b.h))
      .sort((p, q) => p.gap - q.gap)[0]?.j;
    if (near) {
      near.words.push(...g);
      near.spans.push({ x0: b.x0, x1: b.x1 });
    } else joined.push({ words: [...g], spans: [{ x0: b.x0, x1: b.x1 }], cy: b.cy, h: b.h });
  }
  return joined.map((j) => j.words);
}

/** Most slant a page is read with (about 3°): beyond it the engine's lines are not straightened. */
const MAX_SLANT = 0.055;

/**
 * How far down a line runs per pixel across (the page's skew), as the engine's own lines show it:
 * the median slope of the lines of four words or more; 0 when too few lines say.
 */
export function pageSlant(groups: PositionedWord[][]): number {
  const slopes: number[] = [];
  for (const g of groups) {
    if (g.length < 4) continue;
    const pts = g.map((w) => ({ x: (w.x0 + w.x1) / 2, y: (w.y0 + w.y1) / 2 }));
    const mx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
    const my = pts.reduce((s, p) => s + p.y, 0) / pts.length;
    const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    if (sxx <= 0) continue;
    slopes.push(pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx);
  }
  if (slopes.length < 3) return 0;
  const s = median(slopes);
  return Math.abs(s) <= MAX_SLANT ? s : 0;
}

// Header labels (parsers/text/labels.ts), tried on up to four consecutive words, longest first.
// Order matters: "Prix unit." is a price, not a unit; "Désignation article" is a description.
const LABEL_SETS: [ColumnRole, Set<string>][] = COLUMN_LABELS.map(([role, words]) => [role as ColumnRole, new Set(words)]);

function labelOf(f: string): ColumnRole | null {
  for (const [role, set] of LABEL_SETS) if (set.has(f)) return role;
  // "Désignation article", "Libellé produit": a description with its qualifier.
  const stem = /^(.*) (?:article|produit|artikel|articolo|articulo)$/.exec(f)?.[1];
  if (stem && LABEL_SETS.find(([r]) => r === 'description')![1].has(stem)) return 'description';
  // "Preis CHF", "Total EUR", "Remise %" printed as one word: the label with its currency or per cent sign.
  const bare = /^(.*) (?:chf|eur|usd|gbp|sfr|%)$/.exec(f)?.[1];
  if (bare) for (const [role, set] of LABEL_SETS) if (set.has(bare)) return role;
  return null;
}

/** "Aantal / Qté", "Omschrijving / Désignation": a label printed in two languages, known by either. */
function bilingualLabel(raw: string): ColumnRole | null {
  const halves = raw.split('/').map((h) => fold(h).trim());
  if (halves.length !== 2 || !halves[0] || !halves[1]) return null;
  return labelOf(halves[0]) ?? labelOf(halves[1]);
}

// Plain spellings of the labels, for OCR misreads ("Qiy", "Désignatlon") that the patterns miss.
const FUZZY_LABELS: [ColumnRole, string][] = [
  ['description', 'designation'], ['description', 'description'], ['description', 'libelle'],
  ['reference', 'reference'], ['reference', 'article'], ['reference', 'code article'], ['reference', 'ref fournisseur'], ['reference', 'product code'], ['reference', 'item code'],
  ['customerReference', 'notre ref'],
  ['quantity', 'qte'], ['quantity', 'qty'], ['quantity', 'quantite'], ['quantity', 'quantity'], ['quantity', 'qte cdee'],
  ['unitPrice', 'prix unit'], ['unitPrice', 'prix unitaire'], ['unitPrice', 'unit price'], ['unitPrice', 'prix net'], ['unitPrice', 'net price'],
  ['unit', 'unite'], ['unit', 'uom'],
  ['amount', 'montant'], ['amount', 'montant ht'], ['amount', 'amount'], ['amount', 'total ht'], ['amount', 'line total'],
  // Every other known label of five letters or more, in every language ("Bestelimenge", "Eantidad", "Cédigo").
  ...COLUMN_LABELS.flatMap(([role, words]) => words.filter((w) => w.replace(/ /g, '').length >= 5).map((w): [ColumnRole, string] => [role as ColumnRole, w])),
];

function labelRole(words: PositionedWord[]): ColumnRole | null {
  const raw = words.map((w) => w.text).join(' ');
  const f = fold(raw);
  const exact = labelOf(f) ?? bilingualLabel(raw);
  if (exact) return exact;
  // One misread letter in a short label, two in a long one; never for words under three letters.
  if (f.replace(/ /g, '').length < 3) return null;
  // A title naming a date ("Date commande", "Datum Lieferung") is a date, never a misread
  // quantity ("Qté commandée") or price: two letters off is all a whole word can be from another.
  if (DATE_TITLE_RE.test(f)) return null;
  const allowed = f.length >= 8 ? 2 : 1;
  const near = FUZZY_LABELS.filter(([, l]) => Math.abs(l.length - f.length) <= allowed && editDistance(f, l) <= allowed);
  const roles = new Set(near.map(([r]) => r));
  return roles.size === 1 ? [...roles][0]! : null;
}

const DATE_TITLE_RE = /^(?:date|datum|data|fecha) /;

// "of" and "excl. VAT" too: "Unit of" / "Measure", "Unit Cost Excl. VAT" stay one label.
const QUALIFIER_RE = /^(ht|ttc|net|nette|hors|taxe|taxes|unit|unitaire|u|st|stk|€|eur|euro|euros|chf|sfr|usd|gbp|%|cdee|commandee|livree|fourn|fournisseur|article|client|of|excl|incl|vat|lcy|[()€.:/]+)$/;

interface HeaderPhrase {
  role: ColumnRole;
  words: PositionedWord[];
}

/** A word of the same title right before this one: "Rate" is the price column's title only standing alone, never in "VAT Rate", "Tax Rate". */
function wordJustBefore(phrases: readonly HeaderPhrase[], w: PositionedWord, sameLabel: number): boolean {
  const last = phrases.at(-1)?.words.at(-1);
  return !!last && w.x0 - last.x1 <= sameLabel;
}

/** Splits a line into header phrases: known labels (longest match) and the words that trail them. */
function headerPhrases(line: TextLine): HeaderPhrase[] {
  const ws = line.words;
  const h = median(ws.map((w) => w.y1 - w.y0)) || 1;
  // Words of one label are a space apart. OCR boxes hug capitals (no ascender room), so the
  // height alone underestimates a space; a character's width is the better yardstick there.
  const charWidth = median(ws.map((w) => (w.x1 - w.x0) / Math.max(1, w.text.length)));
  const sameLabel = Math.max(0.9 * h, 1.6 * charWidth);
  const phrases: HeaderPhrase[] = [];
  let i = 0;
  while (i < ws.length) {
    let matched = false;
    for (let k = Math.min(4, ws.length - i); k >= 1; k--) {
      const slice = ws.slice(i, i + k);
      // A label never spans a column gap.
      if (slice.some((w, j) => j > 0 && w.x0 - slice[j - 1]!.x1 > sameLabel)) continue;
      const role = labelRole(slice);
      if (role && !(fold(slice.map((w) => w.text).join(' ')) === 'rate' && wordJustBefore(phrases, slice[0]!, sameLabel))) {
        // A bilingual label ("Aantal / Qté", "Eenh. / Unité"): the second language joins the first.
        const prev = phrases[phrases.length - 1];
        const last = prev?.words[prev.words.length - 1];
        if (prev && last?.text === '/' && slice[0]!.x0 - last.x1 <= sameLabel) {
          prev.words.push(...slice);
          if (prev.role === 'other') prev.role = role;
        } else phrases.push({ role, words: slice });
        i += k;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const w = ws[i]!;
    const prev = phrases[phrases.length - 1];
    const gap = prev ? w.x0 - prev.words[prev.words.length - 1]!.x1 : Infinity;
    // "HT", "(€)", "unitaire" after a label belong to it; any other word is a column of its own.
    if (prev && prev.role !== 'other' && gap <= sameLabel && QUALIFIER_RE.test(fold(w.text) || w.text)) prev.words.push(w);
    else if (prev && prev.role === 'other' && gap <= sameLabel) prev.words.push(w);
    else phrases.push({ role: 'other', words: [w] });
    i++;
  }
  return phrases;
}

/** A header row: quantity plus a reference or description plus one more known column. */
export function detectHeader(line: TextLine): Column[] | null {
  const phrases = headerPhrases(line);
  const roles = new Set(phrases.map((p) => p.role).filter((r) => r !== 'other'));
  const known = phrases.filter((p) => p.role !== 'other').length;
  if (!roles.has('quantity') || !(roles.has('reference') || roles.has('description') || roles.has('customerReference')) || roles.size < 3) return null;
  // Prose that happens to hold three labels is not a header: most of its words must be labels.
  if (known < phrases.length / 2) return null;
  return phrases.map((p) => ({
    role: p.role,
    label: p.words.map((w) => w.text).join(' '),
    x0: Math.min(...p.words.map((w) => w.x0)),
    x1: Math.max(...p.words.map((w) => w.x1)),
  }));
}

/**
 * A second header line ("Prix" / "unitaire"): no digits, every word under a header label. A
 * title read whole may name another column than its first line did ("Line" / "Disc. %" is the
 * discount, not the line number; "Direct Unit" / "Cost Excl. VAT" the price, not the unit).
 */
function mergeHeaderContinuation(columns: Column[], line: TextLine): boolean {
  if (/\d/.test(line.text)) return false;
  // Under the column that holds the word's centre, else the first it overlaps, else one a letter's height away ("Disc. %" under "Line").
  const h = median(line.words.map((w) => w.y1 - w.y0)) || 1;
  const targets = line.words.map((w) => {
    const cx = (w.x0 + w.x1) / 2;
    const at = columns.findIndex((c) => cx >= c.x0 && cx <= c.x1);
    const over = at >= 0 ? at : columns.findIndex((c) => w.x1 > c.x0 && w.x0 < c.x1);
    return over >= 0 ? over : columns.findIndex((c) => w.x0 >= c.x1 && w.x0 - c.x1 < h);
  });
  if (targets.some((t) => t < 0)) return false;
  const firstLine = columns.map((c) => c.label);
  const below = columns.map(() => [] as string[]);
  line.words.forEach((w, i) => {
    const c = columns[targets[i]!]!;
    below[targets[i]!]!.push(w.text);
    c.label += ` ${w.text}`;
    c.x0 = Math.min(c.x0, w.x0);
    c.x1 = Math.max(c.x1, w.x1);
  });
  for (const c of new Set(targets.map((t) => columns[t]!))) c.role = wholeTitleRole(c.label) ?? c.role;
  joinSplitTitles(columns, firstLine, below, h);
  return true;
}

/**
 * "Direct Unit" / "Cost Excl. VAT": the first line read as two labels ("Direct", "Unit") a space
 * apart, which the whole title shows to be one column: joined when the two lines together name it.
 */
function joinSplitTitles(columns: Column[], firstLine: string[], below: string[][], h: number): void {
  for (let i = columns.length - 2; i >= 0; i--) {
    const a = columns[i]!;
    const b = columns[i + 1]!;
    if (b.x0 - a.x1 > h || (below[i]!.length === 0 && below[i + 1]!.length === 0)) continue;
    const role = wholeTitleRole([firstLine[i], firstLine[i + 1], ...below[i]!, ...below[i + 1]!].join(' '));
    if (!role) continue;
    columns.splice(i, 2, { role, label: `${a.label} ${b.label}`, x0: Math.min(a.x0, b.x0), x1: Math.max(a.x1, b.x1) });
    firstLine.splice(i, 2, `${firstLine[i]} ${firstLine[i + 1]}`);
    below.splice(i, 2, [...below[i]!, ...below[i + 1]!]);
  }
}

const TAX_QUALIFIER = / (?:excl|incl|excluding|including) (?:vat|tax)$| lcy$| (?:excl|incl) vat lcy$/;

/** The role a two-line title names as a whole, with "Excl. VAT" or "(LCY)" left aside; null when it names none. */
export function wholeTitleRole(label: string): ColumnRole | null {
  const f = fold(label);
  return labelOf(f) ?? labelOf(f.replace(TAX_QUALIFIER, ''));
}

const RULE_RE = /^[\s\-=_.*+|]+$/;
const FINAL_TOTAL_RE = /^(total|totaux|montant total|net a payer|grand total|order total|total order|base imponible|importe total|totale|summe|gesamtsumme|gesamtbetrag|gesamtnettowert|totaal)\b/;
const CARRIED_RE = /\b(report|reporter|reporte|page|seite|pagina|carried|forward|suivre|transport|uebertrag|ubertrag)\b/;
const TOTAL_RE = /^(sous total|total|totaux|vat|montant total|net a payer|net a payer ht|total ht|total ttc|tva|base ht|report|a reporter|reporte|carried forward|brought forward|subtotal|sub total|grand total|order total|total order|frais de port|port|eco participation|remise globale|base imponible|importe total|imponibile|totale|summe|zwischensumme|gesamtsumme|gesamtbetrag|gesamtnettowert|nettobetrag|totaal|subtotaal|line total|lines total|sales tax|tax|misc charges|miscellaneous charges|freight|shipping and handling|shipping handling|invoice discount amount|invoice discount)\b/;
const FOOTER_RE = /\b(page|pg|p\.)\s*\d+\s*(\/|sur|of|de)\s*\d+\b|^\s*page\s+\d+\s*$|^\s*\d+\s*\/\s*\d+\s*$|^\s*\.\/\.\s*$/i;
const FOOTER_WORDS_RE = /^(suite (page|au verso|page suivante)|continued|a suivre|voir page suivante)/;
// A spool's "*** SEGUE ***" (continues) alone on its line, a speck or two read beside it.
const CONTINUES_RE = /^(?:[a-z0-9]{1,2} )?(?:segue|continua|fortsetzung|folgt|vervolg|sigue|continua en la pagina siguiente)(?: [a-z0-9]{1,2})?$/;

export function isTotalLine(line: TextLine): boolean {
  return TOTAL_RE.test(fold(line.text));
}
export function isFooterLine(line: TextLine): boolean {
  const f = fold(line.text);
  return FOOTER_RE.test(line.text) || FOOTER_WORDS_RE.test(f) || CONTINUES_RE.test(f);
}

/**
 * Where one column ends and the next begins. Text columns run right of their label and numbers
 * run left of theirs, so the cut is the x in the gap between two labels that the fewest words of
 * the rows below cross (the white gutter), at the middle of the widest such run.
 */
export function cutColumns(columns: Column[], rows: TextLine[]): number[] {
  const words = rows.flatMap((l) => l.words);
  const cuts: number[] = [];
  for (let i = 0; i + 1 < columns.length; i++) {
    const a = columns[i]!.x1;
    const b = columns[i + 1]!.x0;
    if (b <= a || words.length === 0) {
      cuts.push((a + b) / 2);
      continue;
    }
    const steps = Math.max(2, Math.min(200, Math.ceil(b - a)));
    let best = Infinity;
    let run: { start: number; len: number } = { start: 0, len: 0 };
    let bestRun = { start: 0, len: 0 };
    for (let k = 0; k <= steps; k++) {
      const x = a + ((b - a) * k) / steps;
      const crossing = words.filter((w) => w.x0 < x && w.x1 > x).length;
      if (crossing < best) {
        best = crossing;
        run = { start: k, len: 1 };
        bestRun = run;
      } else if (crossing === best) {
        run = run.start + run.len === k ? { start: run.start, len: run.len + 1 } : { start: k, len: 1 };
        if (run.len > bestRun.len) bestRun = run;
      }
    }
    cuts.push(a + ((b - a) * (bestRun.start + (bestRun.len - 1) / 2)) / steps);
  }
  return cuts;
}

/** Column of a word: the one whose cuts hold the word's centre. */
function columnOf(cuts: number[], w: PositionedWord): number {
  const cx = (w.x0 + w.x1) / 2;
  let i = 0;
  while (i < cuts.length && cx >= cuts[i]!) i++;
  return i;
}

interface RowDraft {
  page: number;
  y0: number;
  y1: number;
  words: PositionedWord[][]; // per column
  lines: TextLine[];
}

function isAnchor(columns: Column[], perColumn: PositionedWord[][]): boolean {
  const has = (role: ColumnRole) => columns.some((c, i) => c.role === role && perColumn[i]!.length > 0);
  const qtyDigits = columns.some((c, i) => c.role === 'quantity' && perColumn[i]!.some((w) => /\d/.test(w.text)));
  // A row starts where a quantity or a reference is printed; a designation alone continues the row above.
  return qtyDigits || has('reference') || has('customerReference') || has('ean');
}

const NUMERIC_ROLES = new Set<ColumnRole>(['quantity', 'unit', 'unitPrice', 'amount']);

/** A line with a quantity but no reference, under a row that has a reference and no quantity yet. */
function wrappedQuantity(columns: Column[], perColumn: PositionedWord[][], row: RowDraft): boolean {
  const filled = columns.map((c, i) => (perColumn[i]!.length ? c.role : null)).filter((r): r is ColumnRole => r !== null);
  if (!filled.includes('quantity') || filled.some((r) => !NUMERIC_ROLES.has(r) && r !== 'description')) return false;
  const q = columns.findIndex((c) => c.role === 'quantity');
  const rowHasQty = row.words[q]!.some((w) => /\d/.test(w.text));
  const rowHasRef = columns.some((c, i) => (c.role === 'reference' || c.role === 'customerReference' || c.role === 'ean') && row.words[i]!.length > 0);
  return !rowHasQty && rowHasRef;
}

function finishRow(columns: Column[], d: RowDraft, index: number): TableRow {
  const cells: Partial<Record<ColumnRole, TableCell>> = {};
  columns.forEach((c, i) => {
    const ws = d.words[i]!;
    if (ws.length === 0) return;
    // A role printed twice ("Item" and "Material"): the second is kept aside, settled by content later.
    const role: ColumnRole = cells[c.role] ? 'other' : c.role;
    if (cells[role]) return;
    // Multi-line cells read top to bottom, then left to right.
    const sorted = [...ws].sort((a, b) => {
      const h = Math.min(a.y1 - a.y0, b.y1 - b.y0);
      return Math.abs(a.y0 - b.y0) > h * 0.5 ? a.y0 - b.y0 : a.x0 - b.x0;
    });
    cells[role] = { text: sorted.map((w) => w.text).join(' ').replace(/\s+/g, ' ').trim(), confidence: Math.min(1, ...ws.map((w) => w.confidence ?? 1)) };
  });
  const x0 = Math.min(...d.lines.map((l) => l.x0));
  const x1 = Math.max(...d.lines.map((l) => l.x1));
  return { page: d.page, index, y0: d.y0, y1: d.y1, x0, x1, cells, lineCount: d.lines.length, text: d.lines.map((l) => l.text).join(' / ') };
}

/** The lines under a header up to the totals, the footer or the next header: the rows to cut columns from. */
function bodyLines(lines: TextLine[], from: number): TextLine[] {
  const out: TextLine[] = [];
  for (let i = from; i < lines.length; i++) {
    const l = lines[i]!;
    if (isTotalLine(l) || isFooterLine(l) || detectHeader(l)) break;
    if (!RULE_RE.test(l.text)) out.push(l);
  }
  return out;
}

export interface TableExtraction {
  table: Table | null;
  /** Every line outside the table (letterhead, addresses, header fields, notes), page by page. */
  outside: TextLine[];
  /** Every line of the document, for the header-field readers. */
  lines: TextLine[];
}

/**
 * Pages of positioned words → the order table and the lines outside it. The table may continue on
 * later pages, with or without a repeated header; it stops at a totals line or a page footer.
 * titlesMayBeLost (OCR): price and amount columns whose titles were not read are found by where
 * their numbers align (alignedNumberColumns).
 */
export function extractTable(pages: PageWords[], opts: { alignRows?: boolean; titlesMayBeLost?: boolean } = {}): TableExtraction {
  const lines = pages.map((p) => groupLines(p));
  let t = scanPages(pages, lines, newScan(!!opts.titlesMayBeLost));
  // No title row on any page (lost or garbled by OCR): the rows' alignment and content make the columns.
  if (!t.columns && opts.alignRows) {
    // The first page whose rows show their columns (OCR may have lost a page's numbers).
    const aligned = lines.map((ls) => ls.filter(looksLikeRow)).reduce<ReturnType<typeof alignedColumns>>((found, rows) => found ?? alignedColumns(rows), null);
    if (aligned) t = scanPages(pages, lines, { ...newScan(!!opts.titlesMayBeLost), columns: aligned.columns, cuts: aligned.cuts, inferred: [aligned.note] });
  }
  const { rows, columns, headerPages, totalLines } = t;
  settlePositionColumn(rows);
  settleNumberColumn(rows);
  const kept = dropSplitFragments(rows);
  rows.splice(0, rows.length, ...kept.map((r, i) => ({ ...r, index: i + 1 })));
  return {
    table: columns ? { columns, rows, headerPages, totalLines, ...(t.inferred.length ? { inferred: [...new Set(t.inferred)] } : {}), ...(t.pageColumns ? { pageColumns: t.pageColumns } : {}), ...(t.pageCuts ? { pageCuts: t.pageCuts } : {}) } : null,
    outside: t.outside,
    lines: t.all,
  };
}

function newScan(titlesMayBeLost: boolean): TableScan {
  return { all: [], outside: [], columns: null, cuts: [], headerPages: [], totalLines: [], rows: [], ended: false, inTable: false, current: null, pitch: 0, rightEdges: [], lastRightEdge: null, inferred: [], titlesMayBeLost };
}

/** The columns and cuts this page's rows are read with (a re-read cell is cropped in its own page's bands). */
function keepPageColumns(t: TableScan, page: number): void {
  if (!t.columns) return;
  (t.pageColumns ??= {})[page] = t.columns;
  (t.pageCuts ??= {})[page] = t.cuts;
}

/** Every page's lines through the table scan: headers start (or continue) the table, the lines after them are its rows. */
function scanPages(pages: PageWords[], pageLines: TextLine[][], t: TableScan): TableScan {
  pages.forEach((page, pi) => {
    const lines = pageLines[pi]!;
    t.all.push(...lines);
    t.inTable = false;
    t.current = null;
    t.pitch = 0;
    // On a page that repeats the header, what precedes it is the page's letterhead, never rows.
    const firstHeader = lines.findIndex((l) => detectHeader(l) !== null);
    // A continuation page that repeats no titles (or garbled ones): the last page's columns, moved as its rows are.
    if (firstHeader < 0) {
      alignContinuation(t, lines);
      keepPageColumns(t, page.page);
    }
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li]!;
      const header = detectHeader(line);
      if (!header && li < firstHeader) {
        t.outside.push(line);
        continue;
      }
      if (header) li = startTable(t, page, lines, li, header);
      else readBodyLine(t, page, line);
    }
    flushRow(t);
    if (t.rightEdges.length) t.lastRightEdge = median(t.rightEdges);
    t.rightEdges = [];
  });
  return t;
}

/** The scan of a document's lines for its order table: what is found so far, and where the current page stands. */
interface TableScan {
  all: TextLine[];
  outside: TextLine[];
  columns: Column[] | null;
  cuts: number[];
  headerPages: number[];
  totalLines: TextLine[];
  rows: TableRow[];
  /** The order's total was met: what follows is outside the table (until a header repeats). */
  ended: boolean;
  // This page's:
  inTable: boolean;
  current: RowDraft | null;
  /** The smallest distance between two rows' tops seen on this page (0 before two rows). */
  pitch: number;
  /** Where this page's rows end on the right (their last number, right-aligned), and the last page's median of them. */
  rightEdges: number[];
  lastRightEdge: number | null;
  /** Roles taken from the cells' content (inferColumnRoles). */
  inferred: string[];
  /** Each page's columns, as its own header row places them. */
  pageColumns?: Record<number, Column[]>;
  pageCuts?: Record<number, number[]>;
  /** OCR may lose a column title: price and amount columns are then found by their numbers' alignment. */
  titlesMayBeLost: boolean;
}

function flushRow(t: TableScan): void {
  if (t.current && t.columns) t.rows.push(finishRow(t.columns, t.current, t.rows.length + 1));
  t.current = null;
}

/** A word that is a number and nothing else: digits with their separators, no letter, no date or time ("1.084,", "00", "12,50"; not "13/10/2026"). */
function numberWord(text: string): boolean {
  return /\d/.test(text) && !/[\p{L}/:]/u.test(text);
}

/**
 * The price and amount columns whose titles OCR lost ("PREIS" and "BETRAG" unread on a faxed
 * header): right of the last title read, the numbers of many rows end at the same x (numbers are
 * right-aligned), so each such alignment is a column. The rightmost alignments take the roles the
 * header lacks, the unit price before the amount; a lone alignment when both are missing is kept
 * as a column of its own ('other') so that its numbers fill no other cell. None when the header
 * names both, or when the rows do not line up.
 */
export function alignedNumberColumns(columns: Column[], rows: TextLine[]): Column[] {
  // A price whose title is lost left of a read amount title is no column past the last title.
  if (columns.length === 0 || rows.length === 0 || columns.some((c) => c.role === 'amount')) return [];
  const missing: ColumnRole[] = columns.some((c) => c.role === 'unitPrice') ? ['amount'] : ['unitPrice', 'amount'];
  const lastX = Math.max(...columns.map((c) => c.x1));
  const h = median(rows.flatMap((l) => l.words.map((w) => w.y1 - w.y0))) || 1;
  const spans: { x0: number; x1: number }[] = [];
  let withNumbers = 0;
  for (const l of rows) {
    let prev: { x0: number; x1: number } | null = null;
    for (const w of l.words) {
      if (w.x1 <= lastX + h || !numberWord(w.text)) {
        prev = null;
        continue;
      }
      // A number OCR split in two ("7.084," "00") is one.
      if (prev && w.x0 - prev.x1 < h) prev.x1 = Math.max(prev.x1, w.x1);
      else spans.push((prev = { x0: w.x0, x1: w.x1 }));
    }
    if (l.words.some((w) => w.x1 > lastX + h && numberWord(w.text))) withNumbers++;
  }
  const clusters: { x0: number; x1: number; n: number; under: boolean }[] = [];
  for (const s of [...spans].sort((p, q) => p.x1 - q.x1)) {
    const c = clusters.at(-1);
    if (c && s.x1 - c.x1 <= 2 * h) {
      c.x0 = Math.min(c.x0, s.x0);
      c.x1 = s.x1;
      c.n++;
      c.under ||= s.x0 <= lastX + h;
    } else clusters.push({ ...s, n: 1, under: s.x0 <= lastX + h });
  }
  // Numbers some of which start under the last title are that column's own (right-aligned under a short title).
  const kept = clusters.filter((c) => !c.under && c.n >= Math.max(3, 0.3 * withNumbers));
  // Roles from the right (the amount is printed last); too few alignments for the roles missing name none.
  return kept.map((c, i) => {
    const fromRight = kept.length - 1 - i;
    const role = kept.length >= missing.length ? missing[missing.length - 1 - fromRight] : undefined;
    return { role: role ?? 'other', label: '', x0: c.x0, x1: c.x1 };
  });
}

/**
 * The quantity cell keeps only words that can be part of a quantity: a word without a digit lying
 * wholly left of the quantity's title is the end of a long designation reaching into the band (it
 * goes back to the text column on the left); one wholly right of it, before a unit column, is the
 * unit. A word with a digit stays: a right-aligned number overhangs its title.
 */
export function wordsThatFitTheQuantity(columns: Column[], perColumn: PositionedWord[][]): void {
  const q = columns.findIndex((c) => c.role === 'quantity');
  if (q < 0) return;
  const title = columns[q]!;
  const left = columns[q - 1];
  const right = columns[q + 1];
  const textLeft = !!left && !NUMERIC_ROLES.has(left.role) && left.role !== 'lineNumber';
  const keep: PositionedWord[] = [];
  for (const w of perColumn[q]!) {
    if (/\d/.test(w.text)) keep.push(w);
    else if (textLeft && w.x1 < title.x0) perColumn[q - 1]!.push(w);
    else if (right?.role === 'unit' && w.x0 > title.x1) perColumn[q + 1]!.push(w);
    else keep.push(w);
  }
  perColumn[q] = keep;
}

/**
 * Two titles the rows' words do not keep apart: where the cut between a number column's title and
 * a title no role was found for runs through the cells of many rows (no gutter: "Totaal" and "(LV)"
 * over one column of amounts), the second is part of the first ("Totaal (LV)"). Returns whether
 * any was joined.
 */
export function joinTitlesTheRowsCross(columns: Column[], rows: TextLine[], cuts: number[]): boolean {
  const words = rows.flatMap((l) => l.words);
  const many = Math.max(2, 0.3 * rows.length);
  let joined = false;
  for (let i = cuts.length - 1; i >= 0; i--) {
    const a = columns[i]!;
    const b = columns[i + 1]!;
    // Only a number column's title and its qualifier: text columns' cells may run past their title.
    if ((a.role === 'other') === (b.role === 'other') || !NUMERIC_ROLES.has(a.role === 'other' ? b.role : a.role)) continue;
    const crossing = words.filter((w) => w.x0 < cuts[i]! && w.x1 > cuts[i]!).length;
    if (crossing < many) continue;
    const known = a.role === 'other' ? b : a;
    columns.splice(i, 2, { role: known.role, label: `${a.label} ${b.label}`, x0: Math.min(a.x0, b.x0), x1: Math.max(a.x1, b.x1) });
    joined = true;
  }
  return joined;
}

/** A (repeated) header row: the same table continues, with this page's column positions. Returns the last line it used. */
function startTable(t: TableScan, page: PageWords, lines: TextLine[], li: number, header: Column[]): number {
  const line = lines[li]!;
  flushRow(t);
  // A repeated header continues the same table, with this page's column positions.
  const columns = (t.columns = header);
  t.headerPages.push(page.page);
  t.inTable = true;
  t.ended = false;
  const next = lines[li + 1];
  if (next && !RULE_RE.test(next.text) && next.y0 - line.y1 < (line.y1 - line.y0) * 0.8 && mergeHeaderContinuation(columns, next)) li++;
  const body = bodyLines(lines, li + 1);
  if (t.titlesMayBeLost) columns.push(...alignedNumberColumns(columns, body));
  t.cuts = cutColumns(columns, body);
  if (joinTitlesTheRowsCross(columns, body, t.cuts)) t.cuts = cutColumns(columns, body);
  const inferred = inferQuantityColumn(columns, t.cuts, body);
  if (inferred) {
    t.columns = inferred.columns;
    t.cuts = cutColumns(inferred.columns, body);
    t.inferred.push(inferred.note);
  }
  keepPageColumns(t, page.page);
  return li;
}

/** Each line's words per column, as the cuts put them: the cells' texts. */
function cellTexts(columns: Column[], cuts: number[], lines: TextLine[]): string[][] {
  return lines.map((l) => {
    const cells = columns.map(() => [] as string[]);
    for (const w of l.words) cells[columnOf(cuts, w)]!.push(w.text);
    return cells.map((c) => c.join(' ').trim());
  });
}

/**
 * A quantity column with hardly a number under it while a column beside it, under no title the reader
 * knows (the second half of "Q.ta' ordinata", a garbled title), holds integers that with the price
 * give the amount: the quantities are printed there. The two become one quantity column, and the
 * table says its role was inferred from content. Null when the titles hold.
 */
export function inferQuantityColumn(columns: Column[], cuts: number[], body: TextLine[]): { columns: Column[]; note: string } | null {
  const q = columns.findIndex((c) => c.role === 'quantity');
  if (q < 0 || body.length < 2) return null;
  const cells = cellTexts(columns, cuts, body);
  const numeric = (k: number, re: RegExp) => cells.filter((c) => re.test(c[k]!)).length;
  if (numeric(q, /\d/) * 3 > body.length) return null;
  const price = columns.findIndex((c) => c.role === 'unitPrice');
  const amount = columns.findIndex((c) => c.role === 'amount');
  for (const k of [q + 1, q - 1]) {
    const c = columns[k];
    const filled = numeric(k, /\S/);
    if (!c || c.role !== 'other' || filled < 2 || numeric(k, INTEGER_CELL) * 3 < filled * 2) continue;
    const priced = price >= 0 && amount >= 0 ? cells.filter((row) => INTEGER_CELL.test(row[k]!) && DECIMAL_CELL.test(row[price]!) && DECIMAL_CELL.test(row[amount]!)) : [];
    const agree = priced.filter((row) => productAgrees(row[k]!, row[price]!, row[amount]!)).length;
    // With prices: most priced rows must multiply out (OCR may have lost some rows' numbers); without,
    // integers on most rows, and they say little more than the title's place.
    if (priced.length ? agree < 2 || agree * 2 < priced.length : price >= 0 || numeric(k, INTEGER_CELL) * 3 < body.length * 2) continue;
    const [a, b] = [columns[Math.min(q, k)]!, columns[Math.max(q, k)]!];
    const merged: Column = { role: 'quantity', label: `${a.label} ${b.label}`, x0: Math.min(a.x0, b.x0), x1: Math.max(a.x1, b.x1) };
    const out = [...columns];
    out.splice(Math.min(q, k), 2, merged);
    return { columns: out, note: `the quantities sit under "${c.label}", beside the title "${columns[q]!.label}": ${priced.length ? `${agree} of ${priced.length} rows' integers × price = amount` : 'integers on most rows'}` };
  }
  return null;
}

/**
 * A page that prints no column titles continues the table: its rows are the last page's columns,
 * moved by as much as the page itself moved on the glass (a fax or scan is never placed twice alike).
 * The move is read off the rows' right edges (their last number, right-aligned, lines up page after page).
 */
function alignContinuation(t: TableScan, lines: TextLine[]): void {
  if (!t.columns || t.lastRightEdge === null || t.ended) return;
  const edges = lines.filter((l) => l.words.length >= 4 && DECIMAL_CELL.test(l.words.at(-1)!.text) && l.words.some((w) => CODE_WORD.test(w.text))).map((l) => l.x1);
  if (edges.length < 2) return;
  const dx = median(edges) - t.lastRightEdge;
  if (Math.abs(dx) < 1) return;
  t.columns = t.columns.map((c) => ({ ...c, x0: c.x0 + dx, x1: c.x1 + dx }));
  t.cuts = t.cuts.map((x) => x + dx);
}

/** A line after a header: a rule, a footer, a total, a row (or part of one), or text outside the table. */
function readBodyLine(t: TableScan, page: PageWords, line: TextLine): void {
  const columns = t.columns;
  if (!columns || t.ended) {
    t.outside.push(line);
    return;
  }
  // Rules drawn with characters ("-----", "=====") separate, they do not belong to a row.
  if (RULE_RE.test(line.text)) return;
  if (isFooterLine(line)) {
    flushRow(t);
    t.inTable = false;
    t.outside.push(line);
    return;
  }
  if (isTotalLine(line)) {
    flushRow(t);
    t.totalLines.push(line);
    // A sub-total or a carried amount ("Total page 1", "Total à reporter") may be followed by more rows; the order's total may not.
    if (FINAL_TOTAL_RE.test(fold(line.text)) && !CARRIED_RE.test(fold(line.text))) t.ended = true;
    t.inTable = false;
    return;
  }
  const perColumn: PositionedWord[][] = columns.map(() => []);
  for (const w of line.words) perColumn[columnOf(t.cuts, w)]!.push(w);
  wordsThatFitTheQuantity(columns, perColumn);
  const anchor = isAnchor(columns, perColumn);
  if (!t.inTable) {
    // Continuation page without repeated header: require a full-looking row.
    const qtyIdx = columns.findIndex((c) => c.role === 'quantity');
    if (!(anchor && qtyIdx >= 0 && perColumn[qtyIdx]!.some((w) => /\d/.test(w.text)))) {
      t.outside.push(line);
      return;
    }
    t.inTable = true;
  }
  placeRowLine(t, page, line, columns, perColumn, anchor);
}

/**
 * A line printing a number under the price or the amount of a row that already holds one: a row prints
 * one price and one amount, so this is no wrapped text of the row but what follows the table (a total
 * under a label the reader does not know, "Valeur totale nette HT 49 241,20").
 */
function secondAmount(columns: Column[], perColumn: PositionedWord[][], row: RowDraft): boolean {
  const digits = (ws: PositionedWord[]) => ws.some((w) => /\d/.test(w.text));
  return columns.some((c, i) => (c.role === 'unitPrice' || c.role === 'amount') && digits(perColumn[i]!) && digits(row.words[i]!));
}


/**
 * A note wrapped under the article code in the code's own column ("VE: Karton à 100 Stück", "Lose Ware,
 * ohne / Verpackung"): words in lower case and no code there, nothing under the numeric columns, right
 * under a row that has its code and its quantity. It belongs to that row; it is no row of its own.
 */
function noteUnderCode(columns: Column[], perColumn: PositionedWord[][], row: RowDraft | null): boolean {
  if (!row || columns.some((c, i) => NUMERIC_ROLES.has(c.role) && perColumn[i]!.length > 0)) return false;
  const codeColumn = (c: Column) => c.role === 'reference' || c.role === 'customerReference';
  const words = columns.flatMap((c, i) => (codeColumn(c) ? perColumn[i]!.map((w) => w.text) : []));
  if (!words.length || !/\p{Ll}{3}/u.test(words.join(' ')) || words.some((w) => CODE_WORD.test(w))) return false;
  const q = columns.findIndex((c) => c.role === 'quantity');
  return q >= 0 && row.words[q]!.some((w) => /\d/.test(w.text)) && columns.some((c, i) => codeColumn(c) && row.words[i]!.length > 0);
}

/** A table line: a new row (an anchor), the end of the row above (a wrapped quantity, a wrapped text), or the table's end. */
function placeRowLine(t: TableScan, page: PageWords, line: TextLine, columns: Column[], perColumn: PositionedWord[][], anchor: boolean): void {
  const h = line.y1 - line.y0;
  // A quantity wrapped onto the next line: only numbers under quantity (price, amount), right
  // below a row that has none yet, finish that row rather than start one.
  const wrapping: RowDraft | null = t.current;
  if (anchor && wrapping && (wrappedQuantity(columns, perColumn, wrapping) || noteUnderCode(columns, perColumn, wrapping)) && line.y0 - wrapping.y1 < Math.max(h * 1.2, t.pitch)) {
    perColumn.forEach((ws, i) => wrapping.words[i]!.push(...ws));
    wrapping.y1 = Math.max(wrapping.y1, line.y1);
    wrapping.lines.push(line);
    return;
  }
  if (anchor) {
    const prev: RowDraft | null = t.current;
    t.rightEdges.push(line.x1);
    if (prev) t.pitch = t.pitch ? Math.min(t.pitch, line.y0 - prev.y0) : line.y0 - prev.y0;
    flushRow(t);
    t.current = { page: page.page, y0: line.y0, y1: line.y1, words: perColumn, lines: [line] };
    return;
  }
  const cur: RowDraft | null = t.current;
  const gap = cur ? line.y0 - cur.y1 : Infinity;
  if (cur && gap < Math.max(h * 1.2, t.pitch) && !secondAmount(columns, perColumn, cur)) {
    perColumn.forEach((ws, i) => cur.words[i]!.push(...ws));
    cur.y1 = Math.max(cur.y1, line.y1);
    cur.lines.push(line);
  } else {
    // Text far below the last row and not a row itself: the table is over (notes, conditions).
    flushRow(t);
    t.inTable = false;
    t.outside.push(line);
  }
}

const POSITION = /^0*\d{1,5}$/;

/** Cells that number the lines: 1, 2, 3 or 10, 20, 30 (00010, 00020…), or 5 by 5, or 100 by 100. */
function isPositionRun(texts: string[]): boolean {
  if (!texts.every((t) => POSITION.test(t))) return false;
  const ns = texts.map(Number);
  const step = ns.length > 1 ? ns[1]! - ns[0]! : ns[0]!;
  return (step === 1 || step === 10 || step === 5 || step === 100) && ns.every((n, k) => n === ns[0]! + k * step);
}

/**
 * "Item" or "Pos." printed over 10, 20, 30 (SAP's 00010, 00020…) is the line's position, never the
 * article: when every reference cell is such a sequence, it becomes the line number and the
 * reference is what the other column holds (or, failing one, a code inside the designation).
 */
export function settlePositionColumn(rows: TableRow[]): void {
  if (rows.length === 0 || !isPositionRun(rows.map((r) => r.cells.reference?.text ?? ''))) return;
  for (const r of rows) {
    const pos = r.cells.reference!;
    if (!r.cells.lineNumber) r.cells.lineNumber = pos;
    delete r.cells.reference;
    if (r.cells.other) {
      r.cells.reference = r.cells.other;
      delete r.cells.other;
    }
  }
}

/**
 * "No." over codes (Dynamics prints the item's "No." first) is the article, never the line's
 * position: when no column was taken for the reference and the number column holds anything but
 * a run of positions (1, 2, 3 or 10, 20, 30), it is the reference.
 */
export function settleNumberColumn(rows: TableRow[]): void {
  if (rows.length === 0 || rows.some((r) => r.cells.reference)) return;
  // Rows without one (a page's footer read as a row) neither count nor change.
  const numbered = rows.filter((r) => r.cells.lineNumber);
  const nos = numbered.map((r) => r.cells.lineNumber!.text);
  if (numbered.length * 2 < rows.length || isPositionRun(nos)) return;
  // Codes, not misread positions ("l", "2", "3" from OCR): most cells hold letters with digits, a dash, or six digits and more.
  const codes = nos.filter((t) => /^\S+$/.test(t) && ((/\p{L}/u.test(t) && /\d/.test(t)) || /\p{L}-|-\p{L}|\d-\d/u.test(t) || /^\d{6,}$/.test(t)));
  if (codes.length * 2 < nos.length) return;
  for (const r of numbered) {
    r.cells.reference = r.cells.lineNumber!;
    delete r.cells.lineNumber;
  }
}

const CODE_ROLES: ColumnRole[] = ['reference', 'customerReference', 'ean', 'description', 'other'];

/**
 * OCR sometimes cuts one skewed printed row into two lines: the code and designation on one, a few
 * numbers on the other, at the same height. A numbers-only row lying within another row's height
 * is such a fragment: its numbers fill that row's cells that hold none, and it is no line of
 * its own.
 */
export function dropSplitFragments(rows: TableRow[]): TableRow[] {
  const out: TableRow[] = [];
  for (const [i, r] of rows.entries()) {
    const numbersOnly = !CODE_ROLES.some((role) => r.cells[role]) && r.lineCount === 1;
    const mid = (r.y0 + r.y1) / 2;
    const hosts = numbersOnly ? [rows[i - 1], rows[i + 1]].filter((o): o is TableRow => !!o && o.page === r.page && CODE_ROLES.some((role) => o.cells[role]) && mid > o.y0 && mid < o.y1) : [];
    // Within two rows' heights (skew): the one whose middle is nearest.
    const host = hosts.sort((a, b) => Math.abs((a.y0 + a.y1) / 2 - mid) - Math.abs((b.y0 + b.y1) / 2 - mid))[0];
    if (!host) {
      out.push(r);
      continue;
    }
    // A host cell that is no number ("1É" where the fragment has "15,47") lost its digits to the split.
    const number = (c: TableCell | undefined) => !!c && /^[^\p{L}\d]{0,2}\d[\d\s.,']*(?:[^\p{L}\d\s]{0,2}|\s\p{L}{1,4})$/u.test(c.text.trim());
    for (const [role, cell] of Object.entries(r.cells) as [ColumnRole, TableCell][]) if (!number(host.cells[role]) && number(cell)) host.cells[role] = cell;
  }
  return out;
}
