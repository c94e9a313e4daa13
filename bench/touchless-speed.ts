// Receipt → sales order in the ERP for touchless orders (issue #15 target: p95 ≤ 5 s on the dev
// server), printed beside receipt → routed for the same orders (the baseline the issue names). The
// real stack: Temporal dev server, worker with the shipped touchless policy, the demo Tryton (test
// harness's copy). EDI X12 850s made from the sample interchange, one PO each, submitted one at a time
// with a pause (steady intake, not a burst); one order first so that the customer is known.
//   TZ=UTC TEMPORAL_CLI_PATH=… npx tsx bench/touchless-speed.ts [--n 20] [--gap-ms 500]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startStack, startTemporal } from '../test/support/temporal';
import { startTestTryton } from '../test/support/tryton';
import type { OrderState } from '../domain/order-model';

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string, d: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : d);
const N = arg('--n', 20);
const GAP = arg('--gap-ms', 500);
const SAMPLE = readFileSync(join(ROOT, 'fixtures/samples/brico-centre-850-004010.edi'), 'latin1');

/** The sample 850 with its own PO and control numbers, without its CAD-40 line (none in the demo Tryton's stock: never touchless). */
function interchange(i: number): Buffer {
  const ctl = String(500000 + i).padStart(9, '0');
  const segs = SAMPLE.split('~').map((x) => x.trim()).filter(Boolean);
  const cut = segs.findIndex((x) => x.startsWith('PO1*3*'));
  segs.splice(cut, 2);
  const base = `${segs.join('~\n')}~\n`.replace('CTT*3', 'CTT*2').replace('SE*17*0001', 'SE*15*0001');
  const text = base.replace('BEG*00*SA*BCR-2026-118734', `BEG*00*SA*BCR-SPEED-${i}`).replaceAll('000004711', ctl).replaceAll('*4711*', `*${500000 + i}*`).replace('GE*1*4711', `GE*1*${500000 + i}`);
  return Buffer.from(text, 'latin1');
}

const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

async function main(): Promise<void> {
  const [tryton, env] = await Promise.all([startTestTryton(), startTemporal()]);
  const stack = await startStack(env, 'touchless-speed', { activityDeps: { erp: tryton.connector } });
  try {
    // Settled: entered touchless, or stopped (an ERP stop, a refusal), or routed to an agent for a while.
    const done = (x: OrderState | null) => Boolean(x && (x.touchless || x.history.some((h) => h.event === 'not touchless' || h.event === 'ERP refused') || x.status === 'needs-review'));
    const one = async (i: number): Promise<{ s: OrderState; receivedAt: string }> => {
      const receivedAt = new Date().toISOString();
      await stack.ingestor.submit(interchange(i), { fileName: `speed-${i}.edi`, channel: 'edi', receivedAt });
      const s = await eventually(() => stack.readModel.list({ query: `BCR-SPEED-${i}`, limit: 1 })[0] ?? null, (x) => (i === 0 ? Boolean(x?.route) : done(x)), 60_000, `order ${i}`);
      return { s: s!, receivedAt };
    };
    const first = await one(0);
    console.log(`priming order (the customer's first: to an agent): ${first.s.status}`);
    const routed: number[] = [];
    const erp: number[] = [];
    const notTouchless: string[] = [];
    for (let i = 1; i <= N; i++) {
      const { s, receivedAt } = await one(i).catch((e: Error) => ({ s: null, receivedAt: e.message }));
      if (!s) {
        notTouchless.push(`order ${i}: ${receivedAt.slice(0, 200)}`);
        continue;
      }
      const t0 = Date.parse(receivedAt);
      const r = s.history.find((h) => h.event === 'routed' || h.event === 'needs-review');
      if (r) routed.push(Date.parse(r.at) - t0);
      if (s.touchless) erp.push(Date.parse(s.touchless.at) - t0);
      else notTouchless.push(`order ${i}: ${s.status} ${s.history.at(-1)?.detail ?? ''}`);
      await new Promise((res) => setTimeout(res, GAP));
    }
    for (const m of notTouchless.slice(0, 5)) console.log(`  not touchless: ${m}`);
    const missed = notTouchless.length;
    const fmt = (xs: number[]) => (xs.length ? `p50 ${p(xs, 0.5)} ms, p95 ${p(xs, 0.95)} ms, max ${Math.max(...xs)} ms` : 'n/a');
    console.log(`EDI X12 850, ${N} orders, one every ~${GAP} ms after the previous settled; ${erp.length} entered touchless, ${missed} not`);
    console.log(`receipt → routed (baseline):            ${fmt(routed)}`);
    console.log(`receipt → sales order in Tryton (target p95 ≤ 5,000 ms): ${fmt(erp)}`);
  } finally {
    await stack.stop();
    await tryton.stop();
    await env.teardown();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
