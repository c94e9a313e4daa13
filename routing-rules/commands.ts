// `aiguillage rules …`: validate, explain, test and replay a rule set (for IT).
// Exit codes (DESIGN.md): 0 done; 1 read but holds problems; 2 usage or unreadable input.
import { UsageError } from '../worker/usage-error';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { type MasterData } from '../domain/masterdata';
import { loadMasterData } from '../storage/masterdata-source';
import { CsvError } from '../domain/csv';
import { channelSchema, orderSchema, type Channel, type Order } from '../domain/order';
import { toEpochMs, InvalidSlaInput } from '../domain/sla';
import { loadConfig } from '../worker/config';
import { apiAuthorization } from '../storage/secrets';
import { explainRoute, replay, type ConditionTrace, type ReplayOrder } from './engine';
import { formatRuleError, InvalidRules, type RuleError } from './errors';
import { InvalidTouchlessPolicy, loadTouchlessPolicy, TOUCHLESS_FILE } from './touchless';
import { loadRuleSet, RulesUnreadable, runRuleTests, validateRules } from './load';
import type { AgentLoad, ProductFact, RouteInput, RuleSet } from './types';

export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('routing rules: check, explain, test and replay a rule set');

  rules
    .command('validate')
    .argument('<dir>', 'directory of rule files (*.yaml)')
    .option('--masterdata <dir>', 'also check product lines, markets and customers against master data', process.env.AIGUILLAGE_MASTERDATA)
    .option('--json', 'print { ok, version, errors } as JSON')
    .description('check a rule set: every problem with file, line and column')
    .action((dir: string, opts: { masterdata?: string; json?: boolean }) =>
      guard(() => rulesValidate(dir, opts)),
    );

  rules
    .command('explain')
    .argument('<dir>', 'directory of rule files')
    .argument('<order>', 'an Order, a DocumentResult (extract --json) or an entry of orders --json')
    .option('--masterdata <dir>', 'master data (customer markets, product lines, list prices)', process.env.AIGUILLAGE_MASTERDATA)
    .option('--channel <channel>', 'channel, when the file does not say')
    .option('--now <iso>', 'time of the decision (absences)', new Date().toISOString())
    .option('--loads <file>', 'JSON { agentId: { open, lastAssignedAt } }')
    .option('--json', 'print the explanation as JSON')
    .description('which rules were tried and why each did or did not match')
    .action((dir: string, orderFile: string, opts: { masterdata?: string; channel?: string; now: string; loads?: string; json?: boolean }) =>
      guard(() => rulesExplain(dir, orderFile, opts)),
    );

  rules
    .command('test')
    .argument('<dir>', 'directory of rule files and *.cases.yaml')
    .option('--masterdata <dir>', 'master data (else the masterdata: of each cases file)')
    .option('--json', 'print the results as JSON')
    .description('run the *.cases.yaml of a rule directory (order → expected team/agent/rule)')
    .action((dir: string, opts: { masterdata?: string; json?: boolean }) =>
      guard(() => rulesTest(dir, opts)),
    );

  rules
    .command('replay')
    .argument('<dir>', 'candidate rule directory')
    .option('--orders <file>', 'orders to re-route: output of `orders --json` (JSON array or JSON Lines); default: the running stack\'s orders (AIGUILLAGE_URL)')
    .option('--since <duration>', 'only orders received within this duration before --now (7d, 48h, 90m)', '7d')
    .option('--baseline <dir>', 'compare with this rule set instead of the routes recorded in the orders')
    .option('--masterdata <dir>', 'master data (customer markets, product lines)', process.env.AIGUILLAGE_MASTERDATA)
    .option('--now <iso>', 'end of the --since window', new Date().toISOString())
    .option('--agents', 'also report agent changes (they depend on loads, which replay sets to zero)')
    .option('--json', 'print the report as JSON')
    .description('re-route recent orders with a candidate rule set and print what would change')
    .action(async (dir: string, opts: { orders?: string; since: string; baseline?: string; masterdata?: string; now: string; agents?: boolean; json?: boolean }) => {
      if (!opts.orders) opts.orders = await fetchLiveOrders();
      const ordersFile = opts.orders;
      guard(() => rulesReplay(dir, ordersFile, opts));
    });
}

/** `rules validate`: every problem of a rule set with file, line and column; 1 when there is one. */
function rulesValidate(dir: string, opts: { masterdata?: string; json?: boolean }): number {
  const md = opts.masterdata ? readMasterData(opts.masterdata) : undefined;
  const v = validateRules(dir, md);
  // touchless.yaml beside the rules (routing-rules/touchless.ts) is checked with them.
  let touchless: { ok: true; version: string | null } | { ok: false; errors: RuleError[] };
  try {
    touchless = { ok: true, version: loadTouchlessPolicy(dir, md?.customers.map((c) => c.id))?.version ?? null };
  } catch (e) {
    if (!(e instanceof InvalidTouchlessPolicy)) throw e;
    touchless = { ok: false, errors: e.errors };
  }
  if (opts.json) console.log(JSON.stringify({ ...(v.ok ? { ok: touchless.ok, version: v.ruleSet.version, rules: v.ruleSet.rules.length, teams: v.ruleSet.teams.length } : { ok: false, errors: v.errors }), touchless }));
  else {
    if (v.ok) console.log(`OK ${v.ruleSet.version}: ${v.ruleSet.rules.length} règles, ${v.ruleSet.teams.length} équipes, ${v.ruleSet.teams.reduce((n, t) => n + t.agents.length, 0)} agents, défaut : ${v.ruleSet.fallback.team}`);
    else for (const e of v.errors) console.error(formatRuleError(e));
    if (!touchless.ok) for (const e of touchless.errors) console.error(formatRuleError(e));
    else if (touchless.version) console.log(`OK ${TOUCHLESS_FILE} ${touchless.version}`);
  }
  return v.ok && touchless.ok ? 0 : 1;
}

/** `rules explain`: which rules were tried for each order and why each did or did not match. */
function rulesExplain(dir: string, orderFile: string, opts: { masterdata?: string; channel?: string; now: string; loads?: string; json?: boolean }): number {
  const ruleSet = loadRuleSet(dir);
  const md = opts.masterdata ? readMasterData(opts.masterdata) : null;
  if (!md) console.error('rules explain: sans --masterdata, le marché du client et les gammes des articles sont inconnus');
  const loads = opts.loads ? (readJson(opts.loads) as Record<string, AgentLoad>) : {};
  const now = checkTime(opts.now, '--now');
  for (const { order, channel, label } of readOrders(orderFile)) {
    const ch = opts.channel ? parseChannel(opts.channel) : channel;
    const x = explainRoute(ruleSet, routeInput(order, ch, md, loads, now));
    if (opts.json) {
      console.log(JSON.stringify({ order: label, ...x }));
      continue;
    }
    console.log(`${label} — règles ${ruleSet.version}`);
    for (const r of x.rules) {
      const mark = r.chosen ? '→' : r.matched ? '✓' : r.trace.result === 'unknown' ? '?' : '✗';
      console.log(`  ${mark} ${r.ruleId.padEnd(28)} ${relative(process.cwd(), r.file)}:${r.line}  ${r.trace.why}${r.chosen ? '  ← retenue' : r.matched ? '  (aurait convenu, mais vient après)' : ''}`);
      printChildren(r.trace, '      ');
    }
    if (!x.rules.some((r) => r.chosen)) console.log(`  → fallback ${' '.repeat(20)} aucune règle ne s’applique`);
    console.log(`  agents : ${x.agents.map((a) => `${a.name} ${a.status} (${a.open}${a.capacity ? `/${a.capacity}` : ''})`).join(' ; ')}`);
    console.log(`  décision : ${x.decision.reason}`);
  }
  return 0;
}

/** `rules test`: the *.cases.yaml of a rule directory; 1 when a case fails. */
function rulesTest(dir: string, opts: { masterdata?: string; json?: boolean }): number {
  const r = runRuleTests(dir, opts.masterdata);
  const failed = r.results.filter((c) => !c.ok);
  if (opts.json) console.log(JSON.stringify({ version: r.ruleSet?.version ?? null, passed: r.results.length - failed.length, failed: failed.length, results: r.results, errors: r.errors }));
  else {
    for (const e of r.errors) console.error(formatRuleError(e));
    for (const c of r.results) {
      console.log(`${c.ok ? '✓' : '✗'} ${c.name}`);
      if (!c.ok) console.log(`    ${relative(process.cwd(), c.file)}:${c.line}: ${c.mismatches.join(' ; ')}\n    (${c.decision?.reason})`);
    }
    console.log(`${r.results.length - failed.length}/${r.results.length} cas réussis${r.errors.length ? `, ${r.errors.length} problème(s)` : ''}${r.ruleSet ? ` — règles ${r.ruleSet.version}` : ''}`);
  }
  return failed.length || r.errors.length ? 1 : 0;
}

/** `rules replay`: recent orders re-routed with a candidate rule set, and what would change. */
function rulesReplay(dir: string, ordersFile: string, opts: { since: string; baseline?: string; masterdata?: string; now: string; agents?: boolean; json?: boolean }): number {
  const candidate = loadRuleSet(dir);
  const baseline: RuleSet | null = opts.baseline ? loadRuleSet(opts.baseline) : null;
  const md = opts.masterdata ? readMasterData(opts.masterdata) : null;
  const until = checkTime(opts.now, '--now');
  const from = until - parseDuration(opts.since);
  const orders: ReplayOrder[] = [];
  let outside = 0;
  for (const entry of readOrderList(ordersFile)) {
    const receivedAt = entry.receivedAt === null ? null : checkTime(entry.receivedAt, `order ${entry.orderId} receivedAt`);
    if (receivedAt !== null && (receivedAt < from || receivedAt > until)) {
      outside++;
      continue;
    }
    orders.push({ orderId: entry.orderId, input: routeInput(entry.order, entry.channel, md, {}, new Date(receivedAt ?? until)), recorded: entry.route });
  }
  const report = replay(baseline, candidate, orders, { compareAgents: !!opts.agents });
  if (opts.json) console.log(JSON.stringify({ candidate: candidate.version, baseline: baseline?.version ?? 'recorded routes', outsideWindow: outside, ...report }));
  else {
    console.log(`${report.total} commande(s) depuis ${opts.since} (${outside} hors fenêtre), candidat ${candidate.version} contre ${baseline ? baseline.version : 'les routes enregistrées'}`);
    for (const c of report.changes) {
      console.log(`  ${c.orderId}: ${c.before.team} → ${c.after.team} (règle ${c.before.ruleId} → ${c.after.ruleId}${opts.agents ? `, agent ${c.before.agent ?? '—'} → ${c.after.agent ?? '—'}` : ''})\n      ${c.after.reason}`);
    }
    if (report.skipped.length) console.log(`  sans route enregistrée (ignorées) : ${report.skipped.join(', ')}`);
    console.log(`${report.changes.length} changement(s), ${report.unchanged} inchangée(s)`);
  }
  return 0;
}

/** The running stack's orders (`orders --json`), saved to a temporary file for replay. */
async function fetchLiveOrders(): Promise<string> {
  const base = (process.env.AIGUILLAGE_URL ?? `http://127.0.0.1:${process.env.AIGUILLAGE_HTTP_PORT ?? 3700}`).replace(/\/$/, '');
  let body: string;
  try {
    const res = await fetch(`${base}/api/orders?limit=100000`, { headers: apiAuthorization(loadConfig()) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.text();
  } catch (e) {
    console.error(`rules replay: cannot read the running stack's orders at ${base} (${(e as Error).message}); start it (npm start) or pass --orders FILE`);
    process.exit(2);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'orders.json');
  writeFileSync(file, body);
  return file;
}

// ------------------------------------------------------------------ inputs

function guard(run: () => number): void {
  try {
    process.exitCode = run();
  } catch (e) {
    if (e instanceof InvalidRules) {
      for (const err of e.errors) console.error(formatRuleError(err));
      process.exitCode = 1;
    } else if (e instanceof RulesUnreadable || e instanceof UsageError || e instanceof InvalidSlaInput) {
      console.error(`rules: ${e.message}`);
      process.exitCode = 2;
    } else throw e;
  }
}

function readMasterData(dir: string): MasterData {
  if (!existsSync(dir)) throw new UsageError(`master data directory ${dir} does not exist`);
  try {
    return loadMasterData(dir);
  } catch (e) {
    if (e instanceof CsvError) throw new UsageError(`master data: ${e.message}`);
    throw e;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** One JSON document, or JSON Lines (what `extract --json` prints). */
function readJsonValues(file: string): unknown[] {
  const text = readText(file).trim();
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : [v];
  } catch {
    return text.split('\n').filter((l) => l.trim()).map((l, i) => {
      try {
        return JSON.parse(l) as unknown;
      } catch (e) {
        throw new UsageError(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
      }
    });
  }
}

function readJson(file: string): unknown {
  const values = readJsonValues(file);
  return values.length === 1 ? values[0] : values;
}

function parseChannel(raw: unknown): Channel {
  const r = channelSchema.safeParse(raw);
  if (!r.success) throw new UsageError(`"${String(raw)}" is not a channel; expected one of: ${channelSchema.options.join(', ')}`);
  return r.data;
}

function parseOrder(raw: unknown, where: string): Order {
  const r = orderSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UsageError(`${where}: not an order: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}

/** Orders to explain from an Order, a DocumentResult or an `orders --json` entry. */
function readOrders(file: string): { order: Order; channel: Channel | null; label: string }[] {
  const out: { order: Order; channel: Channel | null; label: string }[] = [];
  readJsonValues(file).forEach((v, i) => {
    const where = `${file}${i ? ` #${i + 1}` : ''}`;
    const o = v as Record<string, unknown>;
    if (o && typeof o === 'object' && 'document' in o && Array.isArray(o.orders)) {
      const doc = o.document as { channel?: unknown; fileName?: string };
      (o.orders as unknown[]).forEach((ord, j) => {
        const order = parseOrder(ord, `${where} orders[${j}]`);
        out.push({ order, channel: doc.channel ? parseChannel(doc.channel) : null, label: `${doc.fileName ?? file} · PO ${order.poNumber ?? '(sans n°)'}` });
      });
    } else if (o && typeof o === 'object' && 'orderId' in o) {
      const e = orderEntry(o, where);
      out.push({ order: e.order, channel: e.channel, label: `commande ${e.orderId}` });
    } else {
      const order = parseOrder(v, where);
      out.push({ order, channel: null, label: `${file} · PO ${order.poNumber ?? '(sans n°)'}` });
    }
  });
  if (out.length === 0) throw new UsageError(`${file}: no order in it`);
  return out;
}

interface OrderEntry {
  orderId: string;
  order: Order;
  channel: Channel | null;
  receivedAt: string | null;
  route: { team: string; agent: string | null; ruleId: string } | null;
}

function readOrderList(file: string): OrderEntry[] {
  return readJsonValues(file).map((v, i) => orderEntry(v as Record<string, unknown>, `${file} #${i + 1}`));
}

/**
 * An `orders --json` entry. Territory rules need the ship-to: taken from `order` (full Order) or
 * `shipTo` when the entry has them; otherwise territory conditions are unknown for that order.
 */
function orderEntry(o: Record<string, unknown>, where: string): OrderEntry {
  if (!o || typeof o !== 'object' || typeof o.orderId !== 'string') throw new UsageError(`${where}: expected an entry of orders --json (with orderId)`);
  const docs = (Array.isArray(o.documents) ? o.documents : []) as { channel?: string; receivedAt?: string; role?: string }[];
  const first = [...docs].sort((a, b) => String(a.receivedAt).localeCompare(String(b.receivedAt)))[0];
  const sla = (o.sla ?? {}) as { receivedAt?: string };
  let order: Order;
  if (o.order) order = parseOrder(o.order, `${where} order`);
  else {
    order = parseOrder(
      {
        poNumber: o.poNumber ?? null,
        orderDate: null,
        requestedDeliveryDate: null,
        purpose: 'original',
        currency: null,
        customer: { id: o.customerId ?? null, name: null, matchedBy: null },
        shipTo: { code: null, gln: null, name: null, street: null, postalCode: null, city: null, country: null, ...((o.shipTo as object) ?? {}) },
        lines: o.lines ?? [],
        confidence: 1,
        provenance: { parser: 'orders-json' },
      },
      where,
    );
  }
  const route = o.route as { team?: string; agent?: string | null; ruleId?: string } | undefined;
  return {
    orderId: o.orderId,
    order,
    channel: first?.channel ? parseChannel(first.channel) : null,
    receivedAt: sla.receivedAt ?? first?.receivedAt ?? null,
    route: route?.team && route.ruleId ? { team: route.team, agent: route.agent ?? null, ruleId: route.ruleId } : null,
  };
}

function routeInput(order: Order, channel: Channel | null, md: MasterData | null, loads: Record<string, AgentLoad>, now: number | Date): RouteInput {
  const customer = order.customer.id && md ? md.customer(order.customer.id) : undefined;
  const products: ProductFact[] = md ? order.lines.flatMap((l) => (l.sku && md.product(l.sku) ? [md.product(l.sku)!] : [])) : [];
  return {
    order,
    channel,
    customer: customer ? { id: customer.id, market: customer.market } : order.customer.id ? { id: order.customer.id, market: null } : null,
    products,
    loads,
    now: now instanceof Date ? now : new Date(now),
  };
}

function checkTime(iso: string, what: string): number {
  try {
    return toEpochMs(iso, what);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function parseDuration(s: string): number {
  const m = /^(\d+)\s*(d|h|m)$/.exec(s.trim());
  if (!m) throw new UsageError(`"${s}" is not a duration; write 7d, 48h or 90m`);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

function printChildren(t: ConditionTrace, indent: string): void {
  for (const c of t.children ?? []) {
    console.log(`${indent}${c.result === 'match' ? '✓' : c.result === 'unknown' ? '?' : '✗'} ${c.condition} — ${c.why}`);
    printChildren(c, `${indent}  `);
  }
}

