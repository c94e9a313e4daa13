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
