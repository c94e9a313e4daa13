// Watching it run and being told when a part dies, against the real dev server: /metrics moves during
// a run (ours and the Temporal SDK's), /healthz names each dependency and answers 503 when Temporal is
// gone, `ingest` goes on past a refused file and says Temporal is unreachable with its address,
// `orders` pages through everything, and a dev server killed by a signal is reported and restarted.
import { temporalMetricsAddress } from '../support/runtime-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, quietLog, startStack, startTemporal, type TestStack } from '../support/temporal';
import { buildHttpServer, type HttpServer } from '../../http/server';
import { Ingestor } from '../../intake/submit';
import { ROOT } from '../../worker/config';
import { startDevServer } from '../../worker/devserver';

const run = promisify(execFile);
const TOKEN = 'obs-test-token-0123456789abcdefghijklmnop';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const SAMPLE = readFileSync(join(ROOT, 'fixtures/samples/api-C005-BTP-2026-1187.order.json'));

let env: TestWorkflowEnvironment;
let stack: TestStack;
let app: HttpServer;
let base: string;

beforeAll(async () => {
  env = await startTemporal();
  stack = await startStack(env, 'operate', { cfg: { apiToken: TOKEN } });
  app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
  await env?.teardown();
});

/** One sample's value in a Prometheus text exposition (0 when absent). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function cli(args: string[], env: Record<string, string> = { AIGUILLAGE_API_TOKEN: TOKEN }): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'worker/cli.ts'), ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', ...env }, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

describe('metrics', () => {
  it('counts a document received, read and routed, with the Temporal SDK metrics in the same scrape', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401); // behind the API token
    const before = await (await fetch(`${base}/metrics`, { headers: AUTH })).text();
    const doc = Buffer.from(JSON.stringify({ customerId: 'C001', poNumber: 'METRICS-1', lines: [{ sku: 'VIS-440', quantity: 5 }] }));
    const res = await fetch(`${base}/api/documents?channel=api`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/octet-stream', 'x-aiguillage-file-name': 'm.order.json' }, body: doc });
    expect(res.status).toBe(202);
    await eventually(() => stack.readModel.get('C001-METRICS1'), (s) => s?.route != null, 60_000, 'order routed');
    const text = await eventually(async () => (await fetch(`${base}/metrics`, { headers: AUTH })).text(), (t) => sample(t, 'aiguillage_orders_total', '{event="routed"}') + sample(t, 'aiguillage_orders_total', '{event="needs-review"}') > sample(before, 'aiguillage_orders_total', '{event="routed"}') + sample(before, 'aiguillage_orders_total', '{event="needs-review"}'), 30_000, 'routed counter');
    expect(sample(text, 'aiguillage_documents_received_total', '{channel="api"}')).toBe(sample(before, 'aiguillage_documents_received_total', '{channel="api"}') + 1);
    expect(sample(text, 'aiguillage_documents_extracted_total', '{kind="api-json",outcome="orders"}')).toBeGreaterThan(sample(before, 'aiguillage_documents_extracted_total', '{kind="api-json",outcome="orders"}'));
    expect(sample(text, 'aiguillage_extraction_duration_seconds_count', '{kind="api-json"}')).toBeGreaterThan(0);
    expect(text).toContain('aiguillage_orders_total{event="touchless"} 0');
    expect(text).toMatch(/aiguillage_orders\{status="(routed|needs-review)"\} [1-9]/);
    // The Temporal SDK's own metrics (the core's Prometheus exporter), forwarded into the same scrape.
    expect(text).toMatch(/^temporal_workflow_task_execution_latency|^temporal_activity_execution_latency|^temporal_request/m);
    const direct = await (await fetch(`http://${temporalMetricsAddress}/metrics`)).text();
    expect(direct).toMatch(/temporal_/);
  });

  it('quarantines by reason', async () => {
    const before = await (await fetch(`${base}/metrics`, { headers: AUTH })).text();
    const r = await stack.ingestor.submit(Buffer.from('nothing that looks like an order\n'), { fileName: 'junk.txt', channel: 'folder', receivedAt: new Date().toISOString() });
    await env.client.workflow.getHandle(r.intakeWorkflowId).result();
    const after = await (await fetch(`${base}/metrics`, { headers: AUTH })).text();
    const total = (t: string) => t.split('\n').filter((l) => l.startsWith('aiguillage_documents_quarantined_total{')).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(total(after)).toBe(total(before) + 1);
  });
});

describe('healthz', () => {
  it('reports each dependency, and 503 with the address when Temporal is unreachable', async () => {
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { ok: boolean; dependencies: Record<string, { ok: boolean; detail: string }> };
    expect(body.ok).toBe(true);
    expect(Object.keys(body.dependencies).sort()).toEqual(['storage', 'temporal']);

    const dead = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const cfg = { ...stack.cfg, temporalAddress: '127.0.0.1:1' };
    const down = buildHttpServer({ cfg, ingestor: new Ingestor(stack.store, dead, cfg.taskQueue, quietLog), readModel: stack.readModel, client: dead, log: quietLog, health: { mail: () => ({ ok: false, detail: 'commandes: authentication refused for commandes' }) } });
    try {
      const r = await down.inject({ method: 'GET', url: '/healthz' });
      expect(r.statusCode).toBe(503);
      const h = r.json() as { ok: boolean; dependencies: Record<string, { ok: boolean; detail: string }> };
      expect(h.dependencies.temporal!.ok).toBe(false);
      expect(h.dependencies.temporal!.detail).toContain('Temporal is unreachable at 127.0.0.1:1');
      expect(h.dependencies.storage!.ok).toBe(true);
      expect(h.dependencies.mail).toEqual({ ok: false, detail: 'commandes: authentication refused for commandes' });
      // Intake answers a typed error, not "internal error".
      const post = await down.inject({ method: 'POST', url: '/api/documents', headers: { ...AUTH, 'content-type': 'application/octet-stream', 'x-aiguillage-file-name': 'a.order.json' }, payload: SAMPLE });
      expect(post.statusCode).toBe(503);
      expect(post.json()).toEqual({ error: 'Temporal is unreachable at 127.0.0.1:1', code: 'TEMPORAL_UNREACHABLE' });
    } finally {
      await down.close();
    }
  });
});

describe('CLI on failure', () => {
  it('ingest goes on past a refused file and names what got in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiguillage-ingest-'));
    writeFileSync(join(dir, 'a-empty.order.json'), '');
    writeFileSync(join(dir, 'b.order.json'), JSON.stringify({ customerId: 'C002', poNumber: 'CLI-GOES-ON', lines: [{ sku: 'VIS-440', quantity: 1 }] }));
    const r = await cli(['ingest', dir, '--url', base]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/accepted\s+\S*b\.order\.json/);
    expect(r.stdout).toMatch(/NOT SENT\s+\S*a-empty\.order\.json: empty body/);
    expect(r.stderr).toContain('1 of 2 file(s) got in, 1 did not');
  });

  it('ingest says in plain words that Temporal is unreachable, with its address', async () => {
    const dead = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const cfg = { ...stack.cfg, temporalAddress: '127.0.0.1:1' };
    const down = buildHttpServer({ cfg, ingestor: new Ingestor(stack.store, dead, cfg.taskQueue, quietLog), readModel: stack.readModel, client: dead, log: quietLog });
    await down.listen({ host: '127.0.0.1', port: 0 });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'aiguillage-ingest-'));
      for (const n of ['1', '2', '3']) writeFileSync(join(dir, `${n}.order.json`), JSON.stringify({ customerId: 'C003', poNumber: `DOWN-${n}`, lines: [{ sku: 'VIS-440', quantity: 1 }] }));
      const r = await cli(['ingest', dir, '--url', `http://127.0.0.1:${(down.server.address() as { port: number }).port}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Temporal is unreachable at 127.0.0.1:1');
      expect(r.stderr).toContain('0 of 3 file(s) got in, 3 did not');
      expect(r.stdout.split('\n').filter((l) => l.startsWith('NOT SENT'))).toHaveLength(3);
    } finally {
      await down.close();
    }
  });

  it('orders and orders --json page through everything', async () => {
    for (let i = 0; i < 5; i++) {
      await stack.ingestor.submit(Buffer.from(JSON.stringify({ customerId: 'C004', poNumber: `PAGE-${i}`, lines: [{ sku: 'VIS-440', quantity: 1 }] })), { fileName: `p${i}.order.json`, channel: 'api', receivedAt: new Date().toISOString() });
    }
    const total = await eventually(() => stack.readModel.count(), (n) => n >= 7, 60_000, 'orders in the read model');
    const json = await cli(['orders', '--json', '--url', base], { AIGUILLAGE_API_TOKEN: TOKEN, AIGUILLAGE_PAGE_SIZE: '2' });
    expect(json.code).toBe(0);
    const ids = json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { orderId: string }).orderId);
    expect(ids.length).toBeGreaterThanOrEqual(total);
    expect(new Set(ids).size).toBe(ids.length);
    const table = await cli(['orders', '--url', base], { AIGUILLAGE_API_TOKEN: TOKEN, AIGUILLAGE_PAGE_SIZE: '3' });
    expect(table.stdout.trim().split('\n').length - 1).toBe(ids.length);
  });
});

describe('start supervision', () => {
  it('reports a dev server killed by a signal in one line and restarts it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiguillage-dev-'));
    const lines: string[] = [];
    const port = 17_000 + (process.pid % 1000);
    const dev = await startDevServer({ dataDir, port, uiPort: port + 1, log: quietLog, onDeath: (l) => lines.push(l) });
    try {
      const first = dev.pid()!;
      process.kill(first, 'SIGKILL');
      await eventually(() => lines.length, (n) => n === 1, 30_000, 'the death reported');
      expect(lines[0]).toContain(`the Temporal dev server on 127.0.0.1:${port} stopped (killed by SIGKILL); restarting it`);
      await eventually(async () => {
        try {
          const c = await Connection.connect({ address: dev.address, connectTimeout: 1000 });
          await c.workflowService.getSystemInfo({});
          await c.close();
          return true;
        } catch {
          return false;
        }
      }, (up) => up, 90_000, 'the dev server back');
      expect(dev.pid()).not.toBe(first);
      expect(lines).toHaveLength(1);
    } finally {
      await dev.stop();
    }
  });
});
