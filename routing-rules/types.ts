// The compiled rule set and the routing decision: plain JSON, so that an activity can load the
// rules and hand them to the order workflow, which decides with the pure engine (engine.ts).
import type { Channel, Order } from '../domain/order';

export type Assignment = 'least-loaded' | 'round-robin';
export type ProductLineMode = 'any' | 'all' | 'most';

export type Condition =
  | { kind: 'all'; of: Condition[] }
  | { kind: 'any'; of: Condition[] }
  | { kind: 'not'; of: Condition }
  | { kind: 'country'; values: string[] }
  /** INSEE region codes. */
  | { kind: 'region'; values: string[] }
  | { kind: 'departement'; values: string[] }
  | { kind: 'postal_code'; prefixes: string[] }
  | { kind: 'product_line'; mode: ProductLineMode; values: string[] }
  /** The share of one product line in the order, by lines or by amount: atLeast ≤ share < below (0…1). */
  | { kind: 'product_share'; line: string; by: 'lines' | 'amount'; atLeast: number | null; below: number | null }
  | { kind: 'market'; values: string[] }
  | { kind: 'customer'; values: string[] }
  | { kind: 'channel'; values: Channel[] }
  /** Order amount in the order currency: atLeast ≤ amount < below. */
  | { kind: 'amount'; atLeast: number | null; below: number | null };

export interface SourceRef {
  file: string;
  line: number;
}

export interface Absence {
  /** Inclusive calendar dates (Europe/Paris), YYYY-MM-DD. */
  from: string;
  to: string;
  reason: string | null;
}

export interface Agent {
  id: string;
  name: string;
  skills: string[];
  /** Open orders this agent can carry; null = no limit. */
  capacity: number | null;
  absences: Absence[];
}

export interface Team {
  id: string;
  name: string;
  assignment: Assignment;
  /** Who hears about orders at risk (email address or webhook URL); null = nobody configured. */
  lead: string | null;
  agents: Agent[];
  source: SourceRef;
}

export interface Rule {
  id: string;
  description: string | null;
  when: Condition;
  team: string;
  /** Prefer agents with this skill inside the team. */
  skill: string | null;
  source: SourceRef;
}

export interface RuleSet {
  /** Content hash of the rule files ("sha256:…" over names and bytes, in name order). */
  version: string;
  files: string[];
  teams: Team[];
  rules: Rule[];
  fallback: { team: string; skill: string | null; source: SourceRef };
}

/** What the router knows of one catalogue item (products.csv). */
export interface ProductFact {
  sku: string;
  productLine: string;
  listPrice: number | null;
}

/** Current load of an agent, from the open orders (the caller counts them). */
export interface AgentLoad {
  open: number;
  /** Last time an order was assigned to this agent (ISO 8601); drives round robin. */
  lastAssignedAt?: string | null;
}

export interface RouteInput {
  order: Pick<Order, 'customer' | 'shipTo' | 'lines'> & Partial<Pick<Order, 'poNumber' | 'currency'>>;
  channel: Channel | null;
  /** The customer's master-data record, when identified: its market (customers.csv). */
  customer: { id: string; market: string | null } | null;
  /** Catalogue facts for (at least) the order's SKUs. */
  products: ProductFact[] | Record<string, ProductFact>;
  loads: Record<string, AgentLoad>;
  now: string | Date;
}

/** The rules' decision is the order's route (domain/order-model.ts): one type, names always filled here. */
export type { RouteDecision } from '../domain/order-model';
