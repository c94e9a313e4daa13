import { readFileSync } from 'node:fs';
import { preparePages } from '../../../../parsers/ocr/image';
import { OcrPool } from '../../../../parsers/ocr/engine';
import { groupLines } from '../../../../parsers/layout/table';
const pool = new OcrPool({ size: 1 });
for (const f of process.argv.slice(2)) {
  let t = Date.now();
  const pages = await preparePages(readFileSync(f));
  console.log(f, 'prep', Date.now() - t, pages.map((p) => [p.width, p.height, p.dpi, p.treatment, p.specksRemoved]));
  for (const p of pages) {
    t = Date.now();
    const r = await pool.recognize(p.image, { dpi: p.dpi });
    console.log('ocr ms', Date.now() - t, 'conf', r.meanConfidence.toFixed(2));
    for (const l of groupLines({ page: p.page, words: r.words })) console.log(l.confidence.toFixed(2), l.text);
  }
}
await pool.close();
