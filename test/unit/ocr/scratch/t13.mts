import { loadMasterData } from '../../../../domain/masterdata';
import { resolveOrder } from '../../../../domain/resolve';
import { COMPTOIR_BELGE, DUPONT, MARTIN, VILLEURBANNE, makeFax } from '../../../../fixtures/docgen/fax';
import { OcrPool } from '../../../../parsers/ocr/engine';
import { describePages, preparePage } from '../../../../parsers/ocr/image';
import { readImageOrder, cleanWords } from '../../../../parsers/ocr/order';
import { extractTable } from '../../../../parsers/layout/table';
const md = loadMasterData('fixtures/masterdata');
const specs = [DUPONT, MARTIN, VILLEURBANNE, COMPTOIR_BELGE];
const pool = new OcrPool({ size: 2 });
const which = process.argv.slice(2).map(Number);
await Promise.all(which.map(async (i) => {
  const spec = specs[i % 4]!;
  const seed = 1000 + i * 7 + 500 + Number(process.env.SEED ?? 0);
  const skew = (0.3 + ((seed * 37) % 170) / 100) * (i % 2 ? -1 : 1);
  const { tiff } = await makeFax(spec, { resolution: (process.env.RES ?? 'normal') as 'normal', skewDeg: Math.round(skew * 10) / 10, speckle: (150 + ((seed * 13) % 250)) * Number(process.env.NOISE ?? 1), dropouts: (2 + (seed % 4)) * Number(process.env.NOISE ?? 1), streaks: i % 2, seed, coverPage: i % 3 === 2, header: { date: '23/11/2026', time: '09:10', from: spec.customer.fax, name: spec.customer.name } });
  const infos = await describePages(tiff);
  const pages = [];
  for (const info of infos) { const p = await preparePage(tiff, info); const r = await pool.recognize(p.image, { dpi: p.dpi }); pages.push({ page: p.page, words: r.words, meanConfidence: r.meanConfidence }); }
  const t = extractTable(pages.map((p) => ({ page: p.page, words: cleanWords(p.words) })));
  let out = `=== ${i} ${spec.customer.name} skew ${skew.toFixed(1)}\n`;
  for (const r of t.table?.rows ?? []) out += '  ROW ' + Object.entries(r.cells).map(([k, v]) => `${k}=${v!.text}(${v!.confidence.toFixed(2)})`).join(' | ') + '\n';
  const { draft, problems } = readImageOrder(pages, { masterData: md, fileName: 'x' });
  if (process.env.HDR) out += t.outside.map((l) => '  | ' + l.text).join('\n') + '\n';
  if (draft) { const { order } = resolveOrder(draft, md); out += `  PO ${order.poNumber} cust ${order.customer.id}\n`; for (const l of order.lines) out += `  -> ${l.sku} ${l.quantity} ${l.confidence} ${l.doubts.join('; ')}\n`; }
  for (const p of problems) out += `  ! ${p.code} ${p.message.slice(0, 200)}\n`;
  console.log(out);
}));
await pool.close();
