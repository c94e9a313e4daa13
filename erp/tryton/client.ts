// A Tryton JSON-RPC client: POST /<database>/rpc/ with {method, params, id}; `common.db.login` gives
// a session, sent back as `Authorization: Session base64(login:userId:session)`. Every call is bounded
// in time and in the size of the answer.
import { ErpUnavailable } from '../connector';

export interface TrytonClientOptions {
  /** The server's address, e.g. http://127.0.0.1:8000 */
  url: string;
  database: string;
  user: string;
  password: () => string;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** An error Tryton itself raised: a UserError or a UserWarning is a business refusal, with its message. */
export class TrytonError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    /** A UserWarning's key, e.g. `<hash>.credit_limit_amount`. */
    readonly warning: string | null = null,
  ) {
    super(message);
    this.name = 'TrytonError';
  }
  get isUserError(): boolean {
    return this.kind === 'UserError' || this.kind === 'UserWarning';
  }
}

/** Tryton's JSON encodes Decimal and dates as tagged objects. */
export const decimal = (v: number | string): { __class__: 'Decimal'; decimal: string } => ({ __class__: 'Decimal', decimal: String(v) });
export function date(iso: string): { __class__: 'date'; year: number; month: number; day: number } {
  const [y, m, d] = iso.split('-').map(Number);
  return { __class__: 'date', year: y!, month: m!, day: d! };
}
/** Back from the wire: Decimals become numbers, dates ISO strings. */
export function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.__class__ === 'Decimal') return Number(o.decimal);
    if (o.__class__ === 'date') return `${String(o.year).padStart(4, '0')}-${String(o.month).padStart(2, '0')}-${String(o.day).padStart(2, '0')}`;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

export class TrytonClient {
  private session: string | null = null;
  private nextId = 1;
  private readonly endpoint: string;

  constructor(private readonly opts: TrytonClientOptions) {
    let base = opts.url;
    while (base.endsWith('/')) base = base.slice(0, -1);
    this.endpoint = `${base}/${encodeURIComponent(opts.database)}/rpc/`;
  }

  private async post(method: string, params: unknown[], auth: string | null): Promise<{ status: number; body: unknown }> {
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Session ${auth}` } : {}) },
        body: JSON.stringify({ method, params, id: this.nextId++ }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (e) {
      throw new ErpUnavailable(`Tryton at ${this.opts.url} did not answer ${method}: ${(e as Error).message}`);
    }
    const max = this.opts.maxResponseBytes ?? 8 * 1024 * 1024;
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > max) throw new ErpUnavailable(`Tryton's answer to ${method} is ${declared} bytes, over the ${max}-byte limit`);
    const text = await res.text();
    if (text.length > max) throw new ErpUnavailable(`Tryton's answer to ${method} is over the ${max}-byte limit`);
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: an HTTP error page; the status says what happened.
    }
    return { status: res.status, body };
  }

  async login(): Promise<void> {
    const { status, body } = await this.post('common.db.login', [this.opts.user, { password: this.opts.password() }, 'fr'], null);
    const result = (body as { result?: unknown } | null)?.result;
    if (status !== 200 || !Array.isArray(result)) {
      const why = status === 401 || status === 403 ? 'wrong user or password' : status === 404 ? `no database ${this.opts.database}` : `HTTP ${status}`;
      throw new ErpUnavailable(`Tryton at ${this.opts.url} refused the login of ${this.opts.user} to ${this.opts.database}: ${why}`);
    }
    this.session = Buffer.from(`${this.opts.user}:${String(result[0])}:${String(result[1])}`).toString('base64');
  }

  /** Calls `method` with `params`; logs in first, and again once if the session expired. */
  async call<T = unknown>(method: string, params: unknown[]): Promise<T> {
    if (!this.session) await this.login();
    let r = await this.post(method, params, this.session);
    if (r.status === 401 || r.status === 403) {
      await this.login();
      r = await this.post(method, params, this.session);
    }
    const body = r.body as { result?: unknown; error?: unknown } | null;
    if (body && 'error' in body && body.error) throw trytonError(body.error);
    if (r.status !== 200 || !body || !('result' in body)) throw new ErpUnavailable(`Tryton answered ${method} with HTTP ${r.status}`);
    return revive(body.result) as T;
  }

  /** model.<model>.<method>(…args, context) */
  model<T = unknown>(model: string, method: string, args: unknown[], context: Record<string, unknown> = {}): Promise<T> {
    return this.call<T>(`model.${model}.${method}`, [...args, context]);
  }
}

function trytonError(error: unknown): Error {
  if (!Array.isArray(error)) return new ErpUnavailable(`Tryton error: ${JSON.stringify(error).slice(0, 300)}`);
  const [kind, args] = error as [string, unknown];
  if (kind === 'UserError' && Array.isArray(args)) return new TrytonError(kind, [args[0], args[1]].filter((s) => typeof s === 'string' && s).join(' — '));
  if (kind === 'UserWarning' && Array.isArray(args)) return new TrytonError(kind, [args[1], args[2]].filter((s) => typeof s === 'string' && s).join(' — '), typeof args[0] === 'string' ? args[0] : null);
  if (kind === 'ConcurrencyException') return new ErpUnavailable(`Tryton: concurrent change (${String(args).slice(0, 200)})`);
  return new ErpUnavailable(`Tryton failed: ${String(kind).slice(0, 300)}`);
}
