// Dedup quality through the real workflows: every order of fixtures/dedup/scenarios.yaml becomes a
// real document of its channel (bench/dedup-workflows/documents.ts), is submitted with its receipt
// time to a real stack on the Temporal dev server, read by the real readers and delivered by
// `deliverOrders` (which picks the order workflow by key, else by domain/dedup.ts against the read
// model). The order workflow each document ends in is compared with the fixtures' truth: pairwise
// precision and recall of "same order" links, beside the pure matcher on the same scenarios and the
// naive baseline (customer + PO as written).
// Faxes and scans are real fax TIFFs (fixtures/docgen/fax.ts) read by OCR (parsers/ocr/) inside the
// intake workflow; --fax-as-text sends text e-mails standing for them instead, as this benchmark
// did before OCR was fast, to tell what OCR changes in the figures.
// Run: TZ=UTC npx tsx bench/dedup-workflows.ts [--concurrency N] [--no-pdf] [--fax-as-text]
//
// Each scenario runs on its own stack (own task queue and read model): the scenarios reuse customers
// and dates, and were written to be judged one at a time; on one shared stack, scenario A's orders
// would be candidates in scenario B and the truth would not say whether linking them is right.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { deduplicate, type DedupOrder } from '../domain/dedup';
import { loadMasterData } from '../storage/masterdata-source';
import { orderIdFromWorkflowId, type IntakeResult } from '../workflows/definitions';
import { eventually, startStack, startTemporal } from '../test/support/temporal';
import { loadScenarios, type Scenario } from './dedup-fixtures';
import { documentFor, type GeneratedDocument } from './dedup-workflows/documents';
import { compareRead, readDocument } from './dedup-workflows/readback';

const ROOT = join(import.meta.dirname, '..');
const md = loadMasterData(join(ROOT, 'fixtures/masterdata'));
const concurrency = Number(process.argv[process.argv.indexOf('--concurrency') + 1]) || 2;
/** --no-pdf: orders read from a PDF come as text e-mails too (to tell the PDF reader's part). */
const usePdf = !process.argv.includes('--no-pdf');
/** --fax-as-text: faxes and scans come as text e-mails standing for them (no OCR). */
const useFax = !process.argv.includes('--fax-as-text');
const docOpts = { pdf: usePdf, fax: useFax };

interface PlannedDoc {
  scenario: string;
  /** "D01-A", "X02-A (cancel)", "incoming". */
  label: string;
  /** Truth: the fixture order this document belongs to. */
  truth: string;
  fixture: DedupOrder;
  doc: GeneratedDocument;
  /** Wait for this before the next document (a cancellation must have closed its order). */
  waitFor: 'routed' | 'cancelled';
}

const lineSet = (lines: { sku: string | null; quantity: number | null }[]): string => lines.map((l) => `${l.sku ?? '?'}*${l.quantity ?? '?'}`).join(' ');

let docCounter = 0;
async function plan(sc: Scenario): Promise<PlannedDoc[]> {
  const out: PlannedDoc[] = [];
  for (const e of sc.existing) {
    out.push({ scenario: sc.name, label: e.orderId, truth: e.orderId, fixture: e, doc: await documentFor(e, md, docCounter++, docOpts), waitFor: 'routed' });
    // An existing order the fixture says is cancelled: send its cancellation too, as the buyer did.
    if (e.status === 'cancelled') {
      const cancel: DedupOrder = { ...e, status: undefined, receivedAt: new Date(Date.parse(e.receivedAt) + 3_600_000).toISOString(), order: { ...e.order, purpose: 'cancel' } };
      out.push({ scenario: sc.name, label: `${e.orderId} (cancel)`, truth: e.orderId, fixture: cancel, doc: await documentFor(cancel, md, docCounter++, docOpts), waitFor: 'cancelled' });
    }
  }
  out.push({ scenario: sc.name, label: 'incoming', truth: sc.expect.match ?? 'incoming', fixture: sc.incoming, doc: await documentFor(sc.incoming, md, docCounter++, docOpts), waitFor: 'routed' });
  return out;
}

interface Outcome {
  /** The order workflow the document ended in; `unread:<label>` when no order came out of it. */
  cluster: string;
  status: string;
  role: string | null;
  /** Attached as a probable duplicate, awaiting an agent's decision (confirm or split). */
  probable: boolean;
  /** The order's lines after this document ("SKU*qty …"), to see what an amendment changed. */
  lines: string;
  note: string | null;
}

// ------------------------------------------------------------------ pairwise scoring

interface Pairwise {
  tp: number;
  fp: number;
  fn: number;
  wrong: string[];
  missed: string[];
}

/** Pairs of documents inside each scenario: "same order" in truth vs in the predicted clusters. */
function pairwise(groups: { scenario: string; docs: { label: string; truth: string; cluster: string }[] }[]): Pairwise {
  const s: Pairwise = { tp: 0, fp: 0, fn: 0, wrong: [], missed: [] };
  for (const g of groups) {
    for (let i = 0; i < g.docs.length; i++) {
      for (let j = i + 1; j < g.docs.length; j++) {
        const a = g.docs[i]!, b = g.docs[j]!;
        const same = a.truth === b.truth, linked = a.cluster === b.cluster;
        if (same && linked) s.tp++;
        else if (linked) { s.fp++; s.wrong.push(`${g.scenario}: ${a.label} ~ ${b.label} linked (truth: ${a.truth} ≠ ${b.truth})`); }
        else if (same) { s.fn++; s.missed.push(`${g.scenario}: ${a.label} ~ ${b.label} not linked (both ${a.truth})`); }
      }
    }
  }
  return s;
}

/** The pure matchers decide the incoming document only; the existing ones are given as distinct orders. */
function pureGroups(plans: PlannedDoc[][], decide: (sc: Scenario) => string | null, scenarios: Scenario[]) {
  return scenarios.map((sc, k) => {
    const m = decide(sc);
    return { scenario: sc.name, docs: plans[k]!.map((p) => ({ label: p.label, truth: p.truth, cluster: p.label === 'incoming' ? (m ?? 'incoming') : p.truth })) };
  });
}

function naive(incoming: DedupOrder, existing: DedupOrder[]): string | null {
  const key = (o: DedupOrder) => (o.order.customer.id && o.order.poNumber ? `${o.order.customer.id}|${o.order.poNumber.trim().toUpperCase()}` : null);
  const k = key(incoming);
  return (k && existing.find((e) => key(e) === k)?.orderId) || null;
}

// ------------------------------------------------------------------ the run

async function runScenario(env: TestWorkflowEnvironment, sc: Scenario, docs: PlannedDoc[], n: number): Promise<Outcome[]> {
  const stack = await startStack(env, `dedupbench${n}`);
  const out: Outcome[] = [];
  try {
    for (const p of docs) {
      const r = await stack.ingestor.submit(p.doc.bytes, { fileName: p.doc.fileName, channel: p.doc.channel, receivedAt: p.doc.receivedAt });
      if (r.status !== 'accepted') {
        out.push({ cluster: `unread:${p.label}`, status: r.status, role: null, probable: false, lines: '', note: `submit answered ${r.status}` });
        continue;
      }
      const res: IntakeResult = await env.client.workflow.getHandle(`doc-${r.sha256}`).result();
      const wf = res.orders[0]?.orderWorkflowId;
      if (!wf) {
        out.push({ cluster: `unread:${p.label}`, status: res.status, role: null, probable: false, lines: '', note: `intake ${res.status}: ${res.problems.map((x) => x.code).join(', ')}` });
        continue;
      }
      const id = orderIdFromWorkflowId(wf);
      // The next document is deduplicated against the read model: it must hold this one first.
      let note: string | null = res.orders.length > 1 ? `${res.orders.length} orders read, first kept` : null;
      const state = await eventually(
        () => stack.readModel.get(id),
        (s) => Boolean(s?.documents.some((d) => d.sha256 === r.sha256) && (p.waitFor === 'cancelled' ? s.status === 'cancelled' : s.route != null || s.status === 'cancelled')),
        20_000,
        `${sc.name} / ${p.label} published`,
      ).catch((e: Error) => {
        note = e.message.slice(0, 160);
        return stack.readModel.get(id);
      });
      const entry = state?.documents.find((d) => d.sha256 === r.sha256);
      out.push({ cluster: wf, status: state?.status ?? 'unknown', role: entry?.role ?? null, probable: entry?.probable === true, lines: lineSet(state?.order.lines ?? []), note });
    }
  } finally {
    await stack.stop();
  }
  return out;
}

/** What the real readers make of each generated document (no server, same code as `extract`), against its fixture. */
async function readAll(allDocs: PlannedDoc[]): Promise<{ readIssues: string[]; readSeconds: number }> {
  const readIssues: string[] = [];
  const r0 = performance.now();
  for (const p of allDocs) {
    const r = await readDocument(p.doc, md);
    const diff = r.orders.length === 0 ? [`no order read (${r.problems.join(', ')})`] : compareRead(p.fixture, r.orders[0]);
    if (diff.length) readIssues.push(`${p.scenario} / ${p.label} [${p.doc.form}]: ${diff.join('; ')}`);
  }
  return { readIssues, readSeconds: (performance.now() - r0) / 1000 };
}

/** Every scenario through the workflows on one dev server, a few at a time. */
async function runAll(scenarios: ReturnType<typeof loadScenarios>, plans: PlannedDoc[][]): Promise<{ outcomes: Outcome[][]; seconds: number }> {
  const t0 = performance.now();
  const env = await startTemporal();
  const outcomes: Outcome[][] = new Array(scenarios.length);
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, scenarios.length) }, async () => {
        for (let k = next++; k < scenarios.length; k = next++) outcomes[k] = await runScenario(env, scenarios[k]!, plans[k]!, k);
      }),
    );
  } finally {
    await env.teardown();
  }
  return { outcomes, seconds: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  // The SDK's own INFO lines (worker state changes) would bury the figures.
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // test/support/temporal.ts installed it already (warnings only, too).
  }
  const scenarios = loadScenarios();
  const plans: PlannedDoc[][] = [];
  for (const sc of scenarios) plans.push(await plan(sc));
  const allDocs = plans.flat();

  // 1. What the real readers make of each generated document (no server, same code as `extract`).
  const { readIssues, readSeconds } = await readAll(allDocs);
  // 2. Through the workflows.
  const { outcomes, seconds } = await runAll(scenarios, plans);

  // 3. Scores, side by side.
  const wfGroups = scenarios.map((sc, k) => ({ scenario: sc.name, docs: plans[k]!.map((p, i) => ({ label: p.label, truth: p.truth, cluster: outcomes[k]![i]!.cluster })) }));
  const rows: [string, Pairwise][] = [
    ['baseline: customer + PO as written', pairwise(pureGroups(plans, (sc) => naive(sc.incoming, sc.existing), scenarios))],
    ['pure domain/dedup.ts (fixture orders)', pairwise(pureGroups(plans, (sc) => deduplicate(sc.incoming, sc.existing).matchOrderId, scenarios))],
    ['workflows (real documents, readers)', pairwise(wfGroups)],
  ];
  const pct = (n: number, d: number) => (d === 0 ? 'n/a' : (n / d).toFixed(3));
  const truthPairs = rows[0]![1].tp + rows[0]![1].fn;
  const count = (f: (form: string) => boolean) => allDocs.filter((p) => f(p.doc.form)).length;
  console.log(
    `dedup through the workflows: ${scenarios.length} scenarios, ${allDocs.length} documents (${count((f) => f.startsWith('X12'))} X12, ${count((f) => f.startsWith('order.json'))} order.json, ${count((f) => f.includes('PDF ('))} e-mails with a PDF, ${count((f) => f.includes('TIFF ('))} fax/scan TIFFs read by OCR, ${count((f) => f.startsWith('text e-mail'))} text e-mails of which ${count((f) => f.includes('standing for a'))} stand for a fax/scan), ${truthPairs} true "same order" pairs; ${seconds.toFixed(0)} s on the dev server (readers alone, one document at a time: ${readSeconds.toFixed(0)} s)`,
  );
  console.log(`${'matcher'.padEnd(40)} precision  recall   pairs right/linked/true`);
  // Decisions: what became of the incoming document (new order, duplicate, amendment, cancellation).
  const ROLE = { new: 'original', duplicate: 'duplicate', amendment: 'amendment', cancellation: 'cancellation' } as const;
  const purposeRole = (o: DedupOrder) => (o.order.purpose === 'replace' ? 'amendment' : o.order.purpose === 'cancel' ? 'cancellation' : 'duplicate');
  const wfRole = (k: number) => outcomes[k]![plans[k]!.length - 1]!.role;
  const decided: number[] = [
    // As in bench/dedup.ts: no key hit is "new"; a hit takes the document's purpose.
    scenarios.filter((sc) => { const m = naive(sc.incoming, sc.existing); return (m ? purposeRole(sc.incoming) : 'original') === ROLE[sc.expect.decision] && m === sc.expect.match; }).length,
    scenarios.filter((sc) => { const r = deduplicate(sc.incoming, sc.existing); return r.decision === sc.expect.decision && r.matchOrderId === sc.expect.match; }).length,
    // An orphan cancellation has no order to close: the workflows open one holding it (role original).
    scenarios.filter((sc, k) => { const inc = outcomes[k]![plans[k]!.length - 1]!; const same = plans[k]!.some((p, i) => p.truth === sc.expect.match && p.label !== 'incoming' && outcomes[k]![i]!.cluster === inc.cluster); return (sc.expect.match ? same : !plans[k]!.slice(0, -1).some((_, i) => outcomes[k]![i]!.cluster === inc.cluster)) && (wfRole(k) === ROLE[sc.expect.decision] || (!sc.expect.match && sc.expect.decision === 'cancellation' && wfRole(k) === 'original')); }).length,
  ];
  rows.forEach(([name, s], i) => console.log(`${name.padEnd(40)} ${pct(s.tp, s.tp + s.fp).padStart(9)}  ${pct(s.tp, s.tp + s.fn).padStart(6)}   ${s.tp}/${s.tp + s.fp}/${s.tp + s.fn}`.padEnd(82) + `decisions ${decided[i]}/${scenarios.length}`));

  // A probable link counts as a link above (the document is attached, visibly); each is work for an agent.
  const probable = outcomes.flatMap((o, k) => o.map((x, i) => ({ x, p: plans[k]![i]!, k }))).filter(({ x }) => x.probable);
  const linkedToTruth = ({ x, p, k }: (typeof probable)[number]) => plans[k]!.some((q, j) => q.label === p.truth && q !== p && outcomes[k]![j]!.cluster === x.cluster);
  const pureProbable = scenarios.filter((sc) => { const r = deduplicate(sc.incoming, sc.existing); return r.matchOrderId && r.certainty === 'probable'; }).length;
  console.log(`probable links (attached, awaiting an agent's "confirmer" or "séparer"): workflows ${probable.length} (${probable.filter(linkedToTruth).length} right), pure ${pureProbable}${probable.length ? ` — ${probable.map(({ p }) => `${p.scenario} / ${p.label}`).join('; ')}` : ''}`);

  for (const [name, s] of rows.slice(1)) {
    for (const w of s.wrong) console.log(`  WRONG LINK [${name.split(' ')[0]}] ${w}`);
    for (const m of s.missed) console.log(`  missed [${name.split(' ')[0]}] ${m}`);
  }
  // Decisions the workflows made that differ from the fixture's expected decision (roles).
  scenarios.forEach((sc, k) => {
    const inc = outcomes[k]![plans[k]!.length - 1]!;
    const expectedRole = { new: 'original', duplicate: 'duplicate', amendment: 'amendment', cancellation: 'cancellation' }[sc.expect.decision];
    if (inc.role !== expectedRole && !(sc.expect.decision === 'cancellation' && !sc.expect.match && inc.role === 'original')) {
      const pure = deduplicate(sc.incoming, sc.existing).decision;
      console.log(`  role [workflows] ${sc.name}: incoming attached as ${inc.role ?? 'nothing'} (${inc.role ? 'order' : 'intake'} ${inc.status}${inc.lines ? `, lines now ${inc.lines}` : ''}); fixture expects ${sc.expect.decision}, pure matcher says ${pure}; incoming lines ${lineSet(sc.incoming.order.lines)}${inc.note ? `; ${inc.note}` : ''}`);
    }
    plans[k]!.forEach((p, i) => {
      const o = outcomes[k]![i]!;
      if (o.note && p.label !== 'incoming') console.log(`  note [workflows] ${sc.name} / ${p.label}: ${o.note}`);
    });
  });
  console.log(`reader differences from the fixtures (${readIssues.length} of ${allDocs.length} documents):`);
  for (const r of readIssues) console.log(`  ${r}`);
}

main().catch((e: unknown) => {
  console.error(`dedup-workflows: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
