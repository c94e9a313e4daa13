// The production router behind the `routeOrder` activity: the rule directory kept loaded (reloaded
// when its files change, the last good set kept when an edit is bad), master data for markets and
// product lines, and agent loads from the read model. Node-side (activities), not workflow code.
import type { MasterData } from '../domain/masterdata';
import type { Channel, Order } from '../domain/order';
import { decideRoute } from './engine';
import { formatRuleError, InvalidRules } from './errors';
import { RuleSetHolder, type HolderStatus } from './load';
import type { AgentLoad, ProductFact, RouteDecision, RuleSet, Team } from './types';

export interface RouterLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RouterOptions {
  rulesDir: string;
  /** Current master data (called per order, so a reloaded master data is seen at once). */
  masterData: () => MasterData;
  /** Open orders and last assignment per agent, e.g. counted from the read model. */
  loads?: () => Record<string, AgentLoad>;
  log?: RouterLog;
  /** Reload when the files change (default true); tests call reload() themselves. */
  watch?: boolean;
  now?: () => Date;
}

export interface Router {
  route(input: { order: Order; channels: readonly Channel[] }): RouteDecision;
  status(): HolderStatus;
  /** The rule set in force (the last good one when an edit is bad). */
  ruleSet(): RuleSet;
  /** A team of the rule set in force (its lead, agents…); null when unknown. */
  team(id: string): Team | null;
  /** Re-reads the rule directory now; returns whether the rule set in force changed. */
  reload(): boolean;
  close(): void;
}

/** Throws InvalidRules when the rules are bad at start: a worker must not start without rules. */
export function createRouter(opts: RouterOptions): Router {
  const log = opts.log;
  const holder = new RuleSetHolder(opts.rulesDir, {
    onReload: (s) => {
      if (s.lastError) log?.error({ rulesDir: opts.rulesDir, version: s.version, errors: s.lastError instanceof InvalidRules ? s.lastError.errors.map(formatRuleError) : [s.lastError.message] }, 'routing rules not reloaded: the previous rules stay in force');
      else if (s.changed) log?.info({ rulesDir: opts.rulesDir, version: s.version }, 'routing rules loaded');
    },
  });
  const stop = opts.watch === false ? (holder.reload(), () => {}) : holder.watch();
  if (!holder.current) {
    stop();
    throw holder.lastError ?? new InvalidRules([{ file: opts.rulesDir, line: 0, column: 0, message: 'no rules loaded' }]);
  }
  return {
    route({ order, channels }) {
      const md = opts.masterData();
      const customer = order.customer.id ? md.customer(order.customer.id) : undefined;
      const products: ProductFact[] = [];
      for (const l of order.lines) {
        const p = l.sku ? md.product(l.sku) : undefined;
        if (p) products.push({ sku: p.sku, productLine: p.productLine, listPrice: p.listPrice });
      }
      return decideRoute(holder.current!, {
        order,
        // The order's first document decides its channel (an EDI order stays EDI when its PDF copy follows).
        channel: channels[0] ?? null,
        customer: customer ? { id: customer.id, market: customer.market } : order.customer.id ? { id: order.customer.id, market: null } : null,
        products,
        loads: opts.loads?.() ?? {},
        now: (opts.now ?? (() => new Date()))(),
      });
    },
    status: () => holder.status(),
    ruleSet: () => holder.current!,
    team: (id) => holder.current?.teams.find((t) => t.id === id) ?? null,
    reload: () => holder.reload(),
    close: stop,
  };
}
