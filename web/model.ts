// View models of the workspace: what the inbox, the dashboard and the order page show, computed from
// order states as plain data. Pure (the clock is a parameter), so every count is tested without a server.
import { computeDue, DEFAULT_SLA_CONFIG, instantOf, slaStateOf, wallTime, type SlaConfig } from '../domain/sla';
import { addDays } from '../domain/holidays';
import type { OrderState, SlaState } from '../domain/order-model';
import type { Channel } from '../domain/order';
import { duplicatesToCheck, isOpen, undoTouchlessRefusal } from '../domain/order-state';
import { PORTFOLIO_CLASSES, portfolioClasses, type PortfolioClass } from '../domain/portfolio';
import type { ErpView } from '../storage/read-model';
import { canSee, type User } from './auth';
import type { QuarantineRecord } from '../storage/document-store';

// Time-zone arithmetic goes through Intl and is the costly part of a dashboard over thousands of
// orders; the same instants recur (receipts, due times), so results are memoised, within bounds.
function memo<K, V>(f: (k: K) => V, max = 50_000): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    let v = m.get(k);
    if (v === undefined) {
      if (m.size >= max) m.clear();
      m.set(k, (v = f(k)));
    }
    return v;
  };
}
const dayIn = new Map<string, (ms: number) => string>();
export const parisDay = (t: string | number, cfg: SlaConfig = DEFAULT_SLA_CONFIG): string => {
  let f = dayIn.get(cfg.timeZone);
  if (!f) dayIn.set(cfg.timeZone, (f = memo((ms: number) => wallTime(ms, cfg.timeZone).date)));
  return f(typeof t === 'number' ? t : Date.parse(t));
};
const defaultDue = memo((receivedAt: string) => computeDue(receivedAt, DEFAULT_SLA_CONFIG).dueAt);

/**
 * The due time: the workflow's when it has one; until then the SLA rule applied to the first receipt,
 * flagged as computed here so the page can say so.
 */
export function dueOf(s: OrderState, cfg: SlaConfig = DEFAULT_SLA_CONFIG): { dueAt: string; computed: boolean } {
  if (s.sla.dueAt) return { dueAt: s.sla.dueAt, computed: false };
  return { dueAt: cfg === DEFAULT_SLA_CONFIG ? defaultDue(s.sla.receivedAt) : computeDue(s.sla.receivedAt, cfg).dueAt, computed: true };
}

/** null for orders the SLA no longer concerns (rejected, cancelled): domain/sla.ts slaStateOf, with the due time memoised. */
export function slaOf(s: OrderState, now: number, cfg: SlaConfig = DEFAULT_SLA_CONFIG): SlaState | null {
  return slaStateOf(s, now, cfg, dueOf(s, cfg).dueAt);
}

export const agentOf = (s: OrderState): string | null => s.claimedBy ?? s.route?.agent ?? null;
export const channelsOf = (s: OrderState): Channel[] => [...new Set(s.documents.map((d) => d.channel))];

/** A problem or a doubt as the order page lists it (domain/anomalies.ts Anomaly is the rule's finding). */
export interface AnomalyRow {
  severity: 'error' | 'warning' | 'info' | 'doubt';
  where: string | null;
  message: string;
}

/** Problems of the order, then each line's doubts (low confidence, with the reason read). */
export function anomaliesOf(s: OrderState, threshold = 0.8): AnomalyRow[] {
  const out: AnomalyRow[] = s.problems.map((p) => ({ severity: p.severity, where: p.where, message: p.message }));
  for (const l of s.order.lines) {
    if (l.confidence >= threshold && l.doubts.length === 0) continue;
    const why = l.doubts.length ? l.doubts.join(' ; ') : `lecture incertaine (confiance ${Math.round(l.confidence * 100)} %)`;
    out.push({ severity: 'doubt', where: `ligne ${l.lineNumber}`, message: why });
  }
  return out;
}

export interface InboxRow {
  orderId: string;
  poNumber: string | null;
  customerId: string | null;
  customerName: string | null;
  channels: Channel[];
  status: OrderState['status'];
  team: string | null;
  agent: string | null;
  mine: boolean;
  receivedAt: string;
  dueAt: string;
  dueComputed: boolean;
  sla: SlaState | null;
  lines: number;
  anomalies: number;
  blocking: boolean;
  /** Probable duplicates attached to the order and awaiting an agent's confirm or split. */
  duplicatesToCheck: number;
  /** The ERP's number once "Créer dans l'ERP" succeeded; else the ERP's last refusal, if any. */
  erpNumber: string | null;
  erpRefusal: string | null;
  /** Portfolio classes (domain/portfolio.ts): rupture, limite-credit, blocage-financier, blocage-livraison, anomalie. */
  classes: PortfolioClass[];
  /** The sales order's state in the ERP as last read back (erp/watch.ts), else as created. */
  erpState: string | null;
  /** Entered with no agent (touchless): why, and whether it can still be undone today. */
  touchless: { reasons: string[]; undoable: boolean } | null;
}

/**
 * An order's portfolio classes: anomalies and an unknown ship-to as the order stands now, stock-out,
 * credit limit and a blocked ship-to as the ERP last said (erp/watch.ts); open orders only.
 */
export function orderClasses(s: OrderState, view?: ErpView): PortfolioClass[] {
  if (!isOpen(s.status)) return [];
  const live = portfolioClasses({ order: s.order, problems: s.problems, stock: null, credit: null, amount: null, shipToDeliverable: null });
  return PORTFOLIO_CLASSES.filter((c) => live.includes(c) || (c !== 'anomalie' && view?.classes.includes(c)));
}

export function inboxRow(s: OrderState, user: Pick<User, 'login'>, now: number, cfg: SlaConfig = DEFAULT_SLA_CONFIG, view?: ErpView): InboxRow {
  const due = dueOf(s, cfg);
  const anomalies = anomaliesOf(s);
  return {
    orderId: s.orderId,
    poNumber: s.poNumber,
    customerId: s.customerId,
    customerName: s.order.customer.name,
    channels: channelsOf(s),
    status: s.status,
    team: s.route?.team ?? null,
    agent: agentOf(s),
    mine: agentOf(s) === user.login,
    receivedAt: s.sla.receivedAt,
    dueAt: due.dueAt,
    dueComputed: due.computed,
    sla: slaOf(s, now, cfg),
    lines: s.order.lines.length,
    anomalies: anomalies.length,
    blocking: anomalies.some((a) => a.severity === 'error'),
    duplicatesToCheck: duplicatesToCheck(s).length,
    erpNumber: s.erp ? (s.erp.number ?? s.erp.erpRef) : null,
    erpRefusal: s.erp ? null : (s.history.findLast((h) => h.event === 'ERP refused')?.detail ?? null),
    classes: orderClasses(s, view),
    erpState: view?.state ?? s.erp?.state ?? null,
    touchless: s.touchless && !s.touchless.undone ? { reasons: s.touchless.reasons, undoable: undoTouchlessRefusal(s, new Date(now).toISOString(), cfg.timeZone) === null } : null,
  };
}

const byDue = (a: InboxRow, b: InboxRow): number =>
  Date.parse(a.dueAt) - Date.parse(b.dueAt) || Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || a.orderId.localeCompare(b.orderId);

/** Open orders the user may see, soonest due first; the user's own ones first within the same due time. */
/**
 * Open routed orders the user may see, most urgent first. A closed order (its e-mail already entered)
 * holding a probable duplicate still to decide comes back too, until an agent confirms or splits it:
 * the fax may be a new order, and nobody else would see it.
 */
export function inbox(states: OrderState[], user: User, now: number, cfg: SlaConfig = DEFAULT_SLA_CONFIG, opts: { views?: Map<string, ErpView>; classe?: PortfolioClass | null } = {}): { mine: InboxRow[]; team: InboxRow[] } {
  const rows = states
    // A touchless entry stays in its agent's inbox the day it can be undone, marked "saisie automatiquement".
    .filter((s) => (isOpen(s.status) || duplicatesToCheck(s).length > 0 || undoTouchlessRefusal(s, new Date(now).toISOString(), cfg.timeZone) === null) && s.route && canSee(user, s))
    .map((s) => inboxRow(s, user, now, cfg, opts.views?.get(s.orderId)))
    .filter((r) => !opts.classe || r.classes.includes(opts.classe))
    .sort(byDue);
  return { mine: rows.filter((r) => r.mine), team: rows.filter((r) => !r.mine) };
}

// ------------------------------------------------------------------ the manager dashboard

export interface Tally {
  received: number;
  receivedBeforeCutoff: number;
  entered: number;
  /** Open orders due by today's deadline: "ce qui reste à traiter avant la clôture". */
  toEnterToday: number;
  atRisk: number;
  late: number;
}
const emptyTally = (): Tally => ({ received: 0, receivedBeforeCutoff: 0, entered: 0, toEnterToday: 0, atRisk: 0, late: 0 });

export interface DayPoint {
  day: string;
  /** Orders due that day, and how many of them were entered in time. */
  due: number;
  met: number;
  byChannel: Partial<Record<Channel, number>>;
}

export interface Dashboard {
  today: string;
  deadline: string;
  totals: Tally;
  byTeam: [string, Tally][];
  byAgent: [string, Tally][];
  byChannel: [string, Tally][];
  /** Open orders due today, soonest first: the list behind "toEnterToday". */
  remaining: InboxRow[];
  /** Orders holding a probable duplicate nobody has confirmed or split yet (maybe a new order). */
  toCheck: InboxRow[];
  days: DayPoint[];
  quarantine: QuarantineRecord[];
  /** Open orders per portfolio class: in all, by team, by agent. */
  portfolio: { totals: Record<PortfolioClass, number>; byTeam: [string, Record<PortfolioClass, number>][]; byAgent: [string, Record<PortfolioClass, number>][] };
  /** Orders in the ERP by their sales order's state as last read back. */
  erpStates: Record<string, number>;
}

const noClasses = (): Record<PortfolioClass, number> => Object.fromEntries(PORTFOLIO_CLASSES.map((c) => [c, 0])) as Record<PortfolioClass, number>;

export function dashboard(states: OrderState[], quarantine: QuarantineRecord[], user: User, now: number, cfg: SlaConfig = DEFAULT_SLA_CONFIG, days = 30, views: Map<string, ErpView> = new Map()): Dashboard {
  const today = parisDay(now, cfg);
  const deadlineMs = instantOf(today, cfg.entryDeadline, cfg.timeZone);
  const cutoffMs = instantOf(today, cfg.receiptCutoff, cfg.timeZone);
  const visible = states.filter((s) => canSee(user, s));
  const totals = emptyTally();
  const groups = { team: new Map<string, Tally>(), agent: new Map<string, Tally>(), channel: new Map<string, Tally>() };
  const remaining: InboxRow[] = [];
  const toCheck: InboxRow[] = [];
  const add = (s: OrderState, f: (t: Tally) => void) => {
    f(totals);
    const keys: [Map<string, Tally>, string[]][] = [
      [groups.team, [s.route?.team ?? 'non routée']],
      [groups.agent, [agentOf(s) ?? 'non attribuée']],
      [groups.channel, channelsOf(s)],
    ];
    for (const [m, ks] of keys) for (const k of ks) f(m.get(k) ?? m.set(k, emptyTally()).get(k)!);
  };
  const portfolio = { totals: noClasses(), team: new Map<string, Record<PortfolioClass, number>>(), agent: new Map<string, Record<PortfolioClass, number>>() };
  const erpStates: Record<string, number> = {};
  for (const s of visible) {
    const view = views.get(s.orderId);
    for (const c of orderClasses(s, view)) {
      portfolio.totals[c]++;
      for (const [m, k] of [[portfolio.team, s.route?.team ?? 'non routée'], [portfolio.agent, agentOf(s) ?? 'non attribuée']] as const) (m.get(k) ?? m.set(k, noClasses()).get(k)!)[c]++;
    }
    const erpState = s.erp ? (view?.state ?? s.erp.state) : null;
    if (erpState) erpStates[erpState] = (erpStates[erpState] ?? 0) + 1;
    const received = Date.parse(s.sla.receivedAt);
    if (parisDay(received, cfg) === today) add(s, (t) => ((t.received += 1), received < cutoffMs && (t.receivedBeforeCutoff += 1)));
    if (s.sla.enteredAt && parisDay(s.sla.enteredAt, cfg) === today) add(s, (t) => (t.entered += 1));
    if (duplicatesToCheck(s).length > 0) toCheck.push(inboxRow(s, user, now, cfg));
    if (!isOpen(s.status)) continue;
    const sla = slaOf(s, now, cfg);
    const dueToday = Date.parse(dueOf(s, cfg).dueAt) <= deadlineMs;
    add(s, (t) => {
      if (dueToday) t.toEnterToday += 1;
      if (sla === 'at-risk') t.atRisk += 1;
      if (sla === 'late') t.late += 1;
    });
    if (dueToday) remaining.push(inboxRow(s, user, now, cfg));
  }
  remaining.sort(byDue);
  toCheck.sort(byDue);
  const sorted = (m: Map<string, Tally>) => [...m.entries()].sort((a, b) => a[0].localeCompare(b[0], 'fr'));
  return {
    today,
    deadline: cfg.entryDeadline,
    totals,
    byTeam: sorted(groups.team),
    byAgent: sorted(groups.agent),
    byChannel: sorted(groups.channel),
    remaining,
    toCheck,
    days: history(visible, now, cfg, days),
    quarantine,
    portfolio: { totals: portfolio.totals, byTeam: [...portfolio.team.entries()].sort((a, b) => a[0].localeCompare(b[0], 'fr')), byAgent: [...portfolio.agent.entries()].sort((a, b) => a[0].localeCompare(b[0], 'fr')) },
    erpStates,
  };
}

/** The last `n` days up to today: SLA met among orders due each day, volume received per channel. */
export function history(states: OrderState[], now: number, cfg: SlaConfig = DEFAULT_SLA_CONFIG, n = 30): DayPoint[] {
  const points = new Map<string, DayPoint>();
  const today = parisDay(now, cfg);
  for (let i = n - 1; i >= 0; i--) {
    const day = addDays(today, -i);
    points.set(day, { day, due: 0, met: 0, byChannel: {} });
  }
  for (const s of states) {
    const rec = points.get(parisDay(s.sla.receivedAt, cfg));
    // Volume counts each order once, under the channel it first came by (its original document).
    const first = s.documents[0]?.channel;
    if (rec && first) rec.byChannel[first] = (rec.byChannel[first] ?? 0) + 1;
    if (s.status === 'rejected' || s.status === 'cancelled') continue;
    const due = dueOf(s, cfg).dueAt;
    const point = points.get(parisDay(due, cfg));
    // A day still running counts what is already settled: entered orders, and those past due.
    if (!point || (Date.parse(due) > now && !s.sla.enteredAt)) continue;
    point.due += 1;
    if (s.sla.enteredAt && Date.parse(s.sla.enteredAt) <= Date.parse(due)) point.met += 1;
  }
  return [...points.values()];
}

