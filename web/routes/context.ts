// The workspace's shared context, built once per server: its dependencies, the users (re-read when
// their file changes), the rules and master data it shows, the signed-in user of a request, and replies.
import { readFileSync, statSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpDeps } from '../../http/types';
import { DocumentStore } from '../../storage/document-store';
import { listQuarantine } from '../../intake/quarantine';
import { orderStateQuery, orderWorkflowId } from '../../workflows/definitions';
import type { OrderState } from '../../domain/order-model';
import { loadRuleSet } from '../../routing-rules/load';
import type { RuleSet } from '../../routing-rules/types';
import type { MasterData } from '../../domain/masterdata';
import { loadMasterData } from '../../storage/masterdata-source';
import { addDays } from '../../domain/holidays';
import { checkCsrf, csrfToken, parseUsers, readSession, seesAll, SESSION_COOKIE, type Session, type User } from '../auth';
import { LoginThrottle } from '../throttle';
import { dashboard, parisDay } from '../model';
import { PORTFOLIO_CLASSES, type PortfolioClass } from '../../domain/portfolio';
import { html, page } from '../html';

export interface WorkspaceOptions {
  /** Users file (YAML); default the configuration's (AIGUILLAGE_USERS, else config/users.yaml); null: nobody signs in. */
  usersFile?: string | null;
  /** Signs sessions and CSRF tokens; default AIGUILLAGE_SESSION_SECRET, else a random one kept in the data folder. */
  sessionSecret?: Buffer;
  /** Cookies marked Secure even behind a plain-HTTP proxy hop (AIGUILLAGE_COOKIE_SECURE=true). */
  secureCookies?: boolean;
  /** How often the live inbox checks the read model for changes. */
  liveIntervalMs?: number;
  now?: () => number;
}

/** How to give the workspace its users, said on the sign-in page and in the log when there are none. */
export const NO_USERS =
  "Aucun compte n'est configuré : créez config/users.yaml (modèle : config/users.example.yaml ; mots de passe : npx tsx web/hash-password.ts) ou indiquez le fichier dans AIGUILLAGE_USERS, puis redémarrez.";

export interface Authed {
  user: User;
  session: Session;
  csrf: string;
}

/** The users file, re-read when it changes, so that removing someone takes effect without a restart. */
function usersSource(usersFile: string | null, log: HttpDeps['log']): () => User[] {
  let users = { mtime: 0, list: [] as User[] };
  const currentUsers = (): User[] => {
    if (!usersFile) return [];
    const m = statSync(usersFile).mtimeMs;
    if (m !== users.mtime) users = { mtime: m, list: parseUsers(readFileSync(usersFile, 'utf8'), usersFile) };
    return users.list;
  };
  currentUsers();
  if (usersFile) log.info({ usersFile, users: users.list.length }, 'workspace users loaded');
  else log.warn('workspace: no users file (AIGUILLAGE_USERS or config/users.yaml); nobody can sign in until one is made from config/users.example.yaml');
  return currentUsers;
}

/**
 * The rules in force and the master data, as the pages show them (names of teams and agents): the
 * worker's own router and master-data source when it runs in this process; otherwise (an HTTP server
 * alone) read from the same folders, at most every 10 s and 60 s.
 */
function rulesAndMasterData(deps: HttpDeps, now: () => number) {
  const { cfg } = deps;
  const cached = <T>(ttlMs: number, load: () => T) => {
    let at = 0;
    let value: T;
    return () => {
      if (now() - at > ttlMs) {
        value = load();
        at = now();
      }
      return value;
    };
  };
  const router = deps.router;
  const rules: () => { set: RuleSet | null; error: string | null; dir: string } = router
    ? () => ({ set: router.ruleSet(), error: router.status().lastError?.message ?? null, dir: cfg.rulesDir })
    : cached(10_000, () => {
        try {
          return { set: loadRuleSet(cfg.rulesDir), error: null, dir: cfg.rulesDir };
        } catch (e) {
          return { set: null, error: (e as Error).message, dir: cfg.rulesDir };
        }
      });
  const masterData: () => MasterData | null =
    deps.masterData ??
    cached(60_000, (): MasterData | null => {
      try {
        return loadMasterData(cfg.masterDataDir);
      } catch {
        return null;
      }
    });
  const names = () => {
    const set = rules().set;
    return {
      teams: Object.fromEntries((set?.teams ?? []).map((t) => [t.id, t.name])),
      agents: Object.fromEntries((set?.teams ?? []).flatMap((t) => t.agents.map((a) => [a.id, a.name]))),
    };
  };
  const teamsList = () => {
    const set = rules().set;
    return set ? set.teams.map((t) => ({ id: t.id, name: t.name })) : [];
  };
  return { rules, masterData, names, teamsList };
}

/** What every route module of the workspace uses: its dependencies, the signed-in user, replies and order reads. */
export function createWorkspaceContext(deps: HttpDeps, opts: WorkspaceOptions, secret: Buffer, usersFile: string | null) {
  const { cfg, readModel, client, log } = deps;
  const store = new DocumentStore(cfg.dataDir);
  const now = opts.now ?? Date.now;
  const secureEnv = opts.secureCookies ?? process.env.AIGUILLAGE_COOKIE_SECURE === 'true';
  const currentUsers = usersSource(usersFile, log);
  const { rules, masterData, names, teamsList } = rulesAndMasterData(deps, now);

  const secure = (req: FastifyRequest) => secureEnv || req.protocol === 'https';
  const authed = (req: FastifyRequest): Authed | null => {
    const session = readSession(secret, req.cookies[SESSION_COOKIE], now());
    if (!session || revoked.has(session.sid)) return null;
    const user = currentUsers().find((u) => u.login === session.login);
    return user ? { user, session, csrf: csrfToken(secret, session) } : null;
  };
  // Signed-out sessions until they would have expired anyway (then the signature alone refuses them).
  const revoked = new Map<string, number>();
  const revoke = (s: Session) => {
    for (const [sid, exp] of revoked) if (exp <= now()) revoked.delete(sid);
    revoked.set(s.sid, s.exp);
  };
  const throttle = new LoginThrottle(now);

  // By the route as matched, not the raw URL.
  const isApi = (req: FastifyRequest) => {
    const route = req.routeOptions.url ?? '';
    return route.startsWith('/api/workspace/') || route === '/inbox/rows' || route === '/events';
  };
  /** The signed-in user, or a reply already sent (sign-in page, or 401 for the API). */
  const need = (req: FastifyRequest, reply: FastifyReply): Authed | null => {
    const a = authed(req);
    if (a) return a;
    if (isApi(req)) void reply.status(401).send({ error: 'not signed in: POST /login first' });
    else void reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    return null;
  };
  const htmlReply = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('x-frame-options', 'SAMEORIGIN').header('x-content-type-options', 'nosniff').send(body);
  const errorPage = (reply: FastifyReply, a: Authed | null, status: number, message: string) =>
    htmlReply(reply, status, page({ title: 'Erreur', user: a?.user ?? null, csrf: a?.csrf, body: html`<h1>${message}</h1><p><a href="/">Retour à la corbeille</a></p>` }));

  /** Forms (@fastify/formbody) and JSON alike arrive as objects. */
  const formOf = (req: FastifyRequest): Record<string, unknown> => {
    const b = req.body;
    return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
  };
  const csrfOk = (req: FastifyRequest, a: Authed) => checkCsrf(secret, a.session, req.headers['x-csrf-token'] ?? formOf(req)._csrf);

  const loadOrder = async (id: string): Promise<OrderState | null> => {
    const s = readModel.get(id);
    if (s) return s;
    try {
      return await client.workflow.getHandle(orderWorkflowId(id)).query(orderStateQuery);
    } catch {
      return null;
    }
  };
  const visibleStates = (u: User): OrderState[] => readModel.list({ limit: 5000, ...(seesAll(u) ? {} : { teams: u.teams }) });
  const quarantineDeps = { store, readModel, client, taskQueue: cfg.taskQueue, log };
  const dashboardOf = async (u: User) => {
    const t = now();
    const since = new Date(Date.parse(`${addDays(parisDay(t), -31)}T00:00:00Z`)).toISOString();
    const states = readModel.activeSince(since, seesAll(u) ? undefined : u.teams);
    const q = seesAll(u) ? await listQuarantine(quarantineDeps) : [];
    return dashboard(states, q, u, t, undefined, undefined, readModel.erpViews());
  };
  return { cfg, readModel, client, log, store, now, secret, usersFile, opts, currentUsers, rules, masterData, names, teamsList, secure, authed, revoke, throttle, isApi, need, htmlReply, errorPage, formOf, csrfOk, loadOrder, visibleStates, quarantineDeps, dashboardOf };
}

export type WorkspaceContext = ReturnType<typeof createWorkspaceContext>;

/** ?classe=rupture|limite-credit|blocage-financier|blocage-livraison|anomalie: one class of the portfolio; anything else, all. */
export function classeOf(req: { query: unknown }): PortfolioClass | null {
  const c = (req.query as { classe?: unknown } | undefined)?.classe;
  return PORTFOLIO_CLASSES.includes(c as PortfolioClass) ? (c as PortfolioClass) : null;
}
