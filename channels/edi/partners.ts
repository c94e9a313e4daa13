// Trading partners (YAML): who may send us EDI, how they identify themselves in the envelope,
// what they want acknowledged, where their files arrive. Errors name the file, line and field.
import { createHash, scrypt, scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { z } from 'zod';
import type { PartnerAckPolicy } from '../../parsers/edi/interchange';

const x12Qualifier = z.string().regex(/^[0-9A-Z]{2}$/, 'expected a 2-character ISA05/ISA07 qualifier such as ZZ, 01, 12 or 14');
const apiKeyHash = z
  .string()
  .regex(/^(sha256:[0-9a-f]{64}|scrypt:[0-9a-f]{32}:[0-9a-f]{64})$/, 'expected "sha256:<64 hex>" or "scrypt:<salt 32 hex>:<hash 64 hex>" (make one with hashApiKey); never the key itself');

export const partnerSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case identifier used in the URL, e.g. brico-centre'),
    name: z.string().min(1),
    /** The customer in customers.csv this partner orders for. */
    customer: z.string().regex(/^C\d{3,}$/, 'expected a customer id from customers.csv, e.g. C002'),
    standard: z.enum(['x12', 'edifact']),
    /** X12: 004010, 005010 · EDIFACT: D96A, D01B… */
    version: z.string().min(1),
    x12: z.object({ qualifier: x12Qualifier, id: z.string().min(1).max(15) }).strict().nullish(),
    edifact: z.object({ id: z.string().min(1).max(35), qualifier: z.string().max(4).nullish() }).strict().nullish(),
    acknowledge: z
      .object({
        functional: z.boolean().default(true),
        ta1: z.enum(['always', 'requested', 'never']).default('requested'),
        contrl: z.enum(['receipt', 'detail']).default('detail'),
        confirmation: z.boolean().default(false),
      })
      .strict()
      .default({ functional: true, ta1: 'requested', contrl: 'detail', confirmation: false }),
    transport: z
      .object({
        http: z.object({ apiKeyHash, maxBytes: z.number().int().positive().default(10 * 1024 * 1024) }).strict().nullish(),
        folder: z.object({ inbox: z.string().min(1), outbox: z.string().min(1) }).strict().nullish(),
      })
      .strict(),
    test: z.boolean().default(false),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.standard === 'x12' && !p.x12) ctx.addIssue({ code: 'custom', path: ['x12'], message: 'an X12 partner needs x12: { qualifier, id } (its ISA05/ISA06)' });
    if (p.standard === 'edifact' && !p.edifact) ctx.addIssue({ code: 'custom', path: ['edifact'], message: 'an EDIFACT partner needs edifact: { id } (its UNB sender, usually a GLN)' });
    if (!p.transport.http && !p.transport.folder) ctx.addIssue({ code: 'custom', path: ['transport'], message: 'give at least one transport: http or folder' });
  });

export type Partner = z.infer<typeof partnerSchema> & PartnerAckPolicy;

const fileSchema = z.object({ partners: z.array(partnerSchema) }).strict();

export class InvalidPartners extends Error {
  readonly code = 'INVALID_PARTNERS';
  constructor(
    readonly file: string,
    readonly issues: { line: number | null; field: string; message: string }[],
  ) {
    super(`${file}: ${issues.map((i) => `${i.line !== null ? `line ${i.line}, ` : ''}${i.field}: ${i.message}`).join('; ')}`);
  }
}

function lineOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: (string | number)[]): number | null {
  // The deepest node that exists on the path: a missing field is reported where its parent is.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && (isMap(node) || isSeq(node) || 'range' in node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return null;
}

/** Parses partners YAML; throws InvalidPartners naming line and field of every problem. */
export function parsePartners(text: string, file = 'partners.yaml'): Partner[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    throw new InvalidPartners(file, doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? null, field: '(yaml)', message: e.message.split('\n')[0]! })));
  }
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new InvalidPartners(
      file,
      parsed.error.issues.map((i) => ({ line: lineOf(doc, lc, i.path as (string | number)[]), field: i.path.join('.') || '(root)', message: i.message })),
    );
  }
  const partners = parsed.data.partners as Partner[];
  const seen = new Map<string, number>();
  const dupes: { line: number | null; field: string; message: string }[] = [];
  partners.forEach((p, i) => {
    for (const key of [`id ${p.id}`, p.x12 ? `x12 ${p.x12.qualifier}:${p.x12.id}` : '', p.edifact ? `edifact ${p.edifact.id}` : ''].filter(Boolean)) {
      const first = seen.get(key);
      if (first !== undefined) dupes.push({ line: lineOf(doc, lc, ['partners', i]), field: `partners.${i}`, message: `${key} is already used by partners.${first}` });
      else seen.set(key, i);
    }
  });
  if (dupes.length) throw new InvalidPartners(file, dupes);
  return partners;
}

export function loadPartners(file: string): Partner[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidPartners(file, [{ line: null, field: '(file)', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }]);
  }
  return parsePartners(text, file);
}

/** A stored form of an API key: scrypt with a random salt (sha256 is accepted for keys that are long random tokens). */
export function hashApiKey(key: string, salt: Buffer = randomBytes(16)): string {
  return `scrypt:${salt.toString('hex')}:${scryptSync(key, salt, 32).toString('hex')}`;
}

/** A presented key longer than this is wrong without hashing it. */
const MAX_KEY_LENGTH = 1024;

/**
 * Checks a presented key against the stored hash in constant time (no early exit on the first
 * differing byte). scrypt runs on libuv's thread pool, never on the event loop.
 */
export async function verifyApiKey(presented: string, stored: string): Promise<boolean> {
  let expected: Buffer;
  let actual: Buffer;
  if (presented.length > MAX_KEY_LENGTH) return false;
  if (stored.startsWith('scrypt:')) {
    const [, salt, hash] = stored.split(':');
    if (!salt || !hash) return false;
    expected = Buffer.from(hash, 'hex');
    actual = await new Promise<Buffer>((res, rej) => scrypt(presented, Buffer.from(salt, 'hex'), 32, (err, key) => (err ? rej(err) : res(key))));
  } else if (stored.startsWith('sha256:')) {
    expected = Buffer.from(stored.slice(7), 'hex');
    actual = createHash('sha256').update(presented, 'utf8').digest();
  } else return false;
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The partner an interchange comes from, by its envelope sender. */
export function partnerBySender(partners: Partner[], standard: 'x12' | 'edifact', sender: { qualifier: string; id: string }): Partner | undefined {
  return standard === 'x12'
    ? partners.find((p) => p.x12 && p.x12.id.toUpperCase() === sender.id.trim().toUpperCase() && p.x12.qualifier === sender.qualifier)
    : partners.find((p) => p.edifact && p.edifact.id === sender.id.trim() && (!p.edifact.qualifier || p.edifact.qualifier === sender.qualifier));
}
