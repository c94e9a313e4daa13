// The mailboxes to listen to, from a YAML file (config/mailboxes.example.yaml). Passwords never sit
// in the file: each mailbox names the environment variable that holds its secret.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readYaml } from '../../routing-rules/yaml-source';
import { z } from 'zod';

export class InvalidMailboxConfig extends Error {
  readonly code = 'INVALID_MAILBOX_CONFIG';
}

const mailboxSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'letters, digits, dot, dash or underscore'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    /** implicit: TLS from the first byte (993) · starttls: upgrade required (143) · none: loopback only. */
    tls: z.enum(['implicit', 'starttls', 'none']).default('implicit'),
    user: z.string().min(1),
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as AIGUILLAGE_IMAP_PASSWORD'),
    /** A PEM file to trust (a private CA or a self-signed server), relative to the config file. */
    caFile: z.string().optional(),
    servername: z.string().optional(),
    inbox: z.string().default('INBOX'),
    processed: z.string().default('Processed'),
    quarantine: z.string().default('Quarantine'),
    /** Larger messages are quarantined rather than read into memory. */
    maxMessageBytes: z.number().int().positive().default(40 * 1024 * 1024),
    /** A safety net beside IDLE: NOOP and search at least this often. */
    pollSeconds: z.number().positive().default(60),
  })
  .strict()
  .refine((m) => m.tls !== 'none' || ['127.0.0.1', 'localhost', '::1'].includes(m.host), { message: 'tls: none is only allowed for a mail server on this machine', path: ['tls'] });

const fileSchema = z.object({ mailboxes: z.array(mailboxSchema) }).strict();

export type MailboxSettings = z.output<typeof mailboxSchema>;

export interface MailboxConfig extends Omit<MailboxSettings, 'port' | 'caFile' | 'passwordEnv'> {
  port: number;
  password: string;
  /** PEM text, already read. */
  ca: string | null;
}

/** Reads and checks the file; the error names the file, the mailbox and the field at fault. */
export function loadMailboxes(path: string, env: NodeJS.ProcessEnv = process.env): MailboxConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidMailboxConfig(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseMailboxes(text, path, env);
}

export function parseMailboxes(text: string, path: string, env: NodeJS.ProcessEnv = process.env): MailboxConfig[] {
  const read = readYaml(text);
  if (read.error) throw new InvalidMailboxConfig(`${path}:${read.error.line}: not valid YAML (${read.error.message})`);
  const raw = read.value;
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidMailboxConfig(`${path}: ${describePath(raw, issue.path)}: ${issue.message}`);
  }
  const names = new Set<string>();
  return parsed.data.mailboxes.map((m) => {
    if (names.has(m.name)) throw new InvalidMailboxConfig(`${path}: mailbox "${m.name}" is configured twice`);
    names.add(m.name);
    const password = env[m.passwordEnv];
    if (!password) throw new InvalidMailboxConfig(`${path}: mailbox "${m.name}": the environment variable ${m.passwordEnv} (its password) is not set`);
    let ca: string | null = null;
    if (m.caFile) {
      const caPath = resolve(dirname(path), m.caFile);
      try {
        ca = readFileSync(caPath, 'utf8');
      } catch {
        throw new InvalidMailboxConfig(`${path}: mailbox "${m.name}": caFile ${caPath} cannot be read`);
      }
    }
    const { caFile: _caFile, passwordEnv: _passwordEnv, ...rest } = m;
    return { ...rest, port: m.port ?? (m.tls === 'implicit' ? 993 : 143), password, ca };
  });
}

/** `mailboxes[1].port` reads better as `mailbox "adv" › port`. */
function describePath(raw: unknown, path: PropertyKey[]): string {
  if (path[0] === 'mailboxes' && typeof path[1] === 'number') {
    const entry = (raw as { mailboxes?: { name?: unknown }[] }).mailboxes?.[path[1]];
    const label = typeof entry?.name === 'string' ? `mailbox "${entry.name}"` : `mailboxes[${path[1]}]`;
    return [label, ...path.slice(2).map(String)].join(' › ');
  }
  return path.map(String).join(' › ') || 'top level';
}

/** What may be logged about a mailbox's server: never the password, nor the variable's value. */
export function describeMailbox(m: MailboxConfig): { host: string; port: number; tls: string; user: string } {
  return { host: m.host, port: m.port, tls: m.tls, user: m.user };
}
