// config/erp.yaml: which connector creates the sales orders, checked at start-up. Each mistake is
// reported with its file, line and field (the routing rules' YAML reader), and nothing starts on a
// file that does not hold.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { YamlSource } from '../routing-rules/yaml-source';

const tryton = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8000'),
  database: z.string().min(1).default('aiguillage'),
  user: z.string().min(1).default('admin'),
  /** Relative to the data folder; the demo database's admin password is made there by scripts/tryton. */
  passwordFile: z.string().min(1).default('tryton/admin.password'),
  /** `aiguillage start` runs trytond itself, with its database in the data folder. */
  managed: z.boolean().default(true),
});
const outbox = z.string().min(1).default('erp-outbox');
const schema = z.discriminatedUnion('connector', [
  z.strictObject({ connector: z.literal('none') }),
  z.strictObject({ connector: z.literal('tryton'), tryton: tryton.default(tryton.parse({})) }),
  z.strictObject({ connector: z.literal('idoc'), outbox, sender: z.string().min(1).max(10).default('AIGUILLAGE'), receiver: z.string().min(1).max(10).default('SAPERP') }),
  z.strictObject({ connector: z.literal('json'), outbox }),
  z.strictObject({
    connector: z.literal('webhook'),
    outbox,
    webhook: z.strictObject({ url: z.url({ protocol: /^https?$/ }), secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name, e.g. AIGUILLAGE_ERP_WEBHOOK_SECRET') }),
  }),
]);
export type ErpConfig = z.infer<typeof schema>;

export class InvalidErpConfig extends Error {
  constructor(
    readonly file: string,
    readonly errors: { line: number; field: string; message: string }[],
  ) {
    super(`${file}: ${errors.length} error(s) in the ERP configuration:\n${errors.map((e) => `  ${file}:${e.line}: ${e.field}: ${e.message}`).join('\n')}`);
    this.name = 'InvalidErpConfig';
  }
}

export function parseErpConfig(file: string, text: string): ErpConfig {
  const src = new YamlSource(file, text);
  if (src.errors.length) throw new InvalidErpConfig(file, src.errors.map((e) => ({ line: e.line, field: '(yaml)', message: e.message })));
  const r = schema.safeParse(src.value() ?? {});
  if (!r.success) {
    throw new InvalidErpConfig(
      file,
      r.error.issues.map((iss) => {
        const path = iss.path.filter((p): p is string | number => typeof p !== 'symbol');
        const field = path.join('.') || 'connector';
        const key = iss.code === 'unrecognized_keys' ? iss.keys[0] : undefined;
        return { line: src.position(path, key).line, field: key ? [...path, key].join('.') : field, message: iss.message };
      }),
    );
  }
  return r.data;
}

export function loadErpConfig(file: string): ErpConfig {
  return parseErpConfig(file, readFileSync(file, 'utf8'));
}

export const inDataDir = (dataDir: string, p: string): string => (isAbsolute(p) ? p : join(dataDir, p));
