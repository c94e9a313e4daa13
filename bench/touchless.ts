// Touchless rate per channel (issue #15): of the held-out corpus's documents (other people's layouts,
// with their truth: fixtures/corpus), how many would the shipped policy (routing-rules/examples/
// touchless.yaml) enter with no agent, and how many of those would be created WRONG in the ERP — any
// field of the sales order (customer, ship-to, PO, currency, each line's article, quantity and price)
// differing from the truth. Target: ≥ 80 % of EDI, API and text orders, 0 wrong.
// The readers run as the worker runs them; the order's problems are the workflow's (orderProblems);
// the customer is taken as known (not a first order) and stock and credit as available: this measures
// what reading allows, not the day's stock. EDI and API: the sample interchanges (no truth: rate only).
//   TZ=UTC npx tsx bench/touchless.ts [--split heldout|dev] [--ocr] [--policy DIR (its touchless.yaml)]
//     [--layout id[,id] (only these layouts: e.g. the held-out layouts of an earlier round, to compare like with like)]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMasterData } from '../storage/masterdata-source';
import type { MasterData } from '../domain/masterdata';
import type { Channel, Order, Problem } from '../domain/order';
import { orderProblems } from '../domain/anomalies';
import { needsReview } from '../domain/order-state';
import { decideTouchless, LIST_CURRENCY, printedPricesCurrencyOffList, reasonsPolicyKeeps } from '../domain/touchless';
import { NO_PRICE_PRINTED } from '../domain/signals';
import { loadTouchlessPolicy } from '../routing-rules/touchless';
import { describeDocument, extractDocument } from '../parsers/index';
import { closeSharedOcrPool } from '../parsers/ocr/index';
import type { CorpusTruth } from '../fixtures/corpus/model';

const ROOT = join(import.meta.dirname, '..');
const split = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1]! : 'heldout';
const ocr = process.argv.includes('--ocr');
const onlyLayouts = process.argv.includes('--layout') ? new Set(process.argv[process.argv.indexOf('--layout') + 1]!.split(',')) : null;
const policyDir = process.argv.includes('--policy') ? process.argv[process.argv.indexOf('--policy') + 1]! : join(ROOT, 'routing-rules', 'examples');
const policy = loadTouchlessPolicy(policyDir)!;

interface Row { docs: number; touchless: number; wrong: number; why: Map<string, number>; wrongs: string[] }
const rows = new Map<string, Row>();
const row = (k: string) => rows.get(k) ?? rows.set(k, { docs: 0, touchless: 0, wrong: 0, why: new Map(), wrongs: [] }).get(k)!;
/** Per fine reason (text channels with a truth): documents it stops, and documents it alone stops. */
const fine = new Map<string, { docs: number; alone: number }>();

/**
 * Why a document is not touchless, finer than the policy's checks and sorted by whose problem it is:
 * "reader" (a field is really unsure or was not read: the e-mail and paper readers' work) or "policy"
 * (what IT's touchless.yaml refuses of an order read right). The order-level echoes of a reader's
 * doubt (status, confidence, a flagged field) are folded into the review reason that caused them.
 */
function fineReasons(d: ReturnType<typeof decideTouchless>, problems: Problem[], o: Order, t: CorpusTruth, md: MasterData): string[] {
  const failed = new Set(d.checks.filter((c) => !c.ok).map((c) => c.code));
  const out = new Set<string>();
  const review = reasonsPolicyKeeps(policy, problems, o);
  for (const p of review) {
    // A document's low confidence caused by a flagged field (60 %) is that field's reason, not one of its own.
    if (p.code === 'LOW_CONFIDENCE' && review.some((q) => q.code === 'SHIP_TO_MISSING' || q.code === 'PO_UNCONFIRMED')) continue;
    const shipTo = p.code === 'SHIP_TO_MISSING' ? ` — the customer's ${md.addressesOf(o.customer.id ?? '', 'delivery').length === 1 ? 'only' : 'first of several'} address put in, ${o.shipTo.code === t.shipTo.code ? 'the right one' : 'NOT the ordered one'}` : '';
    out.add(`reader: ${p.code}${p.where ? ` (${p.where.replace(/\d+/gu, 'n')})` : ''}${shipTo}`);
  }
  if (failed.has('fields') && out.size === 0) out.add('reader: field flagged, no review reason');
  if (failed.has('confidence') && out.size === 0) {
    // The reader's own words for its doubt, values masked (digits and codes), so a class shows, not a document.
    const doubt = o.lines.flatMap((l) => l.doubts)[0]?.replace(/[«"“][^»"”]{0,80}[»"”]/gu, '«…»').replace(/\d+/gu, 'n').slice(0, 90);
    out.add(`reader: line(s) read with a doubt${doubt ? ` (${doubt})` : ''}`);
  }
  if (failed.has('lines')) out.add('reader: line without article or quantity');
  const currency = printedPricesCurrencyOffList(o, policy.prices);
  if (failed.has('prices')) out.add(currency ? `policy: printed prices in ${currency}, not comparable with the list in ${LIST_CURRENCY} (prices)` : 'policy: printed price outside the band (prices)');
  if (failed.has('max-lines')) out.add('policy: more lines than max_lines');
  const amount = d.checks.find((c) => c.code === 'amount' && !c.ok);
  if (amount) {
    const unpriced = o.lines.filter((l) => l.unitPrice === null).length;
    if (!unpriced) out.add('policy: amount cap (amount.below)');
    // Catalogue prices on text channels are right only where the document prints no price (the reader's
    // evidence `prices` says so when certain), and wrong where a price was printed and not read.
    else if (o.evidence?.prices?.rule === NO_PRICE_PRINTED) out.add(`policy: no price printed (certain), reader ${o.provenance.parser} not in catalog_prices_when_none_printed${t.lines.some((l) => l.unitPrice !== null) ? ' — the truth carries prices the document does not print' : ''}`);
    else if (t.lines.every((l) => l.unitPrice === null)) out.add('reader: no price printed, but the reader is not certain of it');
    else out.add('reader: printed price(s) not read');
  }
  return [...out];
}

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
      if (k === 'all' && truth) {
        const reasons = fineReasons(d, problems, first.order, truth, md);
        for (const f of reasons) {
          const e = fine.get(f) ?? fine.set(f, { docs: 0, alone: 0 }).get(f)!;
          e.docs++;
          if (reasons.length === 1) e.alone++;
        }
      }
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
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { documents: { id: string; file: string; truth: string; layout: string; channel: string; split: string; receivedAt: string }[] };
  const docs = manifest.documents.filter((d) => d.split === split && (!onlyLayouts || onlyLayouts.has(d.layout)) && (ocr || (d.channel !== 'fax-tiff' && d.channel !== 'scan-pdf')));
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
  console.log('\nwhy text orders are not touchless (a document counts once per reason; "alone": no other reason stops it)');
  for (const [f, e] of [...fine.entries()].sort((a, b) => b[1].docs - a[1].docs)) console.log(`  ${String(e.docs).padStart(4)} ${`(${e.alone} alone)`.padEnd(11)} ${f}`);
  for (const r of rows.values()) for (const w of r.wrongs) console.log(`  WRONG: ${w}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
