// The order workflow's side effects: its route (the rules, routing-rules/router.ts, injected as
// deps.route), the EDI confirmation to the partner, and the read model every reader uses.
import { COUNTED_ORDER_EVENTS, metrics } from '../worker/metrics';
import type { OrderState, RouteDecision } from '../domain/order-model';
import type { ActivityDeps, OrderToRoute } from './deps';

export const DEFAULT_ROUTE: RouteDecision = { team: 'ADV', agent: null, ruleId: 'default', rulesVersion: 'none', reason: 'aucune règle de routage configurée : équipe ADV par défaut' };

export function createOrderActivities(deps: ActivityDeps) {
  const { log } = deps;
  return {
    async routeOrder(input: OrderToRoute): Promise<RouteDecision> {
      const decision = deps.route ? await deps.route(input) : DEFAULT_ROUTE;
      log.info({ orderId: input.orderId, team: decision.team, agent: decision.agent, ruleId: decision.ruleId }, 'order routed');
      return decision;
    },

    /** Confirm an EDI order to its partner (855 / ORDRSP) when the partner asked for confirmations. */
    async confirmOrder(state: OrderState): Promise<void> {
      if (deps.confirmOrder) await deps.confirmOrder(state);
    },

    async publishOrder(state: OrderState): Promise<void> {
      const event = state.history[state.history.length - 1]?.event;
      if (deps.readModel.upsert(state) && event && COUNTED_ORDER_EVENTS.has(event)) metrics.orders.inc({ event });
    },
  };
}
