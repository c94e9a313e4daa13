// Dedup quality on fixtures/dedup/scenarios.yaml: pairwise precision and recall of "same order" links
// (incoming order → existing order it duplicates, amends or cancels), beside the naive baseline
// "same customer + PO as written". Pure for now; the lead will run the same scenarios through workflows.
// Run: npx tsx bench/dedup.ts
import { performance } from 'node:perf_hooks';
import { deduplicate, type DedupOrder, type DedupResult } from '../domain/dedup';
import { loadScenarios, type Scenario } from './dedup-fixtures';

/** The baseline: an exact key, customer + PO number trimmed and upper-cased. */
function baseline(incoming: DedupOrder, existing: DedupOrder[]): Pick<DedupResult, 'decision' | 'matchOrderId'> & { certainty?: DedupResult['certainty'] } {
  const key = (o: DedupOrder) => (o.order.customer.id && o.order.poNumber ? `${o.order.customer.id}|${o.order.poNumber.trim().toUpperCase()}` : null);
  const k = key(incoming);
  const hit = k ? existing.find((e) => key(e) === k) : undefined;
  if (!hit) return { decision: 'new', matchOrderId: null };
  const decision = incoming.order.purpose === 'cancel' ? 'cancellation' : incoming.order.purpose === 'replace' ? 'amendment' : 'duplicate';
  return { decision, matchOrderId: hit.orderId };
}

interface Score {
  pairs: number;
  truthLinks: number;
  predictedLinks: number;
  correctLinks: number;
  decisionsRight: number;
  /** Links attached as probable duplicates: each one an agent must confirm or split. */
  probableLinks: number;
  probableRight: number;
  misses: string[];
  wrongLinks: string[];
}

function score(scenarios: Scenario[], decide: (s: Scenario) => Pick<DedupResult, 'decision' | 'matchOrderId'> & { certainty?: DedupResult['certainty'] }): Score {
  const s: Score = { pairs: 0, truthLinks: 0, predictedLinks: 0, correctLinks: 0, decisionsRight: 0, probableLinks: 0, probableRight: 0, misses: [], wrongLinks: [] };
  for (const sc of scenarios) {
    s.pairs += sc.existing.length;
    const r = decide(sc);
    if (sc.expect.match) s.truthLinks++;
    if (r.matchOrderId) s.predictedLinks++;
    // A probable link counts as a link: the document is attached to that order, visibly, not lost.
    if (r.matchOrderId && r.certainty === 'probable') {
      s.probableLinks++;
      if (r.matchOrderId === sc.expect.match) s.probableRight++;
    }
    if (r.matchOrderId && r.matchOrderId === sc.expect.match) s.correctLinks++;
    else if (r.matchOrderId) s.wrongLinks.push(`${sc.name} → ${r.matchOrderId}`);
    else if (sc.expect.match) s.misses.push(sc.name);
    if (r.decision === sc.expect.decision && r.matchOrderId === sc.expect.match) s.decisionsRight++;
  }
  return s;
}

const scenarios = loadScenarios();
const rows: [string, Score][] = [
  ['baseline: customer + PO as written', score(scenarios, (sc) => baseline(sc.incoming, sc.existing))],
  ['aiguillage domain/dedup.ts', score(scenarios, (sc) => deduplicate(sc.incoming, sc.existing))],
];

const pct = (n: number, d: number) => (d === 0 ? '  n/a' : (n / d).toFixed(3));
console.log(`dedup: ${scenarios.length} scenarios, ${rows[0]![1].pairs} candidate pairs, ${rows[0]![1].truthLinks} true "same order" links`);
console.log(`${'matcher'.padEnd(38)} precision  recall  decisions`);
for (const [name, s] of rows) {
  console.log(`${name.padEnd(38)} ${pct(s.correctLinks, s.predictedLinks).padStart(9)}  ${pct(s.correctLinks, s.truthLinks).padStart(6)}  ${s.decisionsRight}/${scenarios.length}`);
}
const ours = rows[1]![1];
console.log(`probable links (attached, awaiting an agent's "confirmer" or "séparer"): ${ours.probableLinks} of ${ours.predictedLinks} links, ${ours.probableRight} right`);
for (const m of ours.misses) console.log(`  missed: ${m}`);
for (const w of ours.wrongLinks) console.log(`  WRONG LINK: ${w}`);

// Throughput of the pure scoring: each scenario's incoming order against 50 candidates of its customer.
const padded = scenarios.map((sc) => ({ sc, candidates: [...sc.existing, ...Array.from({ length: 50 - sc.existing.length }, (_, i) => ({ ...sc.existing[0]!, orderId: `pad-${i}`, order: { ...sc.existing[0]!.order, poNumber: `ZZ-${100000 + i}` } }))] }));
const rounds = 200;
const t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const { sc, candidates } of padded) deduplicate(sc.incoming, candidates);
const ms = performance.now() - t0;
console.log(`speed: ${((ms * 1000) / (rounds * padded.length)).toFixed(1)} µs per incoming order against 50 candidates (${rounds * padded.length} calls in ${ms.toFixed(0)} ms)`);
