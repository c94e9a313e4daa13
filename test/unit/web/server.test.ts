// The workspace's HTTP rules without Temporal: sign-in, sessions, CSRF, who sees what, escaping.
// Orders come from a real read model; an action that gets past the checks would reach the client,
// which here records the call, so "nothing reached the workflow" is observable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import type { Client } from '@temporalio/client';
import { registerWorkspace } from '../../../web/workspace';
import { ReadModel } from '../../../storage/read-model';
import { loadConfig } from '../../../worker/config';
import { hashPassword } from '../../../web/auth';
import { order, routedState } from './states';
import type { HttpServer, HttpDeps } from '../../../http/server';

const NOW = Date.parse('2026-11-23T10:00:00Z');
let app: HttpServer;
const updates: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aiguillage-web-'));
  const usersFile = join(dir, 'users.yaml');
  const h = await hashPassword('mot-de-passe-17h');
  writeFileSync(usersFile, ['users:', ...[['lea', 'agent', '[sud-est]'], ['julien', 'agent', '[nord-est]'], ['claire', 'manager', '[]']].map(([l, r, t]) => `  - { login: ${l}, name: ${l}, role: ${r}, teams: ${t}, password_hash: "${h}" }`)].join('\n'));
  const readModel = new ReadModel(':memory:');
  readModel.upsert(routedState({ id: 'C001-A1', po: 'A-1', team: 'sud-est', agent: 'lea', receivedAt: '2026-11-23T08:00:00Z', dueAt: '2026-11-23T16:00:00Z' }));
  readModel.upsert(routedState({ id: 'C003-N1', po: 'N-1', team: 'nord-est', agent: 'julien', receivedAt: '2026-11-23T08:30:00Z', dueAt: '2026-11-23T16:00:00Z' }));
  readModel.upsert(routedState({ id: 'C001-X', po: '<img src=x onerror=alert(1)>', team: 'sud-est', receivedAt: '2026-11-23T09:00:00Z', dueAt: '2026-11-23T16:00:00Z', o: order('<img src=x onerror=alert(1)>', 'C001', 'Dupont & Fils', [['VIS-440', 1, 1]]) }));
  const client = { workflow: { getHandle: (id: string) => ({ executeUpdate: async () => (updates.push(id), { ...readModel.get(id.replace(/^order-/, ''))!, claimedBy: 'lea' }), query: async () => Promise.reject(new Error('not found')) }) } } as unknown as Client;
  app = Fastify() as unknown as HttpServer;
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const deps = { cfg: { ...loadConfig({}), dataDir: dir }, readModel, client, log: pino({ level: 'silent' }) } as unknown as HttpDeps;
  registerWorkspace(app, deps, { usersFile, sessionSecret: Buffer.from('s'.repeat(32)), now: () => NOW });
  await app.ready();
});
afterAll(() => app?.close());

async function signIn(login: string) {
  const r = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `login=${login}&password=mot-de-passe-17h&next=%2Fsearch` });
  expect(r.statusCode).toBe(303);
  expect(r.headers.location).toBe('/search');
  const cookie = String(r.headers['set-cookie']).split(';')[0]!;
  const me = (await app.inject({ url: '/api/workspace/me', headers: { cookie } })).json();
  return { cookie, csrf: me.csrfToken as string };
}

describe('workspace HTTP', () => {
  it('refuses a bad password, a cross-site sign-in and an open redirect', async () => {
    const bad = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=lea&password=x' });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const cross = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, payload: 'login=lea&password=mot-de-passe-17h' });
    expect(cross.statusCode).toBe(403);
    const open = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=lea&password=mot-de-passe-17h&next=%2F%2Fevil.example' });
    expect(open.headers.location).toBe('/');
  });

  it("shows an agent their team's orders only, in the pages and the API", async () => {
    const { cookie } = await signIn('lea');
    const box = (await app.inject({ url: '/api/workspace/inbox', headers: { cookie } })).json();
    expect([...box.mine, ...box.team].map((r: { orderId: string }) => r.orderId)).toEqual(['C001-A1', 'C001-X']);
    expect((await app.inject({ url: '/orders/C003-N1', headers: { cookie } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/workspace/orders/C003-N1', headers: { cookie } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/workspace/search?q=N-1', headers: { cookie } })).json().orders).toEqual([]);
    expect((await app.inject({ url: '/dashboard', headers: { cookie } })).statusCode).toBe(403);
    const search = await app.inject({ url: '/search?q=A-1', headers: { cookie } });
    expect(search.body).toContain('href="/orders/C001-A1"');
    const rules = await app.inject({ url: '/rules?order=C003-N1', headers: { cookie } });
    expect(rules.body).toMatch(/Règles actives : <code>sha256:[0-9a-f]{16}<\/code>/);
    expect(rules.body).not.toContain('Pourquoi la commande');
    const manager = await signIn('claire');
    expect((await app.inject({ url: '/api/workspace/dashboard', headers: { cookie: manager.cookie } })).json().totals.toEnterToday).toBe(3);
  });

  it('escapes what documents say', async () => {
    const { cookie } = await signIn('lea');
    const page = (await app.inject({ url: '/', headers: { cookie } })).body;
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
  });

  it('sends nothing to the workflow without the CSRF token, or for an order of another team', async () => {
    const { cookie, csrf } = await signIn('lea');
    const none = await app.inject({ method: 'POST', url: '/orders/C001-A1/claim', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(none.statusCode).toBe(403);
    const other = await signIn('julien');
    const wrong = await app.inject({ method: 'POST', url: '/orders/C001-A1/claim', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${other.csrf}` });
    expect(wrong.statusCode).toBe(403);
    const foreign = await app.inject({ method: 'POST', url: '/api/workspace/orders/C003-N1/actions/claim', headers: { cookie, 'x-csrf-token': csrf } });
    expect(foreign.statusCode).toBe(404);
    const noDoc = await app.inject({ method: 'POST', url: '/api/workspace/orders/C001-A1/actions/split', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: { sha256: 'abc', index: 0 } });
    expect([noDoc.statusCode, noDoc.json().error]).toEqual([400, 'Document à préciser : sha256 (64 caractères hexadécimaux) et index (entier ≥ 0).']);
    const noIndex = await app.inject({ method: 'POST', url: '/orders/C001-A1/confirm-duplicate', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&sha256=${'a'.repeat(64)}` });
    expect(noIndex.statusCode).toBe(400);
    const badNumber = await app.inject({ method: 'POST', url: '/orders/C001-A1/correct', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&line.1.quantity=douze` });
    expect(badNumber.statusCode).toBe(400);
    expect(badNumber.body).toContain('Ligne 1 : quantité « douze » n&#39;est pas un nombre.');
    expect(updates).toEqual([]);
    const ok = await app.inject({ method: 'POST', url: '/orders/C001-A1/claim', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}` });
    expect(ok.statusCode).toBe(303);
    expect(updates).toEqual(['order-C001-A1']);
  });

  it('ends the session on sign-out', async () => {
    const { cookie, csrf } = await signIn('lea');
    await app.inject({ method: 'POST', url: '/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}` });
    expect((await app.inject({ url: '/api/workspace/inbox', headers: { cookie } })).statusCode).toBe(401);
  });
});
