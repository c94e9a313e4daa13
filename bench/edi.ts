// EDI reader benchmark: generates a 50,000-transaction X12 file and a 50,000-message EDIFACT
// file, then reads each in its own child process (so peak RSS is the reader's own) with our
// streaming reader and, for X12, with node-x12 X12Parser.parse() as the baseline.
// Run: TZ=UTC npx tsx bench/edi.ts [--count 50000]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterchangeReader } from '../parsers/edi/interchange';
import { edifactOrderSegments, writeEdifact, writeX12, x12OrderSegments, type OutgoingOrder } from '../parsers/edi/writer';

const SELF = fileURLToPath(import.meta.url);
const NOW = new Date('2026-11-23T08:00:00Z');
const SKUS = ['VIS-440', 'VIS-450', 'CHV-6', 'CHV-8', 'GOU-M10', 'BOU-M8', 'ANC-CHIM', 'MAS-FFP2'];

function sampleOrder(i: number): OutgoingOrder {
  return {
    poNumber: `BCR-2026-${String(100000 + i)}`,
    purpose: 'original',
    orderDate: '2026-11-20',
    requestedDeliveryDate: '2026-11-27',
    currency: 'EUR',
    buyerGln: '3020000000017',
    shipTo: { gln: '3020000100014', name: 'BRICO CENTRE VILLEURBANNE', street: '45 COURS EMILE ZOLA', postalCode: '69100', city: 'VILLEURBANNE', country: 'FR' },
    lines: Array.from({ length: 5 }, (_, k) => ({
      lineNumber: k + 1,
      sku: SKUS[(i + k) % SKUS.length]!,
      customerPartNumber: `BCR-${100234 + ((i + k) % 50)}`,
      ean: null,
      description: 'VIS INOX A2 TF 4X40 BTE 200',
      quantity: 12 + ((i * 7 + k) % 90),
      unitPrice: 18.9,
    })),
  };
}

/** Writes the file batch by batch: the generator itself must not hold 50,000 orders. */
function generate(file: string, standard: 'x12' | 'edifact', count: number): void {
  const fd = openSync(file, 'w');
  const batch = 1000;
  if (standard === 'x12') {
    const env = { senderQualifier: 'ZZ', senderId: 'BRICOCENTRE', receiverQualifier: 'ZZ', receiverId: 'FIXRHONEALPES', version: '00401', controlNumber: 4711, now: NOW, test: false, lineBreak: '\n' };
    const whole = writeX12(env, [{ functionalId: 'PO', transactions: [{ type: '850', segments: x12OrderSegments(sampleOrder(0)) }] }]);
    const head = whole.slice(0, whole.indexOf('ST*'));
    writeSync(fd, head);
    for (let b = 0; b < count; b += batch) {
      let out = '';
      for (let i = b; i < Math.min(count, b + batch); i++) {
        const st = String(i + 1).padStart(9, '0');
        const segs = x12OrderSegments(sampleOrder(i)).map((s) => s.join('*').replace(/(?<!\*)\*+$/, '') + '~\n');
        out += `ST*850*${st}~\n${segs.join('')}SE*${segs.length + 2}*${st}~\n`;
      }
      writeSync(fd, out);
    }
    writeSync(fd, `GE*${count}*4711~\nIEA*1*000004711~\n`);
  } else {
    const env = { syntax: 'UNOC', syntaxVersion: '3', senderId: '3020000000031', senderQualifier: '14', recipientId: '3012345000008', recipientQualifier: '14', controlRef: 'BENCH1', now: NOW, test: false, lineBreak: '\n', una: true };
    for (let b = 0; b < count; b += batch) {
      const msgs = [];
      for (let i = b; i < Math.min(count, b + batch); i++) msgs.push({ reference: String(i + 1), identifier: ['ORDERS', 'D', '96A', 'UN', 'EAN008'], segments: edifactOrderSegments(sampleOrder(i)) });
      const text = writeEdifact(env, msgs);
      // Keep the UNA/UNB of the first batch, the UNZ of none: one interchange for the whole file.
      const start = b === 0 ? 0 : text.indexOf('UNH+');
      writeSync(fd, Buffer.from(text.slice(start, text.lastIndexOf('UNZ+')), 'latin1'));
    }
    writeSync(fd, `UNZ+${count}+BENCH1'\n`);
  }
  closeSync(fd);
}

interface Measure {
  ok: boolean;
  transactions: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  note?: string;
}

/** In the child: read the file and print one JSON line. */
function child(reader: string, standard: 'x12' | 'edifact', file: string): void {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let transactions = 0;
  let note: string | undefined;
  if (reader === 'idle') {
    // Nothing: what a child with the tsx loader costs before reading anything.
  } else if (reader === 'ours') {
    let orders = 0;
    const r = createInterchangeReader(standard, { now: NOW, onOrder: () => orders++ });
    const fd = openSync(file, 'r');
    // One 64 KiB buffer, reused: the reader copies only the unfinished segment it keeps.
    const chunk = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      r.push(chunk.subarray(0, n));
    }
    closeSync(fd);
    const res = r.end();
    transactions = orders;
    const errors = res.problems.filter((p) => p.severity === 'error');
    if (errors.length) note = `${errors.length} errors, first: ${errors[0]!.message}`;
  } else {
    // node-x12 is CommonJS; it parses the whole file into objects at once.
    const { X12Parser } = createRequire(import.meta.url)('node-x12') as typeof import('node-x12');
    const text = readFileSync(file, 'utf8');
    const ix = new X12Parser(true).parse(text) as { functionalGroups: { transactions: unknown[] }[] };
    for (const g of ix.functionalGroups) transactions += g.transactions.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const m: Measure = { ok: true, transactions, seconds, cpuSeconds: (c.user + c.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024, note };
  process.stdout.write(JSON.stringify(m) + '\n');
}

function runChild(reader: string, standard: string, file: string, heapMb: number | null): Measure {
  const args = [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), '--import', 'tsx', SELF, '--child', reader, standard, file];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, timeout: 15 * 60_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Measure;
  } catch {
    const why = r.signal ? `killed by ${r.signal}` : /heap out of memory/i.test(r.stderr) ? 'out of memory' : `exit ${r.status}: ${r.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? r.stderr.trim().slice(0, 120)}`;
    return { ok: false, transactions: 0, seconds: 0, cpuSeconds: 0, peakRssMb: 0, note: why };
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1]!, argv[2] as 'x12' | 'edifact', argv[3]!);
  const ci = argv.indexOf('--count');
  const count = ci >= 0 ? Number(argv[ci + 1]) : 50_000;
  if (argv[0] === '--generate') {
    // Leaves the two files in a directory, for profiling one reader by hand.
    generate(join(argv[1]!, 'orders.x12'), 'x12', count);
    generate(join(argv[1]!, 'orders.edifact'), 'edifact', count);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'edi-bench-'));
  try {
    const x12 = join(dir, 'orders.x12');
    const edifact = join(dir, 'orders.edifact');
    generate(x12, 'x12', count);
    generate(edifact, 'edifact', count);
    const rows: [string, string, number, Measure][] = [
      ['X12 850', 'aiguillage (streaming)', statSync(x12).size, runChild('ours', 'x12', x12, null)],
      ['X12 850', 'node-x12 parse()', statSync(x12).size, runChild('node-x12', 'x12', x12, 8192)],
      ['EDIFACT ORDERS', 'aiguillage (streaming)', statSync(edifact).size, runChild('ours', 'edifact', edifact, null)],
    ];
    const idle = runChild('idle', 'x12', x12, null);
    const mb = (b: number): string => (b / 1e6).toFixed(1);
    console.log(`EDI reader benchmark — ${count.toLocaleString('en')} transactions per file, node ${process.version}, one child process per run`);
    // Wall time depends on what else runs on the machine; CPU time is the reader's own work.
    console.log(['file', 'reader', 'size MB', 'wall s', 'MB/s wall', 'MB/s CPU', 'transactions/s CPU', 'peak RSS MB', 'read', 'note'].join(' | '));
    for (const [f, reader, size, m] of rows) {
      if (!m.ok) console.log([f, reader, mb(size), '—', '—', '—', '—', '—', '0', `FAILED: ${m.note}`].join(' | '));
      else
        console.log(
          [f, reader, mb(size), m.seconds.toFixed(2), (size / 1e6 / m.seconds).toFixed(1), (size / 1e6 / m.cpuSeconds).toFixed(1), Math.round(m.transactions / m.cpuSeconds).toLocaleString('en'), m.peakRssMb.toFixed(0), String(m.transactions), m.note ?? ''].join(' | '),
        );
    }
    console.log(`idle child (node ${process.version} + tsx loader, reads nothing): peak RSS ${idle.peakRssMb.toFixed(0)} MB`);
    console.log('EDIFACT baseline: none (no sound npm EDIFACT reader; node-x12 reads X12 only).');
    const ours = rows[0]![3];
    const base = rows[1]![3];
    if (ours.ok && base.ok)
      console.log(
        `X12 throughput: ${(base.seconds / ours.seconds).toFixed(1)}× node-x12 by wall time, ${(base.cpuSeconds / ours.cpuSeconds).toFixed(1)}× by CPU time (target ≥ 5×); peak RSS ${ours.peakRssMb.toFixed(0)} MB vs ${base.peakRssMb.toFixed(0)} MB (target ≤ 150 MB)`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
