// The team lead's SLA alert: where it goes (webhook or e-mail) and what the e-mail says.
import { describe, expect, it } from 'vitest';
import { leadTarget, slaAlertMail } from '../../../domain/sla-alert';

const alert = { orderId: 'C003-SLA1', kind: 'at-risk' as const, team: 'sud-est', agent: 'lea', dueAt: '2026-11-20T17:00:00+01:00', poNumber: 'SLA-1', customerId: 'C003' };

describe('leadTarget', () => {
  it('tells a webhook from an e-mail address, and ignores what is neither', () => {
    expect(leadTarget('https://hooks.fixations-ra.fr/adv/nord-est')).toEqual({ kind: 'webhook', to: 'https://hooks.fixations-ra.fr/adv/nord-est' });
    expect(leadTarget(' isabelle.roux@fixations-ra.fr ')).toEqual({ kind: 'email', to: 'isabelle.roux@fixations-ra.fr' });
    expect(leadTarget('Isabelle Roux')).toBeNull();
    expect(leadTarget('ftp://x.example/y')).toBeNull();
    expect(leadTarget(null)).toBeNull();
  });
});

describe('slaAlertMail', () => {
  it('says in French which order, for whom, and by when, in Paris time', () => {
    const m = slaAlertMail(alert, { timeZone: 'Europe/Paris', publicUrl: 'http://adv.fixations-ra.fr/' });
    expect(m.subject).toBe('[Aiguillage] À risque : commande SLA-1 du client C003, à saisir avant vendredi 20 novembre à 17:00');
    expect(m.text).toBe(
      [
        'Bonjour,',
        '',
        "La commande SLA-1 du client C003 n'est pas encore saisie et doit l'être avant vendredi 20 novembre à 17:00.",
        'Équipe : sud-est — agent : lea.',
        '',
        'Ouvrir la commande : http://adv.fixations-ra.fr/orders/C003-SLA1',
        '',
        '— Aiguillage (message automatique)',
      ].join('\n'),
    );
  });

  it('says late when late, copes with a missing PO and agent, and keeps the time right across DST', () => {
    const m = slaAlertMail({ ...alert, kind: 'late', poNumber: null, agent: null, dueAt: '2026-03-30T15:00:00Z' }, { timeZone: 'Europe/Paris' });
    expect(m.subject).toBe('[Aiguillage] En retard : commande C003-SLA1 (sans n° de commande) du client C003, échéance lundi 30 mars à 17:00 dépassée');
    expect(m.text).toContain('agent : non attribuée');
    expect(m.text).not.toContain('Ouvrir la commande');
  });

  it('gives the same alert the same Message-ID, and each mark its own', () => {
    const a = slaAlertMail(alert, { timeZone: 'Europe/Paris' }).messageId;
    expect(slaAlertMail({ ...alert }, { timeZone: 'Europe/Paris' }).messageId).toBe(a);
    expect(slaAlertMail({ ...alert, kind: 'late' }, { timeZone: 'Europe/Paris' }).messageId).not.toBe(a);
    expect(a).toMatch(/^<sla\.[A-Za-z0-9._-]+@aiguillage\.local>$/);
  });
});
