// Image bytes (TIFF fax, PNG/JPEG scan or photo) → one greyscale page image per page, prepared
// for Tesseract with the treatments measured to help: normal-resolution faxes (204×98) stretched
// ×2 vertically, fine faxes (204×196) cleared of speckle; every fax page turned level and cleared of
// its rules (rules.ts). Upscaling did not help.
import sharp from 'sharp';
import { readTiffPages, TiffError, type TiffPage } from './tiff';
import { estimateSkew, removeRules, shearLevel, type RuleOptions } from './rules';

/** 40 Mpx: an A4 page at 600 dpi is 35 Mpx; anything larger is a pixel bomb or not a page. */
export const MAX_PAGE_PIXELS = 40_000_000;

export type PageTreatment = 'fax-normal' | 'fax-fine' | 'scan';

export interface PreparedPage {
  /** 1-based. */
  page: number;
  /** Greyscale PGM (P5): Leptonica reads it without any decoding cost. */
  image: Buffer;
  width: number;
  height: number;
  /** Resolution Tesseract is told (user_defined_dpi). */
  dpi: number;
  treatment: PageTreatment;
  /** Speckle blobs removed. */
  specksRemoved: number;
}

export class ImageError extends Error {
  constructor(
    readonly code: 'IMAGE_TOO_LARGE' | 'IMAGE_UNREADABLE' | 'TIFF_TRUNCATED' | 'TIFF_NO_PAGES' | 'TIFF_INVALID',
    message: string,
    readonly page: number | null = null,
  ) {
    super(message);
  }
}

interface PageInfo {
  index: number;
  width: number;
  height: number;
  xDpi: number | null;
  yDpi: number | null;
  isTiff: boolean;
}

/** Pages of the image with their sizes, read from headers only: a pixel bomb is refused here. */
export async function describePages(bytes: Buffer): Promise<PageInfo[]> {
  const isTiff = bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49) || (bytes[0] === 0x4d && bytes[1] === 0x4d));
  let pages: PageInfo[];
  if (isTiff) {
    let tiff: TiffPage[];
    try {
      tiff = readTiffPages(bytes);
    } catch (e) {
      if (e instanceof TiffError) throw new ImageError(e.code, e.message);
      throw e;
    }
    pages = tiff.map((p) => ({ index: p.index, width: p.width, height: p.height, xDpi: p.xDpi, yDpi: p.yDpi, isTiff: true }));
  } else {
    let meta: sharp.Metadata;
    try {
      meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch (e) {
      throw new ImageError('IMAGE_UNREADABLE', `the image cannot be read (${(e as Error).message.split('\n')[0]})`);
    }
    if (!meta.width || !meta.height) throw new ImageError('IMAGE_UNREADABLE', 'the image has no width or height');
    // EXIF orientation 5–8 swaps width and height once applied.
    const swap = (meta.orientation ?? 1) >= 5;
    // 72 and 96 dpi are software defaults, not scan settings: a density that makes the page wider
    // than a tabloid sheet or narrower than a receipt is ignored.
    const inches = meta.density ? (swap ? meta.height : meta.width) / meta.density : 0;
    const dpi = meta.density && inches >= 3 && inches <= 12 ? meta.density : null;
    pages = [{ index: 0, width: swap ? meta.height : meta.width, height: swap ? meta.width : meta.height, xDpi: dpi, yDpi: dpi, isTiff: false }];
  }
  for (const p of pages) {
    if (p.width * p.height > MAX_PAGE_PIXELS) {
      throw new ImageError(
        'IMAGE_TOO_LARGE',
        `page ${p.index + 1} is ${p.width}×${p.height} pixels (${((p.width * p.height) / 1e6).toFixed(0)} Mpx), above the ${MAX_PAGE_PIXELS / 1e6} Mpx limit for a scanned page; rescan at 300 dpi`,
        p.index + 1,
      );
    }
  }
  return pages;
}

/** Fax resolution from the tags, or from the page shape when a gateway dropped them. */
export function faxResolution(p: Pick<PageInfo, 'width' | 'height' | 'xDpi' | 'yDpi'>): 'normal' | 'fine' | null {
  if (p.xDpi && p.yDpi) {
    const ratio = p.xDpi / p.yDpi;
    if (p.xDpi >= 190 && p.xDpi <= 210 && ratio > 1.8 && ratio < 2.3) return 'normal';
    if (p.xDpi >= 190 && p.xDpi <= 210 && p.yDpi >= 190 && p.yDpi <= 210) return 'fine';
    return null;
  }
  if (p.width >= 1700 && p.width <= 1780) {
    // A4 at 98 lines per inch is ~1145 lines for 1728 columns; at 196, ~2290.
    if (p.height / p.width < 0.9) return 'normal';
    if (p.height / p.width < 1.6) return 'fine';
  }
  return null;
}

/**
 * A prepared page (PGM) in pure black and white, for a second reading when OCR found no word on it:
 * a scan's grey paper noise over a nearly empty page (the last row and the total of a long order)
 * can hide faint print from the engine entirely. Black below 70 % of the paper's grey (its commonest
 * value), so that the noise, lighter than that, turns white. Null when the page is not a PGM.
 */
export function blackAndWhite(prepared: { image: Buffer; width: number; height: number }): Buffer | null {
  const n = prepared.width * prepared.height;
  const start = prepared.image.length - n;
  if (n <= 0 || start <= 0 || prepared.image.subarray(0, 2).toString('latin1') !== 'P5') return null;
  const hist = new Array<number>(256).fill(0);
  for (let i = start; i < prepared.image.length; i++) hist[prepared.image[i]!]!++;
  // The paper: the commonest grey, pure white aside (a margin the preparation cleared).
  let paper = 0;
  for (let v = 1; v < 255; v++) if (hist[v]! > hist[paper]!) paper = v;
  const cut = Math.round((paper > 0 ? paper : 255) * 0.7);
  const out = Buffer.from(prepared.image);
  for (let i = start; i < out.length; i++) out[i] = out[i]! < cut ? 0 : 255;
  return out;
}

function pgm(data: Uint8Array | Buffer, width: number, height: number): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), Buffer.from(data.buffer, data.byteOffset, width * height)]);
}

/**
 * Removes 8-connected black blobs smaller than minArea pixels (fax line noise), in place.
 * Returns the number of blobs removed. Pixels < 128 are black.
 */
export function despeckle(data: Uint8Array, width: number, height: number, minArea: number): number {
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const blob: number[] = [];
  let removed = 0;
  for (let start = 0; start < data.length; start++) {
    if (seen[start] || data[start]! >= 128) continue;
    let sp = 0;
    stack[sp++] = start;
    seen[start] = 1;
    blob.length = 0;
    // Only the first minArea pixels are remembered: a bigger blob is kept, whatever its size.
    let size = 0;
    while (sp > 0) {
      const i = stack[--sp]!;
      size++;
      if (blob.length < minArea) blob.push(i);
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (!seen[j] && data[j]! < 128) {
            seen[j] = 1;
            stack[sp++] = j;
          }
        }
      }
    }
    if (size < minArea) {
      for (const i of blob) data[i] = 255;
      removed++;
    }
  }
  return removed;
}

/** Decodes and prepares every page. A bad page throws ImageError naming it. */
export async function preparePages(bytes: Buffer): Promise<PreparedPage[]> {
  const infos = await describePages(bytes);
  const out: PreparedPage[] = [];
  for (const info of infos) out.push(await preparePage(bytes, info));
  return out;
}

export async function preparePage(bytes: Buffer, info: PageInfo): Promise<PreparedPage> {
  const pageNo = info.index + 1;
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    const img = sharp(bytes, { limitInputPixels: MAX_PAGE_PIXELS, ...(info.isTiff ? { page: info.index } : {}) })
      .rotate() // EXIF orientation of phone photos
      .flatten({ background: '#ffffff' })
      .toColourspace('b-w');
    raw = await img.raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? 'unknown error';
    throw new ImageError('IMAGE_UNREADABLE', `page ${pageNo} cannot be decoded (${msg})`, pageNo);
  }
  let data: Uint8Array = raw.data;
  // Before any treatment greys its edges.
  const bilevel = isBilevel(data);
  const { width } = raw.info;
  let { height } = raw.info;
  // Fax treatments need the machine's resolutions: TIFF tags, or the placement a PDF gives its
  // page image (a fax printed to PDF). A photo's shape alone is no evidence.
  const fax = info.isTiff || (info.xDpi !== null && info.yDpi !== null) ? faxResolution(info) : null;
  let dpi: number;
  let specksRemoved = 0;
  if (fax === 'normal') {
    // Too few lines per character for the recogniser: double them (38 % → 10 % character errors).
    specksRemoved = despeckle(data, width, height, 3);
    const stretched = await sharp(Buffer.from(data.buffer, data.byteOffset, width * height), { raw: { width, height, channels: 1 } })
      .resize(width, height * 2, { fit: 'fill', kernel: 'cubic' })
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    data = stretched;
    height *= 2;
    dpi = info.xDpi ?? 204;
  } else if (fax === 'fine') {
    // Speckle blobs under 5 px cost 13 % → 1.6 % character errors and 30 % of the time.
    specksRemoved = despeckle(data, width, height, 5);
    dpi = info.xDpi ?? 204;
  } else {
    // Without a density, assume the page is A4 wide (8.27 in) — right for scans, near enough for photos.
    dpi = info.xDpi ?? Math.round(width / 8.27);
  }
  dpi = Math.max(70, Math.min(600, Math.round(dpi)));
  // A grey page at a fax's resolution is a scan (a PDF's 200 dpi image): its grain is no rule.
  if (fax && bilevel) ({ data, height } = levelAndClear(data, width, height, dpi));
  return { page: pageNo, image: pgm(data, width, height), width, height, dpi, treatment: fax ? (`fax-${fax}` as PageTreatment) : 'scan', specksRemoved };
}

/** Black and white, as a fax is: under 2 % of the pixels (sampled) are grey. */
export function isBilevel(data: Uint8Array): boolean {
  let grey = 0;
  let n = 0;
  for (let i = 0; i < data.length; i += 7, n++) if (data[i]! > 40 && data[i]! < 215) grey++;
  return grey <= n * 0.02;
}

/**
 * A fax page turned level, then cleared of its rules (rules.ts): a skewed wide table otherwise
 * comes back as rows cut in two, and rules touching the letters as junk glued to codes and
 * quantities (dev faxes: line F1 0.73 → 0.86). Sizes are in inches at the page's resolution; after
 * the normal-resolution stretch both ways are about the same.
 */
function levelAndClear(data: Uint8Array, width: number, height: number, dpi: number): { data: Uint8Array; height: number } {
  const angle = estimateSkew(data, width, height);
  // Under 0.15° a row drifts less than 2 px across the page: left as it is.
  const level = Math.abs(angle) >= 0.15 ? shearLevel(data, width, height, angle) : { data, height };
  removeRules(level.data, width, level.height, faxRuleOptions(dpi));
  return level;
}

/** What a rule is on a fax page of this resolution (rules.ts). */
export function faxRuleOptions(dpi: number): RuleOptions {
  return {
    // A rule is longer than any letter's bar (0.16 in: two capitals), and thinner than a stem.
    minRun: Math.round(dpi * 0.16),
    maxThickness: Math.max(3, Math.round(dpi / 40)),
    // A normal fax leaves a printer's dash as a 4–5 px square: a fifth of a letter's width, still more than a leader dot.
    dashMin: Math.round(dpi * 0.02),
    dashGap: Math.round(dpi * 0.06),
    ruleDash: Math.round(dpi * 0.08),
    minRunVertical: Math.round(dpi * 0.22),
    maxThicknessVertical: Math.max(3, Math.round(dpi / 50)),
  };
}
