// The JSON shapes of DESIGN.md, built from an order state; the SLA state is judged at read time.
import type { OrderState } from './order-model';
import { duplicatesToCheck } from './order-state';
import { slaStateOf } from './sla';

/** One object of `orders --json`. */
export function orderJson(state: OrderState, now = new Date()) {
  return {
    orderId: state.orderId,
    status: state.status,
    customerId: state.customerId,
    poNumber: state.poNumber,
    shipTo: state.order.shipTo,
    documents: state.documents.map((d) => ({
      sha256: d.sha256, index: d.index, fileName: d.fileName, channel: d.channel, receivedAt: d.receivedAt, role: d.role,
      ...(d.probable ? { probable: true } : {}), ...(d.confirmedBy ? { confirmedBy: d.confirmedBy } : {}), ...(d.splitTo ? { splitTo: d.splitTo } : {}),
    })),
    /** Probable duplicates awaiting an agent's decision (POST …/actions/confirm-duplicate or …/actions/split). */
    duplicatesToCheck: duplicatesToCheck(state).map((d) => ({ sha256: d.sha256, index: d.index, fileName: d.fileName, channel: d.channel, receivedAt: d.receivedAt })),
    route: state.route ? { team: state.route.team, agent: state.claimedBy ?? state.route.agent, ruleId: state.route.ruleId, reason: state.route.reason } : null,
    sla: { receivedAt: state.sla.receivedAt, dueAt: state.sla.dueAt, enteredAt: state.sla.enteredAt, state: slaStateOf(state, now) },
    lines: state.order.lines,
    problems: state.problems,
  };
}
export type OrderJson = ReturnType<typeof orderJson>;
