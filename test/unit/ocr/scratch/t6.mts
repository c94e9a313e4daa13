import { readFileSync } from 'node:fs';
import { preparePages } from '../../../../parsers/ocr/image';
import { OcrPool } from '../../../../parsers/ocr/engine';
import { cleanWords } from '../../../../parsers/ocr/order';
import { extractTable } from '../../../../parsers/layout/table';
const pool = new OcrPool({ size: 1 });
const pages = await preparePages(readFileSync(process.argv[2]!));
const pw = [];
for (const p of pages) { const r = await pool.recognize(p.image, { dpi: p.dpi }); pw.push({ page: p.page, words: cleanWords(r.words) }); }
const t = extractTable(pw);
console.log(t.table?.columns);
for (const r of t.table?.rows ?? []) console.log(JSON.stringify(r.cells));
console.log(t.table?.totalLines.map((l) => l.text));
await pool.close();
