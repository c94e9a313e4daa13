import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authenticate, canSee, checkCsrf, csrfToken, hashPassword, InvalidUsersFile, parseUsers, readSession, sessionCookieOptions, signSession, verifyPassword,
} from '../../../web/auth';
import { SAMPLE_USERS } from '../../../web/sample-users';
import { ROOT } from '../../../worker/config';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');
const T0 = Date.parse('2026-11-23T08:00:00Z');

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword('clé-de-saisie-17h');
    const b = await hashPassword('clé-de-saisie-17h');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('clé-de-saisie-17h', a)).toBe(true);
    expect(await verifyPassword('clé-de-saisie-17H', a)).toBe(false);
    expect(await verifyPassword('clé-de-saisie-17h', 'plain-text')).toBe(false);
  });

  it('signs in the sample users of config/users.example.yaml with the passwords `npm start` prints', async () => {
    const file = join(ROOT, 'config/users.example.yaml');
    const users = parseUsers(readFileSync(file, 'utf8'), file);
    for (const s of SAMPLE_USERS) {
      const u = await authenticate(users, s.login, s.password);
      expect(u, s.login).toMatchObject({ login: s.login, role: s.role, teams: s.teams });
    }
    expect(await authenticate(users, 'lea', 'karim-demo-2026')).toBeNull();
    expect(await authenticate(users, 'personne', 'lea-demo-2026')).toBeNull();
  });
});

describe('users file', () => {
  const hash = 'scrypt$16384$8$1$c2FsdA==$aGFzaA==';
  it('says which entry and field are wrong', () => {
    expect(() => parseUsers(`users:\n  - { login: lea, name: Léa, role: agent, teams: [sud-est], password_hash: ${hash} }\n  - { login: marc, name: Marc, role: chef, password_hash: ${hash} }\n`, 'users.yaml')).toThrow(
      /users\.yaml: users\[1\] \(marc\): role:/,
    );
    expect(() => parseUsers(`users:\n  - { login: lea, name: Léa, role: agent, password_hash: ${hash} }\n`, 'u.yaml')).toThrow(/needs at least one team/);
    expect(() => parseUsers(`users:\n  - { login: lea, name: Léa, role: manager, password_hash: secret }\n`, 'u.yaml')).toThrow(/password_hash: expected scrypt/);
    expect(() => parseUsers('users: [', 'u.yaml')).toThrow(InvalidUsersFile);
    expect(() => parseUsers(`users:\n  - { login: lea, name: A, role: admin, password_hash: ${hash} }\n  - { login: lea, name: B, role: admin, password_hash: ${hash} }\n`, 'u.yaml')).toThrow(/appears twice/);
  });
});

describe('sessions and CSRF', () => {
  it('reads back a signed session until it expires, and refuses a tampered one', () => {
    const c = signSession(SECRET, 'lea', T0);
    expect(readSession(SECRET, c, T0 + 1000)).toMatchObject({ login: 'lea' });
    expect(readSession(SECRET, c, T0 + 13 * 3600_000)).toBeNull();
    const [payload, sig] = c.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), login: 'claire' })).toString('base64url');
    expect(readSession(SECRET, `${forged}.${sig}`, T0)).toBeNull();
    expect(readSession(Buffer.from('another-secret-another-secret-xx'), c, T0)).toBeNull();
    expect(readSession(SECRET, 'garbage', T0)).toBeNull();
    expect(readSession(SECRET, undefined, T0)).toBeNull();
  });

  it('binds the CSRF token to the session', () => {
    const s1 = readSession(SECRET, signSession(SECRET, 'lea', T0), T0)!;
    const s2 = readSession(SECRET, signSession(SECRET, 'lea', T0), T0)!;
    expect(checkCsrf(SECRET, s1, csrfToken(SECRET, s1))).toBe(true);
    expect(checkCsrf(SECRET, s1, csrfToken(SECRET, s2))).toBe(false);
    expect(checkCsrf(SECRET, s1, '')).toBe(false);
    expect(checkCsrf(SECRET, s1, undefined)).toBe(false);
  });

  it('sets HttpOnly SameSite cookies, Secure over HTTPS', () => {
    expect(sessionCookieOptions(false)).toEqual({ path: '/', httpOnly: true, sameSite: 'lax', secure: false, maxAge: 43200 });
    expect(sessionCookieOptions(true, 0)).toMatchObject({ secure: true, maxAge: 0 });
  });
});

describe('visibility', () => {
  const route = (team: string) => ({ route: { team, agent: null, ruleId: 'r', rulesVersion: 'v', reason: '' } });
  it('shows agents their teams only, managers everything', () => {
    expect(canSee({ role: 'agent', teams: ['sud-est'] }, route('sud-est'))).toBe(true);
    expect(canSee({ role: 'agent', teams: ['sud-est'] }, route('nord-est'))).toBe(false);
    expect(canSee({ role: 'agent', teams: ['sud-est'] }, { route: null })).toBe(false);
    expect(canSee({ role: 'lead', teams: ['nord-est', 'sud-est'] }, route('nord-est'))).toBe(true);
    expect(canSee({ role: 'manager', teams: [] }, route('export'))).toBe(true);
  });
});
