// `aiguillage masterdata pull`: the CLI side of erp/masterdata.ts.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../worker/config';
import { inDataDir, InvalidErpConfig, loadErpConfig } from './config';
import { TrytonClient } from './tryton/client';
import { pullMasterData } from './masterdata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadMasterData } from '../storage/masterdata-source';
import { parseDuration } from '../routing-rules/commands';
import { ReadModel } from '../storage/read-model';
import { InvalidTouchlessPolicy, loadTouchlessPolicy, TOUCHLESS_FILE } from '../routing-rules/touchless';
import { replayOrder, summariseReplay, type ReplaySummary } from '../domain/touchless';

/** "7d", "48h", "90m" (rules replay's durations) or an ISO date/time → the instant that far back (or that instant). */
export function sinceInstant(text: string, now = Date.now()): string {
  const t = Date.parse(text);
  if (!Number.isNaN(t) && /^\d{4}-/.test(text.trim())) return new Date(t).toISOString();
  try {
    return new Date(now - parseDuration(text)).toISOString();
  } catch {
    throw new Error(`--since ${text}: expected a duration such as 7d, 48h or 90m, or a date such as 2026-12-01`);
  }
}

export function registerErpCommands(program: Command): void {
  const tl = program.command('touchless').description('the touchless policy (touchless.yaml beside the routing rules)');
  tl.command('replay')
    .description('replay the touchless policy over recent orders (read model): how many would have gone into the ERP with no agent, which of those an agent later changed, and why the others did not. Nothing is entered or changed.')
    .option('--since <when>', 'orders received since: 7d, 24h, 90m or a date', '7d')
    .option('--rules <dir>', 'rules directory holding touchless.yaml (default: AIGUILLAGE_RULES, else routing-rules/examples)')
    .option('--data <dir>', 'data folder holding readmodel.sqlite (default: AIGUILLAGE_DATA, else .data)')
    .option('--masterdata <dir>', 'master data folder (default: AIGUILLAGE_MASTERDATA, else fixtures/masterdata)')
    .option('--json', 'the summary as JSON')
    .action(replayTouchless);

  const md = program.command('masterdata').description('master data (customers, addresses, products) from the ERP');
  md.command('pull')
    .description("write company.csv, customers.csv, addresses.csv and products.csv from the ERP (Tryton of config/erp.yaml); columns the ERP does not hold keep our values")
    .option('--out <dir>', 'master data folder to write (default: AIGUILLAGE_MASTERDATA, else fixtures/masterdata)')
    .option('--erp <file>', 'ERP configuration (default: AIGUILLAGE_ERP, else config/erp.yaml, else config/erp.example.yaml)')
    .action(pullMasterDataFromErp);
}

/** `aiguillage touchless replay`: the policy over recent orders of the read model, nothing entered or changed. */
function replayTouchless(opts: { since: string; rules?: string; data?: string; masterdata?: string; json?: boolean }): void {
  const cfg = loadConfig();
  let since: string;
  try {
    since = sinceInstant(opts.since);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const md = loadMasterData(resolve(opts.masterdata ?? cfg.masterDataDir));
  const rulesDir = resolve(opts.rules ?? cfg.rulesDir);
  let policy;
  try {
    policy = loadTouchlessPolicy(rulesDir, md.customers.map((c) => c.id));
  } catch (e) {
    if (!(e instanceof InvalidTouchlessPolicy)) throw e;
    console.error(e.message);
    process.exitCode = 1;
    return;
  }
  if (!policy) {
    console.error(`no ${TOUCHLESS_FILE} in ${rulesDir}: touchless is off (copy routing-rules/examples/${TOUCHLESS_FILE} there)`);
    process.exitCode = 2;
    return;
  }
  const path = join(resolve(opts.data ?? cfg.dataDir), 'readmodel.sqlite');
  if (!existsSync(path)) {
    console.error(`no read model at ${path}: start the stack (or give --data) first`);
    process.exitCode = 2;
    return;
  }
  const rm = new ReadModel(path, { readonly: true });
  try {
    const outcomes = rm.receivedSince(since).filter((s) => s.route).map((s) =>
      replayOrder(policy, s, { previousOrders: s.customerId ? rm.countEarlier(s.customerId, s.sla.receivedAt, s.orderId) : 0, listPrice: (sku) => md.product(sku)?.listPrice ?? null }));
    const sum = summariseReplay(outcomes);
    if (opts.json) return console.log(JSON.stringify({ policy: { file: policy.file, version: policy.version }, since, ...sum }, null, 2));
    console.log(printReplay(sum, policy.file, policy.version, since));
  } finally {
    rm.close();
  }
}

/** `aiguillage masterdata pull`: the master data CSV files written from Tryton. */
async function pullMasterDataFromErp(opts: { out?: string; erp?: string }): Promise<void> {
  const cfg = loadConfig();
  const file = opts.erp ? resolve(opts.erp) : cfg.erpFile;
  if (!file) throw new Error('no ERP configured (AIGUILLAGE_ERP is empty): nothing to pull from');
  let erp;
  try {
    erp = loadErpConfig(file);
  } catch (e) {
    if (e instanceof InvalidErpConfig) {
      console.error(e.message);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
  if (erp.connector !== 'tryton') throw new Error(`${file}: the ${erp.connector} connector only writes orders; master data can be pulled from Tryton only`);
  const passwordFile = inDataDir(cfg.dataDir, erp.tryton.passwordFile);
  const client = new TrytonClient({ url: erp.tryton.url, database: erp.tryton.database, user: erp.tryton.user, password: () => readFileSync(passwordFile, 'utf8').trim() });
  const out = resolve(opts.out ?? cfg.masterDataDir);
  const r = await pullMasterData(client, out);
  for (const f of r.files) console.log(`${f.file.padEnd(16)} ${String(f.rows).padStart(5)} rows  ← Tryton ${erp.tryton.url} (${erp.tryton.database})`);
  console.log(`written to ${out}`);
}

const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)} %` : '—');

export function printReplay(sum: ReplaySummary, file: string, version: string, since: string): string {
  const out = [`touchless replay — ${file} (${version}), orders received since ${since}: ${sum.orders}`, '', `  ${'channel'.padEnd(10)} ${'orders'.padStart(7)} ${'touchless'.padStart(10)} ${'rate'.padStart(6)} ${'wrong'.padStart(6)}`];
  for (const [ch, c] of Object.entries(sum.byChannel).sort()) out.push(`  ${ch.padEnd(10)} ${String(c.orders).padStart(7)} ${String(c.touchless).padStart(10)} ${pct(c.touchless, c.orders).padStart(6)} ${String(c.wrong).padStart(6)}`);
  out.push(`  ${'total'.padEnd(10)} ${String(sum.orders).padStart(7)} ${String(sum.touchless).padStart(10)} ${pct(sum.touchless, sum.orders).padStart(6)} ${String(sum.wrong.length).padStart(6)}`, '');
  out.push(sum.wrong.length ? `would have been entered and then changed by an agent (${sum.wrong.length}):` : 'would have been entered and then changed by an agent: none');
  for (const w of sum.wrong) out.push(`  ${w.orderId}: ${w.wrong}`);
  out.push('', sum.reasons.length ? 'why the others did not go through (orders, check, example):' : 'every order would have gone through');
  for (const r of sum.reasons) out.push(`  ${String(r.orders).padStart(5)}  ${r.code.padEnd(12)} ${r.example}`);
  out.push('', "Stock and credit are not read again (today's stock says nothing of last week's): an ERP stop recorded on the order counts. Nothing was entered or changed.");
  return out.join('\n');
}
