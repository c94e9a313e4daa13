// /api/workspace/*: the same data as the pages, as JSON, behind the same session and CSRF token.
import type { HttpServer } from '../../http/types';
import { orderJson } from '../../domain/order-json';
import { canAct, canSee, canSeeDashboard } from '../auth';
import { inbox } from '../model';
import { classeOf, type WorkspaceContext } from './context';
import { ACTIONS, act, amendmentDiffs, orderFor, type Action } from './orders';
import { explain, search } from './manager';


export function registerJsonRoutes(app: HttpServer, ctx: WorkspaceContext): void {
  const { now, rules, need, formOf, csrfOk, loadOrder, visibleStates, dashboardOf } = ctx;
  // ---------------------------------------------------------------- the same data as JSON

  app.get('/api/workspace/me', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    return { login: a.user.login, name: a.user.name, role: a.user.role, teams: a.user.teams, csrfToken: a.csrf };
  });
  app.get('/api/workspace/inbox', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    return inbox(visibleStates(a.user), a.user, now(), undefined, { views: ctx.readModel.erpViews(), classe: classeOf(req) });
  });
  app.get('/api/workspace/orders/:id', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const state = await orderFor(ctx, req, reply, a);
    if (!state) return reply;
    return { ...orderJson(state, new Date(now())), state, canAct: canAct(a.user, state), amendments: await amendmentDiffs(ctx, state) };
  });
  app.post('/api/workspace/orders/:id/actions/:action', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const action = (req.params as { action: string }).action as Action;
    if (!ACTIONS.includes(action)) return reply.status(404).send({ error: `unknown action ${action}; one of ${ACTIONS.join(', ')}` });
    if (!csrfOk(req, a)) return reply.status(403).send({ error: 'missing or wrong CSRF token (header x-csrf-token, from GET /api/workspace/me)' });
    const state = await orderFor(ctx, req, reply, a);
    if (!state) return reply;
    if (!canAct(a.user, state)) return reply.status(403).send({ error: 'this order is not in your teams' });
    const r = await act(ctx, a, state, action, formOf(req));
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
    const r = search(ctx, a.user, String((req.query as { q?: string }).q ?? ''));
    return { orders: r.orders.map((s) => ({ ...orderJson(s, new Date(now())), history: s.history })), quarantine: r.quarantine };
  });
  app.get('/api/workspace/rules', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const r = rules();
    const id = (req.query as { order?: string }).order;
    const state = id ? await loadOrder(id) : null;
    const visible = state && canSee(a.user, state) ? state : null;
    return { dir: r.dir, error: r.error, ruleSet: r.set, order: visible ? { orderId: visible.orderId, route: visible.route, explanation: explain(ctx, visible) } : null };
  });
}
