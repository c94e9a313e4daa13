// Image intake without OCR: TIFF pages and resolution tags, fax treatments, hostile files.
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { despeckle, describePages, faxResolution, preparePage, preparePages } from '../../../parsers/ocr/image';
import { readTiffPages } from '../../../parsers/ocr/tiff';
import { writeFaxTiff } from '../../../fixtures/docgen/fax';

const md = loadMasterData('fixtures/masterdata');

async function extract(bytes: Buffer, fileName: string) {
  const meta = describeDocument(bytes, { fileName, channel: 'fax', receivedAt: '2026-11-23T10:45:00Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

/** A fax page all white but for a block from row `mark` (so pages can be told apart); thick enough not to be taken for a rule. */
function page(height: number, mark: number) {
  const data = new Uint8Array(1728 * height).fill(255);
  for (let y = mark; y < mark + 8; y++) data.fill(0, y * 1728 + 100, y * 1728 + 300);
  return { data, width: 1728, height };
}

function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb) >>> 0);
    return Buffer.concat([len, tb, crc]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

describe('TIFF pages', () => {
  it('splits a multi-page G4 fax and reads both resolutions from its tags', async () => {
    const tiff = await writeFaxTiff([page(1146, 10), page(1146, 500)], 'normal');
    const pages = readTiffPages(tiff);
    expect(pages.map((p) => [p.width, p.height, p.compression, p.bitsPerSample])).toEqual([
      [1728, 1146, 4, 1],
      [1728, 1146, 4, 1],
    ]);
    expect(pages[0]!.xDpi).toBeCloseTo(204, 0);
    expect(pages[0]!.yDpi).toBeCloseTo(98, 0);
    // Each page decoded on its own (tesseract.js would only ever see page 1), stretched ×2.
    const prepared = await preparePages(tiff);
    expect(prepared.map((p) => [p.page, p.width, p.height, p.treatment, p.dpi])).toEqual([
      [1, 1728, 2292, 'fax-normal', 204],
      [2, 1728, 2292, 'fax-normal', 204],
    ]);
    const darkRow = (img: Buffer) => {
      const header = img.indexOf('\n255\n') + 5;
      for (let y = 0; y < 2292; y++) if (img[header + y * 1728 + 200]! < 128) return y;
      return -1;
    };
    expect(darkRow(prepared[0]!.image)).toBeLessThan(30);
    expect(darkRow(prepared[1]!.image)).toBeGreaterThan(990);
  });

  it('tells fine from normal faxes by tags, or by shape when the tags are gone', () => {
    expect(faxResolution({ width: 1728, height: 2292, xDpi: 204, yDpi: 196 })).toBe('fine');
    expect(faxResolution({ width: 1728, height: 1146, xDpi: 204, yDpi: 98 })).toBe('normal');
    expect(faxResolution({ width: 1728, height: 1146, xDpi: null, yDpi: null })).toBe('normal');
    expect(faxResolution({ width: 2480, height: 3508, xDpi: 300, yDpi: 300 })).toBeNull();
  });

  it('treats a PNG placed in a PDF at 204×98 dpi as a normal fax', async () => {
    const png = await sharp(Buffer.alloc(1728 * 1146, 255), { raw: { width: 1728, height: 1146, channels: 1 } }).png().toBuffer();
    const p = await preparePage(png, { index: 0, width: 1728, height: 1146, xDpi: 204, yDpi: 98, isTiff: false });
    expect([p.treatment, p.height]).toEqual(['fax-normal', 2292]);
  });

  it('levels and clears a fax page, but leaves a grey 200 dpi scan as it is (its grain is no rule)', async () => {
    // A rule across the page, 3° off: a fax gets it cleared, a grey scan keeps it.
    const rule = (grey: boolean) => {
      const data = new Uint8Array(1728 * 2292);
      for (let i = 0; i < data.length; i++) data[i] = grey ? 150 + (i % 90) : 255;
      for (let x = 100; x < 1600; x++) data.fill(0, (1000 + Math.round(x * 0.05)) * 1728 + x, (1000 + Math.round(x * 0.05)) * 1728 + x + 1);
      return sharp(Buffer.from(data), { raw: { width: 1728, height: 2292, channels: 1 } }).png().toBuffer();
    };
    const info = { index: 0, width: 1728, height: 2292, xDpi: 204, yDpi: 196, isTiff: false };
    const fax = await preparePage(await rule(false), info);
    const scan = await preparePage(await rule(true), info);
    const dark = (img: Buffer) => [...img.subarray(img.indexOf('\n255\n') + 5)].filter((v) => v < 128).length;
    expect(fax.treatment).toBe('fax-fine');
    expect(dark(fax.image)).toBe(0);
    expect(scan.height).toBe(2292);
    expect(dark(scan.image)).toBeGreaterThan(1000);
  });

  it('the committed normal fax has a cover page and an order page', async () => {
    const pages = await describePages(readFileSync('fixtures/fax/martin-normal-cover.tif'));
    expect(pages).toHaveLength(2);
    expect(faxResolution(pages[1]!)).toBe('normal');
  });
});

describe('despeckle', () => {
  it('removes blobs under the size limit and keeps strokes and dots of text', () => {
    const w = 40;
    const img = new Uint8Array(w * w).fill(255);
    const set = (x: number, y: number) => (img[y * w + x] = 0);
    set(2, 2); // single speck
    set(10, 10); // two-pixel speck
    set(11, 10);
    for (let y = 20; y < 23; y++) for (let x = 20; x < 23; x++) set(x, y); // a 3×3 full stop
    for (let x = 5; x < 35; x++) set(x, 30); // a table rule
    expect(despeckle(img, w, w, 5)).toBe(2);
    expect(img[2 * w + 2]).toBe(255);
    expect(img[10 * w + 11]).toBe(255);
    expect(img[21 * w + 21]).toBe(0);
    expect(img[30 * w + 20]).toBe(0);
  });
});

describe('hostile and broken images give a clear problem, not a crash', () => {
  it('refuses a 30000×30000 PNG before decoding it', async () => {
    const r = await extract(pngHeader(30000, 30000), 'bomb.png');
    expect(r.orders).toEqual([]);
    expect(r.problems[0]).toMatchObject({ code: 'IMAGE_TOO_LARGE', severity: 'error' });
    expect(r.problems[0]!.message).toBe('bomb.png: page 1 is 30000×30000 pixels (900 Mpx), above the 40 Mpx limit for a scanned page; rescan at 300 dpi');
  });

  it('refuses a TIFF whose page claims 30000×30000', async () => {
    const tiff = Buffer.from(await writeFaxTiff([page(1146, 10)], 'normal'));
    const [first] = readTiffPages(tiff);
    expect(first).toBeDefined();
    // Rewrite the width and height entries of the first directory.
    const ifd = tiff.readUInt32LE(4);
    for (let i = 0; i < tiff.readUInt16LE(ifd); i++) {
      const e = ifd + 2 + i * 12;
      const tag = tiff.readUInt16LE(e);
      if (tag === 256 || tag === 257) {
        if (tiff.readUInt16LE(e + 2) === 3) tiff.writeUInt16LE(30000, e + 8);
        else tiff.writeUInt32LE(30000, e + 8);
      }
    }
    const r = await extract(tiff, 'bomb.tif');
    expect(r.problems[0]).toMatchObject({ code: 'IMAGE_TOO_LARGE', where: 'bomb.tif page 1' });
  });

  it('reports a zero-page TIFF', async () => {
    const zero = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0, 0, 0, 0]);
    const r = await extract(zero, 'empty.tif');
    expect(r.problems[0]).toMatchObject({ code: 'TIFF_NO_PAGES', message: 'empty.tif: the TIFF file holds no page' });
  });

  it('reports a TIFF cut off in transfer, naming the page', async () => {
    const full = readFileSync('fixtures/fax/dupont-fine.tif');
    const r = await extract(full.subarray(0, Math.floor(full.length / 2)), 'cut.tif');
    expect(r.orders).toEqual([]);
    expect(r.problems[0]!.code).toBe('TIFF_TRUNCATED');
    expect(r.problems[0]!.message).toMatch(/^cut\.tif: page 1 /);
  });

  it('reports a PNG that is not one', async () => {
    const r = await extract(Buffer.concat([pngHeader(100, 100).subarray(0, 20), Buffer.from('garbage')]), 'bad.png');
    expect(r.problems[0]!.code).toBe('IMAGE_UNREADABLE');
  });

  it('decodes a JPEG photo as a scan, with its resolution guessed from an A4 width', async () => {
    const jpeg = await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#f4f1ea' } }).jpeg().toBuffer();
    const [p] = await preparePages(jpeg);
    expect(p).toMatchObject({ treatment: 'scan', width: 1654, height: 2339, dpi: 200 });
  });
});

describe('a page OCR found no word on, read again in black and white', () => {
  it('turns the paper\'s grey noise white and the print black, whatever the paper\'s grey', async () => {
    const { blackAndWhite } = await import('../../../parsers/ocr/image');
    for (const paperGrey of [242, 200]) {
      const width = 40;
      const height = 10;
      const data = new Uint8Array(width * height);
      // Paper noise a few greys around its commonest value, a white margin, and one faint dark stroke.
      for (let i = 0; i < data.length; i++) data[i] = paperGrey + ((i * 7) % 9) - 4;
      data.fill(255, 0, width);
      data.fill(Math.round(paperGrey * 0.5), 5 * width + 10, 5 * width + 30);
      const pgmImage = Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), Buffer.from(data)]);
      const bw = blackAndWhite({ image: pgmImage, width, height })!;
      const pixels = bw.subarray(bw.length - width * height);
      expect(bw.subarray(0, bw.length - width * height).toString('latin1')).toBe(`P5\n${width} ${height}\n255\n`);
      expect([...pixels.subarray(5 * width + 10, 5 * width + 30)].every((v) => v === 0)).toBe(true);
      expect(pixels.filter((v) => v === 0).length).toBe(20);
    }
    expect(blackAndWhite({ image: Buffer.from('not a pgm at all, no'), width: 2, height: 2 })).toBeNull();
  });
});
