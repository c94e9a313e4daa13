// The order page says, on each line's confidence, how its article was identified and what corroborates it.
import { describe, expect, it } from 'vitest';
import { orderPage } from '../../../web/pages';
import type { User } from '../../../web/auth';
import { order, routedState } from './states';

const lea: User = { login: 'lea', name: 'Léa', role: 'agent', teams: ['sud-est'], passwordHash: '' };

describe('line evidence on the order page', () => {
  it('shows the rule, the reference printed and what corroborates the line, or that nothing does', () => {
    const o = order('CDE-1', 'C001', 'Quincaillerie Dupont', [['VIS-440', 10, 18.9], ['CHV-8', 5, null]]);
    o.lines[0]!.evidence = { source: 'document', rule: 'our SKU as printed', text: 'VIS-440', corroboratedBy: ['quantity × unit price = amount printed (189)'], flagged: false };
    o.lines[1]!.evidence = { source: 'document', rule: 'customer part number (cross_references.csv)', text: 'DUP-88', corroboratedBy: [], flagged: false };
    const s = routedState({ id: 'ord-1', po: 'CDE-1', team: 'sud-est', receivedAt: '2026-11-23T08:00:00Z', o });
    const out = String(orderPage({ user: lea, csrf: 't', state: s, now: Date.parse('2026-11-23T09:00:00Z'), canAct: true, teams: [], document: null, diffs: [], flash: null }));
    expect(out).toContain('title="Article : our SKU as printed (VIS-440) · corroborée par : quantity × unit price = amount printed (189)"');
    expect(out).toContain('title="Article : customer part number (cross_references.csv) (DUP-88) · rien ne la corrobore sur la ligne"');
  });
});
