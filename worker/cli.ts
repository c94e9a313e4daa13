// `npx aiguillage …` — the CLI contract of DESIGN.md. Exit codes: 0 done; 1 the input was read but
// holds problems (reported, nothing lost); 2 usage or unreadable input.
import { Command, CommanderError } from 'commander';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, basename, resolve } from 'node:path';
import { loadConfig } from './config';
import { apiAuthorization, apiTokenPath, clientApiToken } from '../storage/secrets';
import { type MasterData } from '../domain/masterdata';
import { loadMasterData } from '../storage/masterdata-source';
import { CsvError } from '../domain/csv';
import { describeDocument } from '../parsers/index';
import { closeSharedExtractRunner, sharedExtractRunner } from '../activities/extract-runner';
import { channelForFile } from '../intake/submit';
import type { OrderJson } from '../domain/order-json';
import { channelSchema } from '../domain/order';
import { registerRulesCommands } from '../routing-rules/commands';
import { registerSlaCommands } from './sla-command';
import { UsageError } from './usage-error';
import { registerErpCommands } from '../erp/commands';

const program = new Command();
program.name('aiguillage').description('Purchase orders from every channel, extracted, deduplicated and routed to the right ADV agent.').exitOverride();

async function filesUnder(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) throw new UsageError(`${p}: no such file or folder`);
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => !n.startsWith('.')).sort();
      out.push(...(await filesUnder(names.map((n) => join(p, n)))));
    } else out.push(p);
  }
  return out;
}

function masterDataFrom(dir: string | undefined): MasterData {
  const d = resolve(dir ?? loadConfig().masterDataDir);
  try {
    return loadMasterData(d);
  } catch (e) {
    if (e instanceof CsvError) throw new UsageError(`master data: ${e.message}`);
    throw e;
  }
}

program
  .command('extract')
  .description('parse and extract documents without Temporal')
  .argument('<files...>', 'documents: EDI, .eml, PDF, TIFF/PNG/JPEG, *.order.json')
  .option('--masterdata <dir>', 'master data folder (CSV)')
  .option('--json', 'print one DocumentResult per file (JSON Lines)')
  .option('--channel <channel>', 'channel to record (default: from the bytes)')
  .action(async (files: string[], opts: { masterdata?: string; json?: boolean; channel?: string }) => {
    const md = masterDataFrom(opts.masterdata);
    const channel = opts.channel ? channelSchema.parse(opts.channel) : undefined;
    let problems = false;
    let unreadable = false;
    for (const f of await filesUnder(files)) {
      let bytes: Buffer;
      try {
        bytes = await readFile(f);
      } catch (e) {
        console.error(`${f}: cannot read (${(e as Error).message})`);
        unreadable = true;
        continue;
      }
      const st = await stat(f);
      const meta = describeDocument(bytes, { fileName: basename(f), channel: channel ?? channelForFile(bytes), receivedAt: st.mtime.toISOString() });
      // The same readers and deadline as the worker (child processes, killed past the deadline).
      const ex = await sharedExtractRunner().run(bytes, meta, md);
      if (ex.result.problems.some((p) => p.severity === 'error')) problems = true;
      if (ex.unreadable) unreadable = true;
      if (opts.json) console.log(JSON.stringify(ex.result));
      else {
        console.log(`${f}  (${meta.mediaType}, sha256 ${meta.sha256.slice(0, 12)}…)`);
        for (const o of ex.result.orders) {
          console.log(`  order ${o.poNumber ?? '(no PO)'} — customer ${o.customer.id ?? '?'} ${o.customer.name ?? ''} — ${o.purpose} — ${o.lines.length} line(s), confidence ${o.confidence}`);
          for (const l of o.lines) console.log(`    ${String(l.lineNumber).padStart(3)}  ${(l.sku ?? '?').padEnd(10)} × ${String(l.quantity ?? '?').padStart(6)}  ${l.description ?? ''}${l.confidence < 0.8 ? `  [à vérifier: ${l.doubts.join('; ')}]` : ''}`);
        }
        for (const p of ex.result.problems) console.log(`  ${p.severity.toUpperCase()} ${p.code}${p.where ? ` (${p.where})` : ''}: ${p.message}`);
      }
    }
    process.exitCode = unreadable ? 2 : problems ? 1 : 0;
    await closeOcr();
  });

/** The OCR workers would keep the process alive a little: stop them once extraction is done. */
async function closeOcr(): Promise<void> {
  await closeSharedExtractRunner();
  const { closeSharedOcrPool } = await import('../parsers/ocr/index');
  await closeSharedOcrPool();
}

function apiUrl(opt?: string): string {
  const cfg = loadConfig();
  return (opt ?? process.env.AIGUILLAGE_URL ?? `${cfg.httpTls ? 'https' : 'http'}://${cfg.httpHost}:${cfg.httpPort}`).replace(/\/$/, '');
}

async function api<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  let res: Response;
  const cfg = loadConfig();
  try {
    res = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...apiAuthorization(cfg) } });
  } catch {
    throw new UsageError(`cannot reach Aiguillage at ${new URL(url).origin}: is the stack running? (npm start)`);
  }
  if (res.status === 401) {
    const where = `set AIGUILLAGE_API_TOKEN to the server's, or AIGUILLAGE_DATA to the server's data folder (it keeps its token in ${apiTokenPath(cfg.dataDir)})`;
    throw new UsageError(clientApiToken(cfg) ? `the server refused the API token: ${where}` : `the server needs an API token: ${where}`);
  }
  return { status: res.status, body: (await res.json()) as T };
}

program
  .command('ingest')
  .description('submit files or folders to the running pipeline')
  .argument('<paths...>', 'files or folders')
  .option('--wait', 'wait until each document is routed or quarantined')
  .option('--channel <channel>', 'channel to record (default: from the bytes)')
  .option('--url <url>', 'Aiguillage HTTP address (default AIGUILLAGE_URL or http://127.0.0.1:3700)')
  .action(async (paths: string[], opts: { wait?: boolean; url?: string; channel?: string }) => {
    const base = apiUrl(opts.url);
    const files = await filesUnder(paths);
    const bar = progress(files.length, opts.wait ? 'sent' : 'ingested');
    const sent: { file: string; sha256: string; status: string }[] = [];
    const failed: { file: string; reason: string }[] = [];
    let unreachable: string | null = null;
    // One file that cannot be read or is refused does not stop the others; Temporal being
    // unreachable does (every file would wait for it in turn): the rest are listed as not sent.
    for (const f of files) {
      if (unreachable) {
        failed.push({ file: f, reason: 'not sent (Temporal is unreachable)' });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await readFile(f);
      } catch (e) {
        failed.push({ file: f, reason: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
        bar.tick();
        continue;
      }
      const channel = opts.channel ?? channelForFile(bytes);
      const { mtime } = await stat(f);
      const q = new URLSearchParams({ channel, receivedAt: mtime.toISOString() });
      const headers = { 'content-type': 'application/octet-stream', 'x-aiguillage-file-name': encodeURIComponent(basename(f)) };
      const r = await api<{ status: string; sha256: string; error?: string; code?: string }>(`${base}/api/documents?${q}`, { method: 'POST', headers, body: bytes });
      bar.tick();
      if (r.status >= 400) {
        if (r.body.code === 'TEMPORAL_UNREACHABLE') unreachable = r.body.error ?? 'Temporal is unreachable';
        failed.push({ file: f, reason: r.body.error ?? `HTTP ${r.status}` });
        continue;
      }
      sent.push({ file: f, sha256: r.body.sha256, status: r.body.status });
    }
    bar.done();
    let quarantined = 0;
    for (const s of sent) {
      if (!opts.wait) {
        console.log(`${s.status === 'accepted' ? 'accepted        ' : 'already received'}  ${s.file}  doc-${s.sha256.slice(0, 12)}…`);
        continue;
      }
      for (;;) {
        const r = await api<{ status: string; orders?: { orderId: string }[]; problems?: { code: string; message: string }[] }>(`${base}/api/intake/${s.sha256}`);
        if (r.body.status === 'running') {
          await new Promise((res) => setTimeout(res, 300));
          continue;
        }
        if (r.body.status === 'delivered') console.log(`routed       ${s.file} → ${(r.body.orders ?? []).map((o) => o.orderId).join(', ')}`);
        else {
          quarantined++;
          console.log(`quarantined  ${s.file}: ${(r.body.problems ?? []).map((p) => p.message).join('; ')}`);
        }
        break;
      }
    }
    for (const f of failed) console.log(`NOT SENT     ${f.file}: ${f.reason}`);
    if (failed.length) {
      console.error(`aiguillage: ${sent.length} of ${files.length} file(s) got in, ${failed.length} did not${unreachable ? ` — ${unreachable}; send them again once it is back` : ''}`);
    }
    process.exitCode = failed.length > 0 ? 2 : quarantined > 0 ? 1 : 0;
  });

/** Every order of the listing, page by page (the server answers at most `limit` per call). */
async function allOrders(base: string, status: string | undefined, pageSize = 1000): Promise<OrderJson[]> {
  const out: OrderJson[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const q = new URLSearchParams({ limit: String(pageSize), offset: String(offset), ...(status ? { status } : {}) });
    const r = await api<OrderJson[] | { error?: string }>(`${base}/api/orders?${q}`);
    if (!Array.isArray(r.body)) throw new UsageError(`orders: ${r.body.error ?? `HTTP ${r.status}`}`);
    out.push(...r.body);
    if (r.body.length < pageSize) return out;
  }
}

program
  .command('orders')
  .description('list orders with their documents, route and SLA')
  .option('--json', 'one JSON object per order (DESIGN.md shape), one per line')
  .option('--status <status>', 'only this status (received, extracted, needs-review, routed, entered, rejected, cancelled)')
  .option('--url <url>', 'Aiguillage HTTP address')
  .action(async (opts: { json?: boolean; status?: string; url?: string }) => {
    const r = { body: await allOrders(apiUrl(opts.url), opts.status, Number(process.env.AIGUILLAGE_PAGE_SIZE) || 1000) };
    if (opts.json) {
      for (const o of r.body) console.log(JSON.stringify(o));
      return;
    }
    if (r.body.length === 0) return console.log('no orders');
    console.log(`${'ORDER'.padEnd(30)} ${'STATUS'.padEnd(13)} ${'CUSTOMER'.padEnd(8)} ${'PO'.padEnd(18)} ${'DOCS'.padEnd(5)} ${'TEAM / AGENT'.padEnd(24)} ${'DUE'.padEnd(17)} SLA`);
    for (const o of r.body) {
      const due = o.sla.dueAt ? o.sla.dueAt.slice(0, 16).replace('T', ' ') : '—';
      const route = o.route ? `${o.route.team}${o.route.agent ? ` / ${o.route.agent}` : ''}` : '—';
      console.log(`${o.orderId.padEnd(30)} ${o.status.padEnd(13)} ${(o.customerId ?? '?').padEnd(8)} ${(o.poNumber ?? '—').padEnd(18)} ${String(o.documents.length).padEnd(5)} ${route.padEnd(24)} ${due.padEnd(17)} ${o.sla.state ?? ''}`);
    }
  });

program
  .command('quarantine')
  .description('documents that could not be read, with the reason')
  .option('--json', 'JSON Lines')
  .option('--url <url>', 'Aiguillage HTTP address')
  .action(async (opts: { json?: boolean; url?: string }) => {
    const r = await api<{ sha256: string; fileName: string; channel: string; receivedAt: string; problems: { code: string; message: string }[]; retries?: { at: string; by: string }[] }[]>(`${apiUrl(opts.url)}/api/quarantine`);
    for (const q of r.body) {
      if (opts.json) console.log(JSON.stringify(q));
      else {
        const retried = q.retries?.length ? `  (retried ${q.retries.length}×, last ${q.retries[q.retries.length - 1]!.at} by ${q.retries[q.retries.length - 1]!.by})` : '';
        console.log(`${q.receivedAt}  ${q.channel.padEnd(6)} ${q.fileName}  ${q.sha256}${retried}\n    ${q.problems.map((p) => `${p.code}: ${p.message}`).join('\n    ')}`);
      }
    }
    if (!opts.json && r.body.length === 0) console.log('quarantine is empty');
  });

program
  .command('retry')
  .description('start the intake of a quarantined (or failed) document again, once the cause is fixed')
  .argument('<sha256>', 'the document hash, as `quarantine` shows it')
  .option('--url <url>', 'Aiguillage HTTP address')
  .action(async (sha: string, opts: { url?: string }) => {
    const by = process.env.USER ?? process.env.USERNAME ?? 'cli';
    const r = await api<{ intakeWorkflowId?: string; fileName?: string; error?: string }>(`${apiUrl(opts.url)}/api/documents/${encodeURIComponent(sha.trim().toLowerCase())}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: `cli:${by}` }),
    });
    if (r.status === 404 || r.status === 400) throw new UsageError(r.body.error ?? `HTTP ${r.status}`);
    if (r.status >= 400) {
      // Refused for a reason (running, already delivered): said, exit 1.
      console.error(`aiguillage: retry refused: ${r.body.error ?? `HTTP ${r.status}`}`);
      process.exitCode = 1;
      return;
    }
    console.log(`retrying  ${r.body.fileName}  ${r.body.intakeWorkflowId} (npx aiguillage quarantine shows it again if it fails)`);
  });

program
  .command('start')
  .description('the whole stack on one machine: Temporal dev server, worker, channels, web')
  .option('--samples', 'ingest fixtures/samples once started')
  .option('--no-dev-server', 'use the Temporal cluster at TEMPORAL_ADDRESS instead of a local dev server')
  .action(async (opts: { samples?: boolean; devServer: boolean }) => {
    const { startStack } = await import('./start');
    await startStack({ samples: Boolean(opts.samples), devServer: opts.devServer });
  });

program
  .command('mail')
  .description('only the mailbox listeners (AIGUILLAGE_MAILBOXES, see config/mailboxes.example.yaml)')
  .action(async () => {
    await import('./mail');
  });

program
  .command('worker')
  .description('only the Temporal worker (to scale out, or against a cluster)')
  .action(async () => {
    await import('./worker-main');
  });

registerRulesCommands(program);
registerSlaCommands(program);
registerErpCommands(program);

function progress(total: number, label: string) {
  let n = 0;
  const tty = process.stderr.isTTY;
  const draw = () => {
    const width = 30;
    const filled = total ? Math.round((n / total) * width) : width;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n}/${total} ${label}`);
  };
  return {
    tick() {
      n++;
      if (tty) draw();
      else if (n === total || n % 100 === 0) process.stderr.write(`${n}/${total} ${label}\n`);
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UsageError) {
      console.error(`aiguillage: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(`aiguillage: ${(e as Error).message}`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) await runCli(process.argv);
