// Blocks of a page found by their label and by geometry: the value to the right of its label on
// the same line, or below it in the same column. Letterheads put supplier, delivery and billing
// addresses side by side; a block is the label's column only, from the label down to a blank gap
// or the next label, so that two columns are never merged.
import { NOT_SHIP_TO_LABELS, SHIP_TO_LABELS } from '../text/labels';
import { fold } from './table';
import type { PositionedWord, TextLine } from './types';

export interface LabelledBlock {
  /** The label as printed. */
  label: string;
  /** The block's lines (value on the label's line first, when there is one). */
  lines: string[];
  page: number;
}

const SHIP_TO_RE = new RegExp(`^(?:${SHIP_TO_LABELS.join('|')})$`, 'u');
const OTHER_BLOCK_RE = new RegExp(`^(?:${NOT_SHIP_TO_LABELS.join('|')})`, 'u');
// Bare words that open a block only when they stand as a label ("Livraison :" not "Livraison souhaitée").
const BARE = new Set(['livraison', 'delivery', 'consegna', 'entrega']);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function joinWords(ws: PositionedWord[]): string {
  return ws.map((w) => w.text).join(' ').replace(/\s+/g, ' ').trim();
}

/** Label words at `i` (up to five words) matching `re` after fold(); returns how many words, or 0. */
function labelAt(ws: PositionedWord[], i: number, re: RegExp): number {
  for (let k = Math.min(5, ws.length - i); k >= 1; k--) {
    const f = fold(ws.slice(i, i + k).map((w) => w.text).join(' '));
    if (f && re.test(f)) return k;
  }
  return 0;
}

/**
 * Every delivery-address block of the lines (outside the table), in reading order. The block's
 * horizontal extent runs from its label to the next block printed on the label's line.
 */
export function shipToBlocks(lines: TextLine[]): LabelledBlock[] {
  const out: LabelledBlock[] = [];
  const lineH = median(lines.map((l) => l.y1 - l.y0)) || 1;
  for (const [li, line] of lines.entries()) {
    const ws = line.words;
    for (let i = 0; i < ws.length; i++) {
      const k = labelAt(ws, i, SHIP_TO_RE);
      if (!k) continue;
      const labelWords = ws.slice(i, i + k);
      const after = ws.slice(i + k);
      const label = joinWords(labelWords);
      const bare = BARE.has(fold(label));
      const colon = /[:.]$/.test(labelWords[k - 1]!.text) || after[0]?.text.startsWith(':');
      if (bare && !colon && after.length && after[0]!.x0 - labelWords[k - 1]!.x1 < 2 * lineH) continue;
      // A label inside a sentence is not a block's title: it opens its line or follows a wide gap.
      if (i > 0 && labelWords[0]!.x0 - ws[i - 1]!.x1 < 1.5 * lineH) continue;
      // The block ends where the next block on the label's line starts (a wide gap).
      let end = after.findIndex((w, j) => w.x0 - (j === 0 ? labelWords[k - 1]! : after[j - 1]!).x1 > 3 * lineH);
      if (end < 0) end = after.length;
      const sameLine = after.slice(0, end).filter((w) => w.text !== ':');
      const x0 = labelWords[0]!.x0 - lineH;
      const x1 = end < after.length ? after[end]!.x0 - lineH * 0.5 : Infinity;
      const block: string[] = [];
      const first = joinWords(sameLine).replace(/^[:.]\s*/, '');
      if (first) block.push(first);
      let lastY = line.y1;
      for (let n = li + 1; n < lines.length && block.length < 6; n++) {
        const below = lines[n]!;
        if (below.page !== line.page) break;
        const inCol = below.words.filter((w) => {
          const cx = (w.x0 + w.x1) / 2;
          return cx >= x0 && cx < x1 && w.x0 >= x0 - lineH;
        });
        if (inCol.length === 0) {
          if (below.y0 - lastY > 1.5 * lineH) break;
          continue;
        }
        if (below.y0 - lastY > 1.8 * lineH && block.length) break;
        const text = joinWords(inCol);
        const f = fold(text);
        // The next label in the column (billing, "Date :", "Contact :") closes the block.
        if (OTHER_BLOCK_RE.test(f) || SHIP_TO_RE.test(f) || (block.length && /^[\p{L} .'’/-]{2,30}\s*:/u.test(text))) break;
        block.push(text);
        lastY = below.y1;
      }
      if (block.length) out.push({ label, lines: block, page: line.page });
      break;
    }
  }
  return out;
}

interface Group {
  text: string;
  x0: number;
  x1: number;
}

/** Words of a line cut into groups at wide gaps (a form's cells). */
function groups(line: TextLine, gap: number): Group[] {
  const out: Group[] = [];
  for (const w of line.words) {
    const last = out[out.length - 1];
    if (last && w.x0 - last.x1 <= gap) Object.assign(last, { text: `${last.text} ${w.text}`, x1: w.x1 });
    else out.push({ text: w.text, x0: w.x0, x1: w.x1 });
  }
  return out;
}

/** A value group cut where a word starts under the next label: cells that ran together with too narrow a gap. */
function cutAtLabels(v: Group, words: PositionedWord[], labels: Group[], slack: number): Group[] {
  const inside = words.filter((w) => w.x0 >= v.x0 && w.x1 <= v.x1);
  const out: Group[] = [];
  for (const w of inside) {
    const last = out[out.length - 1];
    const edge = labels.some((l) => l.x0 - slack <= w.x0 && last && last.x0 < l.x0 - slack);
    if (last && !edge) Object.assign(last, { text: `${last.text} ${w.text}`, x1: w.x1 });
    else out.push({ text: w.text, x0: w.x0, x1: w.x1 });
  }
  return out.length ? out : [v];
}

/**
 * A form's boxes: a row of labels ("N° pièce   Date   Date de livraison") with the values printed
 * right below (in a tall cell, up to two lines' height lower), each under its label; the labels'
 * starts set the cells' edges. Returns "label : value" lines that the header readers understand as
 * if the value followed its label. `below`: how far under its labels (in line heights) a row of values
 * may start.
 */
export function labelValueLines(lines: TextLine[], below = 2.5): string[] {
  const out: string[] = [];
  const lineH = median(lines.map((l) => l.y1 - l.y0)) || 1;
  for (let i = 0; i + 1 < lines.length; i++) {
    const top = lines[i]!;
    const next = lines[i + 1]!;
    if (next.page !== top.page || next.y0 - top.y1 > below * lineH || /\d/.test(top.text)) continue;
    const labels = groups(top, 1.5 * lineH);
    const values = groups(next, 1.5 * lineH).flatMap((v) => cutAtLabels(v, next.words, labels, lineH / 2));
    if (labels.length < 2 || values.length < 2) continue;
    for (const v of values) {
      // The label whose cell holds the value's start: the last label starting left of it (with some slack).
      const label = [...labels].reverse().find((l) => l.x0 <= v.x0 + lineH && v.x0 < l.x1 + 4 * lineH);
      if (label && /\d/.test(v.text)) out.push(`${label.text.trimEnd().replace(/:$/, '').trimEnd()} : ${v.text}`);
    }
  }
  return out;
}
