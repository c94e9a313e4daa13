// OCR speed on simulated fax pages, in one run, on the same prepared images:
//   - our pipeline (sharp preparation + the OCR pool, one warm worker), seconds per page, with each
//     engine: the resident native engine (the default when built) and tesseract.js (the fallback);
//   - Debian's native `tesseract` CLI (its own fra model, and the same fra model we ship),
//     single-threaded and warm (one process for all pages, the model loaded once);
//   - pages per minute with the worker pool (1 and 2 workers);
//   - and, since every page is read anyway, line accuracy per fax resolution.
// Run: TZ=UTC npx tsx bench/ocr-speed.ts [faxesPerResolution=4] [rounds=3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadMasterData } from '../storage/masterdata-source';
import { resolveOrder } from '../domain/resolve';
import { COMPTOIR_BELGE, DUPONT, MARTIN, VILLEURBANNE, makeFax, type FaxOptions, type FaxOrderSpec, type FaxResolution } from '../fixtures/docgen/fax';
import { OcrPool, tessdataDir, type OcrEngineKind } from '../parsers/ocr/engine';
import { nativeEngineBinary } from '../parsers/ocr/native';
import { describePages, preparePage, type PreparedPage } from '../parsers/ocr/image';
import { readImageOrder } from '../parsers/ocr/order';
import { REVIEW_THRESHOLD } from '../parsers/ocr/snap';

const md = loadMasterData('fixtures/masterdata');
const SPECS: [FaxOrderSpec, string][] = [
  [DUPONT, 'C001'],
  [MARTIN, 'C003'],
  [VILLEURBANNE, 'C004'],
  [COMPTOIR_BELGE, 'C025'],
];

interface Doc {
  name: string;
  resolution: FaxResolution;
  customerId: string;
  spec: FaxOrderSpec;
  pages: PreparedPage[];
  prepMs: number;
  tiff: Buffer;
}

async function makeDocs(perKind: number): Promise<Doc[]> {
  const docs: Doc[] = [];
  for (const resolution of ['fine', 'normal'] as FaxResolution[]) {
    for (let i = 0; i < perKind; i++) {
      const [spec, customerId] = SPECS[i % SPECS.length]!;
      const seed = 1000 + i * 7 + (resolution === 'fine' ? 0 : 500);
      const skew = (0.3 + ((seed * 37) % 170) / 100) * (i % 2 ? -1 : 1);
      const o: FaxOptions = {
        resolution,
        skewDeg: Math.round(skew * 10) / 10,
        speckle: 150 + ((seed * 13) % 250),
        dropouts: 2 + (seed % 4),
        streaks: i % 2,
        seed,
        coverPage: i % 3 === 2,
        header: { date: '23/11/2026', time: `09:${String(10 + i).padStart(2, '0')}`, from: spec.customer.fax.startsWith('+') ? spec.customer.fax : `+33 ${spec.customer.fax.slice(1)}`, name: spec.customer.name },
      };
      const { tiff } = await makeFax(spec, o);
      const t = performance.now();
      const infos = await describePages(tiff);
      const pages: PreparedPage[] = [];
      for (const info of infos) pages.push(await preparePage(tiff, info));
      docs.push({ name: `${resolution}-${i + 1} (${spec.customer.name}, skew ${o.skewDeg}°)`, resolution, customerId, spec, pages, prepMs: performance.now() - t, tiff });
    }
  }
  return docs;
}

/** Warm seconds per page of the native CLI: one process for all files, minus one for the first file. */
function nativeWarmSecondsPerPage(files: string[], pagesPerFile: number[], dpi: number, tessdata: string | null): number {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-bench-native-'));
  const run = (list: string[]) => {
    const listFile = join(dir, 'list.txt');
    writeFileSync(listFile, list.join('\n') + '\n');
    const args = [listFile, join(dir, 'out'), '-l', 'fra', '--psm', '4', '--dpi', String(dpi)];
    if (tessdata) args.unshift('--tessdata-dir', tessdata);
    const t = performance.now();
    execFileSync('tesseract', args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'ignore', 'ignore'] });
    return performance.now() - t;
  };
  // Start-up and model load paid once: (all pages − first file) / (pages − first file's pages).
  const one = run(files.slice(0, 1));
  const all = run(files);
  rmSync(dir, { recursive: true, force: true });
  const total = pagesPerFile.reduce((a, b) => a + b, 0);
  return (all - one) / (total - pagesPerFile[0]!) / 1000;
}

function sameModelTessdata(): string {
  // The fra model tesseract.js uses (4.0.0_best_int), unpacked for the native CLI.
  const dir = join(tmpdir(), 'aiguillage-native-tessdata');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fra.traineddata'), gunzipSync(readFileSync(join(tessdataDir(), 'fra.traineddata.gz'))));
  return dir;
}

interface Accuracy {
  lines: number;
  exact: number;
  wrongFlagged: number;
  wrongUnflagged: number;
  missing: number;
  headerOk: number;
  docs: number;
}

function score(doc: Doc, words: { page: number; words: import('../parsers/layout/types').PositionedWord[]; meanConfidence: number }[], acc: Accuracy): void {
  acc.docs++;
  const truth = doc.spec.lines.map((l) => ({ sku: l.sku ?? l.reference, quantity: l.quantity }));
  acc.lines += truth.length;
  const { draft } = readImageOrder(words, { masterData: md, fileName: doc.name, receivedAt: '2026-11-23T10:00:00Z' });
  if (!draft) {
    acc.missing += truth.length;
    return;
  }
  const { order } = resolveOrder(draft, md);
  if (order.poNumber === doc.spec.poNumber && order.customer.id === doc.customerId) acc.headerOk++;
  const remaining = [...order.lines];
  for (const t of truth) {
    const i = remaining.findIndex((l) => l.sku === t.sku && l.quantity === t.quantity);
    if (i >= 0) {
      acc.exact++;
      remaining.splice(i, 1);
    } else acc.missing++;
  }
  // Lines read that match no truth line: wrong values; flagged ones go to review.
  for (const l of remaining) {
    if (l.confidence < REVIEW_THRESHOLD) acc.wrongFlagged++;
    else {
      acc.wrongUnflagged++;
      console.log(`  UNFLAGGED WRONG in ${doc.name}: line ${l.lineNumber} ${l.sku} × ${l.quantity} (conf ${l.confidence})`);
    }
  }
}

type Results = Map<OcrEngineKind, Map<PreparedPage, Awaited<ReturnType<OcrPool['recognize']>>>>;

/** Pool throughput: all pages queued at once, 1 then 2 workers, per engine (pages per minute). Closes the pools. */
async function poolThroughput(engines: OcrEngineKind[], pages: PreparedPage[], pools: Map<OcrEngineKind, OcrPool>): Promise<Map<OcrEngineKind, [number, number]>> {
  const ppm = new Map<OcrEngineKind, [number, number]>();
  for (const e of engines) {
    const one = pools.get(e)!;
    let t = performance.now();
    await Promise.all(pages.map((p) => one.recognize(p.image, { dpi: p.dpi })));
    const ppm1 = pages.length / ((performance.now() - t) / 60000);
    await one.close();
    const two = new OcrPool({ size: 2, engine: e });
    await two.warmUp();
    t = performance.now();
    await Promise.all(pages.map((p) => two.recognize(p.image, { dpi: p.dpi })));
    ppm.set(e, [ppm1, pages.length / ((performance.now() - t) / 60000)]);
    await two.close();
  }
  return ppm;
}

/** Line accuracy (SKU + quantity) per fax kind and engine, from the pages each engine read. */
function printAccuracy(engines: OcrEngineKind[], docs: Awaited<ReturnType<typeof makeDocs>>, results: Results): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log('\nline accuracy (SKU + quantity) per kind and engine');
  console.log(`  ${pad('engine', 13)} ${pad('kind', 8)} ${pad('docs', 5)} ${pad('lines', 6)} ${pad('exact', 6)} ${pad('F1', 6)} ${pad('header', 7)} ${pad('wrong flagged', 14)} wrong NOT flagged`);
  for (const e of engines) {
    for (const resolution of ['fine', 'normal'] as FaxResolution[]) {
      const acc: Accuracy = { lines: 0, exact: 0, wrongFlagged: 0, wrongUnflagged: 0, missing: 0, headerOk: 0, docs: 0 };
      for (const d of docs.filter((x) => x.resolution === resolution)) {
        score(d, d.pages.map((p) => ({ page: p.page, words: results.get(e)!.get(p)!.words, meanConfidence: results.get(e)!.get(p)!.meanConfidence })), acc);
      }
      const read = acc.exact + acc.wrongFlagged + acc.wrongUnflagged;
      const precision = read ? acc.exact / read : 0;
      const recall = acc.lines ? acc.exact / acc.lines : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      console.log(`  ${pad(e, 13)} ${pad(resolution, 8)} ${pad(String(acc.docs), 5)} ${pad(String(acc.lines), 6)} ${pad(String(acc.exact), 6)} ${pad(f1.toFixed(3), 6)} ${pad(`${acc.headerOk}/${acc.docs}`, 7)} ${pad(String(acc.wrongFlagged), 14)} ${acc.wrongUnflagged}`);
    }
  }
}

async function main(): Promise<void> {
  const perKind = Number(process.argv[2] ?? 4);
  console.log(`generating ${perKind} fine and ${perKind} normal faxes…`);
  const docs = await makeDocs(perKind);
  const pages = docs.flatMap((d) => d.pages);
  const prepMsTotal = docs.reduce((s, d) => s + d.prepMs, 0);
  console.log(`${docs.length} faxes, ${pages.length} pages (cover pages included)\n`);

  const rounds = Number(process.argv[3] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'ocr-bench-pages-'));
  const pgms = pages.map((p, i) => {
    const f = join(dir, `p${i}.pgm`);
    writeFileSync(f, p.image);
    return f;
  });
  const tiffs = docs.map((d, i) => {
    const f = join(dir, `fax${i}.tif`);
    writeFileSync(f, d.tiff);
    return f;
  });
  const same = sameModelTessdata();

  // The machine is shared: methods take turns, round after round, and the median is kept.
  const engines: OcrEngineKind[] = nativeEngineBinary() ? ['native', 'tesseract.js'] : ['tesseract.js'];
  if (engines.length === 1) console.log('(native engine not built: scripts/build-ocr-engine.sh; tesseract.js only)');
  const pools = new Map(engines.map((e) => [e, new OcrPool({ size: 1, engine: e })]));
  for (const p of pools.values()) await p.warmUp();
  const results: Results = new Map(engines.map((e) => [e, new Map()]));
  const m = { ours: new Map<OcrEngineKind, number[]>(engines.map((e) => [e, []])), nativeSame: [] as number[], nativeDebian: [] as number[], nativeRawTiff: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const e of engines) {
      const t = performance.now();
      for (const p of pages) results.get(e)!.set(p, await pools.get(e)!.recognize(p.image, { dpi: p.dpi }, p.width * p.height));
      m.ours.get(e)!.push((performance.now() - t) / 1000 / pages.length + prepMsTotal / 1000 / pages.length);
    }
    m.nativeSame.push(nativeWarmSecondsPerPage(pgms, pgms.map(() => 1), 204, same));
    m.nativeDebian.push(nativeWarmSecondsPerPage(pgms, pgms.map(() => 1), 204, null));
    m.nativeRawTiff.push(nativeWarmSecondsPerPage(tiffs, docs.map((d) => d.pages.length), 204, same));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  const ppm = await poolThroughput(engines, pages, pools);
  rmSync(dir, { recursive: true, force: true });

  const nativeSame = med(m.nativeSame);
  const pad = (s: string, n: number) => s.padEnd(n);
  const ratios = (v: number) => engines.map((e) => `${e === 'native' ? 'native engine' : 'tesseract.js'} / this = ${(med(m.ours.get(e)!) / v).toFixed(2)}×`).join('   ');
  console.log(`seconds per fax page, warm, one thread, median of ${rounds} interleaved rounds (target: ours ≤ 1.3× native tesseract)`);
  for (const e of engines) {
    const label = e === 'native' ? 'aiguillage: preparation + native engine (default), fra best_int' : 'aiguillage: preparation + tesseract.js (fallback), fra best_int';
    console.log(`  ${pad(label, 66)} ${med(m.ours.get(e)!).toFixed(3)} s   = ${(med(m.ours.get(e)!) / nativeSame).toFixed(2)}× native (same model)`);
  }
  console.log(`  ${pad('  of which preparation (split, stretch/despeckle)', 66)} ${(prepMsTotal / 1000 / pages.length).toFixed(3)} s`);
  console.log(`  ${pad('native tesseract 5.3 CLI, same prepared images, same fra model', 66)} ${nativeSame.toFixed(3)} s   ${ratios(nativeSame)}`);
  console.log(`  ${pad('native tesseract 5.3 CLI, same prepared images, Debian fra (fast)', 66)} ${med(m.nativeDebian).toFixed(3)} s   ${ratios(med(m.nativeDebian))}`);
  // Not the same input: normal faxes unstretched (half the rows) and cover pages as they came.
  console.log(`  ${pad('native tesseract 5.3 CLI, raw fax TIFFs (unprepared), same model', 66)} ${med(m.nativeRawTiff).toFixed(3)} s   ${ratios(med(m.nativeRawTiff))}`);
  console.log(`  (load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores)`);
  console.log('pages per minute with the worker pool (OCR only, all pages queued at once)');
  for (const e of engines) {
    const [a, b] = ppm.get(e)!;
    console.log(`  ${pad(e, 13)} 1 worker ${a.toFixed(1)} p/min · 2 workers ${b.toFixed(1)} p/min (${(b / a).toFixed(2)}×)`);
  }

  printAccuracy(engines, docs, results);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
