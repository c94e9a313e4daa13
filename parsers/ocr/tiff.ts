// A TIFF's directory read without decoding a pixel: page count, sizes and the fax resolution tags
// (sharp reports one density only, and a 204×98 fax needs both). Truncated or hostile files give
// a TiffError that says what is wrong and where, never an exception from a decoder.

export interface TiffPage {
  index: number;
  width: number;
  height: number;
  bitsPerSample: number;
  /** 1 none, 2 CCITT RLE, 3 G3, 4 G4, 5 LZW, 7 JPEG, 8 Deflate, 32773 PackBits. */
  compression: number;
  /** Dots per inch, null when the file does not say. */
  xDpi: number | null;
  yDpi: number | null;
}

export class TiffError extends Error {
  constructor(
    readonly code: 'TIFF_TRUNCATED' | 'TIFF_NO_PAGES' | 'TIFF_INVALID',
    message: string,
  ) {
    super(message);
  }
}

const MAX_PAGES = 500;

export function readTiffPages(b: Buffer): TiffPage[] {
  if (b.length < 8) throw new TiffError('TIFF_TRUNCATED', `the TIFF file is ${b.length} bytes long, shorter than its 8-byte header`);
  const le = b[0] === 0x49 && b[1] === 0x49;
  if (!le && !(b[0] === 0x4d && b[1] === 0x4d)) throw new TiffError('TIFF_INVALID', 'not a TIFF file (no II/MM byte-order mark)');
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  if (u16(2) !== 42) throw new TiffError('TIFF_INVALID', 'BigTIFF or unknown TIFF variant (magic number is not 42)');

  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  let ifd = u32(4);
  while (ifd !== 0) {
    const where = `page ${pages.length + 1} (directory at byte ${ifd})`;
    if (seen.has(ifd)) throw new TiffError('TIFF_INVALID', `${where}: the page chain loops back on itself`);
    if (pages.length >= MAX_PAGES) throw new TiffError('TIFF_INVALID', `more than ${MAX_PAGES} pages: not a fax or scan we read`);
    seen.add(ifd);
    if (ifd + 2 > b.length) throw new TiffError('TIFF_TRUNCATED', `${where}: the file ends before this page's directory (file is ${b.length} bytes)`);
    const n = u16(ifd);
    const end = ifd + 2 + n * 12 + 4;
    if (end > b.length) throw new TiffError('TIFF_TRUNCATED', `${where}: the file ends inside this page's directory of ${n} entries`);
    const tags = new Map<number, { type: number; count: number; valueAt: number }>();
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      tags.set(u16(e), { type: u16(e + 2), count: u32(e + 4), valueAt: e + 8 });
    }
    const size = (type: number) => ({ 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 })[type] ?? 1;
    const dataAt = (t: { type: number; count: number; valueAt: number }) => (size(t.type) * t.count <= 4 ? t.valueAt : u32(t.valueAt));
    const int = (tag: number, k = 0): number | null => {
      const t = tags.get(tag);
      if (!t || k >= t.count) return null;
      const at = dataAt(t) + k * size(t.type);
      if (at + size(t.type) > b.length) throw new TiffError('TIFF_TRUNCATED', `${where}: tag ${tag} points past the end of the file`);
      return t.type === 3 ? u16(at) : u32(at);
    };
    const rational = (tag: number): number | null => {
      const t = tags.get(tag);
      if (!t || t.type !== 5) return null;
      const at = u32(t.valueAt);
      if (at + 8 > b.length) throw new TiffError('TIFF_TRUNCATED', `${where}: tag ${tag} points past the end of the file`);
      const den = u32(at + 4);
      return den ? u32(at) / den : null;
    };
    const width = int(256);
    const height = int(257);
    if (!width || !height) throw new TiffError('TIFF_INVALID', `${where}: no image width or height`);
    // The image data must lie inside the file: a cut-off transfer shows up here.
    const offsets = tags.get(273) ?? tags.get(324);
    const counts = tags.get(279) ?? tags.get(325);
    if (offsets && counts) {
      const k = Math.min(offsets.count, counts.count);
      for (let i = 0; i < k; i++) {
        const off = int(offsets === tags.get(273) ? 273 : 324, i)!;
        const len = int(counts === tags.get(279) ? 279 : 325, i)!;
        if (off + len > b.length) throw new TiffError('TIFF_TRUNCATED', `${where}: image data runs to byte ${off + len} but the file ends at ${b.length} (transfer cut off?)`);
      }
    }
    const unit = int(296) ?? 2; // 2 inch, 3 centimetre, 1 none
    const toDpi = (v: number | null) => (v && unit !== 1 ? (unit === 3 ? v * 2.54 : v) : null);
    pages.push({
      index: pages.length,
      width,
      height,
      bitsPerSample: int(258) ?? 1,
      compression: int(259) ?? 1,
      xDpi: toDpi(rational(282)),
      yDpi: toDpi(rational(283)),
    });
    ifd = u32(end - 4);
  }
  if (pages.length === 0) throw new TiffError('TIFF_NO_PAGES', 'the TIFF file holds no page');
  return pages;
}
