// For team leads and managers: the dashboard, the quarantine's retry, search, and the rules in force
// with the explanation of an order's route.
import type { HttpServer } from '../../http/types';
import { retryIntake, RetryRefused } from '../../intake/quarantine';
import type { OrderState } from '../../domain/order-model';
import { explainRoute } from '../../routing-rules/engine';
import { canSee, canSeeDashboard, seesAll, type User } from '../auth';
import { dashboardPage, rulesPage, searchPage } from '../pages';
import { html } from '../html';
import { type WorkspaceContext } from './context';

export function search(ctx: WorkspaceContext, u: User, q: string) {
  const { readModel } = ctx;
  if (!q.trim()) return { orders: [] as OrderState[], quarantine: [] };
  return { orders: readModel.list({ query: q, limit: 50, ...(seesAll(u) ? {} : { teams: u.teams }) }), quarantine: seesAll(u) ? readModel.searchQuarantine(q) : [] };
}

export function explain(ctx: WorkspaceContext, state: OrderState) {
  const { log, rules, masterData } = ctx;
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
}


export function registerManagerRoutes(app: HttpServer, ctx: WorkspaceContext): void {
  const { now, rules, names, need, htmlReply, errorPage, csrfOk, loadOrder, quarantineDeps, dashboardOf } = ctx;
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

  app.get('/search', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const q = String((req.query as { q?: string }).q ?? '').slice(0, 200);
    const r = search(ctx, a.user, q);
    return htmlReply(reply, 200, searchPage(a.user, a.csrf, q, r.orders, r.quarantine, now(), ctx.readModel.erpViews()));
  });

  app.get('/rules', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const id = (req.query as { order?: string }).order;
    const state = id ? await loadOrder(id) : null;
    const visible = state && canSee(a.user, state) ? state : null;
    const ex = visible ? explain(ctx, visible) : null;
    const exHtml = ex
      ? html`<h3>Avec les règles actives, aujourd'hui</h3><p class="small">Décision : <b>${ex.decision.teamName}</b> — ${ex.decision.reason}</p>
        <table class="small"><thead><tr><th>Règle</th><th>Équipe</th><th>Résultat</th><th>Pourquoi</th></tr></thead><tbody>
        ${ex.rules.map((r) => html`<tr class="${r.chosen ? 'mine' : ''}"><td><code>${r.ruleId}</code></td><td>${r.team}</td><td>${r.chosen ? html`<b>retenue</b>` : r.matched ? 's’applique' : r.trace.result === 'unknown' ? 'inconnu' : 'non'}</td><td>${r.trace.why}</td></tr>`)}
        </tbody></table>`
      : null;
    return htmlReply(reply, 200, rulesPage(a.user, a.csrf, rules(), visible, exHtml));
  });
}
