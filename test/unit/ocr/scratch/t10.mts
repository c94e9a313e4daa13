import { readFileSync } from 'node:fs';
import Tesseract from 'tesseract.js';
import { preparePages } from '../../../../parsers/ocr/image';
import { tessdataDir } from '../../../../parsers/ocr/engine';
const pages = await preparePages(readFileSync('fixtures/fax/dupont-fine.tif'));
const mk = async (langPath: string, extra: Record<string, string>) => { const w = await Tesseract.createWorker('fra', 1, { langPath, gzip: true, cacheMethod: 'none', errorHandler: () => {} }); await w.setParameters({ tessedit_pageseg_mode: '4' as Tesseract.PSM, user_defined_dpi: '204', ...extra }); await w.recognize(pages[0]!.image, {}, { text: true }); return w; };
const cfgs: [string, Tesseract.Worker][] = [
  ['best_int', await mk(tessdataDir(), {})],
  ['best_int noinvert', await mk(tessdataDir(), { tessedit_do_invert: '0' })],
  ['fast', await mk('/tmp/tessfast', {})],
  ['fast noinvert', await mk('/tmp/tessfast', { tessedit_do_invert: '0' })],
];
for (let k = 0; k < 2; k++) for (const [name, w] of cfgs) {
  const t = performance.now();
  let r;
  for (let i = 0; i < 3; i++) r = await w.recognize(pages[0]!.image, {}, { blocks: true, text: true });
  console.log(name.padEnd(20), ((performance.now() - t) / 3).toFixed(0), 'ms', r!.data.text.split('\n').filter((l) => /VIS|CHV|BOU|GAN|FOR-/.test(l)).join(' / '));
}
for (const [, w] of cfgs) await w.terminate();
