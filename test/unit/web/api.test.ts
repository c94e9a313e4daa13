// The machine API's doors without Temporal: the bearer token on every /api route as matched (an
// encoded path is no way around it), no browser session, only JSON or document bytes with a name.
// The ingestor records what reached it, so "nothing was submitted" is observable.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { RouteOptions } from 'fastify';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { buildHttpServer, type HttpServer } from '../../../http/server';
import { ReadModel } from '../../../storage/read-model';
import { loadConfig, type Config } from '../../../worker/config';
import { apiTokenPath, clientApiToken, WeakSecret } from '../../../storage/secrets';
import { hashPassword } from '../../../web/auth';
import type { Ingestor, Submission } from '../../../intake/submit';
import { routedState } from './states';

const SHA = 'b'.repeat(64);
let dir: string;
let cfg: Config;
let app: HttpServer;
let token: string;
const routes: RouteOptions[] = [];
const submitted: { bytes: Buffer; s: Submission }[] = [];

function build(over: Partial<Config> = {}): HttpServer {
  const readModel = new ReadModel(':memory:');
  readModel.upsert(routedState({ id: 'C001-A1', po: 'A-1', team: 'sud-est', receivedAt: '2026-11-23T08:00:00Z', dueAt: '2026-11-23T16:00:00Z' }));
  readModel.upsert(routedState({ id: 'C003-N1', po: 'N-1', team: 'nord-est', receivedAt: '2026-11-23T08:30:00Z', dueAt: '2026-11-23T16:00:00Z' }));
  const ingestor = { submit: async (bytes: Buffer, s: Submission) => (submitted.push({ bytes, s }), { status: 'accepted', sha256: SHA, intakeWorkflowId: `doc-${SHA}`, meta: {} }) } as unknown as Ingestor;
  const notFound = async () => Promise.reject(new WorkflowNotFoundError('not found', 'x', undefined));
  const client = { workflow: { getHandle: () => ({ describe: notFound, query: notFound }) } } as unknown as Client;
  return buildHttpServer({ cfg: { ...cfg, ...over }, ingestor, readModel, client, log: pino({ level: 'silent' }) });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aiguillage-api-'));
  const usersFile = join(dir, 'users.yaml');
  writeFileSync(usersFile, `users:\n  - { login: lea, name: Léa, role: agent, teams: [sud-est], password_hash: "${await hashPassword('mot-de-passe-17h')}" }\n`);
  cfg = { ...loadConfig({}), dataDir: join(dir, 'data'), usersFile, partnersFile: null, apiToken: null };
  app = build();
  app.addHook('onRoute', (r) => void routes.push(r));
  await app.ready();
  token = readFileSync(apiTokenPath(cfg.dataDir), 'utf8').trim();
});
afterAll(() => app?.close());
beforeEach(() => void (submitted.length = 0));

const bearer = () => ({ authorization: `Bearer ${token}` });

describe('the API token', () => {
  it('is made once at random, kept for the service account only, and read by the CLI', async () => {
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(statSync(apiTokenPath(cfg.dataDir)).mode & 0o777).toBe(0o600);
    const again = build();
    await again.ready();
    expect((await again.inject({ url: '/api/orders', headers: bearer() })).statusCode).toBe(200);
    await again.close();
    expect(clientApiToken(cfg)).toBe(token);
    expect(clientApiToken({ ...cfg, apiToken: 'from-the-environment' })).toBe('from-the-environment');
  });

  it('refuses a short token from the environment, or an empty token file', () => {
    expect(() => build({ apiToken: 'short' })).toThrow(WeakSecret);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'api-token'), '');
    expect(() => build({ dataDir: empty })).toThrow(/at least 32/);
  });

  it('is needed on every /api route', async () => {
    const api = routes.filter((r) => String(r.url).startsWith('/api/') && !String(r.url).startsWith('/api/workspace/'));
    expect(api.length).toBeGreaterThanOrEqual(7);
    for (const r of api) {
      const url = String(r.url).replace(':sha', SHA).replace(':id', 'C001-A1');
      for (const method of [r.method].flat()) {
        if (method === 'HEAD') continue;
        for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${token}x` }, { authorization: token }]) {
          const res = await app.inject({ method: method as 'GET', url, headers: { ...headers, 'content-type': 'application/json' }, payload: method === 'POST' ? '{}' : undefined });
          expect([method, url, res.statusCode]).toEqual([method, url, 401]);
        }
      }
    }
    expect(submitted).toEqual([]);
  });

  it('is needed however the path is spelled (the router decodes it before matching)', async () => {
    expect((await app.inject({ url: '/%61pi/orders' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/%6Frders' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/%61pi/quarantine' })).statusCode).toBe(401);
    const doc = await app.inject({ method: 'POST', url: '/%61pi/documents', headers: { 'content-type': 'application/octet-stream', 'x-aiguillage-file-name': 'po.edi' }, payload: Buffer.from('ISA*00*') });
    expect(doc.statusCode).toBe(401);
    // The same route, with the token: it was the API all along.
    expect((await app.inject({ url: '/%61pi/orders', headers: bearer() })).json().map((o: { orderId: string }) => o.orderId).sort()).toEqual(['C001-A1', 'C003-N1']);
    expect(submitted).toEqual([]);
  });

  it('is needed to cancel an order', async () => {
    const cancel = { customerId: 'C001', poNumber: 'A-1', purpose: 'cancel', lines: [{ sku: 'VIS-440', quantity: 1 }] };
    expect((await app.inject({ method: 'POST', url: '/api/orders', payload: cancel })).statusCode).toBe(401);
    expect(submitted).toEqual([]);
    expect((await app.inject({ method: 'POST', url: '/api/orders', headers: bearer(), payload: cancel })).statusCode).toBe(202);
    expect(submitted).toHaveLength(1);
  });

  it('gives a signed-in agent nothing on /api: the workspace shows her own teams only', async () => {
    const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=lea&password=mot-de-passe-17h' });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expect((await app.inject({ url: '/api/orders', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/quarantine', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/orders/C003-N1', headers: { cookie } })).statusCode).toBe(401);
    const box = (await app.inject({ url: '/api/workspace/inbox', headers: { cookie } })).json();
    expect([...box.mine, ...box.team].map((r: { orderId: string }) => r.orderId)).toEqual(['C001-A1']);
  });
});

describe('POST /api/documents', () => {
  const post = (headers: Record<string, string>, payload: string | Buffer) => app.inject({ method: 'POST', url: '/api/documents', headers: { ...bearer(), ...headers }, payload });

  it('refuses a form, a multipart upload or plain text (what any web page may post cross-site) with 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'text/plain; charset=utf-8']) {
      const res = await post({ 'content-type': type, 'x-aiguillage-file-name': 'po.edi' }, 'ISA*00*');
      expect([type, res.statusCode]).toEqual([type, 415]);
      expect(res.json().error).toMatch(/application\/json, or a document's bytes as application\/octet-stream .* X-Aiguillage-File-Name header; never a form/);
    }
    expect(submitted).toEqual([]);
  });

  it('takes the bytes with the file name in X-Aiguillage-File-Name, or JSON', async () => {
    const missing = await post({ 'content-type': 'application/octet-stream' }, Buffer.from('%PDF-1.4'));
    expect([missing.statusCode, missing.json().error]).toEqual([400, 'name the document in the X-Aiguillage-File-Name header (UTF-8, percent-encoded)']);
    const pdf = await post({ 'content-type': 'application/pdf', 'x-aiguillage-file-name': encodeURIComponent('commande n°1/../x.pdf') }, Buffer.from('%PDF-1.4'));
    expect(pdf.statusCode).toBe(202);
    const json = await post({ 'content-type': 'application/json', 'x-aiguillage-file-name': 'po.order.json' }, '{"customerId":"C001"}');
    expect(json.statusCode).toBe(202);
    expect(submitted.map((x) => [x.s.fileName, x.bytes.toString()])).toEqual([
      ['commande n°1_.._x.pdf', '%PDF-1.4'],
      ['po.order.json', '{"customerId":"C001"}'],
    ]);
  });
});

describe('behind a proxy', () => {
  const fail = (a: HttpServer, forwardedFor: string) =>
    a.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor }, payload: 'login=lea&password=nope' });

  it('believes X-Forwarded-For only from the proxy it was told of', async () => {
    // Not told: the header is the caller's word, so a new value each time does not escape the lock-out.
    const direct = build();
    await direct.ready();
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await fail(direct, `203.0.113.${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    await direct.close();
    // Told (the proxy is on loopback): each client is counted on its own, so one cannot lock out the others.
    const proxied = build({ trustProxy: '127.0.0.1' });
    await proxied.ready();
    for (let i = 0; i < 5; i++) await fail(proxied, '203.0.113.7');
    expect((await fail(proxied, '203.0.113.7')).statusCode).toBe(429);
    expect((await fail(proxied, '198.51.100.1')).statusCode).toBe(401);
    await proxied.close();
  });
});

describe('HTTPS', () => {
  it('serves HTTPS itself with AIGUILLAGE_TLS_CERT and AIGUILLAGE_TLS_KEY', async () => {
    const tlsDir = mkdtempSync(join(tmpdir(), 'aiguillage-tls-'));
    const [certPath, keyPath] = [join(tlsDir, 'cert.pem'), join(tlsDir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const secure = build({ httpTls: { certPath, keyPath } });
    const base = await secure.listen({ host: '127.0.0.1', port: 0 });
    expect(base).toMatch(/^https:/);
    const status = await new Promise<number>((resolve, reject) =>
      httpsGet(`${base}/api/orders`, { rejectUnauthorized: false, headers: bearer() }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject),
    );
    expect(status).toBe(200);
    await secure.close();
  });
});

