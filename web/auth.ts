// Who may sign in and what they may see: users from a YAML file (passwords as scrypt hashes),
// sessions in signed cookies, a CSRF token bound to the session. Pure apart from crypto.
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { sign, unsign } from '@fastify/cookie';
import { readYaml } from '../routing-rules/yaml-source';
import { z } from 'zod';
import type { OrderState } from '../domain/order-model';

export const ROLES = ['agent', 'lead', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  login: string;
  name: string;
  role: Role;
  /** Teams whose orders the user sees (agents and team leads); managers and admins see all. */
  teams: string[];
  passwordHash: string;
}

/** The users file cannot be used; the message names the file and the entry. */
export class InvalidUsersFile extends Error {
  readonly code = 'INVALID_USERS_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidUsersFile';
  }
}

const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;
const userSchema = z.object({
  login: z.string().regex(/^[a-z0-9._-]{2,64}$/, 'lowercase letters, digits, dot, dash or underscore'),
  name: z.string().min(1),
  role: z.enum(ROLES),
  teams: z.array(z.string().min(1)).default([]),
  password_hash: z.string().regex(HASH, 'expected scrypt$N$r$p$salt$hash (see `npx tsx web/hash-password.ts`)'),
});

export function parseUsers(text: string, fileName: string): User[] {
  const read = readYaml(text);
  if (read.error) throw new InvalidUsersFile(`${fileName}:${read.error.line}: not valid YAML: ${read.error.message}`);
  const doc = read.value;
  const list = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) throw new InvalidUsersFile(`${fileName}: expected a top-level "users:" list`);
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const r = userSchema.safeParse(raw);
    const label = `${fileName}: users[${i}]${(raw as { login?: unknown })?.login ? ` (${String((raw as { login: unknown }).login)})` : ''}`;
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new InvalidUsersFile(`${label}: ${issue.path.join('.') || 'entry'}: ${issue.message}`);
    }
    if (seen.has(r.data.login)) throw new InvalidUsersFile(`${label}: login "${r.data.login}" appears twice`);
    seen.add(r.data.login);
    if ((r.data.role === 'agent' || r.data.role === 'lead') && r.data.teams.length === 0) throw new InvalidUsersFile(`${label}: an ${r.data.role} needs at least one team`);
    return { login: r.data.login, name: r.data.name, role: r.data.role, teams: r.data.teams, passwordHash: r.data.password_hash };
  });
}

const scrypt = (pw: string, salt: Buffer, len: number, o: ScryptOptions) =>
  new Promise<Buffer>((res, rej) => scryptCb(pw.normalize('NFC'), salt, len, o, (err, key) => (err ? rej(err) : res(key))));

const COST = { N: 16384, r: 8, p: 1 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { ...COST, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH.exec(stored);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await scrypt(password, Buffer.from(m[4]!, 'base64'), expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Same time whether the login exists or not: an unknown login is checked against a throwaway hash. */
let dummyHash: Promise<string> | null = null;
export async function authenticate(users: User[], login: string, password: string): Promise<User | null> {
  const user = users.find((u) => u.login === login.trim().toLowerCase());
  dummyHash ??= hashPassword(randomBytes(8).toString('hex'));
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  return user && ok ? user : null;
}

// --- Sessions: "payload.signature", payload = base64url JSON, signed by @fastify/cookie's signer
// (HMAC-SHA256, constant-time check) with a key derived from the server secret for sessions only.

export interface Session {
  login: string;
  /** Random per sign-in: binds the CSRF token and lets sign-out revoke this session only. */
  sid: string;
  /** Expiry, epoch ms. */
  exp: number;
}

export const SESSION_COOKIE = 'aiguillage_session';
export const SESSION_HOURS = 12;

const mac = (secret: Buffer, data: string) => createHmac('sha256', secret).update(data).digest('base64url');
const sessionKey = (secret: Buffer) => createHmac('sha256', secret).update('aiguillage session cookie').digest();

export function signSession(secret: Buffer, login: string, now: number, sid = randomBytes(16).toString('base64url')): string {
  const payload = Buffer.from(JSON.stringify({ login, sid, exp: now + SESSION_HOURS * 3600_000 } satisfies Session)).toString('base64url');
  return sign(payload, sessionKey(secret));
}

export function readSession(secret: Buffer, cookie: string | undefined, now: number): Session | null {
  if (!cookie) return null;
  const u = unsign(cookie, sessionKey(secret));
  if (!u.valid || !u.value || !/^[\w-]+$/.test(u.value)) return null;
  try {
    const s = JSON.parse(Buffer.from(u.value, 'base64url').toString('utf8')) as Session;
    if (typeof s.login !== 'string' || typeof s.sid !== 'string' || typeof s.exp !== 'number' || s.exp <= now) return null;
    return s;
  } catch {
    return null;
  }
}

/** The session cookie's attributes (the value is set through @fastify/cookie). */
export function sessionCookieOptions(secure: boolean, maxAgeSeconds = SESSION_HOURS * 3600) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeSeconds };
}

export function csrfToken(secret: Buffer, session: Session): string {
  return mac(secret, `csrf:${session.sid}`);
}

export function checkCsrf(secret: Buffer, session: Session, token: unknown): boolean {
  return typeof token === 'string' && token.length > 0 && safeEqual(token, csrfToken(secret, session));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// --- What each role may see and do.

export const seesAll = (u: Pick<User, 'role'>): boolean => u.role === 'manager' || u.role === 'admin';

export function canSee(u: Pick<User, 'role' | 'teams'>, state: Pick<OrderState, 'route'>): boolean {
  if (seesAll(u)) return true;
  return !!state.route && u.teams.includes(state.route.team);
}

/** Agents act on their team's orders, leads too; managers and admins on all. */
export const canAct = canSee;
export const canSeeDashboard = (u: Pick<User, 'role'>): boolean => u.role !== 'agent';
