// Touchless rate per channel (issue #15): of the held-out corpus's documents (other people's layouts,
// with their truth: fixtures/corpus), how many would the shipped policy (routing-rules/examples/
// touchless.yaml) enter with no agent, and how many of those would be created WRONG in the ERP — any
// field of the sales order (customer, ship-to, PO, currency, each line's article, quantity and price)
// differing from the truth. Target: ≥ 80 % of EDI, API and text orders, 0 wrong.
// The readers run as the worker runs them; the order's problems are the workflow's (orderProblems);
// the customer is taken as known (not a first order) and stock and credit as available: this measures
// what reading allows, not the day's stock. EDI and API: the sample interchanges (no truth: rate only).
//   TZ=UTC npx tsx bench/touchless.ts [--split heldout|dev] [--ocr]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMasterData } from '../storage/masterdata-source';
import type { MasterData } from '../domain/masterdata';
import type { Channel, Order } from '../domain/order';
import { orderProblems } from '../domain/anomalies';
import { needsReview } from '../domain/order-state';
import { decideTouchless } from '../domain/touchless';
import { loadTouchlessPolicy } from '../routing-rules/touchless';
import { describeDocument, extractDocument } from '../parsers/index';
import { closeSharedOcrPool } from '../parsers/ocr/index';
import type { CorpusTruth } from '../fixtures/corpus/model';

const ROOT = join(import.meta.dirname, '..');
const split = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1]! : 'heldout';
const ocr = process.argv.includes('--ocr');
const policy = loadTouchlessPolicy(join(ROOT, 'routing-rules', 'examples'))!;

interface Row { docs: number; touchless: number; wrong: number; why: Map<string, number>; wrongs: string[] }
const rows = new Map<string, Row>();
const row = (k: string) => rows.get(k) ?? rows.set(k, { docs: 0, touchless: 0, wrong: 0, why: new Map(), wrongs: [] }).get(k)!;

/** The ship-to Tryton would use: the one read, else the customer's only delivery address (as the connector does). */
function shipToCode(o: Order, md: MasterData): string | null {
  if (o.shipTo.code) return o.shipTo.code;
  const delivery = md.addresses.filter((a) => a.customerId === o.customer.id && a.type === 'delivery');
  return delivery.length === 1 ? delivery[0]!.code : null;
}

/** The fields of the ERP's sales order that differ from the truth. */
function wrongFields(o: Order, t: CorpusTruth, md: MasterData): string[] {
  const e: string[] = [];
  if (o.customer.id !== t.customerId) e.push(`client ${o.customer.id}`);
  if (shipToCode(o, md) !== t.shipTo.code) e.push(`livraison ${shipToCode(o, md)}`);
  if (o.poNumber !== t.poNumber) e.push(`n° ${o.poNumber}`);
  if ((o.currency ?? 'EUR') !== t.currency) e.push(`devise ${o.currency}`);
  const price = (sku: string | null, p: number | null) => p ?? (sku ? (md.product(sku)?.listPrice ?? null) : null);
  const key = (sku: string | null, q: number | null, p: number | null) => `${sku}×${q}@${price(sku, p)?.toFixed(2)}`;
  const want = t.lines.map((l) => key(l.sku, l.quantity, l.unitPrice)).sort().join(' ');
  const got = o.lines.map((l) => key(l.sku, l.quantity, l.unitPrice)).sort().join(' ');
  if (want !== got) e.push(`lignes ${got} ≠ ${want}`);
  return e;
}

async function judge(md: MasterData, bytes: Buffer, fileName: string, channel: Channel, kind: string, receivedAt: string, truth: CorpusTruth | null): Promise<void> {
  const meta = describeDocument(bytes, { fileName, channel, receivedAt });
  const { extracted } = await extractDocument(bytes, meta, md);
  for (const k of [kind, 'all']) row(k).docs++;
  const first = extracted[0];
  if (!first) return void [kind, 'all'].forEach((k) => row(k).why.set('nothing read', (row(k).why.get('nothing read') ?? 0) + 1));
  const problems = orderProblems(first.order, first.problems, md);
  const d = decideTouchless(policy, {
    order: first.order, channel, status: needsReview(problems, first.order) ? 'needs-review' : 'routed', problems, previousOrders: 1, duplicatesToCheck: 0,
    listPrice: (sku) => md.product(sku)?.listPrice ?? null,
    stock: Object.fromEntries(first.order.lines.filter((l) => l.sku).map((l) => [l.sku!, Number.MAX_SAFE_INTEGER])), credit: { limit: null, used: 0 },
  });
  for (const k of [kind, 'all']) {
    const r = row(k);
    if (!d.touchless) {
      for (const c of d.checks.filter((x) => !x.ok)) r.why.set(c.code, (r.why.get(c.code) ?? 0) + 1);
      if (process.env.BENCH_VERBOSE && k !== 'all') console.log(`${fileName}: ${d.checks.filter((x) => !x.ok).map((x) => x.why).join(' | ')}`);
      continue;
    }
    r.touchless++;
    const wrong = truth ? wrongFields(first.order, truth, md) : [];
    if (wrong.length) {
      r.wrong++;
      if (k !== 'all') r.wrongs.push(`${fileName}: ${wrong.join(' ; ')}`);
    }
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = join(ROOT, 'fixtures', 'corpus');
  const md = loadMasterData(join(dir, 'masterdata'));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { documents: { id: string; file: string; truth: string; channel: string; split: string; receivedAt: string }[] };
  const docs = manifest.documents.filter((d) => d.split === split && (ocr || (d.channel !== 'fax-tiff' && d.channel !== 'scan-pdf')));
  for (const d of docs) {
    const truth = JSON.parse(readFileSync(join(dir, d.truth), 'utf8')) as CorpusTruth;
    const channel: Channel = d.file.endsWith('.eml') ? 'email' : d.channel === 'fax-tiff' ? 'fax' : d.channel === 'scan-pdf' ? 'scan' : 'folder';
    await judge(md, readFileSync(join(dir, d.file)), d.file.split('/').pop()!, channel, d.channel, d.receivedAt, truth);
  }
  const samples = join(ROOT, 'fixtures', 'samples');
  const sampleMd = loadMasterData(join(ROOT, 'fixtures', 'masterdata'));
  for (const f of readdirSync(samples).filter((n) => n.endsWith('.edi') || n.endsWith('.order.json')).sort()) {
    const channel: Channel = f.endsWith('.edi') ? 'edi' : 'api';
    await judge(sampleMd, readFileSync(join(samples, f)), f, channel, `${channel} (samples)`, '2026-11-23T09:00:00Z', null);
  }
  await closeSharedOcrPool();

  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : 'n/a');
  console.log(`touchless rate — policy ${policy.file} (${policy.version}), corpus ${split} half${ocr ? '' : ' without faxes and scans'}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log('baseline (issue #15): before touchless, 0 % of orders reach the ERP without an agent; target ≥ 80 % of EDI, API and text orders, 0 created wrong\n');
  console.log(`${'channel'.padEnd(18)} ${'docs'.padStart(5)} ${'touchless'.padStart(10)} ${'rate'.padStart(8)} ${'wrong'.padStart(6)}   main reasons not touchless`);
  for (const [k, r] of [...rows.entries()].sort((a, b) => (a[0] === 'all' ? 1 : b[0] === 'all' ? -1 : a[0].localeCompare(b[0])))) {
    const why = [...r.why.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([c, n]) => `${c} ${n}`).join(', ');
    console.log(`${k.padEnd(18)} ${String(r.docs).padStart(5)} ${String(r.touchless).padStart(10)} ${pct(r.touchless, r.docs).padStart(8)} ${(k.includes('samples') ? 'n/a' : String(r.wrong)).padStart(6)}   ${why}`);
  }
  for (const r of rows.values()) for (const w of r.wrongs) console.log(`  WRONG: ${w}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
