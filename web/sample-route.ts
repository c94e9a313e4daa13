// Routes orders with a rule directory and the master data, for the workspace's end-to-end test and
// screenshots: the same engine the order workflow's routing activity uses, loads counted from the
// read model. (The production activity belongs to the routing engine; this only feeds demo stacks.)
import { loadRuleSet } from '../routing-rules/load';
import { routeOrder } from '../routing-rules/engine';
import { loadMasterData } from '../domain/masterdata';
import type { RouteInput } from '../activities/index';
import type { RouteDecision } from '../workflows/definitions';
import type { AgentLoad } from '../routing-rules/types';

export function sampleRouter(rulesDir: string, masterDataDir: string, loads: () => Record<string, AgentLoad> = () => ({})) {
  const set = loadRuleSet(rulesDir);
  const md = loadMasterData(masterDataDir);
  const products = md.products.map((p) => ({ sku: p.sku, productLine: p.productLine, listPrice: p.listPrice }));
  return (input: RouteInput): RouteDecision => {
    const c = md.customers.find((x) => x.id === input.order.customer.id);
    const d = routeOrder(set, {
      order: input.order,
      channel: input.channels[0] ?? null,
      customer: c ? { id: c.id, market: c.market } : null,
      products,
      loads: loads(),
      now: new Date(),
    });
    return { team: d.team, agent: d.agent, ruleId: d.ruleId, rulesVersion: d.rulesVersion, reason: d.reason };
  };
}
