// Review only what needs it (issue #14): on labelled documents (fixtures/docgen: generated orders with
// their truth, as text PDFs and as fax renditions read by OCR), is an order sent to review when, and
// only when, it holds an error or a doubt?
//   precision = reviewed orders that really hold an error or a doubt / reviewed orders   (target ≥ 0.8)
//   recall    = orders with a real error that are reviewed / orders with a real error    (target ≥ 0.99)
// "Error": a value read differs from the truth (PO, dates, customer, ship-to, lines as SKU × quantity).
// "Doubt": a reason that also holds on the true order (a price off the list, an unknown article in
// the document itself): the buyer's document, not our reading, needs a look.
// --corpus heldout: the held-out half of the evaluation corpus (fixtures/corpus, issue #13: other
// people's layouts, with their truth), the figure that counts (--no-ocr leaves out its faxes and scans,
// for a quick run); without it, generated orders (fixtures/docgen) with their truth.
//   TZ=UTC npx tsx bench/review.ts [--corpus heldout [--no-ocr]] [--pdf N] [--fax N] [--layouts a,b]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MasterData } from '../domain/masterdata';
import { loadMasterData } from '../storage/masterdata-source';
import { emptyAddress, type Order, type Problem } from '../domain/order';
import { detectAnomalies } from '../domain/anomalies';
import { needsReview, reviewReasons } from '../domain/order-state';
import { describeDocument, extractDocument } from '../parsers/index';
import { closeSharedOcrPool } from '../parsers/ocr/index';
import { generateOrder } from '../fixtures/docgen/generate';
import { faxifyPdf } from '../fixtures/docgen/faxify';
import { LAYOUTS, type Layout, type OrderTruth } from '../fixtures/docgen/orders';

const COVERED_BY_ANOMALIES = new Set(['UNKNOWN_CUSTOMER', 'MISSING_PO', 'UNKNOWN_ITEM', 'MISSING_QUANTITY', 'NO_LINES']);

/** The problems an order carries into its workflow (activities/index.ts anomaliesOf, without history or dedup). */
function problemsOf(order: Order, read: Problem[], md: MasterData): Problem[] {
  const products = order.lines.flatMap((l) => {
    const p = l.sku ? md.product(l.sku) : undefined;
    return p ? [{ sku: p.sku, description: p.description, unit: p.unit, listPrice: p.listPrice }] : [];
  });
  const r = detectAnomalies({ order, problems: read.filter((p) => !COVERED_BY_ANOMALIES.has(p.code)), products, customerInMasterData: Boolean(order.customer.id && md.customer(order.customer.id)) });
  return r.anomalies.map((a) => ({ code: a.code, message: a.message, severity: a.severity, where: a.field }));
}

function trueOrder(t: OrderTruth): Order {
  return {
    poNumber: t.poNumber, orderDate: t.orderDate, requestedDeliveryDate: t.requestedDeliveryDate, purpose: 'original', currency: 'EUR',
    customer: { id: t.customerId, name: null, matchedBy: 'agent' },
    shipTo: { ...emptyAddress(), code: t.shipTo.code, postalCode: t.shipTo.postalCode, city: t.shipTo.city, country: t.shipTo.country },
    lines: t.lines.map((l, i) => ({ lineNumber: i + 1, sku: l.sku, customerPartNumber: l.customerPartNumber, ean: null, description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, confidence: 1, doubts: [] })),
    confidence: 1, provenance: { parser: 'truth', location: null, signals: [] },
  };
}

/** What was read wrong, field by field. */
function errorsOf(t: OrderTruth, o: Order | undefined): string[] {
  if (!o) return ['nothing read'];
  const e: string[] = [];
  if (o.poNumber !== t.poNumber) e.push(`poNumber ${o.poNumber}`);
  if (o.orderDate !== t.orderDate) e.push(`orderDate ${o.orderDate}`);
  if ((o.requestedDeliveryDate ?? null) !== t.requestedDeliveryDate) e.push(`delivery ${o.requestedDeliveryDate}`);
  if (o.customer.id !== t.customerId) e.push(`customer ${o.customer.id}`);
  const s = o.shipTo;
  if (!(s.code === t.shipTo.code || (s.postalCode === t.shipTo.postalCode && s.city === t.shipTo.city))) e.push(`shipTo ${s.code ?? s.postalCode}`);
  const want = t.lines.map((l) => `${l.sku}*${l.quantity}`).sort().join(' ');
  const got = o.lines.map((l) => `${l.sku}*${l.quantity}`).sort().join(' ');
  if (want !== got) e.push('lines');
  return e;
}

interface Tally { orders: number; reviewed: number; reviewedJustified: number; withError: number; errorFlagged: number; noise: Map<string, number>; missed: string[] }
const tally = (): Tally => ({ orders: 0, reviewed: 0, reviewedJustified: 0, withError: 0, errorFlagged: 0, noise: new Map(), missed: [] });

async function judge(md: MasterData, bytes: Buffer, fileName: string, truth: OrderTruth, t: Tally, label: string, channel: 'folder' | 'email' | 'fax' | 'scan' = 'folder', receivedAt = '2026-11-23T09:00:00Z'): Promise<void> {
  const meta = describeDocument(bytes, { fileName, channel, receivedAt });
  const { extracted } = await extractDocument(bytes, meta, md);
  const first = extracted[0];
  const errors = errorsOf(truth, first?.order);
  const doubts = reviewReasons(problemsOf(trueOrder(truth), [], md), trueOrder(truth));
  t.orders++;
  // Nothing read at all is quarantined, never silently lost: it counts as flagged.
  const reviewed = first ? needsReview(problemsOf(first.order, first.problems, md), first.order) : true;
  if (errors.length) {
    t.withError++;
    if (reviewed) t.errorFlagged++;
    else if (t.missed.length < 12) t.missed.push(`${label}: ${errors.join(', ')}`);
  }
  if (reviewed) {
    t.reviewed++;
    if (errors.length || doubts.length) t.reviewedJustified++;
    else for (const r of reviewReasons(problemsOf(first!.order, first!.problems, md), first!.order)) t.noise.set(r.code, (t.noise.get(r.code) ?? 0) + 1);
  }
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

interface CorpusEntry { id: string; file: string; truth: string; channel: string; split: string; receivedAt: string }
interface CorpusTruth { id: string; poNumber: string; orderDate: string; requestedDeliveryDate: string | null; customerId: string; shipTo: { code: string; postalCode: string; city: string; country: string }; lines: { sku: string; quantity: number; unitPrice: number | null; unit: string; description: string }[] }

/** The corpus's held-out (or dev) documents, judged like the generated ones. */
async function corpus(split: string, ocr: boolean): Promise<void> {
  const dir = join(import.meta.dirname, '../fixtures/corpus');
  const md = loadMasterData(join(dir, 'masterdata'));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { documents: CorpusEntry[] };
  const docs = manifest.documents.filter((d) => d.split === split && (ocr || (d.channel !== 'fax-tiff' && d.channel !== 'scan-pdf')));
  const kinds = new Map<string, Tally>();
  const of = (k: string) => kinds.get(k) ?? kinds.set(k, tally()).get(k)!;
  for (const d of docs) {
    const t = JSON.parse(readFileSync(join(dir, d.truth), 'utf8')) as CorpusTruth;
    const truth = { ...t, shipTo: { ...t.shipTo, name: '', street: '', usual: false }, lines: t.lines.map((l) => ({ ...l, customerPartNumber: null, unitPrice: l.unitPrice ?? 0 })) } as unknown as OrderTruth;
    const bytes = readFileSync(join(dir, d.file));
    const channel = d.file.endsWith('.eml') ? 'email' : d.channel === 'fax-tiff' ? 'fax' : d.channel === 'scan-pdf' ? 'scan' : 'folder';
    for (const k of [d.channel, 'all']) await judge(md, bytes, d.file.split('/').pop()!, truth, of(k), d.id, channel, d.receivedAt);
  }
  await closeSharedOcrPool();
  print(`review on the evaluation corpus, ${split} half (${docs.length} documents${ocr ? '' : ', faxes and scans left out'})`, kinds);
}

function print(title: string, kinds: Map<string, Tally> | Record<string, Tally>): void {
  const f = (n: number, d: number) => (d ? (n / d).toFixed(3) : '  n/a');
  const entries = kinds instanceof Map ? [...kinds.entries()] : Object.entries(kinds);
  console.log(`${title}: precision = reviewed holding an error or doubt / reviewed (target ≥ 0.8); recall = errors reviewed / errors (target ≥ 0.99)`);
  console.log(`${'kind'.padEnd(14)} orders  reviewed  share  precision  recall   (with an error: flagged/all)`);
  for (const [k, t] of entries) console.log(`${k.padEnd(14)} ${String(t.orders).padStart(6)}  ${String(t.reviewed).padStart(8)}  ${f(t.reviewed, t.orders)}  ${f(t.reviewedJustified, t.reviewed).padStart(9)}  ${f(t.errorFlagged, t.withError).padStart(6)}   ${t.errorFlagged}/${t.withError}`);
  const all = entries.find(([k]) => k === 'all')?.[1];
  if (all?.noise.size) console.log(`reasons on orders reviewed for nothing: ${[...all.noise.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  for (const m of all?.missed ?? []) console.log(`  error not flagged: ${m}`);
}

async function main(): Promise<void> {
  const ci = process.argv.indexOf('--corpus');
  if (ci >= 0) return corpus(process.argv[ci + 1] ?? 'heldout', !process.argv.includes('--no-ocr'));
  const perPdf = arg('--pdf', 6);
  const perFax = arg('--fax', 1);
  const li = process.argv.indexOf('--layouts');
  const layouts = (li >= 0 ? process.argv[li + 1]!.split(',') : [...LAYOUTS]) as Layout[];
  const md = loadMasterData(join(import.meta.dirname, '../fixtures/masterdata'));
  const kinds = { 'text PDF': tally(), 'fax fine': tally(), all: tally() };
  for (const layout of layouts) {
    for (let i = 0; i < Math.max(perPdf, perFax); i++) {
      const g = await generateOrder(md, layout, 500 + i, i % 3 === 2 ? 25 : undefined);
      if (i < perPdf) {
        await judge(md, g.pdf, `${g.truth.id}.pdf`, g.truth, kinds['text PDF'], g.truth.id);
        await judge(md, g.pdf, `${g.truth.id}.pdf`, g.truth, kinds.all, g.truth.id);
      }
      if (i < perFax) {
        const c = md.customer(g.truth.customerId)!;
        const fax = await faxifyPdf(g.pdf, { resolution: 'fine', seed: 11 + i, sender: { number: c.fax ?? c.phone ?? '+33 1 00 00 00 00', name: c.name } });
        await judge(md, fax.tiff, `${g.truth.id}-fine.tif`, g.truth, kinds['fax fine'], `${g.truth.id} fax`);
        await judge(md, fax.tiff, `${g.truth.id}-fine.tif`, g.truth, kinds.all, `${g.truth.id} fax`);
      }
    }
    process.stderr.write(`  ${layout} done\n`);
  }
  await closeSharedOcrPool();
  print(`review on labelled generated orders (${layouts.length} layouts)`, kinds);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
