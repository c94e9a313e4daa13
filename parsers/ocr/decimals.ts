// A number column prints its decimals one way ("14,00", "1.400,00", "38,50"): when a small, dense
// face is faxed or scanned, OCR often loses the decimal mark ("1400" for 14,00, "35100" for 351,00)
// or reads it as a space or a thousands mark ("53 900 00", "1.400.00"). Quantity × price = amount
// cannot tell such a row from the true one when every cell lost its mark alike (35100 × 6,90 =
// 242190 holds as 351 × 6,90 = 2421,90 does): the column's own format does. A cell that does not
// read as its column prints is read as its siblings are; the arithmetic says whether that holds, and
// a reading nothing confirms stays under review. Pure.
import type { Table, TableCell, TableRow } from '../layout/types';
import type { NumberLocale } from '../text/numbers';
import { agrees, type CellNumber, type NumberRole } from './reread';
import { cleanNumberCell } from './snap';

const ROLES: NumberRole[] = ['quantity', 'unitPrice', 'amount'];

/** The decimals each number column prints, where its cells show it (columnDecimals). */
export type ColumnDecimals = Partial<Record<NumberRole, number>>;

/** A cell read as its column prints, confirmed by nothing: below review. */
export const AS_PRINTED_ALONE = 0.6;

const markOf = (locale: NumberLocale) => (locale === 'en' ? '.' : ',');

/** The cell's number part and what follows it (a unit word): "14,00 KAR" → ["14,00", " KAR"]. */
function numberPart(text: string): { num: string; rest: string } | null {
  const t = cleanNumberCell(text).text;
  const m = /^(\d(?:[\d.,' \u00a0]*\d)?)(\D*)$/.exec(t);
  return m ? { num: m[1]!, rest: m[2]! } : null;
}

/**
 * How many decimals a column prints behind the document's decimal mark (2 to 4), as its cells show
 * it: three cells at least, and nine in ten of the cells that show the mark alike. Null when the
 * cells do not say (whole numbers, mixed, or too few read with their mark).
 */
export function columnDecimals(texts: string[], locale: NumberLocale): number | null {
  const mark = markOf(locale);
  const counts = new Map<number, number>();
  let marked = 0;
  for (const t of texts) {
    const p = numberPart(t);
    const at = p ? p.num.lastIndexOf(mark) : -1;
    if (!p || at < 0) continue;
    const frac = p.num.slice(at + 1);
    if (!/^\d+$/.test(frac)) continue;
    marked++;
    counts.set(frac.length, (counts.get(frac.length) ?? 0) + 1);
  }
  const [best, n] = [...counts].reduce((x, y) => (y[1] > x[1] ? y : x), [0, 0]);
  return best >= 2 && best <= 4 && n >= 3 && n >= marked * 0.9 ? best : null;
}

/**
 * The cell's text as a column printing `decimals` decimals would have it, when OCR lost the mark
 * ("1400" → "14,00") or read it as a space or the other mark ("53 900 00" → "53 900,00",
 * "1.400.00" → "1.400,00"); null when the cell already reads so, or cannot be read either way.
 */
export function asPrinted(text: string, decimals: number, locale: NumberLocale): string | null {
  const p = numberPart(text);
  if (!p) return null;
  const mark = markOf(locale);
  const { num, rest } = p;
  const sep = Math.max(num.lastIndexOf('.'), num.lastIndexOf(','), num.lastIndexOf(' '), num.lastIndexOf("'"), num.lastIndexOf('\u00a0'));
  if (sep < 0) return num.length > decimals ? `${num.slice(0, -decimals)}${mark}${num.slice(-decimals)}${rest}` : null;
  const frac = num.slice(sep + 1);
  if (num[sep] === mark || frac.length !== decimals) return null;
  const whole = num.slice(0, sep);
  // What comes before must be a whole number as printed: digits, or groups of three.
  if (!/^\d+$/.test(whole) && !/^\d{1,3}(?:[.,' \u00a0]\d{3})+$/.test(whole)) return null;
  return `${whole}${mark}${frac}${rest}`;
}

export interface RowAsPrinted {
  row: TableRow;
  /** What was read otherwise and why it was taken so, for the line's doubts; null when unchanged. */
  doubt: string | null;
}

const fmt = (n: number) => String(Math.round(n * 10000) / 10000).replace('.', ',');

/**
 * The row's number cells read as their columns print them. Among the cells as OCR read them and
 * as printed, the reading that makes quantity × unit price = amount hold with the most cells as
 * printed is taken; when none holds (a cell unread or misread besides), the cells as printed are
 * taken below review (AS_PRINTED_ALONE), never the page's scale-shifted reading as sure.
 */
export function rowAsPrinted(row: TableRow, decimals: ColumnDecimals, locale: NumberLocale, valueOf: (role: NumberRole) => CellNumber): RowAsPrinted {
  const alts = new Map<NumberRole, TableCell>();
  for (const role of ROLES) {
    const cell = row.cells[role];
    const d = decimals[role];
    const text = cell && d ? asPrinted(cell.text, d, locale) : null;
    if (cell && text !== null && valueOf(role)(text) !== null) alts.set(role, { text, confidence: cell.confidence });
  }
  lostQuantityMark(row, decimals, locale, valueOf, alts);
  if (alts.size === 0) return { row, doubt: null };
  const changed = [...alts.keys()];
  let best: { take: NumberRole[]; n: number } | null = null;
  let tie = false;
  for (let mask = 0; mask < 1 << changed.length; mask++) {
    const take = changed.filter((_, i) => mask & (1 << i));
    const v = (role: NumberRole) => {
      const cell = take.includes(role) ? alts.get(role)! : row.cells[role];
      return cell ? valueOf(role)(cell.text) : null;
    };
    const [q, p, a] = ROLES.map(v);
    if (q === null || q === undefined || p === null || p === undefined || a === null || a === undefined || !agrees(q, p, a)) continue;
    if (!best || take.length > best.n) [best, tie] = [{ take, n: take.length }, false];
    else if (take.length === best.n) tie = true;
  }
  const said = (roles: NumberRole[]) => roles.map((r) => `${r === 'unitPrice' ? 'unit price' : r} read as "${row.cells[r]!.text}", taken as ${alts.get(r)!.text}`).join('; ');
  if (best && !tie) {
    if (best.n === 0) return { row, doubt: null };
    const cells = { ...row.cells };
    for (const r of best.take) cells[r] = alts.get(r)!;
    const [q, p, a] = ROLES.map((r) => fmt(valueOf(r)(cells[r]!.text) ?? 0));
    return { row: { ...row, cells }, doubt: `${said(best.take)} (the column prints ${decimals[best.take[0]!]} decimals): ${q} × ${p} = ${a}` };
  }
  const cells = { ...row.cells };
  for (const r of changed) cells[r] = { ...alts.get(r)!, confidence: Math.min(alts.get(r)!.confidence, AS_PRINTED_ALONE) };
  return { row: { ...row, cells }, doubt: `${said(changed)} (the column prints decimals), nothing confirms it` };
}

/**
 * A quantity column too few of whose cells kept their mark to show its decimals, on a row whose
 * amount lost its mark: the quantity may have lost it too ("1000" for 10,00 beside "13050" for
 * 130,50, which agree with each other a hundred times too large). A whole quantity of three digits
 * or more ending in as many zeros as the amount prints decimals is offered as printed with them.
 */
function lostQuantityMark(row: TableRow, decimals: ColumnDecimals, locale: NumberLocale, valueOf: (role: NumberRole) => CellNumber, alts: Map<NumberRole, TableCell>): void {
  const q = row.cells.quantity;
  const d = decimals.amount;
  if (decimals.quantity || !d || !alts.has('amount') || !q) return;
  const digits = q.text.trim();
  if (!/^\d{3,7}$/.test(digits) || !digits.endsWith('0'.repeat(d))) return;
  const text = asPrinted(digits, d, locale);
  if (text !== null && valueOf('quantity')(text) !== null) alts.set('quantity', { text, confidence: q.confidence });
}

/**
 * Each number column's decimals as its cells show them. A quantity column of three decimals is
 * order.ts's thousandths rule (asThousandthsSibling: only whole ",000" quantities), not this one.
 */
export function tableDecimals(table: Table, locale: NumberLocale): ColumnDecimals {
  const out: ColumnDecimals = {};
  for (const role of ROLES) {
    const d = columnDecimals(table.rows.map((r) => r.cells[role]?.text ?? ''), locale);
    if (d && !(role === 'quantity' && d === 3)) out[role] = d;
  }
  return out;
}
