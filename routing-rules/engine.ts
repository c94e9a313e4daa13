// The routing decision: ordered rules, first match wins, then an agent inside the team.
// Pure and deterministic (same input → same decision), so the order workflow can call it directly.
import { toEpochMs, wallTime } from '../domain/sla';
import { departementOf, regionOf, REGIONS } from './territory';
import type { Agent, AgentLoad, Condition, ProductFact, Rule, RouteDecision, RouteInput, RuleSet, Team } from './types';
import { euros } from '../domain/format';
import { orderAmount } from '../domain/amount';

/** Three-valued: a condition on a missing fact (no ship-to, unknown SKU) is 'unknown', and so is its negation. */
export type MatchResult = 'match' | 'no-match' | 'unknown';

export interface ConditionTrace {
  /** The condition as written, e.g. "departement ∈ [69, 01]". */
  condition: string;
  result: MatchResult;
  /** result === 'match'. */
  matched: boolean;
  /** Why, in French: "livraison dans le 38, pas dans 69, 01". */
  why: string;
  children?: ConditionTrace[];
}

export interface RuleTrace {
  ruleId: string;
  file: string;
  line: number;
  team: string;
  matched: boolean;
  /** True for the first matching rule: the one that decided. */
  chosen: boolean;
  trace: ConditionTrace;
}

export interface AgentTrace {
  agent: string;
  name: string;
  /** 'chosen' | 'candidate' | 'absent' | 'full' | 'lacks skill'. */
  status: string;
  open: number;
  capacity: number | null;
}

export interface RouteExplanation {
  decision: RouteDecision;
  rules: RuleTrace[];
  agents: AgentTrace[];
}

interface Facts {
  customerId: string | null;
  market: string | null;
  channel: string | null;
  country: string | null;
  postalCode: string | null;
  departement: string | null;
  region: string | null;
  /** Product line of each order line; null when the SKU is unknown. */
  lineProductLines: (string | null)[];
  /** Quantity × price of each line (list price when the line has none); null when unknown. */
  lineAmounts: (number | null)[];
  amount: { value: number | null; why: string };
}

export function decideRoute(ruleSet: RuleSet, input: RouteInput): RouteDecision {
  return decide(ruleSet, input, false).decision;
}

/** Every rule tried (not only up to the match), why each did or did not match, and the agents considered. */
export function explainRoute(ruleSet: RuleSet, input: RouteInput): RouteExplanation {
  return decide(ruleSet, input, true);
}

function decide(ruleSet: RuleSet, input: RouteInput, all: boolean): RouteExplanation {
  const facts = factsOf(input);
  const traces: RuleTrace[] = [];
  let chosen: { rule: Rule; trace: ConditionTrace } | null = null;
  for (const rule of ruleSet.rules) {
    if (chosen && !all) break;
    const trace = evaluate(rule.when, facts);
    const isChosen = trace.matched && !chosen;
    if (isChosen) chosen = { rule, trace };
    traces.push({ ruleId: rule.id, file: rule.source.file, line: rule.source.line, team: rule.team, matched: trace.matched, chosen: isChosen, trace });
  }
  const teamId = chosen ? chosen.rule.team : ruleSet.fallback.team;
  const skill = chosen ? chosen.rule.skill : ruleSet.fallback.skill;
  const team = ruleSet.teams.find((t) => t.id === teamId);
  // compileRuleSet guarantees every team reference; a hand-built RuleSet might not.
  if (!team) throw new Error(`rule set ${ruleSet.version}: team "${teamId}" is not defined`);
  const pick = assignAgent(team, skill, input.loads, input.now);
  const why = chosen ? chosen.trace.why : 'aucune règle ne s’applique';
  const teamPart = chosen ? `équipe ${team.name}` : `équipe ${team.name} (par défaut)`;
  const decision: RouteDecision = {
    team: team.id,
    teamName: team.name,
    agent: pick.agent?.id ?? null,
    agentName: pick.agent?.name ?? null,
    ruleId: chosen ? chosen.rule.id : 'fallback',
    rulesVersion: ruleSet.version,
    reason: `${why} → ${teamPart} ; ${pick.why}`,
  };
  return { decision, rules: traces, agents: pick.trace };
}

// ------------------------------------------------------------------ facts

function factsOf(input: RouteInput): Facts {
  const { order } = input;
  const products = productIndex(input.products);
  const country = order.shipTo.country?.trim().toUpperCase() || null;
  const postalCode = order.shipTo.postalCode?.replace(/\s/g, '') || null;
  const departement = country === 'FR' ? departementOf(postalCode) : null;
  return {
    customerId: input.customer?.id ?? order.customer.id ?? null,
    market: input.customer?.market ?? null,
    channel: input.channel,
    country,
    postalCode,
    departement,
    region: regionOf(departement)?.code ?? null,
    lineProductLines: order.lines.map((l) => (l.sku ? (products.get(l.sku.toUpperCase())?.productLine.toUpperCase() ?? null) : null)),
    lineAmounts: order.lines.map((l) => {
      const price = l.unitPrice ?? (l.sku ? (products.get(l.sku.toUpperCase())?.listPrice ?? null) : null);
      return l.quantity === null || price === null ? null : l.quantity * price;
    }),
    amount: amountFact(order.lines, products),
  };
}

function productIndex(p: RouteInput['products']): Map<string, ProductFact> {
  const list = Array.isArray(p) ? p : Object.values(p);
  return new Map(list.map((x) => [x.sku.toUpperCase(), x]));
}

/** The order's amount (domain/amount.ts), with the reason routing explains it by. */
function amountFact(lines: RouteInput['order']['lines'], products: Map<string, ProductFact>): Facts['amount'] {
  const a = orderAmount(lines, (sku) => products.get(sku.toUpperCase())?.listPrice ?? null);
  if (a.value === null) return { value: null, why: a.missing ? `montant inconnu (ligne ${a.missing.lineNumber} sans ${a.missing.what})` : 'commande sans ligne' };
  return { value: a.value, why: a.estimatedLines ? `montant ${euros(a.value)} (${a.estimatedLines} ligne(s) au prix catalogue)` : `montant ${euros(a.value)}` };
}

// ------------------------------------------------------------------ conditions

function evaluate(c: Condition, f: Facts): ConditionTrace {
  switch (c.kind) {
    case 'all': {
      const children = c.of.map((x) => evaluate(x, f));
      const failed = children.filter((x) => x.result === 'no-match');
      const unknown = children.filter((x) => x.result === 'unknown');
      const result: MatchResult = failed.length ? 'no-match' : unknown.length ? 'unknown' : 'match';
      return {
        condition: `all(${children.map((x) => x.condition).join(', ')})`,
        result,
        matched: result === 'match',
        why: result === 'match' ? children.map((x) => x.why).join(' et ') : [...failed, ...unknown].map((x) => x.why).join(' ; '),
        children,
      };
    }
    case 'any': {
      const children = c.of.map((x) => evaluate(x, f));
      const hit = children.find((x) => x.result === 'match');
      const result: MatchResult = hit ? 'match' : children.some((x) => x.result === 'unknown') ? 'unknown' : 'no-match';
      return {
        condition: `any(${children.map((x) => x.condition).join(', ')})`,
        result,
        matched: result === 'match',
        why: hit ? hit.why : `aucune des conditions : ${children.map((x) => x.why).join(' ; ')}`,
        children,
      };
    }
    case 'not': {
      // Not knowing is not a "no": "not FR" must not send an order without address abroad.
      const inner = evaluate(c.of, f);
      const result: MatchResult = inner.result === 'unknown' ? 'unknown' : inner.result === 'match' ? 'no-match' : 'match';
      return { condition: `not(${inner.condition})`, result, matched: result === 'match', why: inner.result === 'match' ? `exclu : ${inner.why}` : inner.why, children: [inner] };
    }
    case 'country':
      return member(`country ∈ [${c.values.join(', ')}]`, f.country, c.values, (v) => `livraison en ${v}`, 'pays de livraison inconnu');
    case 'departement':
      if (f.country && f.country !== 'FR') return known(`departement ∈ [${c.values.join(', ')}]`, false, `livraison en ${f.country}, hors de France`);
      return member(`departement ∈ [${c.values.join(', ')}]`, f.departement, c.values, (v) => `livraison dans le ${v}`, territoryUnknown(f, 'département'));
    case 'region': {
      if (f.country && f.country !== 'FR') return known(`region ∈ [${c.values.join(', ')}]`, false, `livraison en ${f.country}, hors de France`);
      const names = c.values.map((code) => REGIONS.find((r) => r.code === code)?.name ?? code);
      const name = f.region ? (REGIONS.find((r) => r.code === f.region)?.name ?? f.region) : null;
      return member(`region ∈ [${names.join(', ')}]`, name, names, (v) => `livraison en ${v}`, territoryUnknown(f, 'région'));
    }
    case 'postal_code': {
      const condition = `postal_code commence par [${c.prefixes.join(', ')}]`;
      if (!f.postalCode) return unknownT(condition, 'code postal de livraison inconnu');
      const hit = c.prefixes.find((p) => f.postalCode!.startsWith(p));
      return known(condition, !!hit, hit ? `code postal ${f.postalCode} (préfixe ${hit})` : `code postal ${f.postalCode}, hors ${c.prefixes.join(', ')}`);
    }
    case 'market':
      return member(`market ∈ [${c.values.join(', ')}]`, f.market, c.values, (v) => `client du marché ${v}`, 'marché du client inconnu');
    case 'customer':
      return member(`customer ∈ [${c.values.join(', ')}]`, f.customerId, c.values, (v) => `client ${v}`, 'client non identifié');
    case 'channel':
      return member(`channel ∈ [${c.values.join(', ')}]`, f.channel, c.values, (v) => `reçue par ${v}`, 'canal inconnu');
    case 'product_line':
      return productLine(c.mode, c.values, f);
    case 'product_share':
      return productShare(c, f);
    case 'amount': {
      const condition = `amount${c.atLeast !== null ? ` ≥ ${c.atLeast}` : ''}${c.below !== null ? ` < ${c.below}` : ''}`;
      const v = f.amount.value;
      if (v === null) return unknownT(condition, f.amount.why);
      const ok = (c.atLeast === null || v >= c.atLeast) && (c.below === null || v < c.below);
      const bound = !ok ? (c.atLeast !== null && v < c.atLeast ? `< ${euros(c.atLeast)}` : `≥ ${euros(c.below!)}`) : [c.atLeast !== null ? `≥ ${euros(c.atLeast)}` : '', c.below !== null ? `< ${euros(c.below)}` : ''].filter(Boolean).join(' et ');
      return known(condition, ok, `${f.amount.why} ${bound}`);
    }
  }
}

function member(condition: string, value: string | null, values: string[], say: (v: string) => string, unknownWhy: string): ConditionTrace {
  if (value === null) return unknownT(condition, unknownWhy);
  const ok = values.includes(value);
  return known(condition, ok, ok ? say(value) : `${say(value)}, pas ${values.length === 1 ? values[0] : `dans ${values.join(', ')}`}`);
}

function territoryUnknown(f: Facts, what: string): string {
  if (!f.country) return `${what} inconnu(e) : pays de livraison inconnu`;
  return `${what} inconnu(e) : code postal de livraison ${f.postalCode ? `« ${f.postalCode} » non reconnu` : 'absent'}`;
}

function productLine(mode: 'any' | 'all' | 'most', values: string[], f: Facts): ConditionTrace {
  const wanted = new Set(values.map((v) => v.toUpperCase()));
  const total = f.lineProductLines.length;
  const inLines = f.lineProductLines.filter((p) => p !== null && wanted.has(p)).length;
  const unknown = f.lineProductLines.filter((p) => p === null).length;
  const label = values.join(', ');
  const condition = `product_line ${mode} [${label}]`;
  const ratio = `${inLines}/${total} lignes`;
  if (total === 0) return unknownT(condition, 'commande sans ligne');
  switch (mode) {
    case 'any':
      if (inLines > 0) return known(condition, true, `gamme ${label} commandée (${ratio})`);
      return unknown > 0 ? unknownT(condition, `aucune ligne connue en ${label}, ${unknown} article(s) inconnu(s)`) : known(condition, false, `aucune ligne en ${label}`);
    case 'all':
      if (inLines === total) return known(condition, true, `toutes les lignes en ${label}`);
      if (inLines + unknown === total) return unknownT(condition, `${unknown} ligne(s) d’article inconnu : impossible d’affirmer « toutes en ${label} »`);
      return known(condition, false, `pas toutes les lignes en ${label} (${ratio})`);
    case 'most':
      // "Most" is a strict majority of the lines: two lines out of four is not most.
      if (inLines * 2 > total) return known(condition, true, `la plupart des lignes en ${label} (${ratio})`);
      if ((inLines + unknown) * 2 > total) return unknownT(condition, `${ratio} en ${label} et ${unknown} article(s) inconnu(s)`);
      return known(condition, false, `minorité de lignes en ${label} (${ratio})`);
  }
}

/**
 * The share of a product line, by lines or by amount. Lines of unknown articles could be in it or not:
 * the condition is known only when it holds (or fails) both ways; `explain` says the share found.
 */
function productShare(c: Extract<Condition, { kind: 'product_share' }>, f: Facts): ConditionTrace {
  const bounds = [c.atLeast !== null ? `≥ ${pct(c.atLeast)}` : '', c.below !== null ? `< ${pct(c.below)}` : ''].filter(Boolean).join(' et ');
  const condition = `product_line share ${c.line} ${c.by === 'amount' ? 'du montant' : 'des lignes'} ${bounds}`;
  if (f.lineProductLines.length === 0) return unknownT(condition, 'commande sans ligne');
  let inside = 0, outside = 0, doubt = 0;
  for (const [i, line] of f.lineProductLines.entries()) {
    const w = c.by === 'amount' ? f.lineAmounts[i] : 1;
    if (w === null || w === undefined) return unknownT(condition, `part de ${c.line} du montant inconnue (ligne ${i + 1} sans quantité ou sans prix)`);
    if (line === null) doubt += w;
    else if (line === c.line) inside += w;
    else outside += w;
  }
  const total = inside + outside + doubt;
  if (total <= 0) return unknownT(condition, 'montant nul : part incalculable');
  const ok = (share: number) => (c.atLeast === null || share >= c.atLeast - 1e-9) && (c.below === null || share < c.below - 1e-9);
  const low = inside / total, high = (inside + doubt) / total;
  const found = c.by === 'amount' ? `part de ${c.line} : ${euros(inside)} sur ${euros(total)}, soit ${pct(low)} du montant` : `part de ${c.line} : ${inside}/${total} lignes, soit ${pct(low)}`;
  // The share lies in [low, high]: known when the whole range is inside, or all of it on one side.
  const allIn = ok(low) && ok(high);
  const allOut = (c.atLeast !== null && high < c.atLeast - 1e-9) || (c.below !== null && low >= c.below - 1e-9);
  if (doubt > 0 && !allIn && !allOut) return unknownT(condition, `${found}, jusqu’à ${pct(high)} selon ${c.by === 'amount' ? `${euros(doubt)} d’articles inconnus` : `${doubt} ligne(s) d’article inconnu`} (attendu ${bounds})`);
  return known(condition, ok(low), `${found} (attendu ${bounds})`);
}

function pct(x: number): string {
  return `${(Math.round(x * 1000) / 10).toString().replace('.', ',')} %`;
}

function known(condition: string, ok: boolean, why: string): ConditionTrace {
  return { condition, result: ok ? 'match' : 'no-match', matched: ok, why };
}

function unknownT(condition: string, why: string): ConditionTrace {
  return { condition, result: 'unknown', matched: false, why };
}

// ------------------------------------------------------------------ agents

interface AgentPick {
  agent: Agent | null;
  why: string;
  trace: AgentTrace[];
}

/** Present agents (not absent on today's Paris date), with the skill if any has it, under capacity if any is. */
export function assignAgent(team: Team, skill: string | null, loads: Record<string, AgentLoad>, now: string | Date): AgentPick {
  const today = wallTime(toEpochMs(now, 'now'), 'Europe/Paris').date;
  const load = (a: Agent) => loads[a.id]?.open ?? 0;
  const status = new Map<string, string>();
  const present = team.agents.filter((a) => {
    const away = a.absences.find((ab) => ab.from <= today && today <= ab.to);
    if (away) status.set(a.id, `absent${away.reason ? ` (${away.reason})` : ''} jusqu’au ${away.to}`);
    return !away;
  });
  const notes: string[] = [];
  let pool = present;
  if (skill) {
    const skilled = present.filter((a) => a.skills.includes(skill));
    if (skilled.length) {
      for (const a of present) if (!skilled.includes(a)) status.set(a.id, `sans la compétence ${skill}`);
      pool = skilled;
    } else if (present.length) notes.push(`aucun agent présent avec la compétence ${skill}`);
  }
  const underCapacity = pool.filter((a) => a.capacity === null || load(a) < a.capacity);
  if (underCapacity.length) {
    for (const a of pool) if (!underCapacity.includes(a)) status.set(a.id, `capacité atteinte (${load(a)}/${a.capacity})`);
    pool = underCapacity;
  } else if (pool.length) notes.push('toutes les capacités sont atteintes');

  const lastAt = (a: Agent) => {
    const s = loads[a.id]?.lastAssignedAt;
    if (!s) return -Infinity;
    try {
      return toEpochMs(s, 'lastAssignedAt');
    } catch {
      return -Infinity; // an unreadable timestamp must not stop routing: treat as never assigned
    }
  };
  const order = new Map(team.agents.map((a, i) => [a.id, i]));
  const byTurn = (a: Agent, b: Agent) => lastAt(a) - lastAt(b) || order.get(a.id)! - order.get(b.id)!;
  const ratio = (a: Agent) => (a.capacity ? load(a) / a.capacity : load(a));
  const sorted = [...pool].sort(team.assignment === 'least-loaded' ? (a, b) => ratio(a) - ratio(b) || load(a) - load(b) || byTurn(a, b) : byTurn);
  const agent = sorted[0] ?? null;

  let why: string;
  if (!agent) why = `aucun agent disponible dans l’équipe ${team.name} (file d’équipe)`;
  else {
    const how = team.assignment === 'least-loaded' ? `charge la plus faible (${load(agent)} en cours${agent.capacity ? `/${agent.capacity}` : ''})` : 'à son tour (tourniquet)';
    why = `agent ${agent.name}, ${how}`;
  }
  if (notes.length) why += ` ; ${notes.join(' ; ')}`;
  const absent = team.agents.filter((a) => !present.includes(a));
  if (agent && absent.length) why += ` (absent : ${absent.map((a) => a.name).join(', ')})`;

  const trace: AgentTrace[] = team.agents.map((a) => ({
    agent: a.id,
    name: a.name,
    status: a === agent ? 'retenu' : (status.get(a.id) ?? 'candidat'),
    open: load(a),
    capacity: a.capacity,
  }));
  return { agent, why, trace };
}

// ------------------------------------------------------------------ replay

export interface ReplayOrder {
  orderId: string;
  input: RouteInput;
  /** The decision taken at the time, when comparing against history instead of a rule set. */
  recorded?: Pick<RouteDecision, 'team' | 'agent' | 'ruleId'> | null;
}

export interface ReplayChange {
  orderId: string;
  before: Pick<RouteDecision, 'team' | 'agent' | 'ruleId'> & { reason?: string };
  after: RouteDecision;
  /** What differs; agents are compared only when `compareAgents` (they depend on live loads). */
  changed: ('team' | 'rule' | 'agent')[];
}

export interface ReplayReport {
  total: number;
  unchanged: number;
  changes: ReplayChange[];
  /** Orders with neither a baseline rule set nor a recorded route. */
  skipped: string[];
}

/**
 * What would change if `candidate` replaced `baseline` (a RuleSet, or null to compare against each
 * order's recorded route).
 */
export function replay(baseline: RuleSet | null, candidate: RuleSet, orders: ReplayOrder[], options: { compareAgents?: boolean } = {}): ReplayReport {
  const changes: ReplayChange[] = [];
  const skipped: string[] = [];
  let unchanged = 0;
  for (const o of orders) {
    const before = baseline ? decideRoute(baseline, o.input) : (o.recorded ?? null);
    if (!before) {
      skipped.push(o.orderId);
      continue;
    }
    const after = decideRoute(candidate, o.input);
    const changed: ReplayChange['changed'] = [];
    if (before.team !== after.team) changed.push('team');
    if (before.ruleId !== after.ruleId) changed.push('rule');
    if (options.compareAgents && before.agent !== after.agent) changed.push('agent');
    if (changed.length) changes.push({ orderId: o.orderId, before, after, changed });
    else unchanged++;
  }
  return { total: orders.length, unchanged, changes, skipped };
}


