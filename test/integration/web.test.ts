// The workspace end to end, in a real browser (Debian's Chromium driven by playwright-core) against a
// real stack: Temporal dev server, worker, HTTP server. An order comes in → it appears live in Léa's
// inbox → she corrects a line and marks it entered → the manager's dashboard counts change; Julien,
// of another team, never sees it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually, quietLog, startStack, startTemporal, type TestStack } from '../support/temporal';
import { buildHttpServer, type HttpServer } from '../../http/server';
import { ROOT } from '../../worker/config';
import { SAMPLE_USERS } from '../../web/sample-users';

const ORDER = readFileSync(join(ROOT, 'fixtures/samples/api-C005-BTP-2026-1187.order.json'));
const ORDER_ID = 'C005-BTP20261187';

let env: TestWorkflowEnvironment;
let stack: TestStack;
let app: HttpServer;
let base: string;
let browser: Browser;

beforeAll(async () => {
  env = await startTemporal();
  // No route given: the worker routes with its production router and routing-rules/examples.
  stack = await startStack(env, 'web');
  app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: env.client, log: quietLog });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stack?.stop();
  await env?.teardown();
});

async function signIn(login: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForURL(/\/login/);
  await page.fill('#login', login);
  await page.fill('#password', SAMPLE_USERS.find((u) => u.login === login)!.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);
  return { context, page };
}

const counts = async (page: Page) =>
  Object.fromEntries(await page.$$eval('.card .v[data-k]', (els) => els.map((e) => [e.getAttribute('data-k')!, Number(e.textContent)]))) as Record<string, number>;

describe('workspace in the browser', () => {
  it('refuses a wrong password and pages without a session', async () => {
    const res = await fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'login=lea&password=nope' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Identifiant ou mot de passe incorrect.');
    expect((await fetch(`${base}/api/workspace/inbox`)).status).toBe(401);
    expect((await fetch(`${base}/dashboard`, { redirect: 'manual' })).headers.get('location')).toBe('/login?next=%2Fdashboard');
  });

  it('takes an order from intake to "saisie faite" through the pages', async () => {
    const lea = await signIn('lea');
    const julien = await signIn('julien');
    const claire = await signIn('claire');
    const cookie = (await lea.context.cookies()).find((c) => c.name === 'aiguillage_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

    await claire.page.goto('/dashboard');
    const before = await counts(claire.page);

    // Léa's inbox is open; the order arrives while she looks at it (no reload).
    await lea.page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    await lea.page.waitForSelector('.live.on');
    expect(await lea.page.locator(`tr[data-order="${ORDER_ID}"]`).count()).toBe(0);
    await stack.ingestor.submit(ORDER, { fileName: 'api-C005-BTP-2026-1187.order.json', channel: 'api', receivedAt: new Date().toISOString() });
    const row = lea.page.locator(`tr[data-order="${ORDER_ID}"]`);
    await row.waitFor({ timeout: 60_000 });
    expect(await lea.page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expect.poll(() => row.textContent()).toMatch(/BTP-2026-1187[\s\S]*BTP Services Grenoble[\s\S]*API/);
    const routed = stack.readModel.get(ORDER_ID)!;
    expect(routed.route).toMatchObject({ team: 'sud-est', agent: 'lea' });

    // Julien (Nord-Est) neither lists it nor opens it, in the pages or in the API.
    await julien.page.reload();
    expect(await julien.page.locator(`tr[data-order="${ORDER_ID}"]`).count()).toBe(0);
    expect((await julien.page.goto(`/orders/${ORDER_ID}`))!.status()).toBe(404);
    expect((await julien.context.request.get(`/api/workspace/orders/${ORDER_ID}`)).status()).toBe(404);

    // Léa opens it: lines beside the source document, and corrects line 2 (4 → 5 boîtes).
    await row.locator('a').click();
    await lea.page.waitForURL(new RegExp(`/orders/${ORDER_ID}$`));
    expect(await lea.page.locator('#source pre').textContent()).toContain('"poNumber": "BTP-2026-1187"');
    await lea.page.fill('input[name="line.2.quantity"]', '5');
    await lea.page.click('#corrections button[type=submit]');
    await lea.page.waitForURL(/done=correct/);
    expect(await lea.page.locator('.flash.ok').textContent()).toContain('Corrections enregistrées');
    expect(await lea.page.inputValue('input[name="line.2.quantity"]')).toBe('5');
    expect(await lea.page.locator('.hist').textContent()).toMatch(/corrigée par lea — ligne 2 quantity → 5/);

    // "Saisie faite" with the ERP reference; the page shows what the workflow accepted.
    await lea.page.fill('input[name=erpReference]', 'CDE-88120');
    await lea.page.click('button:has-text("Saisie faite")');
    await lea.page.waitForURL(/done=entered/);
    expect(await lea.page.locator('h1 .st-entered').textContent()).toBe('saisie faite');
    expect(await lea.page.locator('.hist').textContent()).toContain('référence ERP CDE-88120');
    const state = stack.readModel.get(ORDER_ID)!;
    expect(state.status).toBe('entered');
    expect(state.order.lines[1]!.quantity).toBe(5);

    // A second "saisie faite" is refused by the workflow, in its own words.
    const me = await (await lea.context.request.get('/api/workspace/me')).json();
    const again = await lea.context.request.post(`/api/workspace/orders/${ORDER_ID}/actions/entered`, { headers: { 'x-csrf-token': me.csrfToken }, data: {} });
    expect(again.status()).toBe(409);
    expect((await again.json()).error).toBe('La saisie de cette commande est déjà faite.');
    // Without the CSRF token nothing reaches the workflow.
    const forged = await lea.context.request.post(`/orders/${ORDER_ID}/reject`, { form: { reason: 'doublon' } });
    expect(forged.status()).toBe(403);
    expect(stack.readModel.get(ORDER_ID)!.status).toBe('entered');

    // The manager's dashboard counts moved: one more received and entered today.
    await claire.page.reload();
    const after = await counts(claire.page);
    expect(after.received).toBe(before.received! + 1);
    expect(after.entered).toBe(before.entered! + 1);
    expect(after.toEnterToday).toBe(before.toEnterToday);
    const api = await (await claire.context.request.get('/api/workspace/dashboard')).json();
    expect(api.totals).toMatchObject({ received: after.received, entered: after.entered });
    await eventually(() => claire.context.request.get(`/api/workspace/search?q=BTP-2026-1187`).then((r) => r.json()), (r) => r.orders[0]?.status === 'entered', 5000, 'search');

    for (const c of [lea, julien, claire]) await c.context.close();
  });

  it('sends an order to another team, whose agent then sees it and rejects it with a reason', async () => {
    const r = await stack.ingestor.submit(readFileSync(join(ROOT, 'fixtures/samples/api-C016-RC-88412.order.json')), { fileName: 'api-C016-RC-88412.order.json', channel: 'api', receivedAt: new Date().toISOString() });
    await env.client.workflow.getHandle(r.intakeWorkflowId).result();
    const id = 'C016-RC88412';
    await eventually(() => stack.readModel.get(id), (s) => !!s?.route, 30_000, 'routed');
    expect(stack.readModel.get(id)!.route!.team).toBe('sud-est');
    const claire = await signIn('claire');
    await claire.page.goto(`/orders/${id}`);
    await claire.page.selectOption('select[name=team]', 'nord-est');
    await claire.page.fill('form[action$="/reassign"] input[name=reason]', 'client suivi par le Nord-Est');
    await claire.page.click('button:has-text("Envoyer à l\'équipe")');
    await claire.page.waitForURL(/done=reassign/);
    expect(await claire.page.locator('.hist').textContent()).toContain('envoyée à une autre équipe par claire — nord-est — client suivi par le Nord-Est');

    const julien = await signIn('julien');
    await julien.page.locator(`tr[data-order="${id}"] a`).click();
    // An empty reason is refused by the workflow, and the page says so in its words.
    await julien.page.click('button:has-text("Rejeter")');
    expect(await julien.page.locator('.flash.err').textContent()).toBe('Un motif de rejet est obligatoire.');
    await julien.page.fill('form[action$="/reject"] input[name=reason]', 'commande en double, déjà reçue par téléphone');
    await julien.page.click('button:has-text("Rejeter")');
    await julien.page.waitForURL(/done=reject/);
    expect(await julien.page.locator('h1 .st-rejected').textContent()).toBe('rejetée');
    expect(stack.readModel.get(id)).toMatchObject({ status: 'rejected', rejection: 'commande en double, déjà reçue par téléphone' });
    for (const c of [claire, julien]) await c.context.close();
  });
});
