// Sign-in and sign-out (sessions in a signed cookie, a throttle on guesses, no login CSRF) and the
// workspace's own assets.
import type { HttpServer } from '../../http/types';
import { authenticate, csrfToken, readSession, sessionCookieOptions, signSession, SESSION_COOKIE } from '../auth';
import { loginPage } from '../pages';
import { CSS, JS } from '../assets';
import { NO_USERS, type WorkspaceContext } from './context';


export function registerSessionRoutes(app: HttpServer, ctx: WorkspaceContext): void {
  const { log, now, secret, usersFile, currentUsers, secure, authed, revoke, throttle, htmlReply, formOf, csrfOk } = ctx;
  app.get('/assets/app.css', async (_req, reply) => reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'max-age=300').send(CSS));
  app.get('/assets/app.js', async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'max-age=300').send(JS));

  // ---------------------------------------------------------------- sign-in

  app.get('/login', async (req, reply) => htmlReply(reply, 200, loginPage(usersFile ? null : NO_USERS, safeNext((req.query as { next?: string }).next))));
  app.post('/login', async (req, reply) => {
    const form = formOf(req);
    const wantsJson = String(req.headers['content-type'] ?? '').startsWith('application/json');
    if (!usersFile) return wantsJson ? reply.status(503).send({ error: NO_USERS }) : htmlReply(reply, 503, loginPage(NO_USERS, '/'));
    // A login posted from another site would sign the victim in as the attacker (login CSRF).
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && hostOf(origin) !== req.headers.host) return reply.status(403).send({ error: 'cross-site sign-in refused' });
    const login = String(form.login ?? '').trim().toLowerCase().slice(0, 64);
    const verdict = throttle.check(login, req.ip);
    if (verdict !== 'ok') {
      const msg = verdict === 'locked' ? 'Trop de tentatives : réessayez dans 15 minutes.' : 'Trop de connexions en ce moment : réessayez dans quelques secondes.';
      return wantsJson ? reply.status(429).send({ error: msg }) : htmlReply(reply, 429, loginPage(msg, safeNext(form.next)));
    }
    const user = await authenticate(currentUsers(), login, String(form.password ?? '').slice(0, 1024));
    if (!user) {
      throttle.failed(login, req.ip);
      log.warn({ login, ip: req.ip }, 'sign-in refused');
      const msg = 'Identifiant ou mot de passe incorrect.';
      return wantsJson ? reply.status(401).send({ error: msg }) : htmlReply(reply, 401, loginPage(msg, safeNext(form.next)));
    }
    throttle.succeeded(login, req.ip);
    const cookie = signSession(secret, user.login, now());
    const session = readSession(secret, cookie, now())!;
    log.info({ login: user.login, role: user.role }, 'signed in');
    void reply.setCookie(SESSION_COOKIE, cookie, sessionCookieOptions(secure(req)));
    return wantsJson ? reply.send({ login: user.login, role: user.role, teams: user.teams, csrfToken: csrfToken(secret, session) }) : reply.redirect(safeNext(form.next), 303);
  });
  app.post('/logout', async (req, reply) => {
    const a = authed(req);
    if (a && csrfOk(req, a)) revoke(a.session);
    void reply.setCookie(SESSION_COOKIE, '', sessionCookieOptions(secure(req), 0));
    return reply.redirect('/login', 303);
  });
}

/**
 * Where to go after sign-in: a path of this site only. One leading slash, no backslash or control
 * character (browsers drop tabs and newlines, so "/\t/evil.com" is "//evil.com"), and resolving it
 * must not leave the origin.
 */
export function safeNext(n: unknown): string {
  if (typeof n !== 'string' || n.length > 2000 || !n.startsWith('/') || n.startsWith('//')) return '/';
  for (const ch of n) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c === 0x7f || ch === '\\') return '/';
  }
  try {
    const base = 'http://aiguillage.invalid';
    const u = new URL(n, base);
    return u.origin === base ? `${u.pathname}${u.search}${u.hash}` : '/';
  } catch {
    return '/';
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
