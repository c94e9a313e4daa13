// A row's number cells as the page's OCR read them, and as their crops read again (reread.ts):
// which reading to believe. Quantity × unit price = amount chooses among the alternatives; a
// re-reading only other re-readings agree with is taken, but stays flagged. Every value taken from
// a re-reading says so, with what confirms it. Pure.
import type { TableCell, TableRow } from '../layout/types';
import { agrees, cellKey, plainNumber, type CellNumber, type CellRereads, type NumberRole } from './reread';

export interface SettledNumbers {
  /** The row's quantity, unit price and amount cells to read from (the page's, or a re-reading's). */
  cells: Partial<Record<NumberRole, TableCell>>;
  /** What was re-read and what confirms it, for the line's doubts; null when the page's reading stands. */
  evidence: string | null;
  /** The line's confidence at most (a re-reading nothing confirms stays under review). */
  cap: number;
}

/** A re-read value the arithmetic confirms: sure, but it says where it came from. */
export const REREAD_CONFIRMED = 0.9;
/** A re-read value only other re-readings agree with: kept, under review. */
export const REREAD_ALONE = 0.6;
/** A re-read value of an unread cell only other faint re-readings agree with: kept, well under review. */
export const REREAD_FAINT = 0.45;
/** A re-reading this sure of itself counts as a witness. */
const SURE_READING = 0.8;

interface Alt {
  text: string;
  confidence: number;
  value: number | null;
  first: boolean;
  /** One number of a re-reading that read several: only the arithmetic may pick it. */
  part?: true;
}

function alternatives(row: TableRow, role: NumberRole, rereads: CellRereads, numberOf: CellNumber): Alt[] {
  const cell = row.cells[role];
  const out: Alt[] = cell ? [{ text: cell.text, confidence: cell.confidence, value: numberOf(cell.text), first: true }] : [];
  if (cell) offerJoined(cell, numberOf, out);
  for (const r of rereads.get(cellKey(row, role)) ?? []) {
    out.push({ text: r.text, confidence: r.confidence, value: numberOf(r.text), first: false });
    // A crop that caught a neighbour's word ("1,000 51": the unit's "ST" on a skewed page) offers each number it read; the arithmetic picks.
    offerJoined(r, numberOf, out);
    const parts = r.text.split(/\s+/).filter((t) => /\d/.test(t));
    if (parts.length > 1) for (const t of parts) out.push({ text: t, confidence: r.confidence, value: numberOf(t), first: false, part: true });
  }
  return out;
}

/** A number whose mark OCR read with a space after it ("1, 783.04"): offered joined ("1,783.04"); only the arithmetic may pick it. */
function offerJoined(r: { text: string; confidence: number }, numberOf: CellNumber, out: Alt[]): void {
  if (!/\d[.,] \d/.test(r.text)) return;
  const text = r.text.replace(/(?<=\d[.,]) (?=\d)/g, '');
  const value = numberOf(text);
  if (value !== null) out.push({ text, confidence: r.confidence, value, first: false, part: true });
}

const fmt = (n: number) => String(Math.round(n * 1000) / 1000).replace('.', ',');

/**
 * The row's numbers, settled among the page's reading and the crops' re-readings: the quantity
 * (with a price and an amount) that makes quantity × unit price = amount hold — the only one that
 * does —, else a quantity two sure re-readings agree on when the page's was unread or doubtful
 * (flagged), else the page's reading, with an amount that a re-reading read alike made surer.
 */
export function settleNumbers(row: TableRow, rereads: CellRereads | undefined, quantityOf: CellNumber, numberOf: CellNumber = plainNumber): SettledNumbers {
  const cells: SettledNumbers['cells'] = { ...(row.cells.quantity ? { quantity: row.cells.quantity } : {}), ...(row.cells.unitPrice ? { unitPrice: row.cells.unitPrice } : {}), ...(row.cells.amount ? { amount: row.cells.amount } : {}) };
  const unchanged: SettledNumbers = { cells, evidence: null, cap: 1 };
  if (!rereads || ![...(['quantity', 'unitPrice', 'amount'] as const)].some((r) => rereads.has(cellKey(row, r)))) return unchanged;
  const qs = alternatives(row, 'quantity', rereads, quantityOf);
  const ps = alternatives(row, 'unitPrice', rereads, numberOf);
  const as = alternatives(row, 'amount', rereads, numberOf);
  const settled = byArithmetic(qs, ps, as, cells) ?? byAgreement(qs, cells) ?? surerAmount(as, cells);
  // A price or an amount the page lost, from its crop, whatever else was settled.
  const lost = lostCells(ps, as, (settled ?? unchanged).cells);
  if (!lost) return settled ?? unchanged;
  return { cells: lost.cells, evidence: [settled?.evidence, lost.evidence].filter(Boolean).join('; '), cap: Math.min(settled?.cap ?? 1, lost.cap) };
}

/**
 * A price or an amount the page did not read at all (OCR dropped the word) but its cell's crop read
 * surely: taken, under review, so that the line's check (quantity × price = amount) can vouch for
 * or correct the quantity.
 */
function lostCells(ps: Alt[], as: Alt[], cells: SettledNumbers['cells']): SettledNumbers | null {
  const out = { ...cells };
  const said: string[] = [];
  for (const [role, alts, what] of [['unitPrice', ps, 'unit price'], ['amount', as, 'amount']] as const) {
    if (alts.some((x) => x.first)) continue;
    const sure = alts.filter((x) => !x.part && x.value !== null && x.confidence >= SURE_READING);
    if (sure.length === 0 || new Set(sure.map((x) => x.value)).size > 1) continue;
    const best = sure.reduce((x, y) => (y.confidence > x.confidence ? y : x));
    out[role] = { text: best.text, confidence: best.confidence };
    said.push(`${what} unread on the page; read from its cell as "${best.text}" (OCR ${best.confidence.toFixed(2)})`);
  }
  return said.length ? { cells: out, evidence: said.join('; '), cap: REREAD_ALONE } : null;
}

/**
 * A re-reading of a cell the page read with its decimal mark ("1059,39"), the same number with the
 * mark lost ("105938": a hundred times it, give or take its last digit). It is no witness: any
 * quantity whose mark was lost as well (14900 for 149) would agree with it.
 */
function lostMarkOf(alt: Alt, alts: Alt[]): boolean {
  const page = alts.find((x) => x.first);
  if (alt.first || alt.value === null || !page || page.value === null || /[.,]/.test(alt.text) || !/\d[.,]\d/.test(page.text)) return false;
  for (let k = 1; k <= 3; k++) {
    const scale = 10 ** k;
    if (Math.abs(alt.value - page.value * scale) <= scale * 0.011) return true;
  }
  return false;
}

function byArithmetic(qs: Alt[], ps: Alt[], as: Alt[], cells: SettledNumbers['cells']): SettledNumbers | null {
  const combos: { q: Alt; p: Alt; a: Alt; score: number }[] = [];
  for (const q of qs) for (const p of ps) for (const a of as) {
    if (q.value === null || p.value === null || a.value === null || !agrees(q.value, p.value, a.value)) continue;
    if (lostMarkOf(p, ps) || lostMarkOf(a, as)) continue;
    combos.push({ q, p, a, score: [q, p, a].filter((x) => x.first).length * 10 + q.confidence + p.confidence + a.confidence });
  }
  if (combos.length === 0) return null;
  // Two different quantities that each make the arithmetic hold: nothing says which.
  if (new Set(combos.map((c) => c.q.value)).size !== 1) return null;
  const best = combos.reduce((x, y) => (y.score > x.score ? y : x));
  if (best.q.first && best.p.first && best.a.first) return null;
  const { q, p, a } = best;
  const said = (x: Alt, what: string) => (x.first ? '' : `; ${what} re-read as "${x.text}"`);
  const firstQ = qs.find((x) => x.first);
  const evidence = `quantity ${firstQ ? `read as "${firstQ.text}"` : 'unread'} on the page; ${q.first ? 'kept' : `re-read from its cell as "${q.text}"`}${said(p, 'unit price')}${said(a, 'amount')}: ${fmt(q.value!)} × ${fmt(p.value!)} = ${fmt(a.value!)}`;
  return {
    cells: { ...cells, quantity: { text: q.text, confidence: Math.max(q.confidence, SURE_READING) }, unitPrice: { text: p.text, confidence: Math.max(p.confidence, SURE_READING) }, amount: { text: a.text, confidence: Math.max(a.confidence, SURE_READING) } },
    evidence,
    cap: REREAD_CONFIRMED,
  };
}

function byAgreement(qs: Alt[], cells: SettledNumbers['cells']): SettledNumbers | null {
  const first = qs.find((x) => x.first);
  // Only a cell the page read something in (a digit OCR doubted): an empty band may hold anything.
  if (!first || !/\d/.test(first.text) || (first.value !== null && first.confidence >= 0.7)) return null;
  // A page reading that gave no number at all: any two re-readings that agree are better than
  // nothing, kept below review (REREAD_FAINT) when OCR doubted them.
  const unread = first.value === null;
  const sure = qs.filter((x) => !x.first && !x.part && x.value !== null && (unread || x.confidence >= SURE_READING) && !lostMarkOf(x, qs));
  const counts = new Map<number, Alt[]>();
  for (const x of sure) counts.set(x.value!, [...(counts.get(x.value!) ?? []), x]);
  const agreed = [...counts.values()].filter((l) => l.length >= 2);
  if (agreed.length !== 1) return null;
  const pick = agreed[0]![0]!;
  if (first && first.value === pick.value) return null;
  const faint = agreed[0]!.some((x) => x.confidence < SURE_READING);
  const cap = faint ? REREAD_FAINT : REREAD_ALONE;
  const evidence = `quantity read as "${first.text}" (OCR ${first.confidence.toFixed(2)}) on the page; re-read from its cell as "${pick.text}" ${agreed[0]!.length} times${faint ? ` (OCR ${Math.min(...agreed[0]!.map((x) => x.confidence)).toFixed(2)})` : ''}; nothing confirms it`;
  return { cells: { ...cells, quantity: { text: pick.text, confidence: cap } }, evidence, cap };
}

function surerAmount(as: Alt[], cells: SettledNumbers['cells']): SettledNumbers | null {
  const first = as.find((x) => x.first);
  if (!first || first.value === null || first.confidence >= SURE_READING) return null;
  const alike = as.filter((x) => !x.first && !x.part && x.value === first.value && x.confidence >= SURE_READING);
  if (alike.length === 0) return null;
  const confidence = Math.max(...alike.map((x) => x.confidence));
  return { cells: { ...cells, amount: { text: first.text, confidence } }, evidence: `amount "${first.text}" read alike again from its cell (OCR ${confidence.toFixed(2)})`, cap: 1 };
}
