import { describe, expect, it } from 'vitest';
import { anomaliesOf, dashboard, dueOf, inbox, slaOf } from '../../../web/model';
import { diffOrders } from '../../../domain/dedup';
import { correctionsFromForm, readFrenchNumber } from '../../../web/corrections';
import { ediSegments } from '../../../web/document';
import { html } from '../../../web/html';
import type { User } from '../../../web/auth';
import { entered, order, routedState } from './states';

const NOW = Date.parse('2026-11-23T15:45:00Z'); // Monday 16:45 in Paris: 15 minutes before the cut-off
const lea: User = { login: 'lea', name: 'Léa', role: 'agent', teams: ['sud-est'], passwordHash: '' };
const isabelle: User = { ...lea, login: 'isabelle', role: 'lead' };
const claire: User = { login: 'claire', name: 'Claire', role: 'manager', teams: [], passwordHash: '' };

const A = routedState({ id: 'C001-A', po: 'A-1', team: 'sud-est', agent: 'lea', receivedAt: '2026-11-23T08:00:00Z', dueAt: '2026-11-23T16:00:00Z' });
const B = entered(routedState({ id: 'C001-B', po: 'B-1', team: 'sud-est', agent: 'karim', receivedAt: '2026-11-23T09:00:00Z', channel: 'fax', dueAt: '2026-11-23T16:00:00Z' }), 'karim', '2026-11-23T10:00:00Z');
// Received on Friday after 17:00, no due time from the workflow yet: due Monday 17:00 by the rule.
const C = routedState({ id: 'C002-C', po: 'C-1', team: 'nord-est', receivedAt: '2026-11-20T16:30:00Z', dueAt: null });
const D = routedState({ id: 'C003-D', po: 'D-1', team: 'nord-est', agent: 'julien', receivedAt: '2026-11-20T10:00:00Z', dueAt: '2026-11-20T16:00:00Z' });
const E = routedState({ id: 'C004-E', po: 'E-1', team: 'export', receivedAt: '2026-11-23T16:10:00Z', channel: 'edi', dueAt: '2026-11-24T16:00:00Z' });
const ALL = [E, D, C, B, A];

describe('SLA of an order', () => {
  it('uses the workflow due time, or the 17:00 rule while there is none', () => {
    expect(dueOf(A)).toEqual({ dueAt: '2026-11-23T16:00:00Z', computed: false });
    expect(dueOf(C)).toEqual({ dueAt: '2026-11-23T17:00:00+01:00', computed: true });
    expect([A, B, C, D, E].map((s) => slaOf(s, NOW))).toEqual(['at-risk', 'met', 'at-risk', 'late', 'on-time']);
  });
});

describe('inbox', () => {
  it("gives an agent their own and their team's open orders, soonest due first, nothing of other teams", () => {
    const box = inbox(ALL, lea, NOW);
    expect(box.mine.map((r) => r.orderId)).toEqual(['C001-A']);
    expect(box.team).toEqual([]);
    const all = inbox(ALL, claire, NOW);
    expect(all.team.map((r) => [r.orderId, r.sla])).toEqual([['C003-D', 'late'], ['C002-C', 'at-risk'], ['C001-A', 'at-risk'], ['C004-E', 'on-time']]);
    expect(all.team[1]).toMatchObject({ dueComputed: true, agent: null, channels: ['email'] });
  });
});

describe('dashboard', () => {
  it('counts today for a manager: received before the cut-off, entered, left to enter, at risk, late', () => {
    const d = dashboard(ALL, [], claire, NOW);
    expect(d.today).toBe('2026-11-23');
    expect(d.totals).toEqual({ received: 3, receivedBeforeCutoff: 2, entered: 1, toEnterToday: 3, atRisk: 2, late: 1 });
    // Same due time: the one received first comes first.
    expect(d.remaining.map((r) => r.orderId)).toEqual(['C003-D', 'C002-C', 'C001-A']);
    expect(Object.fromEntries(d.byTeam)).toMatchObject({ 'sud-est': { received: 2, entered: 1, toEnterToday: 1, atRisk: 1 }, 'nord-est': { toEnterToday: 2, late: 1 }, export: { received: 1, receivedBeforeCutoff: 0 } });
    expect(Object.fromEntries(d.byAgent)).toMatchObject({ karim: { entered: 1 }, julien: { late: 1 }, 'non attribuée': { toEnterToday: 1 } });
    expect(Object.fromEntries(d.byChannel)).toMatchObject({ email: { received: 1 }, fax: { received: 1, entered: 1 }, edi: { received: 1 } });
  });

  it("limits a team lead to the team's orders", () => {
    expect(dashboard(ALL, [], isabelle, NOW).totals).toEqual({ received: 2, receivedBeforeCutoff: 2, entered: 1, toEnterToday: 1, atRisk: 1, late: 0 });
  });

  it('draws the last 30 days: SLA met among orders due, volume per first channel', () => {
    const days = dashboard(ALL, [], claire, NOW).days;
    expect(days).toHaveLength(30);
    expect(days[0]!.day).toBe('2026-10-25');
    expect(days.at(-1)).toEqual({ day: '2026-11-23', due: 1, met: 1, byChannel: { email: 1, fax: 1, edi: 1 } });
    expect(days.find((d) => d.day === '2026-11-20')).toEqual({ day: '2026-11-20', due: 1, met: 0, byChannel: { email: 2 } });
  });
});

describe('anomalies and corrections', () => {
  const o = order('PO-9', 'C001', 'Quincaillerie Dupont', [['VIS-440', 10, 4.2], ['CHV-6', 3, null, 0.55]]);
  o.lines[1]!.doubts = ['quantité lue « 3 » ou « 8 » (fax bruité)'];
  const s = { ...routedState({ id: 'C001-PO9', po: 'PO-9', team: 'sud-est', receivedAt: '2026-11-23T08:00:00Z', o }), problems: [{ code: 'UNKNOWN_SKU', message: 'référence inconnue', severity: 'error' as const, where: 'line 3' }] };

  it('lists problems and doubtful lines with their reason', () => {
    expect(anomaliesOf(s)).toEqual([
      { severity: 'error', where: 'line 3', message: 'référence inconnue' },
      { severity: 'doubt', where: 'ligne 2', message: 'quantité lue « 3 » ou « 8 » (fax bruité)' },
    ]);
  });

  it('turns only the changed fields into corrections, reading French numbers', () => {
    const c = correctionsFromForm(s, {
      'line.1.sku': 'VIS-440', 'line.1.quantity': '10', 'line.1.unitPrice': '4,20',
      'line.2.sku': 'CHV-6', 'line.2.quantity': ' 8 ', 'line.2.unitPrice': '1 250,5', 'header.poNumber': 'PO-9', 'header.requestedDeliveryDate': '2026-11-30', _csrf: 'x',
    });
    expect(c).toEqual({
      lines: [{ lineNumber: 2, field: 'quantity', value: 8 }, { lineNumber: 2, field: 'unitPrice', value: 1250.5 }],
      header: [{ field: 'requestedDeliveryDate', value: '2026-11-30' }],
      errors: [],
    });
  });

  it('refuses an unreadable number or an unknown line before asking the workflow', () => {
    const c = correctionsFromForm(s, { 'line.2.quantity': 'huit', 'line.7.sku': 'X', 'header.currency': 'USD' });
    expect(c.errors).toEqual(["Ligne 2 : quantité « huit » n'est pas un nombre.", 'Champ inconnu : line.7.sku.', 'Champ inconnu : header.currency.']);
    expect(c.lines).toEqual([]);
    expect(readFrenchNumber('12.5')).toBe(12.5);
    expect(readFrenchNumber('1,2,3')).toBeNull();
  });
});

describe('amendment differences', () => {
  it('pairs lines by SKU and says what was added, removed or changed', () => {
    const before = order('BTP-1187', 'C005', 'BTP Savoie', [['CHV-MET8', 12, 17.5], ['GOU-M10', 4, 38.5], ['GAN-CUI', 24, null]]);
    const after = { ...order('BTP-1187', 'C005', 'BTP Savoie', [['CHV-MET8', 20, 17.5], ['GAN-CUI', 24, null], ['CAS-ANT', 6, null]]), requestedDeliveryDate: '2026-11-27', purpose: 'replace' as const };
    // The one order diff (domain/dedup.ts), as the amendment panel shows it.
    const diff = diffOrders(before, after);
    expect(diff.fields).toEqual([{ field: 'requestedDeliveryDate', before: null, after: '2026-11-27' }]);
    expect(diff.lines).toEqual([
      { change: 'changed', sku: 'CHV-MET8', lineNumber: 1, changes: [{ field: 'quantity', before: 12, after: 20 }] },
      { change: 'removed', sku: 'GOU-M10', lineNumber: 2, changes: [{ field: 'quantity', before: 4, after: null }] },
      { change: 'added', sku: 'CAS-ANT', lineNumber: 3, changes: [{ field: 'quantity', before: null, after: 6 }] },
    ]);
  });
});

describe('source document and escaping', () => {
  it('splits X12 on the ISA segment terminator and EDIFACT on UNA, keeping released characters', () => {
    const isa = 'ISA*00*          *00*          *ZZ*BRICOCENTRE    *ZZ*FIXATIONSRA    *261123*0915*U*00401*000000101*0*P*>~';
    expect(ediSegments(`${isa}\nGS*PO*BRICOCENTRE*FIXATIONSRA*20261123*0915*101*X*004010~\nST*850*0001~`).map((s) => s.slice(0, 3))).toEqual(['ISA', 'GS*', 'ST*']);
    expect(ediSegments("UNA:+.? 'UNB+UNOC:3+3020000000017:14+3012345000004:14+261123:0915+42'FTX+AAI+++Livrer quai 3?'porte B'UNZ+1+42'")).toEqual([
      'UNA:+.? ', 'UNB+UNOC:3+3020000000017:14+3012345000004:14+261123:0915+42', "FTX+AAI+++Livrer quai 3?'porte B", 'UNZ+1+42',
    ]);
  });

  it('escapes every value put into a page', () => {
    const po = '<script>alert(1)</script>';
    expect(html`<td>${po}</td><td title="${'"x" & y'}">${['a<', html`<b>ok</b>`]}</td>`.value).toBe('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td title="&quot;x&quot; &amp; y">a&lt;<b>ok</b></td>');
  });
});
