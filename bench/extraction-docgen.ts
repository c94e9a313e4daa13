// Extraction accuracy on generated orders: N orders per layout, read through the full pipeline
// (extractDocument) as text PDFs and as their fax renditions (fine 204×196, normal 204×98).
// Prints, per kind of document: line-level F1 on (SKU, quantity), header-field accuracy, and the
// wrong values that were NOT flagged for review (confidence ≥ threshold yet wrong; target 0).
//   TZ=UTC npx tsx bench/extraction-docgen.ts [--pdf N] [--fax N] [--layouts a,b]
// (also: npx tsx bench/extraction-accuracy.ts --docgen …). The corpus bench is bench/extraction-accuracy.ts.
// The OCR engine is the default one (native when built); AIGUILLAGE_OCR_ENGINE=tesseract.js for the other.
import { join } from 'node:path';
import { type MasterData } from '../domain/masterdata';
import { loadMasterData } from '../storage/masterdata-source';
import type { Order } from '../domain/order';
import { describeDocument, extractDocument } from '../parsers/index';
import { closeSharedOcrPool, sharedOcrPool } from '../parsers/ocr/index';
import { REVIEW_THRESHOLD } from '../parsers/ocr/snap';
import { generateOrder } from '../fixtures/docgen/generate';
import { faxifyPdf } from '../fixtures/docgen/faxify';
import { LAYOUTS, type Layout, type OrderTruth } from '../fixtures/docgen/orders';

const TARGETS: Record<string, number> = { 'text PDF': 0.995, 'fax fine': 0.97, 'fax normal': 0.93 };
const HEADER_FIELDS = ['poNumber', 'orderDate', 'delivery', 'customer', 'shipTo'] as const;
type HeaderField = (typeof HEADER_FIELDS)[number];

interface Tally {
  docs: number;
  truthLines: number;
  predLines: number;
  matched: number;
  header: Record<HeaderField, number>;
  /** Wrong lines or header values with confidence ≥ threshold; missed lines on an unflagged order. */
  unflagged: number;
  unflaggedExamples: string[];
  seconds: number;
}

const newTally = (): Tally => ({ docs: 0, truthLines: 0, predLines: 0, matched: 0, header: { poNumber: 0, orderDate: 0, delivery: 0, customer: 0, shipTo: 0 }, unflagged: 0, unflaggedExamples: [], seconds: 0 });

function score(t: Tally, truth: OrderTruth, order: Order | undefined, problems: { severity: string }[], label: string): void {
  t.docs++;
  t.truthLines += truth.lines.length;
  const want = new Map<string, number>();
  for (const l of truth.lines) want.set(`${l.sku}|${l.quantity}`, (want.get(`${l.sku}|${l.quantity}`) ?? 0) + 1);
  const lines = order?.lines ?? [];
  t.predLines += lines.length;
  const confident = (c: number) => c >= REVIEW_THRESHOLD;
  for (const l of lines) {
    const k = `${l.sku}|${l.quantity}`;
    const n = want.get(k) ?? 0;
    if (n > 0) {
      t.matched++;
      want.set(k, n - 1);
    } else if (confident(l.confidence) && confident(order!.confidence)) {
      t.unflagged++;
      if (t.unflaggedExamples.length < 5) t.unflaggedExamples.push(`${label} line ${l.lineNumber}: read ${l.sku} × ${l.quantity} at ${l.confidence}`);
    }
  }
  // A line lost without any warning on the document is as silent as a wrong one.
  const missed = [...want.values()].reduce((s, n) => s + n, 0);
  const warned = problems.some((p) => p.severity === 'error' || p.severity === 'warning');
  if (missed > 0 && !warned && order && confident(order.confidence)) {
    t.unflagged += missed;
    if (t.unflaggedExamples.length < 5) t.unflaggedExamples.push(`${label}: ${missed} line(s) missed with no warning`);
  }
  const ship = order?.shipTo;
  const ok: Record<HeaderField, boolean> = {
    poNumber: order?.poNumber === truth.poNumber,
    orderDate: order?.orderDate === truth.orderDate,
    delivery: (order?.requestedDeliveryDate ?? null) === truth.requestedDeliveryDate,
    customer: order?.customer.id === truth.customerId,
    shipTo: !!ship && (ship.code === truth.shipTo.code || (ship.postalCode === truth.shipTo.postalCode && ship.city === truth.shipTo.city)),
  };
  const got: Record<HeaderField, unknown> = { poNumber: order?.poNumber, orderDate: order?.orderDate, delivery: order?.requestedDeliveryDate, customer: order?.customer.id, shipTo: ship?.postalCode };
  for (const f of HEADER_FIELDS) {
    if (ok[f]) t.header[f]++;
    else if (got[f] !== null && got[f] !== undefined && order && confident(order.confidence)) {
      t.unflagged++;
      if (t.unflaggedExamples.length < 5) t.unflaggedExamples.push(`${label} ${f}: read ${String(got[f])}`);
    }
  }
}

function pct(n: number, d: number): string {
  return d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

function row(kind: string, t: Tally): string {
  const p = t.predLines ? t.matched / t.predLines : 0;
  const r = t.truthLines ? t.matched / t.truthLines : 0;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  const target = TARGETS[kind.split(' / ')[0]!];
  const mark = target === undefined ? '' : f1 >= target ? `  ≥ ${target} ok` : `  < ${target} MISSED`;
  return [
    kind.padEnd(24),
    String(t.docs).padStart(4),
    String(t.truthLines).padStart(6),
    p.toFixed(4).padStart(7),
    r.toFixed(4).padStart(7),
    f1.toFixed(4).padStart(7),
    ...HEADER_FIELDS.map((f) => pct(t.header[f], t.docs).padStart(9)),
    String(t.unflagged).padStart(10),
    (t.seconds / Math.max(1, t.docs)).toFixed(2).padStart(7),
  ].join(' ') + mark;
}

function header(): string {
  return [
    'kind'.padEnd(24),
    'docs'.padStart(4),
    'lines'.padStart(6),
    'prec'.padStart(7),
    'recall'.padStart(7),
    'F1'.padStart(7),
    ...HEADER_FIELDS.map((f) => f.padStart(9)),
    'unflagged'.padStart(10),
    's/doc'.padStart(7),
  ].join(' ');
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function runOne(md: MasterData, bytes: Buffer, fileName: string, truth: OrderTruth, tally: Tally, label: string): Promise<void> {
  const meta = describeDocument(bytes, { fileName, channel: 'folder', receivedAt: '2026-11-23T09:00:00Z' });
  const t0 = performance.now();
  const { result } = await extractDocument(bytes, meta, md);
  tally.seconds += (performance.now() - t0) / 1000;
  const before = tally.matched;
  score(tally, truth, result.orders[0], result.problems, label);
  const codes = [...new Set(result.problems.map((p) => p.code))].join(',');
  process.stderr.write(`  ${label}: ${tally.matched - before}/${truth.lines.length} lines, ${((performance.now() - t0) / 1000).toFixed(1)} s ${codes}\n`);
}

async function main(): Promise<void> {
  const perLayoutPdf = arg('--pdf', 10);
  const perLayoutFax = arg('--fax', 2);
  const li = process.argv.indexOf('--layouts');
  const layouts = (li >= 0 ? process.argv[li + 1]!.split(',') : [...LAYOUTS]) as Layout[];
  const md = loadMasterData(join(import.meta.dirname, '../fixtures/masterdata'));
  const kinds = new Map<string, Tally>();
  const tallyOf = (k: string) => kinds.get(k) ?? kinds.set(k, newTally()).get(k)!;

  for (const layout of layouts) {
    for (let i = 0; i < Math.max(perLayoutPdf, perLayoutFax); i++) {
      // Every third order is long enough to run over two or three pages.
      const g = await generateOrder(md, layout, 100 + i, i % 3 === 2 ? 30 + (i % 7) : undefined);
      const label = `${g.truth.id} (${g.pages} p.)`;
      if (i < perLayoutPdf) {
        await runOne(md, g.pdf, `${g.truth.id}.pdf`, g.truth, tallyOf(`text PDF / ${layout}`), label);
        await runOne(md, g.pdf, `${g.truth.id}.pdf`, g.truth, tallyOf('text PDF'), label);
      }
      if (i < perLayoutFax) {
        const c = md.customer(g.truth.customerId)!;
        for (const resolution of ['fine', 'normal'] as const) {
          const fax = await faxifyPdf(g.pdf, { resolution, seed: 7 + i, sender: { number: c.fax ?? c.phone ?? '+33 1 00 00 00 00', name: c.name } });
          await runOne(md, fax.tiff, `${g.truth.id}-${resolution}.tif`, g.truth, tallyOf(`fax ${resolution}`), `${label} fax ${resolution}`);
        }
      }
    }
    // Partial tables as the run goes: fax OCR on a busy machine takes a while.
    if (perLayoutFax > 0) printTables(kinds, `after ${layout}`, process.stderr);
  }
  const engine = sharedOcrPool();
  await closeSharedOcrPool();
  printTables(kinds, 'final', process.stdout);
  console.log(`OCR engine: ${engine.engine}, model fra ${engine.model}`);
}

function printTables(kinds: Map<string, Tally>, when: string, out: NodeJS.WriteStream): void {
  out.write(`\n[${when}] Extraction accuracy — line F1 on (SKU, quantity); header fields exact; "unflagged" = wrong values with confidence ≥ ${REVIEW_THRESHOLD} (target 0)\n\n`);
  out.write(`${header()}\n`);
  const order = [...kinds.keys()].sort((a, b) => (a.startsWith('text PDF /') ? 1 : 0) - (b.startsWith('text PDF /') ? 1 : 0) || a.localeCompare(b));
  for (const k of order) out.write(`${row(k, kinds.get(k)!)}\n`);
  const examples = [...kinds.entries()].filter(([k]) => !k.includes(' / ')).flatMap(([, t]) => t.unflaggedExamples);
  if (examples.length) out.write(`\nUnflagged examples:\n${examples.map((e) => `  ${e}`).join('\n')}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
