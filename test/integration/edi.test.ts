// The EDI channel through the running stack (real Temporal dev server): POST /edi/:partner with
// the example partners, the partners' drop folder, confirmations after routing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eventually, quietLog, startStack, startTemporal, type TestStack } from '../support/temporal';
import { buildHttpServer, type HttpServer } from '../../http/server';
import { ROOT } from '../../worker/config';
import { openEdiChannel, type EdiChannel } from '../../channels/edi/runtime';
import { watchPartnerFolders } from '../../channels/edi/folder';
import { correctUpdate, markEnteredUpdate, orderStateQuery, type IntakeResult } from '../../workflows/definitions';
import { runAgentAction } from '../../web/actions';

const fx = (p: string) => readFileSync(join(ROOT, 'fixtures/edi', p));
const X850 = fx('x12/brico-centre-850-004010.edi');

let env: TestWorkflowEnvironment;
let stack: TestStack;
let edi: EdiChannel;
let app: HttpServer;

beforeAll(async () => {
  env = await startTemporal();
  // The example partners, their drop folders inside the stack's data folder (relative paths).
  const partnersFile = join(mkdtempSync(join(tmpdir(), 'edi-partners-')), 'partners.yaml');
  writeFileSync(partnersFile, readFileSync(join(ROOT, 'channels/edi/partners.example.yaml'), 'utf8').replace(/(inbox|outbox): edi\//g, '$1: drop/'));
  stack = await startStack(env, 'edi', { cfg: { partnersFile } });
  edi = openEdiChannel(partnersFile, stack.cfg.dataDir, quietLog);
  app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog, edi: edi.receiveDeps(stack.ingestor) });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app?.close();
  edi?.close();
  await stack?.stop();
  await env?.teardown();
});

const post = (partner: string, key: string, payload: Buffer) =>
  app.inject({ method: 'POST', url: `/edi/${partner}?fileName=${partner}.edi`, payload, headers: { 'content-type': 'application/edi-x12', 'x-api-key': key } });
const intake = (sha: string): Promise<IntakeResult> => env.client.workflow.getHandle(`doc-${sha}`).result();

async function orderWorkflows(): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of env.client.workflow.list({ query: `TaskQueue = '${stack.cfg.taskQueue}' AND WorkflowType = 'orderWorkflow'` })) ids.push(w.workflowId);
  return ids;
}

describe('EDI channel', () => {
  it('takes an 850 into an order, answers with a 997, and confirms it with an 855 once routed', async () => {
    const res = await post('brico-centre', 'demo-brico-centre-2026', X850);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/edi-x12');
    expect(res.body).toMatch(/AK1\*PO\*[\s\S]*AK9\*A\*1\*1\*1/);
    const r = await intake(String(res.headers['x-aiguillage-document']));
    expect(r.status).toBe('delivered');
    expect(r.orders).toHaveLength(1);
    const orderWf = r.orders[0]!.orderWorkflowId;
    const state = await eventually(() => env.client.workflow.getHandle(orderWf).query(orderStateQuery), (s) => s.route !== null, 30_000, 'order routed');
    expect(state.customerId).toBe('C002');
    expect(state.documents.map((d) => d.channel)).toEqual(['edi']);
    const outbox = join(stack.cfg.dataDir, 'drop/brico-centre/out');
    const files = await eventually(() => (existsSync(outbox) ? readdirSync(outbox) : []), (f) => f.length === 1, 30_000, '855 in the outbox');
    const c = readFileSync(join(outbox, files[0]!), 'latin1');
    expect(c).toContain('ST*855*');
    expect(c).toContain(`BAK*00*`);
    expect(c).toContain(`*${state.poNumber}*`);
    // In the partner's terms: its unit codes and only the item IDs it sent (no VP/EN of ours added).
    expect(c).toContain('~PO1*2*120*BX*5.6**BP*BCR-100240~');
    expect(c).toContain('~PO1*3*24*EA*11.2**EN*3760123452595~');

    // The same interchange again: no second order, the same acknowledgment.
    const again = await post('brico-centre', 'demo-brico-centre-2026', X850);
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-aiguillage-outcome']).toBe('duplicate');
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
    // (visibility is eventually consistent: wait for the listing, then check there is exactly one)
    expect((await eventually(orderWorkflows, (l) => l.includes(orderWf), 20_000, 'order workflow listed')).filter((id) => id === orderWf)).toHaveLength(1);
    expect(stack.readModel.list({ customerId: 'C002' }).filter((s) => s.poNumber === state.poNumber)).toHaveLength(1);

    // The ADV corrects line 2 and enters the order: the partner gets a change (BAK01 04), line 2 changed.
    const by = state.route!.agent ?? 'lea';
    await runAgentAction(env.client, state.orderId, correctUpdate, { by, lines: [{ lineNumber: 2, field: 'quantity', value: 100 }] });
    await runAgentAction(env.client, state.orderId, markEnteredUpdate, { by, erpReference: 'CDE-90210' });
    const both = await eventually(() => readdirSync(outbox).sort(), (f) => f.length === 2, 30_000, 'change 855 in the outbox');
    const change = readFileSync(join(outbox, both[1]!), 'latin1');
    expect(change).toContain('BAK*04*AC*');
    expect(change.split('~').filter((x) => x.startsWith('ACK*'))).toEqual(['ACK*IA*48*BX', 'ACK*IQ*100*BX', 'ACK*IA*24*EA']);
  });

  it('answers a broken interchange with a negative 997 and quarantines the document', async () => {
    const res = await post('brico-centre', 'demo-brico-centre-2026', fx('x12/broken-counts.edi'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/AK5\*R\*4/);
    const sha = String(res.headers['x-aiguillage-document']);
    const r = await intake(sha);
    expect(r.status).toBe('quarantined');
    const q = await eventually(() => stack.readModel.quarantined().find((x) => x.sha256 === sha), Boolean, 20_000, 'quarantine record');
    expect(q!.problems.map((p) => p.code)).toContain('EDI_ENVELOPE_COUNT');
  });

  it('quarantines an interchange that reuses a control number with other content, and rejects it to the partner', async () => {
    const lmFirst = fx('edifact/leroy-maison-orders-decimal-comma-test.edi');
    const first = await post('leroy-maison', 'demo-leroy-maison-2026', lmFirst);
    expect(first.statusCode).toBe(200);
    expect((await intake(String(first.headers['x-aiguillage-document']))).status).toBe('delivered');
    // Same UNB control reference, another quantity: not a re-send.
    const other = Buffer.from(lmFirst.toString('latin1').replace('QTY+21:120', 'QTY+21:140'), 'latin1');
    expect(other.equals(lmFirst)).toBe(false);
    const res = await post('leroy-maison', 'demo-leroy-maison-2026', other);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-aiguillage-outcome']).toBe('control-number-reused');
    expect(res.body).toMatch(/UCI\+[^']*\+4\+26'/); // CONTRL: interchange rejected, duplicate detected
    const sha = String(res.headers['x-aiguillage-document']);
    const r = await intake(sha);
    expect(r.status).toBe('quarantined');
    expect(r.orders).toHaveLength(0);
    const q = await eventually(() => stack.readModel.quarantined().find((x) => x.sha256 === sha), Boolean, 20_000, 'quarantine record');
    const p = q!.problems.find((x) => x.code === 'EDI_CONTROL_NUMBER_REUSED');
    expect(p?.message).toContain('partner leroy-maison');
    expect(p?.message).toContain(String(first.headers['x-aiguillage-control-number']));
    expect(p?.message).toContain(String(first.headers['x-aiguillage-document']).slice(0, 12));
  });

  it('acknowledges a test interchange and keeps its order in the sandbox, never as work', async () => {
    const res = await post('weber', 'demo-weber-2026', fx('x12/weber-850-wrapped80-test-ackrequested.edi'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/TA1\*000000913\*[\s\S]*AK9\*A/);
    const sha = String(res.headers['x-aiguillage-document']);
    const r = await intake(sha);
    expect(r.orders.map((o) => o.orderWorkflowId.startsWith('sandbox-'))).toEqual([true]);
    expect(stack.readModel.sandbox().some((s) => s.sha256 === sha)).toBe(true);
    await expect(env.client.workflow.getHandle(`order-${r.orders[0]!.orderWorkflowId.slice('sandbox-'.length)}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('refuses a wrong API key', async () => {
    const res = await post('brico-centre', 'demo-weber-2026', X850);
    expect(res.statusCode).toBe(401);
  });

  it("takes a file from the partner's drop folder and writes the CONTRL to its outbox", async () => {
    const inbox = join(stack.cfg.dataDir, 'drop/cbf/in');
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'ORD0004.edi'), fx('edifact/cbf-orders-custom-una-one-line.edi'));
    const folders = watchPartnerFolders(edi.receiveDeps(stack.ingestor), 0);
    await folders.scan();
    expect(await folders.scan()).toBe(1);
    folders.close();
    const ack = readFileSync(join(stack.cfg.dataDir, 'drop/cbf/out/ORD0004.contrl.edi'), 'latin1');
    expect(ack).toMatch(/UCI\*CBF2611200004\*5412345000013=14\*3012345000008=14\*[78]/);
    const done = readdirSync(join(inbox, '.done'));
    expect(done).toHaveLength(1);
    const sha = edi.seen.recent('cbf', new Date().toISOString())[0]!.documentSha256;
    expect((await intake(sha)).status).toBe('delivered');
  });
});
