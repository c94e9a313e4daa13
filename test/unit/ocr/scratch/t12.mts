import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { preparePages } from '../../../../parsers/ocr/image';
import { OcrPool } from '../../../../parsers/ocr/engine';
const pages = await preparePages(readFileSync('fixtures/fax/dupont-fine.tif'));
const p = pages[0]!;
const hdr = p.image.indexOf('\n255\n') + 5;
const raw = p.image.subarray(hdr);
let last = 0;
for (let y = 0; y < p.height; y++) { let n = 0; for (let x = 100; x < p.width; x++) if (raw[y * p.width + x]! < 128) n++; if (n > 3) last = y; }
const h = Math.min(p.height, last + 40);
const cropped = Buffer.concat([Buffer.from(`P5\n${p.width} ${h}\n255\n`), raw.subarray(0, p.width * h)]);
console.log('content ends at', last, 'of', p.height);
const pool = new OcrPool({ size: 1 }); await pool.warmUp();
await pool.recognize(p.image, { dpi: 204 });
for (let k = 0; k < 3; k++) {
  let t = performance.now(); await pool.recognize(p.image, { dpi: 204 }); const full = performance.now() - t;
  t = performance.now(); const r = await pool.recognize(cropped, { dpi: 204 }); const cr = performance.now() - t;
  console.log('full', full.toFixed(0), 'cropped', cr.toFixed(0), r.words.length);
}
await pool.close();
