// Fax pages turned level and cleared of their rules before OCR (parsers/ocr/rules.ts).
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clearFlatMarks, estimateSkew, removeRules, shearLevel, type RuleOptions } from '../../../parsers/ocr/rules';
import { faxRuleOptions } from '../../../parsers/ocr/image';

const W = 600;
const H = 300;
const blank = () => new Uint8Array(W * H).fill(255);
const fill = (img: Uint8Array, x0: number, y0: number, x1: number, y1: number) => {
  for (let y = y0; y < y1; y++) img.fill(0, y * W + x0, y * W + x1);
};
const dark = (img: Uint8Array, x: number, y: number) => img[y * W + x]! < 128;
// As a 204 dpi fax page gets them.
const OPTS: RuleOptions = { minRun: 33, maxThickness: 5, dashMin: 6, dashGap: 12, ruleDash: 16, minRunVertical: 45, maxThicknessVertical: 4 };

/** A letter-like glyph: two stems and a bar, 12×20 px. */
function glyph(img: Uint8Array, x: number, y: number) {
  fill(img, x, y, x + 3, y + 20);
  fill(img, x + 9, y, x + 12, y + 20);
  fill(img, x, y + 9, x + 12, y + 11);
}

describe('estimateSkew', () => {
  it('finds the angle that levels rows of text, within a tenth of a degree', async () => {
    const img = blank();
    for (let y = 40; y < 260; y += 30) for (let x = 40; x < 560; x += 16) glyph(img, x, y);
    for (const angle of [-2, -0.6, 1.3]) {
      const turned = await sharp(Buffer.from(img), { raw: { width: W, height: H, channels: 1 } }).rotate(angle, { background: '#ffffff' }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      // The estimate is the turn that undoes it.
      expect(Math.abs(estimateSkew(new Uint8Array(turned.data), turned.info.width, turned.info.height) + angle)).toBeLessThanOrEqual(0.1);
    }
    expect(estimateSkew(img, W, H)).toBe(0);
  });

  it('levels a skewed page by shifting its columns, with a margin so that nothing falls off', async () => {
    const img = blank();
    for (let y = 40; y < 260; y += 30) for (let x = 40; x < 560; x += 16) glyph(img, x, y);
    const turned = await sharp(Buffer.from(img), { raw: { width: W, height: H, channels: 1 } }).rotate(1.5, { background: '#ffffff' }).extract({ left: 0, top: 0, width: W, height: H }).toColourspace('b-w').raw().toBuffer();
    const skewed = new Uint8Array(turned);
    const angle = estimateSkew(skewed, W, H);
    const level = shearLevel(skewed, W, H, angle);
    expect(level.height).toBe(H + 2 * level.margin);
    expect(level.margin).toBeGreaterThanOrEqual(8);
    expect(Math.abs(estimateSkew(level.data, W, level.height))).toBeLessThanOrEqual(0.1);
    // Every dark pixel is kept.
    expect(level.data.filter((v) => v < 128).length).toBe(skewed.filter((v) => v < 128).length);
  });

  it('says 0 for a page with next to no ink', () => {
    const img = blank();
    fill(img, 10, 10, 20, 12);
    expect(estimateSkew(img, W, H)).toBe(0);
  });
});

describe('removeRules', () => {
  it('clears a table rule, a staircase rule and a vertical rule, keeping the letters that touch them', () => {
    const img = blank();
    fill(img, 20, 100, 580, 102); // a rule under a row of text…
    for (let x = 40; x < 400; x += 16) glyph(img, x, 81); // …whose letters sit on it
    // A rule turned level: pieces of 20 px one row up, one row down (each shorter than a rule).
    for (let x = 20; x < 580; x += 20) fill(img, x, x % 40 ? 200 : 201, x + 20, x % 40 ? 201 : 202);
    fill(img, 10, 20, 12, 280); // a vertical rule
    const cleared = removeRules(img, W, H, OPTS);
    expect(cleared).toBeGreaterThan(1000);
    expect(dark(img, 500, 100)).toBe(false); // the rule where no letter stands
    expect(dark(img, 300, 200)).toBe(false);
    expect(dark(img, 301, 201)).toBe(false);
    expect(dark(img, 11, 150)).toBe(false);
    // Letters keep their stems where they cross the rule, and their bars.
    expect(dark(img, 41, 100)).toBe(true);
    expect(dark(img, 45, 90)).toBe(true);
  });

  it('clears a line printer\'s rule of dashes, and keeps a hyphen, digits and leader dots', () => {
    const img = blank();
    for (let x = 20; x < 500; x += 12) fill(img, x, 50, x + 8, 52); // "-----------"
    glyph(img, 40, 150);
    fill(img, 56, 159, 64, 161); // a hyphen between two letters
    glyph(img, 68, 150);
    for (let x = 100; x < 300; x += 10) fill(img, x, 168, x + 3, 171); // "........" leader dots
    // "000": each zero's top is a short thin stroke, a zero's width apart.
    for (let x = 320; x < 500; x += 14) {
      fill(img, x + 2, 150, x + 10, 152);
      fill(img, x, 152, x + 2, 168);
      fill(img, x + 10, 152, x + 12, 168);
      fill(img, x + 2, 168, x + 10, 170);
    }
    removeRules(img, W, H, OPTS);
    expect(dark(img, 100, 50)).toBe(false);
    expect(dark(img, 60, 160)).toBe(true);
    expect(dark(img, 101, 169)).toBe(true);
    expect(dark(img, 325, 151)).toBe(true);
  });

  it('clears a printer\'s rule a normal fax left as short square dashes, and keeps the header under it and leader dots', () => {
    const img = blank();
    // "- - - - -" at 204×98 dpi: each dash 4–5 px wide and 4 rows tall, 4–5 px apart.
    for (let x = 20; x < 560; x += 9) fill(img, x, 60, x + (x % 2 ? 4 : 5), 64);
    for (let x = 40; x < 200; x += 16) glyph(img, x, 80);
    for (let x = 100; x < 300; x += 10) fill(img, x, 168, x + 3, 171); // "........" leader dots
    removeRules(img, W, H, faxRuleOptions(204));
    expect(dark(img, 20, 61)).toBe(false);
    expect(dark(img, 128, 62)).toBe(false);
    expect(dark(img, 41, 85)).toBe(true);
    expect(dark(img, 101, 169)).toBe(true);
  });

  it('clears a row rule a fax broke into pieces between the cells, and keeps the cells', () => {
    const img = blank();
    // Pieces of 24 px, 20 px apart, on two rows (a staircase), interrupted by a number.
    for (let x = 20; x < 560; x += 44) if (x < 200 || x > 300) fill(img, x, x % 88 ? 150 : 151, x + 24, x % 88 ? 152 : 153);
    glyph(img, 220, 140);
    glyph(img, 236, 140);
    removeRules(img, W, H, OPTS);
    expect(dark(img, 30, 150)).toBe(false);
    expect(dark(img, 500, 151)).toBe(false);
    expect(dark(img, 221, 150)).toBe(true);
    // Two dashes alone on a row are no rule.
    const two = blank();
    fill(two, 20, 50, 44, 52);
    fill(two, 64, 50, 88, 52);
    expect(removeRules(two, W, H, OPTS)).toBe(0);
  });

  it('leaves a page without rules as it was', () => {
    const img = blank();
    for (let x = 40; x < 560; x += 16) glyph(img, x, 100);
    const before = Buffer.from(img);
    expect(removeRules(img, W, H, OPTS)).toBe(0);
    expect(Buffer.from(img).equals(before)).toBe(true);
  });
});

describe('clearFlatMarks: a rule\'s dashes left inside a cell\'s crop', () => {
  // A 60 × 30 crop: two dashes of a doubled rule above a "7" (its bar touches its stem).
  function crop(): Uint8Array {
    const width = 60;
    const data = new Uint8Array(width * 30).fill(255);
    const dark = (x0: number, x1: number, y0: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 0;
    };
    dark(5, 25, 2, 4); // a dash, 20 × 2
    dark(5, 25, 6, 8); // its twin below
    dark(35, 47, 12, 14); // the 7's bar…
    dark(44, 47, 14, 26); // …and its stem
    dark(30, 32, 20, 22); // a decimal point: small, not flat
    return data;
  }

  it('clears the flat marks, and leaves the digit and the point whole', () => {
    const data = crop();
    const dark = (d: Uint8Array) => d.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);
    const before = dark(data);
    const cleared = clearFlatMarks(data, 60, 30, { maxThickness: 5, minWidth: 6 });
    expect(cleared).toBe(80);
    expect(dark(data)).toBe(before - 80);
    expect(data[12 * 60 + 36]).toBe(0);
    expect(data[20 * 60 + 30]).toBe(0);
    expect(data[2 * 60 + 10]).toBe(255);
  });

  it('keeps a mark shorter than minWidth', () => {
    const data = crop();
    expect(clearFlatMarks(data, 60, 30, { maxThickness: 5, minWidth: 21 })).toBe(0);
  });
});
