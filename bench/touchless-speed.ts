// Receipt → sales order in the ERP for touchless orders (issue #15 target: p95 ≤ 5 s on the dev
// server, for EDI and text e-mail), printed beside receipt → routed for the same orders (the baseline
// the issue names). The real stack: Temporal dev server, worker with the shipped touchless policy, the
// demo Tryton (test harness's copy). Per channel, one order first so that the customer is known, then
// N orders one at a time with a pause (steady intake, not a burst):
//   - EDI: X12 850s made from the sample interchange, one PO each;
//   - text e-mail: a plain-text order in the aligned-table form of fixtures/email/03 (Ets Lefèvre et Fils,
//     articles the demo Tryton has in stock), one line at a negotiated price 15 % under list (inside the
//     shipped policy's band: the order is held for its price, then entered).
//   TZ=UTC TEMPORAL_CLI_PATH=… npx tsx bench/touchless-speed.ts [--n 20] [--gap-ms 500] [--channels edi,email]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startStack, startTemporal } from '../test/support/temporal';
import { startTestTryton } from '../test/support/tryton';
import type { OrderState } from '../domain/order-model';
import type { Channel } from '../domain/order';
import { heldForPolicyOnly } from '../domain/touchless';

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string, d: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : d);
const N = arg('--n', 20);
const GAP = arg('--gap-ms', 500);
const CHANNELS = (process.argv.includes('--channels') ? process.argv[process.argv.indexOf('--channels') + 1]! : 'edi,email').split(',');
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

/** A plain-text e-mail order from Ets Lefèvre et Fils (C010), its own PO and Message-ID. */
function textEmail(i: number): Buffer {
  const po = `LF-SPEED-${i}`;
  const body = [
    'Bonjour,', '', `Bon de commande n° ${po} du 03/12/2026`, '',
    'Réf.        Désignation                               Qté     PU HT    Montant HT',
    'VIS-440     Vis inox A2 tête fraisée 4x40 bte 200       10    16,07        160,70',
    'CHV-8       Cheville nylon 8x40 bte 100                  8     7,20         57,60',
    'GAN-NIT     Gants nitrile enduits T9                    25     2,80         70,00',
    '                                                     Total HT              288,30 €', '',
    'Livraison souhaitée le 10/12/2026.', 'Adresse de livraison : adresse habituelle (7 quai du Havre).', '',
    'Salutations,', 'Marc Lefèvre', 'Ets Lefèvre et Fils - 7 quai du Havre - 76000 Rouen', '',
  ].join('\r\n');
  const head = [
    'From: Ets Lefevre et Fils <commandes@lefevre-fils.fr>', 'To: adv@fixations-rhone-alpes.fr', `Subject: Bon de commande ${po}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`, `Message-ID: <speed-${i}-${Date.now()}@lefevre-fils.fr>`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${body}`, 'utf8');
}

/** What the e-mail's sale in Tryton must carry: the customer, the PO, and the printed lines (the negotiated price, not the list price). */
const EMAIL_TRUTH = { party: 'C010', lines: 'CHV-8×8@7.20 GAN-NIT×25@2.80 VIS-440×10@16.07' };

interface Kind { channel: Channel; label: string; bytes: (i: number) => Buffer; fileName: (i: number) => string; po: (i: number) => string; truth?: typeof EMAIL_TRUTH }
const KINDS: Record<string, Kind> = {
  edi: { channel: 'edi', label: 'EDI X12 850', bytes: interchange, fileName: (i) => `speed-${i}.edi`, po: (i) => `BCR-SPEED-${i}` },
  email: { channel: 'email', label: 'text e-mail', bytes: textEmail, fileName: (i) => `speed-${i}.eml`, po: (i) => `LF-SPEED-${i}`, truth: EMAIL_TRUTH },
};

const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

type Stack = Awaited<ReturnType<typeof startStack>>;
type Tryton = Awaited<ReturnType<typeof startTestTryton>>;

/** The sale as Tryton has it, against what the e-mail printed: the fields that differ (none: created right). */
async function wrongInTryton(tryton: Tryton, erpRef: string, po: string, truth: typeof EMAIL_TRUTH): Promise<string[]> {
  const c = tryton.connector.client;
  const [sale] = await c.model<{ reference: string; 'party.': { code: string }; lines: number[] }[]>('sale.sale', 'read', [[Number(erpRef)], ['reference', 'party.code', 'lines']], { company: 1 });
  if (!sale) return ['no sale'];
  const lines = await c.model<{ quantity: number; unit_price: unknown; 'product.': { code: string } }[]>('sale.line', 'read', [sale.lines, ['quantity', 'unit_price', 'product.code']], { company: 1 });
  const price = (v: unknown) => Number(typeof v === 'object' && v !== null && 'decimal' in v ? (v as { decimal: string }).decimal : v).toFixed(2);
  const got = lines.map((l) => `${l['product.'].code}×${l.quantity}@${price(l.unit_price)}`).sort().join(' ');
  return [sale['party.'].code !== truth.party && `client ${sale['party.'].code}`, sale.reference !== po && `n° ${sale.reference}`, got !== truth.lines && `lignes ${got}`].filter((x): x is string => Boolean(x));
}

// Settled: entered touchless, or stopped (an ERP stop, a refusal), or in review for more than its prices.
const settled = (x: OrderState | null) => Boolean(x && (x.touchless || x.history.some((h) => h.event === 'not touchless' || h.event === 'ERP refused') || (x.status === 'needs-review' && !heldForPolicyOnly(x.status, x.problems, x.order))));

async function runKind(stack: Stack, tryton: Tryton, k: Kind): Promise<void> {
  const one = async (i: number): Promise<{ s: OrderState; receivedAt: string }> => {
    const receivedAt = new Date().toISOString();
    await stack.ingestor.submit(k.bytes(i), { fileName: k.fileName(i), channel: k.channel, receivedAt });
    const s = await eventually(() => stack.readModel.list({ query: k.po(i), limit: 1 })[0] ?? null, (x) => (i === 0 ? Boolean(x?.route) : settled(x)), 60_000, `order ${k.po(i)}`);
    return { s: s!, receivedAt };
  };
  const first = await one(0);
  console.log(`${k.label}: priming order (the customer's first: to an agent): ${first.s.status}`);
  const routed: number[] = [];
  const erp: number[] = [];
  const notTouchless: string[] = [];
  const wrong: string[] = [];
  for (let i = 1; i <= N; i++) {
    const { s, receivedAt } = await one(i).catch((e: Error) => ({ s: null, receivedAt: e.message }));
    if (!s) {
      notTouchless.push(`order ${i}: ${receivedAt.slice(0, 200)}`);
      continue;
    }
    const t0 = Date.parse(receivedAt);
    const r = s.history.find((h) => h.event === 'routed' || h.event === 'needs-review');
    if (r) routed.push(Date.parse(r.at) - t0);
    if (!s.touchless) notTouchless.push(`order ${i}: ${s.status} ${s.history.at(-1)?.detail ?? ''}`);
    else erp.push(Date.parse(s.touchless.at) - t0);
    if (s.touchless && s.erp && k.truth) {
      const w = await wrongInTryton(tryton, s.erp.erpRef, k.po(i), k.truth);
      if (w.length) wrong.push(`order ${i}: ${w.join(' ; ')}`);
    }
    await new Promise((res) => setTimeout(res, GAP));
  }
  for (const m of notTouchless.slice(0, 5)) console.log(`  not touchless: ${m}`);
  const fmt = (xs: number[]) => (xs.length ? `p50 ${p(xs, 0.5)} ms, p95 ${p(xs, 0.95)} ms, max ${Math.max(...xs)} ms` : 'n/a');
  for (const m of wrong) console.log(`  WRONG in Tryton: ${m}`);
  console.log(`${k.label}, ${N} orders, one every ~${GAP} ms after the previous settled; ${erp.length} entered touchless, ${notTouchless.length} not${k.truth ? `; ${wrong.length} created wrong in Tryton (customer, PO, lines and prices read back)` : ''}`);
  console.log(`  receipt → routed or in review (baseline):                ${fmt(routed)}`);
  console.log(`  receipt → sales order in Tryton (target p95 ≤ 5,000 ms): ${fmt(erp)}`);
}

async function main(): Promise<void> {
  const [tryton, env] = await Promise.all([startTestTryton(), startTemporal()]);
  const stack = await startStack(env, 'touchless-speed', { activityDeps: { erp: tryton.connector } });
  try {
    for (const c of CHANNELS) {
      const k = KINDS[c];
      if (!k) throw new Error(`--channels: unknown "${c}" (expected ${Object.keys(KINDS).join(', ')})`);
      await runKind(stack, tryton, k);
    }
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
