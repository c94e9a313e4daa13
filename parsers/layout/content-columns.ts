// Columns known by what their cells hold, for tables whose titles OCR lost or garbled: integers that
// with a price give the amount are quantities, decimals aligned under each other prices and amounts,
// a code-like word the article, words the designation. Pure; table.ts calls it.
import type { Column, ColumnRole, TextLine } from './types';

/** A word that may be an article code: letters with digits ("VIS-450", "PB11.402"), or capitals joined by a dash ("PAT-ANG"). */
export const CODE_WORD = /^(?:(?=[^\d\s]*\d)(?=\P{L}*\p{L})[\p{L}\d./-]+|\p{Lu}{2,}-[\p{Lu}\d-]+)$/u;
/** Right-aligned number cells: integers ("17", "1.250", "1 250") and decimals ("22,050", "1.527,66"). */
export const INTEGER_CELL = /^\d{1,3}(?:[.,' \u00a0]\d{3})+$|^\d{1,6}$/;
export const DECIMAL_CELL = /^\d{1,3}(?:[.,' \u00a0]?\d{3})*[.,]\d{1,4}$/;
const UNIT_CELL = /^\p{L}{1,4}\.?$/u;

/** The values a printed number may stand for: "1.250" is 1250 or 1.25, "22,050" 22.05 or 22050. */
export function readings(text: string): number[] {
  const t = text.replace(/[\s\u00a0']/g, '');
  if (!/^\d[\d.,]*$/.test(t)) return [];
  const last = Math.max(t.lastIndexOf('.'), t.lastIndexOf(','));
  const whole = Number(t.replace(/[.,]/g, ''));
  if (last < 0) return [whole];
  const decimal = Number(`${t.slice(0, last).replace(/[.,]/g, '')}.${t.slice(last + 1)}`);
  return [...new Set([whole, decimal])];
}

/** Quantity × price = amount, for some reading of each. */
export function productAgrees(q: string, p: string, a: string): boolean {
  const as = readings(a);
  return readings(q).some((qv) => readings(p).some((pv) => as.some((av) => av > 0 && Math.abs(qv * pv - av) <= 0.011 + av * 0.001)));
}

/** A line that looks like an order row whatever its titles: a code-like word and at least two numbers, the last a decimal. */
export function looksLikeRow(l: TextLine): boolean {
  const ws = l.words.map((w) => w.text);
  return ws.length >= 4 && DECIMAL_CELL.test(ws.at(-1)!) && ws.filter((w) => INTEGER_CELL.test(w) || DECIMAL_CELL.test(w)).length >= 2 && ws.some((w) => CODE_WORD.test(w));
}

/**
 * The rows moved sideways so that their right edges (the amount, right-aligned) meet: a crooked page
 * moves each row as a whole, by more than the narrowest gutter over twenty rows.
 */
function levelled(rows: TextLine[]): TextLine[] {
  const ends = rows.map((r) => r.x1).sort((a, b) => a - b);
  const mid = ends[Math.floor(ends.length / 2)]!;
  return rows.map((r) => {
    const dx = mid - r.x1;
    return { ...r, x0: r.x0 + dx, x1: r.x1 + dx, words: r.words.map((w) => ({ ...w, x0: w.x0 + dx, x1: w.x1 + dx })) };
  });
}

/** Where the rows' words leave a white gutter across all (or all but a tenth) of them: the columns between. */
function gutterSpans(rows: TextLine[]): { x0: number; x1: number }[] {
  const x0 = Math.floor(Math.min(...rows.map((r) => r.x0)));
  const x1 = Math.ceil(Math.max(...rows.map((r) => r.x1)));
  if (x1 - x0 > 20000) return [];
  const cover = new Array<number>(x1 - x0 + 2).fill(0);
  for (const r of rows) for (const w of r.words) for (let x = Math.floor(w.x0) - x0; x <= Math.ceil(w.x1) - x0; x++) cover[x]!++;
  const limit = Math.floor(rows.length / 10);
  const spans: { x0: number; x1: number }[] = [];
  let start = -1;
  cover.forEach((n, i) => {
    if (n > limit && start < 0) start = i;
    else if (n <= limit && start >= 0) {
      spans.push({ x0: start + x0, x1: i - 1 + x0 });
      start = -1;
    }
  });
  // A gutter narrower than half a character is a chance gap between words of one column.
  const words = rows.flatMap((r) => r.words);
  const char = words.map((w) => (w.x1 - w.x0) / Math.max(1, w.text.length)).sort((a, b) => a - b)[Math.floor(words.length / 2)] ?? 0;
  const out: { x0: number; x1: number }[] = [];
  for (const sp of spans) {
    const last = out.at(-1);
    if (last && sp.x0 - last.x1 < char / 2) last.x1 = sp.x1;
    else out.push({ ...sp });
  }
  return out;
}

/** Spans that only some rows fill (a designation's second word on a few rows) join the text span on their left. */
function joinSparse(spans: { x0: number; x1: number }[], rows: TextLine[]): { x0: number; x1: number }[] {
  const filled = (sp: { x0: number; x1: number }) => rows.filter((r) => r.words.some((w) => (w.x0 + w.x1) / 2 >= sp.x0 && (w.x0 + w.x1) / 2 <= sp.x1)).length;
  const out: { x0: number; x1: number }[] = [];
  for (const sp of spans) {
    const last = out.at(-1);
    const sparse = filled(sp) * 2 < rows.length;
    const lastIsText = last ? rows.some((r) => r.words.some((w) => (w.x0 + w.x1) / 2 >= last.x0 && (w.x0 + w.x1) / 2 <= last.x1 && /\p{L}{3}/u.test(w.text))) : false;
    if (last && sparse && lastIsText && rows.every((r) => !r.words.some((w) => (w.x0 + w.x1) / 2 >= sp.x0 && (w.x0 + w.x1) / 2 <= sp.x1 && DECIMAL_CELL.test(w.text)))) last.x1 = sp.x1;
    else out.push({ ...sp });
  }
  return out;
}

/** Each row's words per span (by their centre), as cell texts. */
function spanCells(spans: { x0: number; x1: number }[], cuts: number[], rows: TextLine[]): string[][] {
  return rows.map((r) => {
    const cells = spans.map(() => [] as string[]);
    for (const w of r.words) {
      const cx = (w.x0 + w.x1) / 2;
      let i = 0;
      while (i < cuts.length && cx >= cuts[i]!) i++;
      cells[i]!.push(w.text);
    }
    return cells.map((c) => c.join(' '));
  });
}

/** The quantity, price and amount columns: the three whose numbers multiply out on most rows (at least two). */
function numberTriple(cells: string[][], width: number): { q: number; p: number; a: number; agree: number; of: number } | null {
  let best: { q: number; p: number; a: number; agree: number; of: number } | null = null;
  for (let p = 0; p < width; p++)
    for (let a = p + 1; a < width; a++)
      for (let q = 0; q < width; q++) {
        if (q === p || q === a) continue;
        const full = cells.filter((c) => (INTEGER_CELL.test(c[q]!) || DECIMAL_CELL.test(c[q]!)) && DECIMAL_CELL.test(c[p]!) && DECIMAL_CELL.test(c[a]!));
        const agree = full.filter((c) => productAgrees(c[q]!, c[p]!, c[a]!)).length;
        // Quantity × price is price × quantity: the quantity is the one printed first, as tables print it.
        const score = agree * 2 + (q < p ? 1 : 0);
        if (agree >= 2 && agree * 2 >= full.length && agree * 3 >= cells.length && (!best || score > best.agree * 2 + (best.q < best.p ? 1 : 0))) best = { q, p, a, agree, of: cells.length };
      }
  return best;
}

/** The role a column's cells show: a code, a unit, words (the designation), numbers (left for the triple), or nothing clear. */
function cellRole(texts: string[]): ColumnRole | 'number' | null {
  const filled = texts.filter((t) => t.trim() !== '');
  if (filled.length * 2 < texts.length) return null;
  const share = (re: RegExp) => filled.filter((t) => re.test(t.trim())).length / filled.length;
  if (share(INTEGER_CELL) + share(DECIMAL_CELL) >= 0.6) return 'number';
  if (filled.filter((t) => CODE_WORD.test(t.trim().split(' ')[0]!)).length / filled.length >= 0.6) return 'reference';
  if (share(UNIT_CELL) >= 0.6) return 'unit';
  return filled.filter((t) => /\p{L}{3}/u.test(t)).length / filled.length >= 0.6 ? 'description' : null;
}

/**
 * A table whose title row no page shows (lost, garbled): the columns from the white gutters between
 * the rows' words, their roles from their cells' content. Needs three rows or more and a quantity,
 * price and amount that multiply out; null otherwise (the reader then falls back on the text).
 */
export function alignedColumns(printed: TextLine[]): { columns: Column[]; cuts: number[]; note: string } | null {
  if (printed.length < 3) return null;
  const rows = levelled(printed);
  const spans = joinSparse(gutterSpans(rows), rows);
  if (spans.length < 4) return null;
  const cuts = spans.slice(1).map((s, i) => (spans[i]!.x1 + s.x0) / 2);
  const cells = spanCells(spans, cuts, rows);
  const triple = numberTriple(cells, spans.length);
  if (!triple) return null;
  const roles = spans.map((_, k) => cellRole(cells.map((c) => c[k]!)));
  const taken = new Set<ColumnRole>(['quantity', 'unitPrice', 'amount']);
  const columns: Column[] = spans.map((s, k) => {
    const role: ColumnRole = k === triple.q ? 'quantity' : k === triple.p ? 'unitPrice' : k === triple.a ? 'amount' : roleOnce(roles[k] ?? null, k, roles, taken);
    return { role, label: '', x0: s.x0, x1: s.x1 };
  });
  if (!columns.some((c) => c.role === 'reference' || c.role === 'description')) return null;
  return { columns, cuts, note: `no title row: ${columns.length} columns found by the alignment of ${rows.length} rows, their roles from the cells (${triple.agree} of ${triple.of} rows' quantity × price = amount)` };
}

/** A role shown by a column's cells, given once (the first column showing it); numbers left of the article number the lines. */
function roleOnce(role: ColumnRole | 'number' | null, k: number, roles: (ColumnRole | 'number' | null)[], taken: Set<ColumnRole>): ColumnRole {
  if (role === 'number') {
    const firstText = roles.findIndex((r) => r === 'reference' || r === 'description');
    return k < firstText && !taken.has('lineNumber') ? (taken.add('lineNumber'), 'lineNumber') : 'other';
  }
  if (!role || taken.has(role)) return 'other';
  taken.add(role);
  return role;
}
