// Screenshots of the workspace for the README: `TZ=UTC npx tsx scripts/screenshots.ts`.
// Starts a real stack (Temporal dev server, worker, HTTP server), feeds it the sample documents of
// every channel, lets a few agents work, and photographs the inbox, an order and the dashboard with
// Debian's Chromium. The 30-day chart needs past days the pipeline cannot produce today, so it is fed
// with past orders written to this throwaway read model (built with the workflow's own rules).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStack, startTemporal, quietLog, eventually } from '../test/support/temporal';
import { buildHttpServer } from '../http/server';
import { ROOT } from '../worker/config';
import { channelForFile } from '../intake/submit';
import { runAgentAction } from '../web/actions';
import { claimUpdate, correctUpdate, markEnteredUpdate, type IntakeResult } from '../workflows/definitions';
import { type OrderState } from '../domain/order-model';
import { orderIdFromWorkflowId } from '../workflows/definitions';
import { applyEntered, applyRoute, newOrderState, setStatus } from '../domain/order-state';
import { computeDue } from '../domain/sla';
import { addDays } from '../domain/holidays';
import { SAMPLE_USERS } from '../web/sample-users';
import { parisDay } from '../web/model';
import type { Channel } from '../domain/order';
import { loadMasterData } from '../storage/masterdata-source';
import { loadScenarios } from '../bench/dedup-fixtures';
import { documentFor } from '../bench/dedup-workflows/documents';

const OUT = join(ROOT, 'docs/screenshots');
const DOCS = [
  'fixtures/samples/api-C005-BTP-2026-1187.order.json',
  'fixtures/samples/api-C016-RC-88412.order.json',
  'fixtures/email/01-liste-texte-dupont.eml',
  'fixtures/email/02-outlook-html-martin.eml',
  'fixtures/email/03-tableau-aligne-latin1-lefevre.eml',
  'fixtures/email/04-reponse-citation-moreau.eml',
  'fixtures/email/12-annule-remplace-btp.eml',
  'fixtures/email/13-english-weber.eml',
  'fixtures/email/17-html-seul-hcc.eml',
  'fixtures/edi/x12/brico-centre-850-004010.edi',
  'fixtures/edi/edifact/castel-orders-d96a-unoc-latin1.edi',
  'fixtures/fax/dupont-fine.tif',
  'fixtures/email/15-sans-commande-outillage.eml',
  'fixtures/edi/other/not-edi.edi',
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const env = await startTemporal();
  // Routed by the worker's production router with routing-rules/examples.
  const stack = await startStack(env, 'screenshots');
  const app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const now = Date.now();
    const orderIds: string[] = [];
    for (const [i, f] of DOCS.entries()) {
      const bytes = readFileSync(join(ROOT, f));
      const channel: Channel = f.endsWith('.tif') ? 'fax' : channelForFile(bytes);
      // Spread over the morning, oldest first, so the inbox has a range of due times and SLA states.
      const r = await stack.ingestor.submit(bytes, { fileName: f.split('/').pop()!, channel, receivedAt: new Date(now - (DOCS.length - i) * 11 * 60_000).toISOString() });
      const res = (await env.client.workflow.getHandle(r.intakeWorkflowId).result()) as IntakeResult;
      orderIds.push(...res.orders.map((o) => orderIdFromWorkflowId(o.orderWorkflowId)));
      console.error(`› ${f}: ${res.status} ${res.orders.map((o) => o.poNumber).join(', ')}`);
    }
    const states = await eventually(() => orderIds.map((id) => stack.readModel.get(id)), (ss) => ss.every((s) => s?.route), 60_000, 'orders routed');

    // A working morning: some orders taken, one corrected, two entered.
    const open = states.filter((s): s is OrderState => !!s && !!s.route?.agent && (s.status === 'routed' || s.status === 'needs-review'));
    for (const [i, s] of open.entries()) {
      const by = s.route!.agent!;
      if (i % 2 === 0) await runAgentAction(env.client, s.orderId, claimUpdate, { by });
      if (i === 1) await runAgentAction(env.client, s.orderId, markEnteredUpdate, { by, erpReference: 'CDE-55012' });
      if (i === 4 && s.order.lines[0]?.quantity) await runAgentAction(env.client, s.orderId, correctUpdate, { by, lines: [{ lineNumber: 1, field: 'quantity', value: s.order.lines[0].quantity + 2 }] });
    }
    // A probable duplicate for the order page: an e-mailed order, then a fax of the same lines with no
    // PO, date or address read (scenario D15 of fixtures/dedup, as real documents), an hour apart.
    const d15 = loadScenarios().find((x) => x.expect.certainty === 'probable')!;
    const md = loadMasterData(join(ROOT, 'fixtures/masterdata'));
    let probableOrder: string | null = null;
    for (const [i, o] of [d15.existing[0]!, d15.incoming].entries()) {
      const doc = await documentFor(o, md, 7000 + i);
      const r = await stack.ingestor.submit(doc.bytes, { fileName: doc.fileName, channel: doc.channel, receivedAt: new Date(now - (2 - i) * 60 * 60_000).toISOString() });
      const res = (await env.client.workflow.getHandle(r.intakeWorkflowId).result()) as IntakeResult;
      probableOrder ??= orderIdFromWorkflowId(res.orders[0]!.orderWorkflowId);
      if (i === 0) await eventually(() => stack.readModel.get(probableOrder!), (s) => !!s?.route, 30_000, 'e-mailed order routed');
      console.error(`› ${doc.fileName}: ${res.status} → ${res.orders.map((x) => x.orderWorkflowId).join(', ')}`);
    }
    await eventually(() => stack.readModel.get(probableOrder!), (s) => (s?.documents.length ?? 0) === 2, 30_000, 'fax attached as a probable duplicate');

    seedHistory(stack.readModel, now);

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const shoot = async (login: string, url: string, file: string, height = 900, fullPage = false, hover?: string) => {
      const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1440, height }, deviceScaleFactor: 1, locale: 'fr-FR' });
      const page = await ctx.newPage();
      await page.goto('/login');
      await page.fill('#login', login);
      await page.fill('#password', SAMPLE_USERS.find((u) => u.login === login)!.password);
      await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
      await page.goto(url);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      // A line hovered shows the table-to-page link the photo would otherwise not tell.
      if (hover) await page.hover(hover, { timeout: 5000 }).catch(() => undefined);
      await page.screenshot({ path: join(OUT, file), fullPage });
      console.error(`› ${file}: ${url} as ${login}`);
      await ctx.close();
    };
    await shoot('lea', '/', 'inbox.png');
    const ours = orderIds.map((id) => stack.readModel.get(id)!).filter(Boolean);
    const page = ours.find((s) => s.documents.some((d) => d.channel === 'fax')) ?? ours[0]!;
    await shoot(page.route?.agent === 'lea' ? 'lea' : 'claire', `/orders/${encodeURIComponent(page.orderId)}`, 'order.png', 1000, false, 'tr[data-hl="line-2"]');
    await shoot('claire', '/dashboard', 'dashboard.png', 900, true);
    const email = ours.find((s) => s.documents[0]?.channel === 'email' && s.route?.team === 'nord-est');
    if (email) await shoot('julien', `/orders/${encodeURIComponent(email.orderId)}`, 'order-email.png', 900);
    if (probableOrder) await shoot('claire', `/orders/${encodeURIComponent(probableOrder)}`, 'order-probable.png', 900);
    const edi = ours.find((s) => s.documents[0]?.channel === 'edi');
    if (edi) await shoot('claire', `/rules?order=${encodeURIComponent(edi.orderId)}`, 'rules.png', 900);
    await browser.close();
  } finally {
    await app.close();
    await stack.stop();
    await env.teardown();
  }
}

/** Past orders for the chart: a few a day per channel, most entered in time. */
function seedHistory(readModel: { upsert(s: OrderState): boolean }, now: number): void {
  const channels: Channel[] = ['email', 'edi', 'fax', 'api', 'scan'];
  const today = parisDay(now);
  for (let d = 29; d >= 1; d--) {
    const day = addDays(today, -d);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const n = 6 + ((d * 7) % 9);
    for (let i = 0; i < n; i++) {
      const channel = channels[(i + d) % channels.length]!;
      const receivedAt = new Date(Date.parse(`${day}T07:00:00Z`) + i * 37 * 60_000).toISOString();
      const due = computeDue(receivedAt);
      const id = `HIST-${day}-${i}`;
      let s = newOrderState(id, {
        document: { sha256: '0'.repeat(64), fileName: `historique-${i}.${channel}`, mediaType: 'text/plain', channel, receivedAt },
        index: 0,
        order: { poNumber: id, orderDate: day, requestedDeliveryDate: null, purpose: 'original', currency: 'EUR', customer: { id: 'C001', name: 'Quincaillerie Dupont', matchedBy: 'api' }, shipTo: { code: null, gln: null, name: null, street: null, postalCode: null, city: null, country: 'FR' }, lines: [], confidence: 1, provenance: { parser: 'history', location: null, signals: [] } },
        problems: [],
      }, receivedAt);
      s = { ...setStatus(s, 'extracted', receivedAt), sla: { ...s.sla, dueAt: due.dueAt, atRiskAt: due.atRiskAt } };
      s = applyRoute(s, { team: ['sud-est', 'nord-est', 'grands-comptes-edi', 'ouest'][i % 4]!, agent: null, ruleId: 'history', rulesVersion: '', reason: 'historique' }, receivedAt);
      const late = (i * 13 + d) % 17 === 0;
      const enteredAt = new Date(late ? due.dueAtMs + 40 * 60_000 : Math.min(due.dueAtMs - 20 * 60_000, Date.parse(receivedAt) + 90 * 60_000)).toISOString();
      readModel.upsert(applyEntered(s, 'lea', enteredAt));
    }
  }
}

main().then(
  // The rule directory watcher of the worker's router would keep the process alive.
  () => process.exit(0),
  (e) => {
    console.error(`screenshots: ${(e as Error).message}`);
    process.exit(1);
  },
);
