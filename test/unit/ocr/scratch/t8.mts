import { readFileSync } from 'node:fs';
import Tesseract from 'tesseract.js';
import { preparePages } from '../../../../parsers/ocr/image';
import { tessdataDir } from '../../../../parsers/ocr/engine';
const pages = await preparePages(readFileSync('fixtures/fax/dupont-fine.tif'));
const w = await Tesseract.createWorker('fra', 1, { langPath: tessdataDir(), gzip: true, cacheMethod: 'none', errorHandler: () => {} });
await w.setParameters({ tessedit_pageseg_mode: '4' as Tesseract.PSM, user_defined_dpi: '204' });
await w.recognize(pages[0]!.image, {}, { text: true });
for (const [name, out] of [['text', { text: true }], ['blocks', { blocks: true }], ['tsv', { tsv: true }], ['text', { text: true }], ['blocks', { blocks: true }], ['tsv', { tsv: true }]] as const) {
  const t = performance.now();
  const r = await w.recognize(pages[0]!.image, {}, out as any);
  console.log(name, Math.round(performance.now() - t), 'ms', name === 'tsv' ? r.data.tsv?.split('\n').slice(0, 3) : '');
}
await w.terminate();
