// The order page and the agents' actions on it; each action is a workflow update, and the page shows
// what the workflow accepted (or its refusal, in its own words).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServer } from '../../http/types';
import { runAgentAction, ActionRefused } from '../actions';
import { claimUpdate, confirmDuplicateUpdate, correctUpdate, createInErpUpdate, undoTouchlessUpdate, markEnteredUpdate, reassignUpdate, rejectUpdate, splitDocumentUpdate } from '../../workflows/definitions';
import type { OrderState } from '../../domain/order-model';
import { canAct, canSee } from '../auth';
import { diffOrders } from '../../domain/dedup';
import { correctionsFromForm } from '../corrections';
import { orderPage } from '../pages';
import { highlightsOf, renderDocument } from '../document';
import type { Html } from '../html';
import { type Authed, type WorkspaceContext } from './context';

export type Action = 'claim' | 'entered' | 'erp' | 'undo-touchless' | 'reject' | 'reassign' | 'correct' | 'confirm-duplicate' | 'split';
export const ACTIONS: Action[] = ['claim', 'entered', 'erp', 'undo-touchless', 'reject', 'reassign', 'correct', 'confirm-duplicate', 'split'];
export const DONE: Record<Action, string> = {
  'confirm-duplicate': 'Doublon confirmé : le document reste rattaché à cette commande.',
  split: 'Document séparé : il devient une commande à part, routée comme les autres.',
  claim: 'Commande prise : elle est à vous.',
  entered: 'Saisie faite : enregistrée par le workflow.',
  erp: "Créée dans l'ERP : son numéro est sur la commande.",
  'undo-touchless': "Saisie automatique annulée : la vente est annulée dans l'ERP, la commande est à saisir.",
  reject: 'Commande rejetée.',
  reassign: "Commande envoyée à l'autre équipe.",
  correct: 'Corrections enregistrées : ce sont maintenant les valeurs de la commande.',
};

export async function renderOrder(ctx: WorkspaceContext, reply: FastifyReply, a: Authed, state: OrderState, docSha: string | undefined, flash: { kind: 'ok' | 'err'; text: string } | null, status = 200) {
  const { store, now, teamsList, htmlReply } = ctx;
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
    orderPage({ user: a.user, csrf: a.csrf, state, now: now(), canAct: canAct(a.user, state), teams: teamsList(), document, diffs: await amendmentDiffs(ctx, state), flash, erpView: ctx.readModel.erpViews().get(state.orderId) }),
  );
}

/** Each amendment against the document before it, from the extractions kept beside the documents. */
export async function amendmentDiffs(ctx: WorkspaceContext, state: OrderState) {
  const { store } = ctx;
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

export async function orderFor(ctx: WorkspaceContext, req: FastifyRequest, reply: FastifyReply, a: Authed): Promise<OrderState | null> {
  const { isApi, errorPage, loadOrder } = ctx;
  const { id } = req.params as { id: string };
  const state = await loadOrder(id);
  if (!state || !canSee(a.user, state)) {
    // Same answer for "does not exist" and "not yours": the ID alone reveals nothing.
    if (isApi(req)) void reply.status(404).send({ error: `no order ${id}` });
    else void errorPage(reply, a, 404, `Commande ${id} introuvable (ou hors de vos équipes).`);
    return null;
  }
  return state;
}

/** Runs one action through the workflow. Returns the accepted state, or a message for the agent. */
export async function act(ctx: WorkspaceContext, a: Authed, state: OrderState, action: Action, form: Record<string, unknown>): Promise<{ ok: true; state: OrderState } | { ok: false; status: number; message: string }> {
  const { client, log, teamsList } = ctx;
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
    } else if (action === 'undo-touchless') {
      next = await runAgentAction(client, state.orderId, undoTouchlessUpdate, { by, ...(str('reason') ? { reason: str('reason') } : {}) });
      const last = next.history.at(-1);
      if (next.status === 'entered' && last?.event === 'ERP refused') return { ok: false, status: 409, message: `Refusée par l'ERP — ${last.detail ?? ''}` };
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

export function registerOrderRoutes(app: HttpServer, ctx: WorkspaceContext): void {
  const { need, errorPage, formOf, csrfOk, loadOrder } = ctx;
  app.get('/orders/:id', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const state = await orderFor(ctx, req, reply, a);
    if (!state) return reply;
    const q = req.query as { doc?: string; done?: string };
    const done = ACTIONS.includes(q.done as Action) ? DONE[q.done as Action] : null;
    return renderOrder(ctx, reply, a, state, q.doc, done ? { kind: 'ok', text: done } : null);
  });

  app.post('/orders/:id/:action', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const action = (req.params as { action: string }).action as Action;
    if (!ACTIONS.includes(action)) return errorPage(reply, a, 404, 'Action inconnue.');
    if (!csrfOk(req, a)) return errorPage(reply, a, 403, 'Formulaire expiré ou envoyé depuis un autre site : rechargez la page et recommencez.');
    const state = await orderFor(ctx, req, reply, a);
    if (!state) return reply;
    if (!canAct(a.user, state)) return errorPage(reply, a, 403, "Cette commande n'est pas dans vos équipes.");
    const r = await act(ctx, a, state, action, formOf(req));
    if (!r.ok) return renderOrder(ctx, reply, a, (await loadOrder(state.orderId)) ?? state, undefined, { kind: 'err', text: r.message }, r.status);
    if (!canSee(a.user, r.state)) return reply.redirect('/?done=reassign', 303);
    return reply.redirect(`/orders/${encodeURIComponent(state.orderId)}?done=${action}`, 303);
  });
}
