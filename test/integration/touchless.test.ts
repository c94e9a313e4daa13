// Touchless entry through the whole stack against the real Tryton and Temporal dev server: the policy
// in touchless.yaml lets a certain order into Tryton with no agent, keeps a first order and a stock-out
// for an agent, and an agent's undo cancels the sale in Tryton and gives the order back.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderKey } from '../../domain/keys';
import { erpOrderKey } from '../../erp/connector';
import { useTrytonAndTemporal } from '../support/erp-harness';
import { eventually, quietLog, startStack } from '../support/temporal';
import { chromium } from 'playwright-core';
import { buildHttpServer } from '../../http/server';
import { SAMPLE_USERS } from '../../web/sample-users';
import { ROOT } from '../../worker/config';
import { refreshErpView } from '../../erp/watch';
import { loadMasterData } from '../../storage/masterdata-source';
import { createInErpUpdate, orderWorkflowId, undoTouchlessUpdate, type OrderState } from '../../workflows/definitions';

const erp = useTrytonAndTemporal();

const salesOf = (orderId: string) =>
  erp.tryton.connector.client.model<{ id: number; number: string; state: string; reference: string }[]>('sale.sale', 'search_read', [[['description', '=', erpOrderKey(orderId)]], 0, null, [['id', 'ASC']], ['number', 'state', 'reference']], { company: 1 });

const apiOrder = (customerId: string, poNumber: string, lines: [string, number][]) => Buffer.from(JSON.stringify({ customerId, poNumber, lines: lines.map(([sku, quantity]) => ({ sku, quantity })) }));

describe('touchless entry (order workflow, Tryton)', () => {
  it('enters a certain order with no agent, keeps a first order and a stock-out for an agent, and undoes an entry in Tryton', async () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'touchless-rules-'));
    for (const f of ['rules.yaml', 'teams.yaml']) copyFileSync(join(ROOT, 'routing-rules', 'examples', f), join(rulesDir, f));
    writeFileSync(join(rulesDir, 'touchless.yaml'), 'touchless:\n  enabled: true\n  channels: [api, edi, email]\n  amount: { below: 20000 }\n  erp_stage: quotation\n');
    const stack = await startStack(erp.env, 'touchless', { cfg: { rulesDir }, activityDeps: { erp: erp.tryton.connector } });
    try {
      const submit = async (c: string, po: string, lines: [string, number][], settled: (s: { status: string; history: { event: string }[] }) => boolean) => {
        await stack.ingestor.submit(apiOrder(c, po, lines), { fileName: `${po}.order.json`, channel: 'api', receivedAt: new Date().toISOString() });
        return (await eventually(() => stack.readModel.get(orderKey(c, po, '', 0)), (s) => Boolean(s && settled(s)), 90_000, `order ${po} settled`))!;
      };
      const decided = (s: { status: string; history: { event: string }[] }) => s.status === 'entered' || s.history.some((h) => h.event === 'routed');

      // The customer's first order goes to an agent, whatever else.
      const first = await submit('C005', 'TL-1', [['BOU-M8', 40]], decided);
      expect(first.status).toBe('routed');
      expect(first.touchless ?? null).toBeNull();
      expect(await salesOf(first.orderId)).toHaveLength(0);

      // The next one is certain: into Tryton within seconds, as a numbered quotation.
      const second = await submit('C005', 'TL-2', [['BOU-M8', 40]], (s) => s.status === 'entered');
      expect(second.touchless).toMatchObject({ policyVersion: expect.stringMatching(/^sha256:/), undone: null });
      expect(second.touchless!.reasons.join(' ; ')).toContain('stock disponible');
      expect(second.erp).toMatchObject({ connector: 'tryton', number: expect.stringMatching(/^\d+$/), state: 'quotation', by: 'saisie automatique' });
      expect(second.claimedBy).toBeNull();
      const [sale] = await salesOf(second.orderId);
      expect(sale).toMatchObject({ state: 'quotation', reference: 'TL-2', number: second.erp!.number });

      // Out of stock in Tryton (VIS-660: none on hand): never touchless, the order stays to enter.
      const short = await submit('C005', 'TL-3', [['VIS-660', 5]], (s) => s.history.some((h) => h.event === 'not touchless'));
      expect(short.status).toBe('routed');
      expect(short.history.find((h) => h.event === 'not touchless')?.detail).toMatch(/^rupture : VIS-660 5 demandé\(s\), 0 disponible\(s\)$/);
      expect(await salesOf(short.orderId)).toHaveLength(0);

      // Léa, in a real browser: the entry is in her inbox as "saisie automatiquement", with the ERP number;
      // the order page says why, and she undoes it: cancelled in Tryton, back to her, recorded.
      const app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: erp.env.client, log: quietLog });
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
      try {
        const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR' })).newPage();
        await page.goto('/login');
        await page.fill('#login', 'lea');
        await page.fill('#password', SAMPLE_USERS.find((u) => u.login === 'lea')!.password);
        await page.click('button[type=submit]');
        await page.waitForURL(`${base}/`);
        const row = page.locator(`tr[data-order="${second.orderId}"]`);
        await row.waitFor({ timeout: 30_000 });
        expect(await row.textContent()).toMatch(new RegExp(`saisie automatiquement[\\s\\S]*ERP n° ${second.erp!.number}`));
        expect(await row.locator('.badge', { hasText: 'saisie automatiquement' }).getAttribute('title')).toContain('Pourquoi automatique ? ');
        await row.locator('a').click();
        await page.waitForURL(new RegExp(`/orders/${second.orderId}$`));
        expect(await page.locator('#automatique').textContent()).toMatch(/Saisie automatiquement[\s\S]*Pourquoi automatique \?[\s\S]*stock disponible/);
        await page.fill('#automatique input[name=reason]', 'client a appelé : attendre');
        await page.click('button:has-text("Annuler la saisie automatique")');
        await page.waitForURL(/done=undo-touchless/);
        expect(await page.locator('.flash.ok').textContent()).toContain('Saisie automatique annulée');
        expect(await page.locator('#automatique').textContent()).toContain('Annulée par lea');
        expect(await page.locator('button:has-text("Annuler la saisie automatique")').count()).toBe(0);
      } finally {
        await browser.close();
        await app.close();
      }
      const handle = erp.env.client.workflow.getHandle(orderWorkflowId(second.orderId));
      const undone = stack.readModel.get(second.orderId)!;
      expect(undone.status).toBe('routed');
      expect(undone.sla.enteredAt).toBeNull();
      expect(undone.touchless?.undone).toMatchObject({ by: 'lea', reason: 'client a appelé : attendre' });
      expect(undone.history.map((h) => h.event)).toEqual(expect.arrayContaining(['touchless', 'touchless undone']));
      expect((await salesOf(second.orderId)).map((s) => s.state)).toEqual(['cancelled']);
      await expect(handle.executeUpdate(undoTouchlessUpdate, { args: [{ by: 'lea' }] })).rejects.toThrow();

      // Entered again by the agent: a new sale, the cancelled one stays cancelled.
      const again = await handle.executeUpdate(createInErpUpdate, { args: [{ by: 'lea' }] });
      expect(again.status).toBe('entered');
      expect((await salesOf(second.orderId)).map((s) => s.state)).toEqual(['cancelled', expect.stringMatching(/^(confirmed|processing)$/)]);
    } finally {
      await stack.stop();
    }
  });

  it('enters a text e-mail held for review by a negotiated price inside the shipped band, with the printed price in Tryton', async () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'band-rules-'));
    for (const f of ['rules.yaml', 'teams.yaml', 'touchless.yaml']) copyFileSync(join(ROOT, 'routing-rules', 'examples', f), join(rulesDir, f));
    const stack = await startStack(erp.env, 'band', { cfg: { rulesDir }, activityDeps: { erp: erp.tryton.connector } });
    // Ets Lefèvre et Fils (C010), a plain-text table; VIS-440 at 16,07 € is 15 % under its 18,90 € list price.
    const mail = (po: string, vis440: string, address = true) => Buffer.from([
      'From: Ets Lefevre et Fils <commandes@lefevre-fils.fr>', 'To: adv@fixations-rhone-alpes.fr', `Subject: Bon de commande ${po}`,
      `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`, `Message-ID: <${po}@lefevre-fils.fr>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: 8bit', '',
      'Bonjour,', '', `Bon de commande n° ${po} du 03/12/2026`, '',
      'Réf.        Désignation                               Qté     PU HT    Montant HT',
      `VIS-440     Vis inox A2 tête fraisée 4x40 bte 200       10    ${vis440}        ${(Number(vis440.replace(',', '.')) * 10).toFixed(2).replace('.', ',')}`,
      'CHV-8       Cheville nylon 8x40 bte 100                  8     7,20         57,60', '',
      ...(address ? ['Adresse de livraison : adresse habituelle (7 quai du Havre).', ''] : []), 'Salutations,', 'Marc Lefèvre', '',
    ].join('\r\n'), 'utf8');
    const settled = (s: OrderState | null) => Boolean(s && (s.status === 'entered' || s.history.some((h) => h.event === 'not touchless')));
    const submit = async (po: string, price: string, done: (s: OrderState | null) => boolean, address = true) => {
      await stack.ingestor.submit(mail(po, price, address), { fileName: `${po}.eml`, channel: 'email', receivedAt: new Date().toISOString() });
      return (await eventually(() => stack.readModel.list({ query: po, limit: 1 })[0] ?? null, done, 90_000, `order ${po}`))!;
    };
    try {
      const first = await submit('LF-BAND-1', '16,07', (s) => Boolean(s?.route)); // the customer's first: an agent's
      expect(first.touchless ?? null).toBeNull();
      const negotiated = await submit('LF-BAND-2', '16,07', settled);
      expect(negotiated.problems.map((p) => p.code)).toEqual(['PRICE_OFF_LIST']);
      expect(negotiated.status).toBe('entered');
      expect(negotiated.touchless!.reasons.join(' ; ')).toContain('à vérifier pour ses prix seulement');
      const [sale] = await salesOf(negotiated.orderId);
      const lines = await erp.tryton.connector.client.model<{ quantity: number; unit_price: number; 'product.': { code: string } }[]>('sale.line', 'search_read', [[['sale', '=', sale!.id]], 0, null, [['id', 'ASC']], ['quantity', 'unit_price', 'product.code']], { company: 1 });
      expect(lines.map((l) => [l['product.'].code, l.quantity, Number(l.unit_price)])).toEqual([['VIS-440', 10, 16.07], ['CHV-8', 8, 7.2]]);
      // No delivery address written: the customer's only one (C010-L1) is put in, flagged on the order, and
      // the shipped policy accepts it (ship_to_only_address), saying so.
      const noAddress = await submit('LF-BAND-4', '16,07', settled, false);
      expect(noAddress.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['SHIP_TO_MISSING', 'PRICE_OFF_LIST']));
      expect(noAddress.status).toBe('entered');
      expect(noAddress.order.shipTo.code).toBe('C010-L1');
      expect(noAddress.touchless!.reasons.join(' ; ')).toContain('acceptée par ship_to_only_address');
      expect(await salesOf(noAddress.orderId)).toHaveLength(1);
      // 40 % under list: outside the band, it stays in review for its agent, and nothing goes to Tryton.
      await submit('LF-BAND-3', '11,34', (s) => s?.status === 'needs-review');
      await new Promise((r) => setTimeout(r, 3_000));
      const outside = stack.readModel.list({ query: 'LF-BAND-3', limit: 1 })[0]!;
      expect(outside.status).toBe('needs-review');
      expect(outside.touchless ?? null).toBeNull();
      expect(await salesOf(outside.orderId)).toHaveLength(0);
    } finally {
      await stack.stop();
    }
  });

  it('reads the portfolio classes and the sales orders\' states back from Tryton, for the inbox filters, the order page and the dashboard', async () => {
    // No touchless policy here: every order waits for its agent.
    const rulesDir = mkdtempSync(join(tmpdir(), 'portfolio-rules-'));
    for (const f of ['rules.yaml', 'teams.yaml']) copyFileSync(join(ROOT, 'routing-rules', 'examples', f), join(rulesDir, f));
    const stack = await startStack(erp.env, 'portfolio', { cfg: { rulesDir }, activityDeps: { erp: erp.tryton.connector } });
    const app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: erp.env.client, log: quietLog });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const submit = async (c: string, po: string, lines: [string, number][]) => {
        await stack.ingestor.submit(apiOrder(c, po, lines), { fileName: `${po}.order.json`, channel: 'api', receivedAt: new Date().toISOString() });
        return (await eventually(() => stack.readModel.get(orderKey(c, po, '', 0)), (s) => Boolean(s?.route), 90_000, `order ${po} routed`))!;
      };
      const short = await submit('C005', 'PF-1', [['VIS-660', 5]]); // none on hand
      const credit = await submit('C003', 'PF-2', [['VIS-440', 100]]); // 1 890 € against a 500 € limit
      const fine = await submit('C005', 'PF-3', [['BOU-M8', 10]]);
      const entered = await erp.env.client.workflow.getHandle(orderWorkflowId(fine.orderId)).executeUpdate(createInErpUpdate, { args: [{ by: 'lea' }] });
      expect(entered.status).toBe('entered');

      expect(await refreshErpView({ readModel: stack.readModel, erp: erp.tryton.connector, masterData: () => loadMasterData(join(ROOT, 'fixtures', 'masterdata')) })).toBeGreaterThanOrEqual(3);
      const views = stack.readModel.erpViews();
      expect(views.get(short.orderId)?.classes).toEqual(['rupture']);
      expect(views.get(credit.orderId)?.classes).toEqual(['limite-credit']);
      expect(views.get(fine.orderId)).toMatchObject({ classes: [], state: 'processing', shipmentState: 'waiting', invoiceState: 'pending' });

      const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR' })).newPage();
      await page.goto('/login');
      await page.fill('#login', 'claire');
      await page.fill('#password', SAMPLE_USERS.find((u) => u.login === 'claire')!.password);
      await page.click('button[type=submit]');
      await page.waitForURL(`${base}/`);
      await page.click('#classes a:has-text("rupture")');
      await page.waitForURL(/classe=rupture/);
      await page.locator(`tr[data-order="${short.orderId}"]`).waitFor({ timeout: 30_000 });
      expect(await page.locator(`tr[data-order="${credit.orderId}"]`).count()).toBe(0);
      expect(await page.locator(`tr[data-order="${short.orderId}"] [data-class="rupture"]`).textContent()).toBe('rupture');
      await page.goto('/?classe=limite-credit');
      await page.locator(`tr[data-order="${credit.orderId}"]`).waitFor({ timeout: 30_000 });
      expect(await page.locator(`tr[data-order="${short.orderId}"]`).count()).toBe(0);

      await page.goto(`/orders/${fine.orderId}`);
      expect(await page.locator('.erp-state').textContent()).toBe(`ERP n° ${entered.erp!.number} : en cours (à expédier, à facturer)`);
      await page.goto(`/search?q=PF-3`);
      expect(await page.locator('.erp-state').first().textContent()).toContain('en cours (à expédier, à facturer)');
      await page.goto('/dashboard');
      expect(Number(await page.locator('.card [data-class="rupture"]').textContent())).toBeGreaterThanOrEqual(1);
      expect(Number(await page.locator('.card [data-class="limite-credit"]').textContent())).toBeGreaterThanOrEqual(1);
      expect(Number(await page.locator('#erp-states [data-state="processing"]').textContent())).toBeGreaterThanOrEqual(1);
    } finally {
      await browser.close();
      await app.close();
      await stack.stop();
    }
  });

  it("shows a blocage financier and a blocage de livraison read only in Tryton in the agent's open inbox, without a reload", async () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'blocks-rules-'));
    for (const f of ['rules.yaml', 'teams.yaml']) copyFileSync(join(ROOT, 'routing-rules', 'examples', f), join(rulesDir, f));
    const stack = await startStack(erp.env, 'blocks', { cfg: { rulesDir }, activityDeps: { erp: erp.tryton.connector } });
    const app = buildHttpServer({ cfg: stack.cfg, ingestor: stack.ingestor, readModel: stack.readModel, client: erp.env.client, log: quietLog });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const c = erp.tryton.connector.client;
    const refresh = () => refreshErpView({ readModel: stack.readModel, erp: erp.tryton.connector, masterData: () => loadMasterData(join(ROOT, 'fixtures', 'masterdata')) });
    try {
      const body = { customerId: 'C001', poNumber: 'PF-LIVE', shipTo: { code: 'C001-L1' }, lines: [{ sku: 'VIS-440', quantity: 2 }] };
      await stack.ingestor.submit(Buffer.from(JSON.stringify(body)), { fileName: 'PF-LIVE.order.json', channel: 'api', receivedAt: new Date().toISOString() });
      const o = (await eventually(() => stack.readModel.get(orderKey('C001', 'PF-LIVE', '', 0)), (s) => Boolean(s?.route), 90_000, 'order PF-LIVE routed'))!;
      await refresh();
      expect(stack.readModel.erpViews().get(o.orderId)?.classes).toEqual([]);

      const agent = SAMPLE_USERS.find((u) => u.login === o.route!.agent)!;
      const page = await (await browser.newContext({ baseURL: base, locale: 'fr-FR' })).newPage();
      await page.goto('/login');
      await page.fill('#login', agent.login);
      await page.fill('#password', agent.password);
      await page.click('button[type=submit]');
      await page.waitForURL(`${base}/`);
      const row = page.locator(`tr[data-order="${o.orderId}"]`);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.locator('[data-class]').count()).toBe(0);
      await page.evaluate('window.sameDocument = true');

      // In Tryton only: the depot no longer takes deliveries, then the customer is deactivated.
      const [depot] = await c.model<{ id: number }[]>('party.address', 'search_read', [[['identifiers.code', '=', 'C001-L1']], 0, 1, null, ['id']], { company: 1 });
      await c.model('party.address', 'write', [[depot!.id], { delivery: false }], { company: 1 });
      await refresh();
      await row.locator('[data-class="blocage-livraison"]').waitFor({ timeout: 30_000 });
      const [party] = await c.model<{ id: number }[]>('party.party', 'search_read', [[['code', '=', 'C001']], 0, 1, null, ['id']], { company: 1 });
      await c.model('party.party', 'write', [[party!.id], { active: false }], { company: 1 });
      await refresh();
      await row.locator('[data-class="blocage-financier"]').waitFor({ timeout: 30_000 });
      expect(await page.evaluate('window.sameDocument')).toBe(true); // no reload
      expect(stack.readModel.erpViews().get(o.orderId)?.classes).toEqual(['blocage-financier', 'blocage-livraison']);

      await page.click('#classes a:has-text("blocage financier")');
      await page.waitForURL(/classe=blocage-financier/);
      await page.locator(`tr[data-order="${o.orderId}"]`).waitFor({ timeout: 30_000 });
      const manager = await (await browser.newContext({ baseURL: base, locale: 'fr-FR' })).newPage();
      await manager.goto('/login');
      await manager.fill('#login', 'claire');
      await manager.fill('#password', SAMPLE_USERS.find((u) => u.login === 'claire')!.password);
      await manager.click('button[type=submit]');
      await manager.goto('/dashboard');
      expect(Number(await manager.locator('.card [data-class="blocage-financier"]').textContent())).toBeGreaterThanOrEqual(1);
      expect(Number(await manager.locator('.card [data-class="blocage-livraison"]').textContent())).toBeGreaterThanOrEqual(1);
    } finally {
      await browser.close();
      await app.close();
      await stack.stop();
    }
  });
});
