// Positioned words as a PDF or OCR reader gives them, for reader tests: 5 units per letter, one space between words.
import type { PositionedWord } from '../../parsers/layout/types';

/** Appends `text`'s words to `words`, on the line at `y`, the first at `x`. */
export function putWords(words: PositionedWord[], y: number, x: number, text: string): void {
  let at = x;
  for (const w of text.split(' ')) {
    words.push({ text: w, x0: at, y0: y, x1: at + w.length * 5, y1: y + 10 });
    at += (w.length + 1) * 5;
  }
}

/** One printed line of [x, text] cells, as a PDF gives them: 5 units per letter, 3 between words. */
export function cellWords(y: number, cells: [number, string][]): PositionedWord[] {
  return cells.flatMap(([x, text]) => {
    let at = x;
    return text.split(' ').map((t) => {
      const w = { text: t, x0: at, x1: at + t.length * 5, y0: y, y1: y + 10 };
      at = w.x1 + 3;
      return w;
    });
  });
}

let ocrLineNo = 0;
/**
 * One line as OCR gives it: [x, text, confidence?] pieces split into words 20 px per character apart,
 * sharing one line id; a piece without its own confidence takes `confidence`.
 */
export function ocrLine(y: number, pieces: [number, string, number?][], confidence = 0.92): PositionedWord[] {
  const id = `L${ocrLineNo++}`;
  const out: PositionedWord[] = [];
  for (const [x0, text, own = confidence] of pieces) {
    let x = x0;
    for (const w of text.split(' ')) {
      out.push({ text: w, x0: x, y0: y, x1: x + w.length * 20, y1: y + 30, confidence: own, lineId: id });
      x += (w.length + 1) * 20;
    }
  }
  return out;
}

/** What a one-page order prints: its title, a letterhead, header fields, a ship-to block and a table. */
export interface OnePageOrder {
  title: string;
  /** Two lines under the title (name, VAT number). */
  letterhead: [string, string];
  /** Label at x 40, value at x 200, one per line. */
  header: [string, string][];
  /** The ship-to block at x 360: its label, then its lines. */
  shipTo: string[];
  cols: [string, number][];
  rows: string[][];
}

/** The words of a one-page A4 order laid out as `OnePageOrder` says. */
export function onePageOrder(o: OnePageOrder): { page: number; words: PositionedWord[]; width: number; height: number }[] {
  const words: PositionedWord[] = [];
  const put = (y: number, x: number, text: string) => putWords(words, y, x, text);
  put(20, 40, o.title);
  put(40, 40, o.letterhead[0]);
  put(55, 40, o.letterhead[1]);
  o.header.forEach(([label, value], i) => {
    put(100 + i * 15, 40, label);
    put(100 + i * 15, 200, value);
  });
  o.shipTo.forEach((text, i) => put(100 + i * 15, 360, text));
  const y0 = 120 + o.header.length * 15 + 60;
  for (const [label, x] of o.cols) put(y0, x, label);
  o.rows.forEach((row, r) => row.forEach((cell, c) => put(y0 + 15 * (r + 1), o.cols[c]![1], cell)));
  return [{ page: 1, words, width: 595, height: 842 }];
}
