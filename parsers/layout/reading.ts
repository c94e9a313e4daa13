// Lines outside the table → text in reading order for the header-field readers. Letterheads are
// two columns (buyer left, supplier or ship-to right); read line by line they would interleave
// ("Quincaillerie Dupont   Fournisseur :"), so each page is cut at its gutter and read column by column.
import type { TextLine } from './types';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The x that separates two columns on most lines of the page, or null for a one-column page. */
export function findGutter(lines: TextLine[], pageWidth: number): number | null {
  if (lines.length < 3) return null;
  let best: { x: number; both: number } | null = null;
  for (let x = pageWidth * 0.3; x <= pageWidth * 0.7; x += pageWidth / 200) {
    let crossing = 0;
    let both = 0;
    for (const l of lines) {
      if (l.words.some((w) => w.x0 < x && w.x1 > x)) crossing++;
      else if (l.words.some((w) => w.x1 < x) && l.words.some((w) => w.x0 > x)) both++;
    }
    // A gutter is crossed by (almost) nothing and splits several lines.
    if (crossing <= lines.length * 0.1 && both >= 2 && (!best || both > best.both)) best = { x, both };
  }
  return best?.x ?? null;
}

interface Piece {
  column: 0 | 1;
  text: string;
  y0: number;
  y1: number;
}

/** Text of the lines, column by column, blocks separated by a blank line (what findShipTo expects). */
export function readingText(lines: TextLine[], pageWidth?: number): string {
  const out: string[] = [];
  const pages = [...new Set(lines.map((l) => l.page))];
  for (const p of pages) {
    const pl = lines.filter((l) => l.page === p);
    const width = pageWidth ?? Math.max(...pl.map((l) => l.x1)) * 1.05;
    const gutter = findGutter(pl, width);
    const pieces: Piece[] = [];
    for (const l of pl) {
      const h = l.y1 - l.y0;
      if (gutter === null) {
        pieces.push({ column: 0, text: l.text, y0: l.y0, y1: l.y1 });
        continue;
      }
      const left = l.words.filter((w) => (w.x0 + w.x1) / 2 < gutter);
      const right = l.words.filter((w) => (w.x0 + w.x1) / 2 >= gutter);
      const join = (ws: typeof left) => ws.map((w, i) => (i > 0 && w.x0 - ws[i - 1]!.x1 > 1.5 * h ? '   ' : i > 0 ? ' ' : '') + w.text).join('');
      if (left.length) pieces.push({ column: 0, text: join(left), y0: l.y0, y1: l.y1 });
      if (right.length) pieces.push({ column: 1, text: join(right), y0: l.y0, y1: l.y1 });
    }
    const lineH = median(pl.map((l) => l.y1 - l.y0)) || 1;
    for (const column of [0, 1] as const) {
      const col = pieces.filter((x) => x.column === column);
      let prev: Piece | null = null;
      for (const piece of col) {
        if (prev && piece.y0 - prev.y1 > lineH * 0.9) out.push('');
        out.push(piece.text);
        prev = piece;
      }
      if (col.length) out.push('');
    }
  }
  return out.join('\n');
}
