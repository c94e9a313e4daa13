// Probable duplicates in the workspace: the order page asks the agent to decide, the inbox shows a
// badge, and an order already entered comes back into the inbox until someone decides.
import { describe, expect, it } from 'vitest';
import { applyConfirmDuplicate, attachDocument } from '../../../domain/order-state';
import { dashboard, inbox } from '../../../web/model';
import { dashboardPage, inboxRows, orderPage } from '../../../web/pages';
import type { User } from '../../../web/auth';
import type { OrderDocument, OrderState } from '../../../workflows/definitions';
import { entered, order, routedState } from './states';

const NOW = Date.parse('2026-11-25T08:30:00Z');
const lea: User = { login: 'lea', name: 'Léa', role: 'agent', teams: ['sud-est'], passwordHash: '' };
const julien: User = { ...lea, login: 'julien', teams: ['nord-est'] };
const T = '2026-11-25T07:21:00Z';

const fax: OrderDocument = {
  document: { sha256: 'b'.repeat(64), fileName: 'fax-0825.tif', mediaType: 'image/tiff', channel: 'fax', receivedAt: '2026-11-25T07:20:00Z' },
  index: 0,
  order: order('', 'C001', 'Quincaillerie Dupont', [['VIS-440', 10, null]]),
  problems: [],
  decision: 'duplicate',
  probable: true,
  matchEvidence: [{ field: 'certainty', how: 'doublon probable seulement : document lu par OCR (fax) sans n° de commande' }],
};
const email = routedState({ id: 'C001-A1', po: 'A-1', team: 'sud-est', agent: 'lea', receivedAt: '2026-11-24T15:10:00Z', dueAt: '2026-11-25T16:00:00Z' });
const done = entered(email, 'lea', '2026-11-24T16:00:00Z');
const withFax = (s: OrderState) => attachDocument(s, fax, T).state;
const ref = { sha256: fax.document.sha256, index: 0 };

describe('probable duplicates in the inbox', () => {
  it('brings back an entered order awaiting a decision, flagged, and only to its team', () => {
    const other = routedState({ id: 'C001-B2', po: 'B-2', team: 'sud-est', receivedAt: '2026-11-25T07:00:00Z', dueAt: '2026-11-25T16:00:00Z' });
    const box = inbox([withFax(done), other], lea, NOW);
    expect(box.mine.map((r) => [r.orderId, r.status, r.duplicatesToCheck])).toEqual([['C001-A1', 'entered', 1]]);
    expect(box.team.map((r) => [r.orderId, r.duplicatesToCheck])).toEqual([['C001-B2', 0]]);
    expect(inbox([withFax(done)], julien, NOW)).toEqual({ mine: [], team: [] });
    // Decided: the entered order leaves the inbox again.
    expect(inbox([applyConfirmDuplicate(withFax(done), 'lea', ref, T)], lea, NOW).mine).toEqual([]);
  });

  it('flags an open order too, with a badge the agent can read', () => {
    const box = inbox([withFax(email)], lea, NOW);
    expect(box.mine.map((r) => r.duplicatesToCheck)).toEqual([1]);
    const rows = inboxRows(box.mine, NOW, '').value;
    expect(rows).toContain('<span class="badge st-needs-review" title="Un document rattaché comme doublon probable attend votre décision : confirmer ou séparer.">doublon probable</span>');
    expect(inboxRows(inbox([email], lea, NOW).mine, NOW, '').value).not.toContain('doublon probable');
  });
});

describe('probable duplicates on the order page', () => {
  const render = (state: OrderState, canAct = true) => orderPage({ user: lea, csrf: 'tok', state, now: NOW, canAct, teams: [], document: null, diffs: [], flash: null });

  it('asks for a decision, with the evidence and the two actions, even on an entered order', () => {
    const page = render(withFax(done));
    expect(page).toContain('Doublon probable (1)');
    expect(page).toContain('doublon probable seulement : document lu par OCR (fax) sans n° de commande');
    expect(page).toContain('action="/orders/C001-A1/confirm-duplicate"');
    expect(page).toContain('action="/orders/C001-A1/split"');
    expect(page).toContain(`<input type="hidden" name="sha256" value="${'b'.repeat(64)}"><input type="hidden" name="index" value="0">`);
    expect(page).toContain('Confirmer le doublon');
    expect(page).toContain("Ce n'est pas un doublon</button>");
    expect(page).toContain('<span class="warn">doublon probable</span>');
    // Read-only for another team: the doubt shows, the buttons do not.
    const readOnly = render(withFax(done), false);
    expect(readOnly).toContain('Doublon probable (1)');
    expect(readOnly).not.toContain('confirm-duplicate');
  });

  it('shows who decided, and links a split document to the order it became', () => {
    const confirmed = render(applyConfirmDuplicate(withFax(email), 'karim', ref, T));
    expect(confirmed).not.toContain('Doublon probable (');
    expect(confirmed).toContain('doublon <span class="muted small">(confirmé par karim)</span>');
    const s = withFax(email);
    const split: OrderState = { ...s, documents: s.documents.map((d, i) => (i === 1 ? { ...d, role: 'split' as const, probable: undefined, splitTo: 'C001-doc-bbbb-1' } : d)) };
    expect(render(split)).toContain('séparé → <a href="/orders/C001-doc-bbbb-1">C001-doc-bbbb-1</a>');
  });
});

describe('probable duplicates on the dashboard', () => {
  const manager: User = { login: 'marc', name: 'Marc', role: 'manager', teams: ['sud-est', 'nord-est'], passwordHash: '' };

  it('lists the orders whose probable duplicate nobody has decided yet, entered or not', () => {
    const other = routedState({ id: 'C001-B2', po: 'B-2', team: 'sud-est', receivedAt: '2026-11-25T07:00:00Z', dueAt: '2026-11-25T16:00:00Z' });
    const d = dashboard([withFax(done), other], [], manager, NOW);
    expect(d.toCheck.map((r) => [r.orderId, r.status, r.duplicatesToCheck])).toEqual([['C001-A1', 'entered', 1]]);
    expect(dashboardPage(manager, 'x', d, NOW)).toContain('Doublons probables à trancher (1)');
    const decided = dashboard([applyConfirmDuplicate(withFax(done), 'lea', ref, T), other], [], manager, NOW);
    expect(decided.toCheck).toEqual([]);
    expect(dashboardPage(manager, 'x', decided, NOW)).not.toContain('Doublons probables');
  });
});
