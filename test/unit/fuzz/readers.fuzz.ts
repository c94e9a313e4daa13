// Hostile inputs for every reader, shared by the fuzz tests (npm test, bounded runs) and the longer
// run of bench/fuzz.ts: binary noise, truncation and mutation of real fixtures, very long lines and
// deep nesting. A reader must give a result or a typed problem (an error carrying a code), never an
// untyped exception, and never hang (the caller bounds the time).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { loadMasterData } from '../../../storage/masterdata-source';
import { documentResultSchema, type DocumentMeta } from '../../../domain/order';
import { parseEdi } from '../../../parsers/edi/index';
import { parseEmail } from '../../../parsers/email/index';
import { htmlToText } from '../../../parsers/email/html';
import { parseTextDocument } from '../../../parsers/text/document';
import { readPdfPages } from '../../../parsers/pdf/read';
import { readOrder } from '../../../parsers/layout/order';
import { readTiffPages } from '../../../parsers/ocr/tiff';
import { compileRuleSet } from '../../../routing-rules/compile';
import type { ParseContext, ParseOutput } from '../../../parsers/types';

const md = loadMasterData('fixtures/masterdata');
const MB = 1024 * 1024;

function meta(fileName: string): DocumentMeta {
  return { sha256: '0'.repeat(64), fileName, mediaType: 'application/octet-stream', channel: 'folder', receivedAt: '2026-11-23T08:15:00.000Z', context: {} };
}

/** Nested documents are not this test's subject: an attachment reads as an empty result. */
function ctx(fileName: string): ParseContext {
  return {
    meta: meta(fileName),
    masterData: md,
    depth: 0,
    extractNested: async (_b, name) => documentResultSchema.parse({ document: meta(name), orders: [], problems: [] }),
  };
}

/** True for what a reader may throw: an Error with a string code (TiffError, PdfError, InvalidRules…). */
export function isTyped(e: unknown): boolean {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

const file = (p: string) => readFileSync(p);

/** Real inputs to start from. */
const FIXTURES = {
  x12: [file('fixtures/samples/brico-centre-850-004010.edi')],
  edifact: [file('fixtures/samples/castel-orders-d96a-unoc-latin1.edi')],
  email: ['01-liste-texte-dupont', '02-outlook-html-martin', '03-tableau-aligne-latin1-lefevre', '04-reponse-citation-moreau', '05-transfert-commercial-girard', '13-english-weber', '17-html-seul-hcc'].map((n) => file(`fixtures/email/${n}.eml`)),
  pdf: ['classic-1000', 'erp-2000', 'public-3000', 'as400-4000', 'english-5000', 'columnwise-6000'].map((n) => file(`fixtures/pdf/${n}.pdf`)),
  tiff: [file('fixtures/fax/dupont-fine.tif')],
  rules: ['rules.yaml', 'teams.yaml'].map((n) => file(`routing-rules/examples/${n}`)),
};

/** Byte-level mutations of a valid input: flips, deletions, insertions, a repeated slice. */
function mutated(base: Buffer): fc.Arbitrary<Buffer> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 2, max: 2000 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let b = Buffer.from(base);
    for (const e of edits) {
      const at = b.length ? e.at % b.length : 0;
      if (e.kind === 'flip' && b.length) b[at] = e.byte;
      else if (e.kind === 'cut') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.len)]);
      else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes), b.subarray(at)]);
      else if (e.kind === 'repeat') {
        const slice = b.subarray(at, at + e.len);
        const times = Math.min(e.times, Math.floor(MB / Math.max(1, slice.length)));
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(slice.length * times, slice), b.subarray(at)]);
      }
    }
    return b.subarray(0, MB);
  });
}

/** One very long line (up to 1 MB) of a character class, spliced into a valid input. */
function longLine(base: Buffer): fc.Arbitrary<Buffer> {
  const chars = fc.constantFrom(' ', '\t', 'a', '1', '<', '<!--', '>', ':', '*', '~', "'", '+', '@', '.', '-', '\r', '\n', '> ', 'é', '\u00a0');
  return fc.tuple(fc.nat(), chars, fc.integer({ min: 1_000, max: 250_000 })).map(([at, c, n]) => {
    const i = base.length ? at % base.length : 0;
    return Buffer.concat([base.subarray(0, i), Buffer.from(c.repeat(n)).subarray(0, MB), base.subarray(i)]).subarray(0, MB);
  });
}

const truncated = (base: Buffer) => fc.nat({ max: base.length }).map((n) => base.subarray(0, n));
const noise = fc.uint8Array({ maxLength: 64 * 1024 }).map((u) => Buffer.from(u));

/** All the hostile inputs built from these fixtures. */
export function hostile(bases: Buffer[], nesting: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  const base = fc.constantFrom(...bases);
  return fc.oneof(
    noise,
    base.chain(truncated),
    base.chain(mutated),
    base.chain(longLine),
    nesting,
  );
}

const depth = fc.integer({ min: 10, max: 5_000 });

/** Deep nesting in each format's own terms. */
const NESTING = {
  x12: depth.map((n) => Buffer.from(`ISA*00*          *00*          *ZZ*BRICOCENTRE    *ZZ*FIXATIONSRA    *261123*0815*U*00401*000000001*0*P*>~GS*PO*A*B*20261123*0815*1*X*004010~ST*850*0001~${'HL*1**S~'.repeat(n)}SE*2*0001~GE*1*1~IEA*1*000000001~`)),
  edifact: depth.map((n) => Buffer.from(`UNA:+.? 'UNB+UNOC:3+1:14+2:14+261123:0815+1'UNH+1+ORDERS:D:96A:UN'${"GRP+1+?+?+?:'".repeat(n)}UNT+2+1'UNZ+1+1'`)),
  email: depth.map((n) => {
    let body = 'Content-Type: text/plain\r\n\r\nCommande n° 4512 : 12 x VIS-440\r\n';
    for (let i = 0; i < Math.min(n, 400); i++) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
    return Buffer.from(`From: a@dupont-quincaillerie.fr\r\nSubject: Commande\r\nMIME-Version: 1.0\r\n${body}`);
  }),
  html: depth.map((n) => Buffer.from(`${'<table><tr><td><blockquote><pre>'.repeat(n)}VIS-440 12${'</pre></blockquote></td></tr></table>'.repeat(n)}`)),
  text: depth.map((n) => Buffer.from(`${'> '.repeat(n)}Commande n° 4512\n${'- '.repeat(n)}12 x VIS-440\n`)),
  pdf: depth.map((n) => Buffer.from(`%PDF-1.4\n1 0 obj\n${'<< /A '.repeat(n)}${' >>'.repeat(n)}\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF`)),
  tiff: depth.map((n) => {
    // A chain of n directories, each pointing to the next.
    const b = Buffer.alloc(8 + n * 18);
    b.write('II*\0', 0, 'latin1');
    b.writeUInt32LE(8, 4);
    for (let i = 0; i < n; i++) {
      const at = 8 + i * 18;
      b.writeUInt16LE(1, at);
      b.writeUInt16LE(256, at + 2);
      b.writeUInt16LE(3, at + 4);
      b.writeUInt32LE(1, at + 6);
      b.writeUInt32LE(100, at + 10);
      b.writeUInt32LE(i + 1 < n ? at + 18 : 0, at + 14);
    }
    return b;
  }),
  rules: depth.map((n) => Buffer.from(`rules:\n  - id: r\n    when: ${'{ not: '.repeat(Math.min(n, 1000))}{ country: FR }${' }'.repeat(Math.min(n, 1000))}\n    team: t\n${'x: ['.repeat(Math.min(n, 1000))}${']'.repeat(Math.min(n, 1000))}\n`)),
};

export interface FuzzReader {
  name: string;
  input: fc.Arbitrary<Buffer>;
  /** Resolves when the reader gave a result or a typed problem; rejects otherwise. */
  read(b: Buffer): Promise<void>;
}

function checkOutput(out: ParseOutput): void {
  if (!Array.isArray(out.drafts) || !Array.isArray(out.problems)) throw new Error('reader returned no drafts/problems arrays');
  for (const p of out.problems) if (typeof p.code !== 'string' || typeof p.message !== 'string') throw new Error(`untyped problem ${JSON.stringify(p)}`);
}

async function typedOnly(f: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!isTyped(e)) throw e;
  }
}

export const READERS: FuzzReader[] = [
  { name: 'EDI X12', input: hostile(FIXTURES.x12, NESTING.x12), read: async (b) => checkOutput(await parseEdi(b, ctx('po.edi'))) },
  { name: 'EDIFACT', input: hostile(FIXTURES.edifact, NESTING.edifact), read: async (b) => checkOutput(await parseEdi(b, ctx('orders.edi'))) },
  { name: 'MIME email', input: hostile(FIXTURES.email, NESTING.email), read: async (b) => checkOutput(await parseEmail(b, ctx('message.eml'))) },
  {
    name: 'HTML',
    input: hostile([Buffer.from('<html><body><table><tr><td>VIS-440</td><td>12</td></tr></table><!-- x --><p>Commande 4512</p></body></html>')], NESTING.html),
    read: async (b) => {
      if (typeof htmlToText(b.toString('utf8')) !== 'string') throw new Error('htmlToText returned no text');
    },
  },
  { name: 'text', input: hostile([Buffer.from('Bonjour,\nCommande n° 4512 du 23/11/2026\nLivrer à :\nQuincaillerie Dupont\n12 rue des Forges\n69007 Lyon\n- 12 x VIS-440 vis inox\n- 5 CHV-6\n')], NESTING.text), read: async (b) => checkOutput(await parseTextDocument(b, ctx('order.txt'))) },
  {
    name: 'PDF structure',
    input: hostile(FIXTURES.pdf, NESTING.pdf),
    // As parsePdf reads a text PDF: pages under the work budget, then rows rebuilt from positions.
    read: (b) =>
      typedOnly(async () => {
        const pages = await readPdfPages(b);
        const text = pages.filter((p) => !p.imageOnly && p.textItems > 0);
        if (text.length) readOrder(text, md, { parser: 'pdf-text', location: 'fuzz.pdf' });
      }),
  },
  { name: 'TIFF directory', input: hostile(FIXTURES.tiff, NESTING.tiff), read: (b) => typedOnly(() => readTiffPages(b)) },
  { name: 'routing rules', input: hostile(FIXTURES.rules, NESTING.rules), read: (b) => typedOnly(() => compileRuleSet([{ name: 'rules.yaml', text: b.toString('utf8') }], 'fuzz')) },
];

/** The slowest input of a run: the target is 2 s for any input of up to 1 MB. */
export interface Slowest {
  ms: number;
  /** Processor time of this process (all threads) for that input: on a loaded machine, wall time stretches, this does not. */
  cpuMs: number;
  bytes: number;
  start: string;
}

/** Runs one reader's property; a failure says the seed and path to replay, and a short view of the input. */
export async function fuzz(r: FuzzReader, numRuns: number, seed: number): Promise<{ runs: number; failure: string | null; slowest: Slowest }> {
  const slowest: Slowest = { ms: 0, cpuMs: 0, bytes: 0, start: '' };
  const timed = async (b: Buffer) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    try {
      await r.read(b);
    } finally {
      const ms = performance.now() - t;
      const c = process.cpuUsage(cpu);
      if (ms > slowest.ms) Object.assign(slowest, { ms, cpuMs: (c.user + c.system) / 1000, bytes: b.length, start: JSON.stringify(b.subarray(0, 60).toString('latin1')) });
    }
  };
  const out = await fc.check(fc.asyncProperty(r.input, timed), { numRuns, seed, endOnFailure: true });
  if (!out.failed) return { runs: out.numRuns, failure: null, slowest };
  const input = out.counterexample?.[0];
  const view = input ? `${input.length} bytes starting ${JSON.stringify(input.subarray(0, 120).toString('latin1'))}` : '?';
  const error = out.errorInstance instanceof Error ? `${out.errorInstance.name}: ${out.errorInstance.message}` : String(out.errorInstance);
  return { runs: out.numRuns, failure: `${r.name} failed after ${out.numRuns} run(s) — replay with seed ${out.seed}, path "${out.counterexamplePath}": ${error.slice(0, 400)}; input ${view}`, slowest };
}
