import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { preparePages } from '../../../../parsers/ocr/image';
import { OcrPool } from '../../../../parsers/ocr/engine';
const [p] = await preparePages(readFileSync('fixtures/fax/dupont-fine.tif'));
const hdr = p!.image.indexOf('\n255\n') + 5;
const raw = p!.image.subarray(hdr);
const png1 = await sharp(raw, { raw: { width: p!.width, height: p!.height, channels: 1 } }).toColourspace('b-w').png({ palette: true, colours: 2 }).toBuffer();
const tif1 = await sharp(raw, { raw: { width: p!.width, height: p!.height, channels: 1 } }).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1 }).toBuffer();
writeFileSync('/tmp/b1.pgm', p!.image); writeFileSync('/tmp/b1.tif', tif1); writeFileSync('/tmp/b1.png', png1);
const nat = (f: string) => { const list = Array(4).fill(f).join('\n'); writeFileSync('/tmp/b1list', list + '\n'); writeFileSync('/tmp/b1one', f + '\n'); const run = (l: string) => { const t = performance.now(); execFileSync('tesseract', [l, '/tmp/b1out', '-l', 'fra', '--psm', '4', '--dpi', '204'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: 'ignore' }); return performance.now() - t; }; return (run('/tmp/b1list') - run('/tmp/b1one')) / 3; };
const pool = new OcrPool({ size: 1 }); await pool.warmUp();
for (let k = 0; k < 2; k++) {
  for (const [n, img] of [['pgm', p!.image], ['tif1', tif1], ['png1', png1]] as const) {
    const t = performance.now(); const r = await pool.recognize(img, { dpi: 204 }); const js = performance.now() - t;
    console.log(n, 'js', js.toFixed(0), 'native', nat(`/tmp/b1.${n === 'tif1' ? 'tif' : n === 'png1' ? 'png' : 'pgm'}`).toFixed(0), 'words', r.words.length);
  }
}
await pool.close();
