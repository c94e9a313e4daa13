import v8 from 'node:v8';
if (process.env.RELAXED) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const { readFileSync } = await import('node:fs');
const Tesseract = (await import('tesseract.js')).default;
const { preparePages } = await import('../../../../parsers/ocr/image');
const { tessdataDir } = await import('../../../../parsers/ocr/engine');
const pages = await preparePages(readFileSync('fixtures/fax/dupont-fine.tif'));
const w = await Tesseract.createWorker('fra', 1, { langPath: tessdataDir(), gzip: true, cacheMethod: 'none', errorHandler: () => {}, logger: (m: any) => { if (/core/.test(m.status) && m.progress === 1) console.log(m.status); } });
await w.setParameters({ tessedit_pageseg_mode: '4' as any, user_defined_dpi: '204' });
await w.recognize(pages[0]!.image, {}, { text: true });
for (let k = 0; k < 3; k++) { const t = performance.now(); const r = await w.recognize(pages[0]!.image, {}, { blocks: true }); console.log(process.env.RELAXED ? 'relaxed' : 'simd', (performance.now() - t).toFixed(0), r.data.confidence); }
await w.terminate();
