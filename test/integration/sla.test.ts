// The SLA clock inside the order workflow, on the real dev server: the due time follows the earliest
// receipt, the at-risk and late marks fire as durable timers and alert: the global webhook, and the
// team lead of teams.yaml — by webhook, or by e-mail delivered into a real Dovecot over LMTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, startStack, startTemporal, type TestStack } from '../support/temporal';
import { startDovecot, type Dovecot } from '../../worker/dovecot';
import { orderStateQuery, type OrderState } from '../../workflows/definitions';
import { simpleParser, type AddressObject } from 'mailparser';

let env: TestWorkflowEnvironment;
let stack: TestStack;
let hook: Server;
let dovecot: Dovecot;
const alerts: { event: string; orderId: string; dueAt: string; to?: string }[] = [];

/** Two teams: C001 goes to Nord-Est (lead: a webhook), everyone else to Sud-Est (lead: an e-mail address). */
function rulesDir(hookUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aiguillage-sla-rules-'));
  writeFileSync(
    join(dir, 'teams.yaml'),
    `teams:
  - id: sud-est
    name: Sud-Est
    assignment: round-robin
    lead: isabelle.roux@fixations-ra.fr
    agents:
      - { id: lea, name: Léa }
  - id: nord-est
    name: Nord-Est
    assignment: round-robin
    lead: ${hookUrl}/lead/nord-est
    agents:
      - { id: julien, name: Julien }
`,
  );
  writeFileSync(join(dir, 'rules.yaml'), 'rules:\n  - id: dupont-au-nord\n    when: { customer: [C001] }\n    team: nord-est\nfallback:\n  team: sud-est\n');
  return dir;
}

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      alerts.push({ ...JSON.parse(body), path: req.url });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  [env, dovecot] = await Promise.all([startTemporal(), startDovecot({ users: ['isabelle.roux'] })]);
  stack = await startStack(env, 'sla', {
    cfg: { slaWebhook: `${hookUrl}/alerts`, rulesDir: rulesDir(hookUrl), smtpUrl: `lmtp://127.0.0.1:${dovecot.lmtpPort}`, alertFrom: 'Aiguillage <aiguillage@fixations-ra.fr>', publicUrl: 'http://adv.fixations-ra.fr' },
  });
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
  await dovecot?.stop();
  hook?.close();
});

const order = (po: string) => Buffer.from(JSON.stringify({ customerId: 'C003', poNumber: po, lines: [{ sku: 'VIS-560', quantity: 8 }] }));

describe('SLA in the order workflow', () => {
  it('marks an order received Friday morning and not entered as at risk, then late, and alerts', async () => {
    const r = await stack.ingestor.submit(order('SLA-1'), { fileName: 'sla1.order.json', channel: 'api', receivedAt: '2026-11-20T09:12:00Z' });
    await env.client.workflow.getHandle(`doc-${r.sha256}`).result();
    const h = env.client.workflow.getHandle('order-C003-SLA1');
    const s = await eventually(() => h.query(orderStateQuery), (x) => x.sla.state === 'late', 30_000, 'late');
    expect(s.sla.dueAt).toBe('2026-11-20T17:00:00+01:00');
    expect(s.sla.atRiskAt).toBe('2026-11-20T16:30:00+01:00');
    expect(s.history.map((e) => e.event)).toEqual(['received', 'extracted', 'routed', 'at risk', 'late']);
    const global = (id: string) => alerts.filter((a) => a.orderId === id && a.to === undefined).map((a) => a.event).sort();
    await eventually(() => global('C003-SLA1'), (ev) => ev.length === 2, 10_000, 'alerts');
    expect(global('C003-SLA1')).toEqual(['sla.at-risk', 'sla.late']);
  });

  it('moves the due time to the earliest receipt when a copy received earlier arrives', async () => {
    const a = await stack.ingestor.submit(order('SLA-2'), { fileName: 'email.order.json', channel: 'email', receivedAt: '2026-11-24T17:05:00+01:00' });
    await env.client.workflow.getHandle(`doc-${a.sha256}`).result();
    const h = env.client.workflow.getHandle('order-C003-SLA2');
    // Tuesday 17:05 is after the cut-off: due Wednesday 17:00.
    expect((await eventually(() => h.query(orderStateQuery), (x) => x.sla.dueAt !== null, 10_000, 'due')).sla.dueAt).toBe('2026-11-25T17:00:00+01:00');
    const b = await stack.ingestor.submit(Buffer.concat([order('SLA-2'), Buffer.from('\n')]), { fileName: 'fax.order.json', channel: 'fax', receivedAt: '2026-11-24T16:40:00+01:00' });
    await env.client.workflow.getHandle(`doc-${b.sha256}`).result();
    const s = await eventually(() => h.query(orderStateQuery), (x) => x.documents.length === 2, 10_000, 'copy attached');
    expect(s.sla.receivedAt).toBe('2026-11-24T15:40:00.000Z');
    expect(s.sla.dueAt).toBe('2026-11-24T17:00:00+01:00');
  });

  it('gives an amendment received earlier its due time, and keeps it once the order is routed again', async () => {
    // The original arrives Wednesday 25th at 10:21 (due that day 17:00); an amendment received on
    // Tuesday 24th at 10:21 is processed after it: the clock runs from the 24th, routing included.
    const a = await stack.ingestor.submit(order('SLA-4'), { fileName: 'sla4.order.json', channel: 'api', receivedAt: '2026-11-25T10:21:00+01:00' });
    await env.client.workflow.getHandle(`doc-${a.sha256}`).result();
    const h = env.client.workflow.getHandle('order-C003-SLA4');
    expect((await eventually(() => h.query(orderStateQuery), (x) => x.route !== null, 20_000, 'routed')).sla.dueAt).toBe('2026-11-25T17:00:00+01:00');
    const amended = Buffer.from(JSON.stringify({ customerId: 'C003', poNumber: 'SLA-4', purpose: 'replace', lines: [{ sku: 'VIS-560', quantity: 12 }] }));
    const b = await stack.ingestor.submit(amended, { fileName: 'sla4-modif.order.json', channel: 'email', receivedAt: '2026-11-24T10:21:00+01:00' });
    await env.client.workflow.getHandle(`doc-${b.sha256}`).result();
    const routedAgain = (x: OrderState) => x.documents.length === 2 && x.history.findLastIndex((e) => e.event === 'amended') < x.history.findLastIndex((e) => e.event === 'routed' || e.event === 'needs-review');
    const s = await eventually(() => h.query(orderStateQuery), routedAgain, 20_000, 'amendment attached and routed again');
    expect(s.documents.map((d) => d.role)).toEqual(['original', 'amendment']);
    expect(s.order.lines[0]!.quantity).toBe(12);
    expect(s.sla.receivedAt).toBe('2026-11-24T09:21:00.000Z');
    expect(s.sla.dueAt).toBe('2026-11-24T17:00:00+01:00');
  });

  it("alerts the team lead of teams.yaml: an e-mail in the lead's mailbox, or the lead's webhook", async () => {
    // C003 → Sud-Est, whose lead is an e-mail address: both marks arrive in Dovecot, in French.
    const r = await stack.ingestor.submit(order('SLA-3'), { fileName: 'sla3.order.json', channel: 'api', receivedAt: '2026-11-20T09:12:00Z' });
    await env.client.workflow.getHandle(`doc-${r.sha256}`).result();
    const c = await dovecot.client('isabelle.roux');
    try {
      const mails = await eventually(
        async () => {
          await c.mailboxOpen('INBOX');
          return c.mailbox && c.mailbox.exists > 0 ? await c.fetchAll('1:*', { envelope: true, source: true }) : [];
        },
        (m) => m.filter((x) => x.envelope?.subject?.includes('SLA-3')).length === 2,
        20_000,
        'two alert e-mails for SLA-3',
      );
      const subjects = mails.map((m) => m.envelope!.subject!).filter((x) => x.includes('SLA-3')).sort();
      expect(subjects).toEqual([
        '[Aiguillage] En retard : commande SLA-3 du client C003, échéance vendredi 20 novembre à 17:00 dépassée',
        '[Aiguillage] À risque : commande SLA-3 du client C003, à saisir avant vendredi 20 novembre à 17:00',
      ]);
      const mail = await simpleParser(mails.find((m) => m.envelope!.subject!.startsWith('[Aiguillage] À risque : commande SLA-3'))!.source!);
      expect(mail.from?.value).toEqual([{ name: 'Aiguillage', address: 'aiguillage@fixations-ra.fr' }]);
      expect((mail.to as AddressObject).text).toBe('isabelle.roux@fixations-ra.fr');
      expect(mail.text).toContain("La commande SLA-3 du client C003 n'est pas encore saisie et doit l'être avant vendredi 20 novembre à 17:00.");
      expect(mail.text).toContain('Ouvrir la commande : http://adv.fixations-ra.fr/orders/C003-SLA3');
      expect(mail.messageId).toMatch(/^<sla\.at-risk\.C003-SLA3\./);
    } finally {
      await c.logout();
    }
    // C001 → Nord-Est, whose lead is a webhook: it gets both marks, apart from the global webhook.
    const d = await stack.ingestor.submit(Buffer.from(JSON.stringify({ customerId: 'C001', poNumber: 'SLA-4', lines: [{ sku: 'VIS-440', quantity: 3 }] })), { fileName: 'sla4.order.json', channel: 'api', receivedAt: '2026-11-20T09:12:00Z' });
    await env.client.workflow.getHandle(`doc-${d.sha256}`).result();
    const lead = () => alerts.filter((a) => a.orderId === 'C001-SLA4' && a.to === 'team-lead');
    await eventually(lead, (l) => l.length === 2, 20_000, 'lead webhook alerts');
    expect(lead().map((a) => [(a as { path?: string }).path, a.event]).sort()).toEqual([
      ['/lead/nord-est', 'sla.at-risk'],
      ['/lead/nord-est', 'sla.late'],
    ]);
  });
});
