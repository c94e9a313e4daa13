// Configuration from the environment, with defaults that run the whole stack on one machine.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  root: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** TLS / API key for a Temporal cluster or Temporal Cloud; none for the local dev server. */
  temporalTls: { certPath?: string; keyPath?: string; serverName?: string } | null;
  temporalApiKey: string | null;
  dataDir: string;
  masterDataDir: string;
  rulesDir: string;
  inboxDir: string;
  /** Mailboxes the email channel listens to (YAML, see config/mailboxes.example.yaml); none when unset. */
  mailboxesFile: string | null;
  httpHost: string;
  httpPort: number;
  temporalUiPort: number;
  retentionDays: number;
  /** The SLA rule's settings ("saisi avant 17h"); unset fields take DESIGN.md's defaults. */
  sla: { receiptCutoff?: string; entryDeadline?: string; atRiskMinutes?: number; closingDays?: string[] };
  slaWebhook: string | null;
  /** Where team leads' alert e-mails go out: smtp://, smtps:// (user:password@ allowed) or lmtp://; null: not mailed, logged. */
  smtpUrl: string | null;
  /** The From of alert e-mails. */
  alertFrom: string;
  /** The workspace's address as people reach it (links in alert e-mails); null: no link. */
  publicUrl: string | null;
  /** The machine API's bearer token (AIGUILLAGE_API_TOKEN); null: the one kept in <data>/api-token (worker/api-token.ts). */
  apiToken: string | null;
  /** EDI trading partners (YAML, see channels/edi/partners.example.yaml); null: no EDI endpoint, folders or confirmations. */
  partnersFile: string | null;
  /** Workspace users (YAML, see config/users.example.yaml); null: nobody can sign in until one is made. */
  usersFile: string | null;
  /** fastify's trustProxy (AIGUILLAGE_TRUST_PROXY): the TLS proxy in front, as addresses/CIDRs, a hop count or true. */
  trustProxy: boolean | number | string | null;
  /** HTTPS served by Aiguillage itself (AIGUILLAGE_TLS_CERT, AIGUILLAGE_TLS_KEY: PEM files). */
  httpTls: { certPath: string; keyPath: string } | null;
  /** Which ERP connector creates sales orders (YAML, see config/erp.example.yaml); null: none, manual entry only. */
  erpFile: string | null;
}

export const ROOT = resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = ROOT;
  const tlsCert = env.TEMPORAL_TLS_CERT;
  return {
    root,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.AIGUILLAGE_TASK_QUEUE ?? 'aiguillage',
    temporalTls: tlsCert || env.TEMPORAL_TLS === 'true' ? { certPath: tlsCert, keyPath: env.TEMPORAL_TLS_KEY, serverName: env.TEMPORAL_TLS_SERVER_NAME } : null,
    temporalApiKey: env.TEMPORAL_API_KEY ?? null,
    dataDir: resolve(root, env.AIGUILLAGE_DATA ?? '.data'),
    masterDataDir: resolve(root, env.AIGUILLAGE_MASTERDATA ?? 'fixtures/masterdata'),
    rulesDir: resolve(root, env.AIGUILLAGE_RULES ?? 'routing-rules/examples'),
    inboxDir: resolve(root, env.AIGUILLAGE_INBOX ?? 'inbox'),
    mailboxesFile: env.AIGUILLAGE_MAILBOXES ? resolve(env.AIGUILLAGE_MAILBOXES) : null,
    httpHost: env.AIGUILLAGE_HTTP_HOST ?? '127.0.0.1',
    httpPort: Number(env.AIGUILLAGE_HTTP_PORT ?? 3700),
    temporalUiPort: Number(env.TEMPORAL_UI_PORT ?? 8233),
    retentionDays: Number(env.AIGUILLAGE_RETENTION_DAYS ?? 30),
    sla: {
      ...(env.AIGUILLAGE_SLA_CUTOFF ? { receiptCutoff: env.AIGUILLAGE_SLA_CUTOFF } : {}),
      ...(env.AIGUILLAGE_SLA_DEADLINE ? { entryDeadline: env.AIGUILLAGE_SLA_DEADLINE } : {}),
      ...(env.AIGUILLAGE_SLA_AT_RISK_MINUTES ? { atRiskMinutes: Number(env.AIGUILLAGE_SLA_AT_RISK_MINUTES) } : {}),
      ...(env.AIGUILLAGE_CLOSING_DAYS ? { closingDays: env.AIGUILLAGE_CLOSING_DAYS.split(',').map((d) => d.trim()).filter(Boolean) } : {}),
    },
    slaWebhook: env.AIGUILLAGE_SLA_WEBHOOK ?? null,
    smtpUrl: env.AIGUILLAGE_SMTP_URL || null,
    alertFrom: env.AIGUILLAGE_ALERT_FROM ?? 'Aiguillage <aiguillage@localhost>',
    publicUrl: env.AIGUILLAGE_PUBLIC_URL || null,
    apiToken: env.AIGUILLAGE_API_TOKEN || null,
    // The examples (whose keys and passwords the README prints) are used by `start --samples` only.
    partnersFile: ownFile(root, env.AIGUILLAGE_PARTNERS, 'config/partners.yaml'),
    usersFile: ownFile(root, env.AIGUILLAGE_USERS, 'config/users.yaml'),
    trustProxy: trustProxyOf(env.AIGUILLAGE_TRUST_PROXY),
    httpTls: env.AIGUILLAGE_TLS_CERT && env.AIGUILLAGE_TLS_KEY ? { certPath: resolve(root, env.AIGUILLAGE_TLS_CERT), keyPath: resolve(root, env.AIGUILLAGE_TLS_KEY) } : null,
    erpFile: ownFile(root, env.AIGUILLAGE_ERP, 'config/erp.yaml'),
  };
}

/** The variable's file when set (empty: none), else our own file when it exists, else none. */
function ownFile(root: string, fromEnv: string | undefined, own: string): string | null {
  if (fromEnv !== undefined) return fromEnv === '' ? null : resolve(root, fromEnv);
  return existsSync(join(root, own)) ? join(root, own) : null;
}

function trustProxyOf(v: string | undefined): Config['trustProxy'] {
  if (!v || v === 'false') return null;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/**
 * Why the HTTP server must not listen where it is configured to, or null. Beyond loopback, the API
 * needs a token chosen on purpose and the traffic HTTPS, served here or by a proxy we are told of.
 */
export function exposureProblem(cfg: Pick<Config, 'httpHost' | 'apiToken' | 'trustProxy' | 'httpTls'>): string | null {
  if (LOOPBACK.has(cfg.httpHost) || cfg.httpHost.startsWith('127.')) return null;
  if (cfg.apiToken && (cfg.httpTls || cfg.trustProxy !== null)) return null;
  const missing = [!cfg.apiToken && 'AIGUILLAGE_API_TOKEN (32+ random characters)', !cfg.httpTls && cfg.trustProxy === null && 'AIGUILLAGE_TLS_CERT + AIGUILLAGE_TLS_KEY (HTTPS here) or AIGUILLAGE_TRUST_PROXY (the TLS proxy in front)'].filter(Boolean);
  return `refusing to listen on ${cfg.httpHost} beyond this machine: set ${missing.join(' and ')}, or set AIGUILLAGE_HTTP_HOST=127.0.0.1`;
}
