// Pixel treatments for faxed and scanned pages before OCR, on one greyscale page (dark < 128):
//   - the page's skew, found by projection: rows of text line up best at the right angle;
//   - ruling removed: table rules, underlines and the broken dashes a normal-resolution fax makes of
//     them touch the letters, and Tesseract reads them as letters ("T", "7", "|", "—") glued to codes
//     and quantities, or loses the row. A long thin run of dark pixels is a rule, never text: it is
//     cleared, except where a letter's stroke crosses it.
// Pure: no I/O, every loop bounded by the page's pixel count.

const DARK = 128;

/**
 * The angle (degrees, clockwise positive as sharp's rotate takes it) that levels the page's lines
 * of text, within ±maxDegrees; 0 when the page holds too little ink to say.
 */
export function estimateSkew(data: Uint8Array, width: number, height: number, maxDegrees = 3): number {
  // Dark pixels sampled every third column: enough to line up rows, cheap on a 4 Mpx page.
  const stepX = 3;
  let n = 0;
  for (let y = 0; y < height; y++) for (let x = 0, row = y * width; x < width; x += stepX) if (data[row + x]! < DARK) n++;
  if (n < 300) return 0;
  const xs = new Float64Array(n);
  const ys = new Int32Array(n);
  n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0, row = y * width; x < width; x += stepX) {
      if (data[row + x]! < DARK) {
        xs[n] = x - width / 2;
        ys[n++] = y;
      }
    }
  }
  const reach = Math.ceil((width / 2) * Math.tan((maxDegrees * Math.PI) / 180)) + 2;
  const bins = new Int32Array(height + 2 * reach);
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    // A line rising to the right (y = y0 − t·x) falls into one bin: y + t·x.
    for (let i = 0; i < n; i++) bins[(ys[i]! + t * xs[i]! + reach + 0.5) | 0]!++;
    let s = 0;
    for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!;
    return s;
  };
  const best = (from: number, to: number, step: number): number => {
    let arg = 0;
    let top = -1;
    for (let k = 0; from + k * step <= to + 1e-9; k++) {
      const d = from + k * step;
      const s = score(d);
      // Ties go to the smaller angle: a page that is straight stays untouched.
      if (s > top || (s === top && Math.abs(d) < Math.abs(arg))) [arg, top] = [d, s];
    }
    return arg;
  };
  const coarse = best(-maxDegrees, maxDegrees, 0.25);
  const fine = best(coarse - 0.2, coarse + 0.2, 0.05);
  return Math.round(fine * 100) / 100 || 0;
}

/**
 * The page levelled by the angle estimateSkew found: each column shifted up or down (a shear; for
 * the few degrees a fax or a scan is off, the same as a turn, and black stays black). The page
 * gains `margin` rows above and below so that nothing shifted off its edges is lost.
 */
export function shearLevel(data: Uint8Array, width: number, height: number, degrees: number): { data: Uint8Array; height: number; margin: number } {
  const t = Math.tan((degrees * Math.PI) / 180);
  const margin = Math.ceil((width / 2) * Math.abs(t)) + 1;
  const outHeight = height + 2 * margin;
  const out = new Uint8Array(width * outHeight).fill(255);
  for (let x = 0; x < width; x++) {
    const shift = margin + Math.round(t * (x - width / 2));
    for (let y = 0; y < height; y++) out[(y + shift) * width + x] = data[y * width + x]!;
  }
  return { data: out, height: outHeight, margin };
}

export interface RuleOptions {
  /** A horizontal run at least this long is a rule (pixels). */
  minRun: number;
  /** …when no thicker than this (pixels): a letter crossing it makes it thicker there, and is kept. */
  maxThickness: number;
  /** Dashes of a printed rule ("-------"): each at least dashMin long, at most dashGap apart. */
  dashMin: number;
  dashGap: number;
  /** A piece of a row rule a fax broke (pixels): at least this long. */
  ruleDash: number;
  /** The same for vertical rules, in the page's vertical pixels. */
  minRunVertical: number;
  maxThicknessVertical: number;
}

/**
 * Clears horizontal and vertical rules in place (long, thin runs of dark pixels), keeping the
 * pixels where a letter crosses a rule; where two rules cross, both go. Returns how many pixels
 * were cleared.
 */
export function removeRules(data: Uint8Array, width: number, height: number, o: RuleOptions): number {
  const page: Page = { data, width, height, across: { h: runLengths(data, width, height, false), v: runLengths(data, width, height, true) } };
  const horizontal = longRuns(page, o.minRun, true);
  const vertical = longRuns(page, o.minRunVertical, false);
  markDashes(page, o, horizontal, true);
  markDashes(page, o, vertical, false);
  markBrokenRows(page, o, horizontal);
  const clear: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (!horizontal[i] && !vertical[i]) continue;
    const thin = (horizontal[i] && (vertical[i] || page.across.v[i]! <= o.maxThickness)) || (vertical[i] && page.across.h[i]! <= o.maxThicknessVertical);
    if (thin) clear.push(i);
  }
  for (const i of clear) {
    data[i] = 255;
    // The grey fringe a stretched or turned rule has on both sides goes with it (a letter's pixels are dark, and stay).
    const x = i % width;
    for (const j of horizontal[i] ? [i - 2 * width, i - width, i + width, i + 2 * width] : [i - 2, i - 1, i + 1, i + 2]) {
      if (j >= 0 && j < data.length && data[j]! >= DARK && (horizontal[i] || Math.abs((j % width) - x) <= 2)) data[j] = 255;
    }
  }
  return clear.length;
}

/** A page and, for every pixel, the length of the dark run through it across rows (h) and down columns (v). */
interface Page {
  data: Uint8Array;
  width: number;
  height: number;
  across: { h: Uint16Array; v: Uint16Array };
}

/** For every dark pixel, the length of the dark run holding it, along rows or down columns (capped at 65535). */
function runLengths(data: Uint8Array, width: number, height: number, vertical: boolean): Uint16Array {
  const out = new Uint16Array(width * height);
  const lines = vertical ? width : height;
  const length = vertical ? height : width;
  const step = vertical ? width : 1;
  for (let l = 0; l < lines; l++) {
    const base = vertical ? l : l * width;
    let start = -1;
    for (let k = 0, p = base; k <= length; k++, p += step) {
      if (k < length && data[p]! < DARK) {
        if (start < 0) start = k;
        continue;
      }
      if (start >= 0) {
        const n = Math.min(65535, k - start);
        for (let q = base + start * step; q < p; q += step) out[q] = n;
      }
      start = -1;
    }
  }
  return out;
}

/**
 * 1 for every dark pixel lying in a run at least minRun long, along rows (horizontal) or columns.
 * A run may step across by a pixel: a rule turned level (or slightly skewed) is a staircase of
 * short pieces on two neighbouring rows, each shorter than a rule, together one.
 */
function longRuns({ data, width, height }: Page, minRun: number, horizontal: boolean): Uint8Array {
  const out = new Uint8Array(width * height);
  const lines = horizontal ? height : width;
  const length = horizontal ? width : height;
  const step = horizontal ? 1 : width;
  const across = horizontal ? width : 1;
  for (let l = 0; l < lines; l++) {
    const base = horizontal ? l * width : l;
    const pair = l + 1 < lines;
    let start = -1;
    for (let k = 0, p = base; k <= length; k++, p += step) {
      if (k < length && (data[p]! < DARK || (pair && data[p + across]! < DARK))) {
        if (start < 0) start = k;
        continue;
      }
      if (start >= 0 && k - start >= minRun) {
        for (let j = start, q = base + start * step; j < k; j++, q += step) {
          if (data[q]! < DARK) out[q] = 1;
          if (pair && data[q + across]! < DARK) out[q + across] = 1;
        }
      }
      start = -1;
    }
  }
  return out;
}

/** The pixels `d` lines away on either side of a piece of line `l` from k0 to k1 are white: the piece stands alone. */
function clearAround({ data, width, height }: Page, horizontal: boolean, l: number, k0: number, k1: number, d: number): boolean {
  const lines = horizontal ? height : width;
  const length = horizontal ? width : height;
  for (const ll of [l - d, l + d]) {
    if (ll < 0 || ll >= lines) continue;
    for (let k = Math.max(0, k0 - 1); k < Math.min(length, k1 + 1); k++) if (data[horizontal ? ll * width + k : k * width + ll]! < DARK) return false;
  }
  return true;
}

/**
 * What is left of a rule once its long pieces are found: a line printer's rule of short dashes
 * ("------", "======": five or more, regularly spaced, over three rule lengths), and the short
 * pieces a fax leaves at a rule's ends and breaks. A piece counts when it is thin, stands alone
 * (nothing just above or below it) and lies at most dashGap from the next; a chain of them is a
 * rule when it holds a long piece, or enough dashes. A hyphen between letters is one dash alone;
 * letters' bars touch their stems, and the tops of zeros have their sides just below: they stay.
 */
function markDashes(page: Page, o: RuleOptions, mark: Uint8Array, horizontal: boolean): void {
  const { data, width, height } = page;
  const lines = horizontal ? height : width;
  const length = horizontal ? width : height;
  const step = horizontal ? 1 : width;
  const thickness = horizontal ? page.across.v : page.across.h;
  const maxThickness = horizontal ? o.maxThickness : o.maxThicknessVertical;
  const minRun = horizontal ? o.minRun : o.minRunVertical;
  for (let l = 0; l < lines; l++) {
    const base = horizontal ? l * width : l;
    let chain: { k0: number; k1: number; long: boolean }[] = [];
    const flush = () => {
      const span = chain.length ? chain[chain.length - 1]!.k1 - chain[0]!.k0 : 0;
      if (chain.some((c) => c.long) || (chain.length >= 5 && span >= 3 * minRun)) for (const c of chain) for (let k = c.k0; k < c.k1; k++) mark[base + k * step] = 1;
      chain = [];
    };
    let k = 0;
    while (k < length) {
      if (data[base + k * step]! >= DARK) {
        k++;
        continue;
      }
      let end = k;
      let thin = true;
      for (; end < length && data[base + end * step]! < DARK; end++) if (thickness[base + end * step]! > maxThickness) thin = false;
      const long = end - k >= minRun;
      if (!thin || (!long && (end - k < o.dashMin || !clearAround(page, horizontal, l, k, end, maxThickness + 1)))) flush();
      else {
        const last = chain[chain.length - 1];
        if (last && k - last.k1 > o.dashGap) flush();
        chain.push({ k0: k, k1: end, long });
      }
      k = end;
    }
    flush();
  }
}

/** Rows `above` and `below` are white over [x0, x1), one pixel more on each side. */
function isolated({ data, width, height }: Page, above: number, below: number, x0: number, x1: number): boolean {
  for (const y of [above, below]) {
    if (y < 0 || y >= height) continue;
    for (let x = Math.max(0, x0 - 1); x < Math.min(width, x1 + 1); x++) if (data[y * width + x]! < DARK) return false;
  }
  return true;
}

/**
 * A row rule a fax broke into pieces (dashes of a fifth of an inch, a dash apart, interrupted by
 * the cells' text): on one row (or two neighbouring ones, a staircase), six or more thin pieces
 * that stand alone, each at least ruleDash long. Text never holds that many: a letter's bars touch
 * its stems, and hyphens are shorter.
 */
function markBrokenRows(page: Page, o: RuleOptions, mark: Uint8Array): void {
  const { data, width, height } = page;
  const thick = page.across.v;
  const pieces: number[] = [];
  for (let y = 0; y + 1 < height; y++) {
    const r0 = y * width;
    const r1 = r0 + width;
    pieces.length = 0;
    let x = 0;
    while (x < width) {
      if (data[r0 + x]! >= DARK && data[r1 + x]! >= DARK) {
        x++;
        continue;
      }
      let end = x;
      let thin = true;
      for (; end < width && (data[r0 + end]! < DARK || data[r1 + end]! < DARK); end++) {
        if ((data[r0 + end]! < DARK && thick[r0 + end]! > o.maxThickness) || (data[r1 + end]! < DARK && thick[r1 + end]! > o.maxThickness)) thin = false;
      }
      if (thin && end - x >= o.ruleDash && end - x < o.minRun && isolated(page, y - o.maxThickness - 1, y + o.maxThickness + 2, x, end)) pieces.push(x, end);
      x = end;
    }
    if (pieces.length < 12) continue;
    for (let i = 0; i < pieces.length; i += 2) {
      for (let k = pieces[i]!; k < pieces[i + 1]!; k++) {
        if (data[r0 + k]! < DARK) mark[r0 + k] = 1;
        if (data[r1 + k]! < DARK) mark[r1 + k] = 1;
      }
    }
  }
}

/**
 * Clears, in place, the flat marks of a small crop (a cell read again): every connected group of
 * dark pixels no thicker than a rule (maxThickness) and at least twice as wide as it is thick and
 * minWidth long. What a page's rule removal leaves of a rule inside one cell — a dash or two of
 * a broken or doubled rule, an underline's piece — Tesseract reads as "T", "L", "_" or "=" beside
 * the digits. A digit is never that flat: its bars touch its stems. Returns how many pixels were
 * cleared. Pure, linear in the crop's pixels.
 */
export function clearFlatMarks(data: Uint8Array, width: number, height: number, { maxThickness, minWidth }: { maxThickness: number; minWidth: number }): number {
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  const group: number[] = [];
  let cleared = 0;
  for (let start = 0; start < data.length; start++) {
    if (seen[start] || data[start]! >= DARK) continue;
    group.length = 0;
    stack.push(start);
    seen[start] = 1;
    let [x0, x1, y0, y1] = [width, -1, height, -1];
    while (stack.length) {
      const p = stack.pop()!;
      group.push(p);
      const x = p % width;
      const y = (p - x) / width;
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [nx, ny] = [x + dx, y + dy];
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const q = ny * width + nx;
          if (!seen[q] && data[q]! < DARK) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    if (h > maxThickness || w < minWidth || w < 2 * h) continue;
    for (const p of group) data[p] = 255;
    cleared += group.length;
  }
  return cleared;
}
