import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import Tesseract from 'tesseract.js';
import { preparePages } from '../../../../parsers/ocr/image';
import { tessdataDir } from '../../../../parsers/ocr/engine';
const pages = await preparePages(readFileSync('fixtures/fax/dupont-fine.tif'));
writeFileSync('/tmp/p0.pgm', pages[0]!.image);
writeFileSync('/tmp/list5.txt', Array(5).fill('/tmp/p0.pgm').join('\n') + '\n');
writeFileSync('/tmp/list1.txt', '/tmp/p0.pgm\n');
const w = await Tesseract.createWorker('fra', 1, { langPath: tessdataDir(), gzip: true, cacheMethod: 'none', errorHandler: () => {} });
await w.setParameters({ tessedit_pageseg_mode: '4' as Tesseract.PSM, user_defined_dpi: '204' });
await w.recognize(pages[0]!.image, {}, { text: true });
const nat = (list: string, td?: string) => { const t = performance.now(); execFileSync('tesseract', [...(td ? ['--tessdata-dir', td] : []), list, '/tmp/nout', '-l', 'fra', '--psm', '4', '--dpi', '204'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: 'ignore' }); return performance.now() - t; };
for (let k = 0; k < 3; k++) {
  let t = performance.now();
  for (let i = 0; i < 4; i++) await w.recognize(pages[0]!.image, {}, { blocks: true });
  const ours = (performance.now() - t) / 4;
  const same = (nat('/tmp/list5.txt', '/tmp/aiguillage-native-tessdata') - nat('/tmp/list1.txt', '/tmp/aiguillage-native-tessdata')) / 4;
  const deb = (nat('/tmp/list5.txt') - nat('/tmp/list1.txt')) / 4;
  console.log('ours', ours.toFixed(0), 'native-same', same.toFixed(0), 'native-debian', deb.toFixed(0));
}
await w.terminate();
