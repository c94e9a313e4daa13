// The agents' and managers' workspace on the HTTP server (issue 7): sign-in, the inbox (live over
// SSE), the order page with its actions, the dashboard, search, the rules, and /api/workspace/* with
// the same data as JSON. Every action is a workflow update: the page shows what the workflow accepted.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { checkSecret, secretFromFile } from '../storage/secrets';
import { LoginThrottle } from './throttle';
import type { HttpServer, HttpDeps } from '../http/types';
import { DocumentStore } from '../storage/document-store';
import { runAgentAction, ActionRefused } from './actions';
import { listQuarantine, retryIntake, RetryRefused } from '../intake/quarantine';
import { orderJson } from '../domain/order-json';
import { claimUpdate, confirmDuplicateUpdate, correctUpdate, createInErpUpdate, markEnteredUpdate, orderStateQuery, orderWorkflowId, reassignUpdate, rejectUpdate, splitDocumentUpdate } from '../workflows/definitions';
import { type OrderState } from '../domain/order-model';
import { loadRuleSet } from '../routing-rules/load';
import { explainRoute } from '../routing-rules/engine';
import type { RuleSet } from '../routing-rules/types';
import { type MasterData } from '../domain/masterdata';
import { loadMasterData } from '../storage/masterdata-source';
import { addDays } from '../domain/holidays';
import {
  authenticate, canAct, canSee, canSeeDashboard, checkCsrf, csrfToken, parseUsers, readSession, seesAll, sessionCookieOptions, signSession,
  SESSION_COOKIE, type Session, type User,
} from './auth';
import { dashboard, inbox, parisDay } from './model';
import { diffOrders } from '../domain/dedup';
import { correctionsFromForm } from './corrections';
import { dashboardPage, inboxFragment, inboxPage, loginPage, orderPage, rulesPage, searchPage } from './pages';
import { emailAttachment, highlightsOf, imagePagePng, pdfPagePng, renderDocument, servedAs } from './document';
import { CSS, JS } from './assets';
import { html, page, type Html } from './html';

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

const SECRET_FIX = 'use 32 or more random bytes (`openssl rand -base64 32`)';

function sessionSecretFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.AIGUILLAGE_SESSION_SECRET) return Buffer.from(checkSecret(env.AIGUILLAGE_SESSION_SECRET, 'AIGUILLAGE_SESSION_SECRET', SECRET_FIX));
  // Kept on disk so that sessions survive a restart; readable by the service account only.
  return Buffer.from(secretFromFile(join(dataDir, 'session-secret'), 'the session secret file', `delete it to have a new one made, or set AIGUILLAGE_SESSION_SECRET (${SECRET_FIX})`));
}

type Action = 'claim' | 'entered' | 'erp' | 'reject' | 'reassign' | 'correct' | 'confirm-duplicate' | 'split';
const ACTIONS: Action[] = ['claim', 'entered', 'erp', 'reject', 'reassign', 'correct', 'confirm-duplicate', 'split'];
const DONE: Record<Action, string> = {
  'confirm-duplicate': 'Doublon confirmé : le document reste rattaché à cette commande.',
  split: 'Document séparé : il devient une commande à part, routée comme les autres.',
  claim: 'Commande prise : elle est à vous.',
  entered: 'Saisie faite : enregistrée par le workflow.',
  erp: "Créée dans l'ERP : son numéro est sur la commande.",
  reject: 'Commande rejetée.',
  reassign: "Commande envoyée à l'autre équipe.",
  correct: 'Corrections enregistrées : ce sont maintenant les valeurs de la commande.',
};

interface Authed {
  user: User;
  session: Session;
  csrf: string;
}

/**
 * The workspace in its own scope: cookies (@fastify/cookie) and its own forms (@fastify/formbody)
 * are parsed here only, never on the machine API.
 */
export function registerWorkspace(app: HttpServer, deps: HttpDeps, opts: WorkspaceOptions = {}): void {
  // Checked now, not when the server starts: a weak secret or a bad users file stops the build with its message.
  const secret = opts.sessionSecret ?? sessionSecretFor(deps.cfg.dataDir);
  const usersFile = opts.usersFile === undefined ? deps.cfg.usersFile : opts.usersFile;
  if (usersFile) parseUsers(readFileSync(usersFile, 'utf8'), usersFile);
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: FORM_LIMIT }, scope.getDefaultJsonParser('error', 'error'));
    await scope.register(fastifyFormbody, { bodyLimit: FORM_LIMIT });
    await scope.register(fastifyCookie);
    workspaceRoutes(scope as unknown as HttpServer, deps, opts, secret, usersFile);
  });
}

/** Sign-in and action forms are small; a correction form of a long order stays well below. */
const FORM_LIMIT = 1024 * 1024;

function workspaceRoutes(app: HttpServer, deps: HttpDeps, opts: WorkspaceOptions, secret: Buffer, usersFile: string | null): void {
  const { cfg, readModel, client, log } = deps;
  const store = new DocumentStore(cfg.dataDir);
  const now = opts.now ?? Date.now;
  const secureEnv = opts.secureCookies ?? process.env.AIGUILLAGE_COOKIE_SECURE === 'true';

  // Users are re-read when the file changes, so removing someone takes effect without a restart.
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
  const rules = cached(10_000, (): { set: RuleSet | null; error: string | null; dir: string } => {
    try {
      return { set: loadRuleSet(cfg.rulesDir), error: null, dir: cfg.rulesDir };
    } catch (e) {
      return { set: null, error: (e as Error).message, dir: cfg.rulesDir };
    }
  });
  const masterData = cached(60_000, (): MasterData | null => {
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
    return dashboard(states, q, u, t);
  };

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

  // ---------------------------------------------------------------- inbox, live

  app.get('/', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const t = now();
    return htmlReply(reply, 200, inboxPage(a.user, a.csrf, inbox(visibleStates(a.user), a.user, t), t));
  });
  app.get('/inbox/rows', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const t = now();
    return htmlReply(reply, 200, inboxFragment(inbox(visibleStates(a.user), a.user, t), t).value);
  });

  // One timer for all browsers: when the read model changes, each is told to fetch its own view
  // (nothing but a stamp goes down the stream, so no order leaks to a user who may not see it).
  const streams = new Set<NodeJS.WritableStream & { end(): void }>();
  let stamp = '';
  const tick = setInterval(() => {
    if (streams.size === 0) return;
    try {
      const s = readModel.changeStamp();
      if (s !== stamp) {
        stamp = s;
        for (const w of streams) w.write(`event: changed\ndata: ${s}\n\n`);
      }
    } catch (e) {
      log.warn({ error: (e as Error).message }, 'live inbox: cannot read the read model');
    }
  }, opts.liveIntervalMs ?? 1000);
  tick.unref();
  const keepAlive = setInterval(() => streams.forEach((w) => w.write(': ping\n\n')), 25_000);
  keepAlive.unref();
  app.addHook('preClose', async () => {
    clearInterval(tick);
    clearInterval(keepAlive);
    for (const w of streams) w.end();
    streams.clear();
  });
  app.get('/events', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 3000\nevent: ready\ndata: ${readModel.changeStamp()}\n\n`);
    streams.add(res);
    req.raw.on('close', () => streams.delete(res));
  });

  // ---------------------------------------------------------------- order page and actions

  async function renderOrder(reply: FastifyReply, a: Authed, state: OrderState, docSha: string | undefined, flash: { kind: 'ok' | 'err'; text: string } | null, status = 200) {
    const doc = state.documents.find((d) => d.sha256 === docSha) ?? state.documents[0];
    let document: { sha256: string; html: Html } | null = null;
    if (doc && store.has(doc.sha256)) {
      const bytes = await store.bytes(doc.sha256);
      // The order's values were read from the original or the latest amendment: only there do its boxes belong.
      const contentDoc = [...state.documents].reverse().find((d) => d.role === 'original' || d.role === 'amendment');
      const highlights = contentDoc && contentDoc.sha256 === doc.sha256 && contentDoc.index === doc.index ? highlightsOf(state.order) : [];
      document = { sha256: doc.sha256, html: await renderDocument({ orderId: state.orderId, sha256: doc.sha256, mediaType: doc.mediaType, fileName: doc.fileName }, bytes, highlights) };
    }
    return htmlReply(
      reply,
      status,
      orderPage({ user: a.user, csrf: a.csrf, state, now: now(), canAct: canAct(a.user, state), teams: teamsList(), document, diffs: await amendmentDiffs(state), flash }),
    );
  }

  /** Each amendment against the document before it, from the extractions kept beside the documents. */
  async function amendmentDiffs(state: OrderState) {
    const out: { fileName: string; diff: ReturnType<typeof diffOrders> }[] = [];
    let before = null as OrderState['order'] | null;
    for (const d of state.documents) {
      if (d.role !== 'original' && d.role !== 'amendment') continue;
      const ex = await store.result<{ extracted: { order: OrderState['order'] }[] }>(d.sha256).catch(() => null);
      const order = ex?.extracted[d.index]?.order ?? null;
      if (d.role === 'amendment' && before && order) out.push({ fileName: d.fileName, diff: diffOrders(before, order) });
      if (order) before = order;
    }
    return out;
  }

  const orderFor = async (req: FastifyRequest, reply: FastifyReply, a: Authed): Promise<OrderState | null> => {
    const { id } = req.params as { id: string };
    const state = await loadOrder(id);
    if (!state || !canSee(a.user, state)) {
      // Same answer for "does not exist" and "not yours": the ID alone reveals nothing.
      if (isApi(req)) void reply.status(404).send({ error: `no order ${id}` });
      else void errorPage(reply, a, 404, `Commande ${id} introuvable (ou hors de vos équipes).`);
      return null;
    }
    return state;
  };

  app.get('/orders/:id', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const state = await orderFor(req, reply, a);
    if (!state) return reply;
    const q = req.query as { doc?: string; done?: string };
    const done = ACTIONS.includes(q.done as Action) ? DONE[q.done as Action] : null;
    return renderOrder(reply, a, state, q.doc, done ? { kind: 'ok', text: done } : null);
  });

  /** Runs one action through the workflow. Returns the accepted state, or a message for the agent. */
  async function act(a: Authed, state: OrderState, action: Action, form: Record<string, unknown>): Promise<{ ok: true; state: OrderState } | { ok: false; status: number; message: string }> {
    const by = a.user.login;
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
    try {
      let next: OrderState;
      if (action === 'claim') next = await runAgentAction(client, state.orderId, claimUpdate, { by });
      else if (action === 'entered') next = await runAgentAction(client, state.orderId, markEnteredUpdate, { by, ...(str('erpReference') ? { erpReference: str('erpReference') } : {}) });
      else if (action === 'erp') {
        next = await runAgentAction(client, state.orderId, createInErpUpdate, { by });
        // A refusal is recorded in the history and the order stays to enter: shown as the ERP's reason.
        const last = next.history.at(-1);
        if (!next.erp && last?.event === 'ERP refused') return { ok: false, status: 409, message: `Refusée par l'ERP — ${last.detail ?? ''}` };
      } else if (action === 'reject') next = await runAgentAction(client, state.orderId, rejectUpdate, { by, reason: str('reason') });
      else if (action === 'reassign') {
        const team = str('team');
        if (!teamsList().some((t) => t.id === team)) return { ok: false, status: 400, message: `Équipe « ${team} » inconnue dans les règles actives.` };
        next = await runAgentAction(client, state.orderId, reassignUpdate, { by, team, agent: null, reason: str('reason') });
      } else if (action === 'confirm-duplicate' || action === 'split') {
        const sha256 = str('sha256');
        const index = Number(str('index') || form.index);
        if (!/^[0-9a-f]{64}$/.test(sha256) || !Number.isInteger(index) || index < 0) return { ok: false, status: 400, message: 'Document à préciser : sha256 (64 caractères hexadécimaux) et index (entier ≥ 0).' };
        next =
          action === 'confirm-duplicate'
            ? await runAgentAction(client, state.orderId, confirmDuplicateUpdate, { by, sha256, index })
            : await runAgentAction(client, state.orderId, splitDocumentUpdate, { by, sha256, index, ...(str('reason') ? { reason: str('reason') } : {}) });
      } else {
        const c = correctionsFromForm(state, form);
        if (c.errors.length) return { ok: false, status: 400, message: c.errors.join(' ') };
        if (!c.lines.length && !c.header.length) return { ok: false, status: 400, message: 'Aucun champ modifié : rien à corriger.' };
        next = await runAgentAction(client, state.orderId, correctUpdate, { by, lines: c.lines, header: c.header });
      }
      log.info({ orderId: state.orderId, action, by, revision: next.revision }, 'agent action accepted');
      return { ok: true, state: next };
    } catch (e) {
      if (e instanceof ActionRefused) {
        log.info({ orderId: state.orderId, action, by, refusal: e.message }, 'agent action refused');
        return { ok: false, status: 409, message: e.message };
      }
      log.error({ orderId: state.orderId, action, by, error: (e as Error).message }, 'agent action failed');
      return { ok: false, status: 503, message: "Le moteur de workflow ne répond pas : rien n'a été enregistré, réessayez dans un instant." };
    }
  }

  app.post('/orders/:id/:action', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const action = (req.params as { action: string }).action as Action;
    if (!ACTIONS.includes(action)) return errorPage(reply, a, 404, 'Action inconnue.');
    if (!csrfOk(req, a)) return errorPage(reply, a, 403, 'Formulaire expiré ou envoyé depuis un autre site : rechargez la page et recommencez.');
    const state = await orderFor(req, reply, a);
    if (!state) return reply;
    if (!canAct(a.user, state)) return errorPage(reply, a, 403, "Cette commande n'est pas dans vos équipes.");
    const r = await act(a, state, action, formOf(req));
    if (!r.ok) return renderOrder(reply, a, (await loadOrder(state.orderId)) ?? state, undefined, { kind: 'err', text: r.message }, r.status);
    if (!canSee(a.user, r.state)) return reply.redirect('/?done=reassign', 303);
    return reply.redirect(`/orders/${encodeURIComponent(state.orderId)}?done=${action}`, 303);
  });

  // The document bytes, only through an order the user may see and that the document belongs to.
  const docOf = async (req: FastifyRequest, reply: FastifyReply) => {
    const a = need(req, reply);
    if (!a) return null;
    const state = await orderFor(req, reply, a);
    if (!state) return null;
    const { sha } = req.params as { sha: string };
    const doc = state.documents.find((d) => d.sha256 === sha);
    if (!doc || !store.has(sha)) {
      void reply.status(404).send({ error: `document ${sha} is not part of order ${state.orderId}` });
      return null;
    }
    return { doc, bytes: await store.bytes(sha) };
  };
  const attachmentName = (n: string) => n.replace(/[^\w.\- ]+/g, '_');
  /** Stored bytes with a type we chose from them (never the sender's), unsniffable and sandboxed. */
  const sendDocument = (reply: FastifyReply, bytes: Buffer, fileName: string) => {
    const as = servedAs(bytes);
    return reply
      .header('content-type', as.contentType)
      .header('content-disposition', `${as.disposition}; filename="${attachmentName(fileName)}"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', as.csp)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  };
  app.get('/orders/:id/documents/:sha', async (req, reply) => {
    const d = await docOf(req, reply);
    if (!d) return reply;
    return sendDocument(reply, d.bytes, d.doc.fileName);
  });
  app.get('/orders/:id/documents/:sha/page/:n', async (req, reply) => {
    const d = await docOf(req, reply);
    if (!d) return reply;
    const n = Number.parseInt((req.params as { n: string }).n, 10);
    try {
      const page = Math.max(0, n - 1);
      const png = d.doc.mediaType === 'application/pdf' ? await pdfPagePng(d.bytes, page) : await imagePagePng(d.bytes, page);
      return reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=3600').send(png);
    } catch (e) {
      return reply.status(422).send({ error: `page ${n} of ${d.doc.fileName} cannot be shown: ${(e as Error).message}` });
    }
  });
  app.get('/orders/:id/documents/:sha/attachments/:i', async (req, reply) => {
    const d = await docOf(req, reply);
    if (!d) return reply;
    const att = await emailAttachment(d.bytes, Number((req.params as { i: string }).i)).catch(() => null);
    if (!att) return reply.status(404).send({ error: 'no such attachment' });
    if (servedAs(att.content).contentType === 'image/tiff') return sendDocument(reply, await imagePagePng(att.content, 0), `${att.fileName}.png`);
    return sendDocument(reply, att.content, att.fileName);
  });

  // ---------------------------------------------------------------- dashboard, search, rules

  app.get('/dashboard', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    if (!canSeeDashboard(a.user)) return errorPage(reply, a, 403, 'Le tableau de bord est réservé aux chefs d’équipe et aux responsables.');
    const retried = (req.query as { retried?: string }).retried;
    const flash = retried ? { kind: 'ok' as const, text: `Relance lancée pour ${retried} : le document est relu ; il quitte la quarantaine une fois ses commandes transmises.` } : null;
    return htmlReply(reply, 200, dashboardPage(a.user, a.csrf, await dashboardOf(a.user), now(), names(), flash));
  });
  // "Relancer": a manager starts the intake of a quarantined document again, once its cause is fixed.
  app.post('/quarantine/:sha/retry', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    if (!seesAll(a.user)) return errorPage(reply, a, 403, 'Relancer un document est réservé aux responsables.');
    if (!csrfOk(req, a)) return errorPage(reply, a, 403, 'Formulaire expiré ou envoyé depuis un autre site : rechargez la page et recommencez.');
    const { sha } = req.params as { sha: string };
    try {
      const r = await retryIntake(quarantineDeps, sha, a.user.login);
      return reply.redirect(`/dashboard?retried=${encodeURIComponent(r.fileName.slice(0, 100))}#quarantaine`, 303);
    } catch (e) {
      if (!(e instanceof RetryRefused)) throw e;
      const why = { unknown: 'document inconnu', delivered: 'le document a déjà été transmis, ses commandes sont dans la corbeille', running: 'une lecture de ce document est déjà en cours, attendez qu’elle se termine' }[e.kind];
      return htmlReply(reply, e.status, dashboardPage(a.user, a.csrf, await dashboardOf(a.user), now(), names(), { kind: 'err', text: `Relance refusée : ${why}.` }));
    }
  });

  const search = (u: User, q: string) => {
    if (!q.trim()) return { orders: [] as OrderState[], quarantine: [] };
    return { orders: readModel.list({ query: q, limit: 50, ...(seesAll(u) ? {} : { teams: u.teams }) }), quarantine: seesAll(u) ? readModel.searchQuarantine(q) : [] };
  };
  app.get('/search', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const q = String((req.query as { q?: string }).q ?? '').slice(0, 200);
    const r = search(a.user, q);
    return htmlReply(reply, 200, searchPage(a.user, a.csrf, q, r.orders, r.quarantine, now()));
  });

  const explain = (state: OrderState) => {
    const set = rules().set;
    const md = masterData();
    if (!set || !md) return null;
    const customer = md.customers.find((c) => c.id === state.customerId);
    try {
      return explainRoute(set, {
        order: state.order,
        channel: state.documents[0]?.channel ?? null,
        customer: customer ? { id: customer.id, market: customer.market } : null,
        products: md.products.map((p) => ({ sku: p.sku, productLine: p.productLine, listPrice: p.listPrice })),
        loads: {},
        now: state.sla.receivedAt,
      });
    } catch (e) {
      log.warn({ orderId: state.orderId, error: (e as Error).message }, 'rules page: cannot explain the route');
      return null;
    }
  };
  app.get('/rules', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const id = (req.query as { order?: string }).order;
    const state = id ? await loadOrder(id) : null;
    const visible = state && canSee(a.user, state) ? state : null;
    const ex = visible ? explain(visible) : null;
    const exHtml = ex
      ? html`<h3>Avec les règles actives, aujourd'hui</h3><p class="small">Décision : <b>${ex.decision.teamName}</b> — ${ex.decision.reason}</p>
        <table class="small"><thead><tr><th>Règle</th><th>Équipe</th><th>Résultat</th><th>Pourquoi</th></tr></thead><tbody>
        ${ex.rules.map((r) => html`<tr class="${r.chosen ? 'mine' : ''}"><td><code>${r.ruleId}</code></td><td>${r.team}</td><td>${r.chosen ? html`<b>retenue</b>` : r.matched ? 's’applique' : r.trace.result === 'unknown' ? 'inconnu' : 'non'}</td><td>${r.trace.why}</td></tr>`)}
        </tbody></table>`
      : null;
    return htmlReply(reply, 200, rulesPage(a.user, a.csrf, rules(), visible, exHtml));
  });

  // ---------------------------------------------------------------- the same data as JSON

  app.get('/api/workspace/me', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    return { login: a.user.login, name: a.user.name, role: a.user.role, teams: a.user.teams, csrfToken: a.csrf };
  });
  app.get('/api/workspace/inbox', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    return inbox(visibleStates(a.user), a.user, now());
  });
  app.get('/api/workspace/orders/:id', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const state = await orderFor(req, reply, a);
    if (!state) return reply;
    return { ...orderJson(state, new Date(now())), state, canAct: canAct(a.user, state), amendments: await amendmentDiffs(state) };
  });
  app.post('/api/workspace/orders/:id/actions/:action', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const action = (req.params as { action: string }).action as Action;
    if (!ACTIONS.includes(action)) return reply.status(404).send({ error: `unknown action ${action}; one of ${ACTIONS.join(', ')}` });
    if (!csrfOk(req, a)) return reply.status(403).send({ error: 'missing or wrong CSRF token (header x-csrf-token, from GET /api/workspace/me)' });
    const state = await orderFor(req, reply, a);
    if (!state) return reply;
    if (!canAct(a.user, state)) return reply.status(403).send({ error: 'this order is not in your teams' });
    const r = await act(a, state, action, formOf(req));
    if (!r.ok) return reply.status(r.status).send({ error: r.message, code: r.status === 409 ? 'ACTION_REFUSED' : r.status === 400 ? 'INVALID_INPUT' : 'UNAVAILABLE' });
    return { ...orderJson(r.state, new Date(now())), state: r.state };
  });
  app.get('/api/workspace/dashboard', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    if (!canSeeDashboard(a.user)) return reply.status(403).send({ error: 'the dashboard is for team leads and managers' });
    return await dashboardOf(a.user);
  });
  app.get('/api/workspace/search', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const r = search(a.user, String((req.query as { q?: string }).q ?? ''));
    return { orders: r.orders.map((s) => ({ ...orderJson(s, new Date(now())), history: s.history })), quarantine: r.quarantine };
  });
  app.get('/api/workspace/rules', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const r = rules();
    const id = (req.query as { order?: string }).order;
    const state = id ? await loadOrder(id) : null;
    const visible = state && canSee(a.user, state) ? state : null;
    return { dir: r.dir, error: r.error, ruleSet: r.set, order: visible ? { orderId: visible.orderId, route: visible.route, explanation: explain(visible) } : null };
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
