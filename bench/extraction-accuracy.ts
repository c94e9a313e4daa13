// Extraction accuracy on the independent evaluation corpus (fixtures/corpus): the product's own
// extraction — the code path of `aiguillage extract --json` (describeDocument + extractDocument,
// channel from the bytes) — on documents laid out by other people's systems, scored against their
// ground truth. Development and held-out layouts side by side, per channel:
//   line F1 (a line is right when SKU and quantity are), header accuracy (customer, PO, order date,
//   requested delivery date, ship-to postal code) and per field, documents wrong and unflagged,
//   documents holding an order that were quarantined, calibration tables (confidence bucket →
//   share of values actually right: lines and header fields together, then each apart), seconds per page and per document.
// Tune only on the dev half; the held-out figure is the one that counts. Failure details are
// printed for dev documents only.
//   TZ=UTC npx tsx bench/extraction-accuracy.ts [--split dev|heldout|both] [--channel c[,c]]
//        [--layout id[,id]] [--limit N (documents per half)] [--json out.json] [--baseline file|none] [--quiet]
//        [--corpus dir (another manifest, docs and truth: the dev-only stress set of generate.ts --stress)]
//        [--ocr-cache dir (keep each page's OCR words there and reuse them: for tuning the readers on
//         dev; times are then not comparable)]
//   TZ=UTC npx tsx bench/extraction-accuracy.ts --docgen [args]   (the older bench on our own generator's layouts)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadMasterData } from '../storage/masterdata-source';
import type { DocumentResult } from '../domain/order';
import { describeDocument, extractDocument } from '../parsers/index';
import { closeSharedOcrPool, sharedOcrPool, useOcrRecognizer } from '../parsers/ocr/index';
import { cachingRecognizer } from './ocr-cache';
import { channelForFile } from '../intake/submit';
import type { Manifest, ManifestEntry, Split } from '../fixtures/corpus/generate';
import { CORPUS_CHANNELS, type CorpusChannel, type CorpusTruth } from '../fixtures/corpus/model';
import { add, CONFIDENT, f1, FIELDS, headerAccuracy, newAgg, scoreDocument, type Agg, type DocScore, type Field } from './corpus-score';

const CORPUS_DIR = join(import.meta.dirname, '../fixtures/corpus');
const corpusArg = process.argv.indexOf('--corpus');
const CORPUS = corpusArg >= 0 ? process.argv[corpusArg + 1]! : CORPUS_DIR;
const DEFAULT_BASELINE = join(import.meta.dirname, 'extraction-accuracy.baseline.json');
const BUCKETS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001];
/** Per document, at most this long (an extraction that hangs is a finding, not a reason to stall the bench). */
const DOC_TIMEOUT_MS = 120_000;

function args(): { split: Split | 'both'; channels: Set<string> | null; layouts: Set<string> | null; limit: number; json: string | null; baseline: string | null; quiet: boolean; ocrCache: string | null } {
  const a = process.argv;
  const val = (n: string) => (a.includes(n) ? a[a.indexOf(n) + 1] : undefined);
  const split = (val('--split') ?? 'both') as Split | 'both';
  if (!['dev', 'heldout', 'both'].includes(split)) throw new Error(`--split: expected dev, heldout or both, got "${split}"`);
  const ch = val('--channel');
  const channels = ch ? new Set(ch.split(',')) : null;
  for (const c of channels ?? []) if (!(CORPUS_CHANNELS as readonly string[]).includes(c)) throw new Error(`--channel: "${c}" is not one of ${CORPUS_CHANNELS.join(', ')}`);
  const ly = val('--layout');
  const limit = Number(val('--limit') ?? Infinity);
  if (!(limit > 0)) throw new Error('--limit: expected a positive number of documents per half');
  const b = val('--baseline');
  return { split, channels, layouts: ly ? new Set(ly.split(',')) : null, limit, json: val('--json') ?? null, baseline: b === 'none' ? null : (b ?? (existsSync(DEFAULT_BASELINE) ? DEFAULT_BASELINE : null)), quiet: a.includes('--quiet'), ocrCache: val('--ocr-cache') ?? null };
}

async function extractOne(md: ReturnType<typeof loadMasterData>, entry: ManifestEntry): Promise<{ result: DocumentResult; unreadable: boolean; seconds: number }> {
  const path = join(CORPUS, entry.file);
  const bytes = readFileSync(path);
  // As `aiguillage extract` does, but with the receipt time the gateway recorded (not the checkout's mtime).
  const meta = describeDocument(bytes, { fileName: basename(path), channel: channelForFile(bytes), receivedAt: entry.receivedAt });
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${entry.file}: extraction took more than ${DOC_TIMEOUT_MS / 1000} s`)), DOC_TIMEOUT_MS);
  });
  try {
    const ex = await Promise.race([extractDocument(bytes, meta, md), timeout]);
    return { result: ex.result, unreadable: ex.unreadable, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    const result: DocumentResult = { document: meta, orders: [], problems: [{ code: 'BENCH_FAILURE', message: (e as Error).message, severity: 'error', where: entry.file }] };
    return { result, unreadable: true, seconds: (performance.now() - t0) / 1000 };
  } finally {
    clearTimeout(timer);
  }
}

interface Summary {
  split: Split;
  channel: CorpusChannel | 'all';
  docs: number;
  lineF1: number;
  headerAccuracy: number;
  fields: Record<Field, number>;
  exact: number;
  wrongUnflagged: number;
  quarantinedWithOrder: number;
  secondsPerDoc: number;
  secondsPerPage: number;
}

function summarise(split: Split, channel: CorpusChannel | 'all', a: Agg): Summary {
  const fields = {} as Record<Field, number>;
  for (const f of FIELDS) fields[f] = a.docs ? a.fields[f] / a.docs : 0;
  return { split, channel, docs: a.docs, lineF1: f1(a), headerAccuracy: headerAccuracy(a), fields, exact: a.exact, wrongUnflagged: a.wrongUnflagged, quarantinedWithOrder: a.quarantined, secondsPerDoc: a.docs ? a.seconds / a.docs : 0, secondsPerPage: a.pages ? a.seconds / a.pages : 0 };
}

const n3 = (x: number | undefined) => (x === undefined ? '   -  ' : x.toFixed(3));
const n2 = (x: number | undefined) => (x === undefined ? '   - ' : x.toFixed(2).padStart(5));

/** partial: 'channels' when only some channels ran (no baseline for "all"), 'documents' when a layout or limit filter ran (no baseline at all). */
function printTables(summaries: Summary[], baseline: Summary[] | null, splits: Split[], partial: 'none' | 'channels' | 'documents'): void {
  const find = (arr: Summary[] | null, s: Split, c: string) => (arr === baseline && (partial === 'documents' || (partial === 'channels' && c === 'all')) ? undefined : arr?.find((x) => x.split === s && x.channel === c));
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`\nExtraction accuracy on the evaluation corpus — a line is right when SKU and quantity are; header = ${FIELDS.join(', ')}.`);
  out(`"unflagged" = documents with a wrong header field or line and no problem flagged on it, confidence ≥ ${CONFIDENT}. "quar." = documents holding an order that were quarantined.`);
  if (baseline) out('Columns "base" are the recorded baseline (bench/extraction-accuracy.baseline.json) for the same split and channel.');
  for (const s of splits) {
    out(`\n== ${s === 'dev' ? 'development half (tune on this one)' : 'HELD-OUT half (the figure that counts)'} ==`);
    out(`${'channel'.padEnd(14)} ${'docs'.padStart(4)}  ${'line F1'.padStart(7)} ${'base'.padStart(6)}  ${'header'.padStart(6)} ${'base'.padStart(6)}  ${'exact'.padStart(5)}  ${'unflagged'.padStart(9)} ${'base'.padStart(4)}  ${'quar.'.padStart(5)} ${'base'.padStart(4)}  ${'s/doc'.padStart(5)} ${'base'.padStart(5)}  ${'s/page'.padStart(6)} ${'base'.padStart(5)}`);
    for (const c of [...CORPUS_CHANNELS, 'all'] as const) {
      const x = find(summaries, s, c);
      if (!x || x.docs === 0) continue;
      const b = find(baseline, s, c);
      out(`${c.padEnd(14)} ${String(x.docs).padStart(4)}  ${n3(x.lineF1).padStart(7)} ${n3(b?.lineF1).padStart(6)}  ${n3(x.headerAccuracy).padStart(6)} ${n3(b?.headerAccuracy).padStart(6)}  ${String(x.exact).padStart(5)}  ${String(x.wrongUnflagged).padStart(9)} ${String(b?.wrongUnflagged ?? '-').padStart(4)}  ${String(x.quarantinedWithOrder).padStart(5)} ${String(b?.quarantinedWithOrder ?? '-').padStart(4)}  ${n2(x.secondsPerDoc)} ${n2(b?.secondsPerDoc)}  ${n2(x.secondsPerPage).padStart(6)} ${n2(b?.secondsPerPage)}`);
    }
    out(`\n  header fields (${s}):  ${'channel'.padEnd(14)} ${FIELDS.map((f) => f.replace('requestedDeliveryDate', 'delivery').replace('shipToPostalCode', 'shipTo CP').padStart(9)).join(' ')}`);
    for (const c of [...CORPUS_CHANNELS, 'all'] as const) {
      const x = find(summaries, s, c);
      if (!x || x.docs === 0) continue;
      out(`  ${''.padEnd(19)} ${c.padEnd(14)} ${FIELDS.map((f) => n3(x.fields[f]).padStart(9)).join(' ')}`);
    }
  }
}

type CalibrationRow = { bucket: string; values: number; right: number };
const KINDS = [
  ['all', 'lines and header fields'],
  ['line', 'order lines, each its own confidence'],
  ['header', 'header fields, each its field confidence'],
] as const;

/**
 * Confidence bucket → share of values actually right, for lines and header fields together and
 * apart: a document flagged as a whole says nothing of WHICH line is wrong; the lines' own table does.
 */
function calibrationTable(scores: DocScore[], splits: Split[]): Record<string, Record<(typeof KINDS)[number][0], CalibrationRow[]>> {
  const out: Record<string, Record<string, CalibrationRow[]>> = {};
  for (const s of splits) out[s] = {};
  for (const [kind, what] of KINDS) {
    process.stdout.write(`\nCalibration — confidence bucket → share of values actually right (${what})\n`);
    process.stdout.write(`${'bucket'.padEnd(12)} ${splits.map((s) => `${s.padStart(8)} values  right`).join('   ')}\n`);
    for (const s of splits) out[s]![kind] = [];
    for (let i = 0; i < BUCKETS.length - 1; i++) {
      const lo = BUCKETS[i]!;
      const hi = BUCKETS[i + 1]!;
      const label = `[${lo.toFixed(2)}, ${hi > 1 ? '1.00]' : `${hi.toFixed(2)})`}`;
      const cells: string[] = [];
      for (const s of splits) {
        const vals = scores.filter((d) => d.split === s).flatMap((d) => d.calibration).filter(([c, , k]) => c >= lo && c < hi && (kind === 'all' || k === kind));
        const right = vals.filter(([, r]) => r).length;
        out[s]![kind]!.push({ bucket: label, values: vals.length, right });
        cells.push(`${String(vals.length).padStart(15)} ${vals.length ? (right / vals.length).toFixed(3) : '   - '}`);
      }
      process.stdout.write(`${label.padEnd(12)} ${cells.join('   ')}\n`);
    }
  }
  return out as Record<string, Record<(typeof KINDS)[number][0], CalibrationRow[]>>;
}

async function main(): Promise<void> {
  if (process.argv.includes('--docgen')) {
    const rest = process.argv.slice(2).filter((x) => x !== '--docgen');
    const r = spawnSync('npx', ['tsx', join(import.meta.dirname, 'extraction-docgen.ts'), ...rest], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  const opt = args();
  const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Manifest;
  const md = loadMasterData(join(CORPUS_DIR, 'masterdata'));
  const splits: Split[] = opt.split === 'both' ? ['dev', 'heldout'] : [opt.split];
  const selected: ManifestEntry[] = [];
  for (const s of splits) {
    const docs = manifest.documents.filter((d) => d.split === s && (!opt.channels || opt.channels.has(d.channel)) && (!opt.layouts || opt.layouts.has(d.layout)));
    selected.push(...docs.slice(0, opt.limit));
  }
  if (selected.length === 0) throw new Error('no corpus document matches the options');
  if (opt.ocrCache) useOcrRecognizer(cachingRecognizer(sharedOcrPool(), opt.ocrCache));
  const scores: DocScore[] = [];
  const t0 = performance.now();
  for (const [i, entry] of selected.entries()) {
    const truth = JSON.parse(readFileSync(join(CORPUS, entry.truth), 'utf8')) as CorpusTruth;
    const { result, unreadable, seconds } = await extractOne(md, entry);
    const d = scoreDocument(entry, truth, result, unreadable, seconds);
    scores.push(d);
    if (!opt.quiet) {
      // Held-out documents report only right / wrong: their details are not for tuning.
      const detail = entry.split === 'dev' ? d.notes.slice(0, 4).join('; ') : d.wrong ? 'wrong' : '';
      process.stderr.write(`[${i + 1}/${selected.length}] ${entry.split.padEnd(7)} ${entry.id.padEnd(32)} ${entry.channel.padEnd(13)} ${d.matched}/${d.truthLines} lines ${seconds.toFixed(2)} s${d.wrongUnflagged ? ' UNFLAGGED' : ''} ${detail}\n`);
    }
  }
  const wall = (performance.now() - t0) / 1000;
  const engine = sharedOcrPool();
  await closeSharedOcrPool();
  const summaries: Summary[] = [];
  for (const s of splits) {
    const all = newAgg();
    for (const c of CORPUS_CHANNELS) {
      const a = newAgg();
      for (const d of scores.filter((x) => x.split === s && x.channel === c)) {
        add(a, d);
        add(all, d);
      }
      if (a.docs) summaries.push(summarise(s, c, a));
    }
    summaries.push(summarise(s, 'all', all));
  }
  const recorded = opt.baseline ? (JSON.parse(readFileSync(opt.baseline, 'utf8')) as { summaries?: Summary[]; ocrEngine?: string }) : null;
  const baseline = recorded?.summaries ?? null;
  if (recorded?.ocrEngine && recorded.ocrEngine !== engine.engine) process.stdout.write(`\nNote: the baseline was measured with the ${recorded.ocrEngine} OCR engine, this run uses ${engine.engine}: compare times with AIGUILLAGE_OCR_ENGINE=${recorded.ocrEngine}.\n`);
  printTables(summaries, baseline, splits, opt.layouts || Number.isFinite(opt.limit) ? 'documents' : opt.channels ? 'channels' : 'none');
  const calibration = calibrationTable(scores, splits);
  process.stdout.write(`\n${selected.length} documents in ${wall.toFixed(1)} s; OCR engine ${engine.engine}, model ${engine.model}${opt.ocrCache ? ` (OCR words cached in ${opt.ocrCache}: times not comparable)` : ''}\n`);
  if (opt.json) {
    const report = {
      corpus: CORPUS === CORPUS_DIR ? 'fixtures/corpus/manifest.json' : join(CORPUS, 'manifest.json'),
      options: { split: opt.split, channels: opt.channels ? [...opt.channels] : null, layouts: opt.layouts ? [...opt.layouts] : null, limit: Number.isFinite(opt.limit) ? opt.limit : null },
      confidentThreshold: CONFIDENT,
      ocrEngine: engine.engine,
      summaries,
      calibration,
      // Per-document detail for the development half only.
      documents: scores.filter((d) => d.split === 'dev').map(({ calibration: _c, ...d }) => d),
    };
    writeFileSync(opt.json, `${JSON.stringify(report, null, 1)}\n`);
    process.stdout.write(`wrote ${opt.json}\n`);
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
