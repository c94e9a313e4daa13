// What a team lead receives when an order is about to miss, or has missed, its "saisi avant 17h":
// the e-mail's subject and text, in French, built from the alert alone (pure, no clock).
export interface SlaAlertFacts {
  orderId: string;
  kind: 'at-risk' | 'late';
  team: string | null;
  agent: string | null;
  /** ISO 8601 with offset. */
  dueAt: string;
  poNumber: string | null;
  customerId: string | null;
}

/** Where a team lead is told: a webhook URL, an e-mail address, or nothing usable. */
export function leadTarget(lead: string | null | undefined): { kind: 'webhook' | 'email'; to: string } | null {
  const l = lead?.trim();
  if (!l) return null;
  if (/^https?:\/\/\S+$/i.test(l)) return { kind: 'webhook', to: l };
  // name@host.tld: one @, a dot inside the host (by hand: the one-regex form backtracks on dots).
  const at = l.indexOf('@');
  const host = l.slice(at + 1);
  if (at > 0 && !/[\s<>]/.test(l) && !host.includes('@') && host.slice(1, -1).includes('.')) return { kind: 'email', to: l };
  return null;
}

/** "lundi 23 novembre à 17:00" in the SLA's time zone. */
function when(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(d);
  const time = new Intl.DateTimeFormat('fr-FR', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return `${day} à ${time}`;
}

/**
 * The alert e-mail. Its Message-ID is the alert's own (order, mark, due time): an alert the worker
 * sends again after a retry is recognised as the same message by the lead's mail client.
 */
export function slaAlertMail(a: SlaAlertFacts, opts: { timeZone: string; publicUrl?: string | null; domain?: string }): { subject: string; text: string; messageId: string } {
  const what = a.poNumber ? `commande ${a.poNumber}` : `commande ${a.orderId} (sans n° de commande)`;
  const who = a.customerId ? ` du client ${a.customerId}` : ' (client non identifié)';
  const due = when(a.dueAt, opts.timeZone);
  const subject = a.kind === 'at-risk' ? `[Aiguillage] À risque : ${what}${who}, à saisir avant ${due}` : `[Aiguillage] En retard : ${what}${who}, échéance ${due} dépassée`;
  const text = [
    'Bonjour,',
    '',
    a.kind === 'at-risk'
      ? `La ${what}${who} n'est pas encore saisie et doit l'être avant ${due}.`
      : `La ${what}${who} n'est toujours pas saisie : son échéance (${due}) est passée.`,
    `Équipe : ${a.team ?? 'non routée'} — agent : ${a.agent ?? 'non attribuée'}.`,
    ...(opts.publicUrl ? ['', `Ouvrir la commande : ${opts.publicUrl.replace(/(?<!\/)\/+$/, '')}/orders/${encodeURIComponent(a.orderId)}`] : []),
    '',
    '— Aiguillage (message automatique)',
  ].join('\n');
  const id = `${a.kind}.${a.orderId}.${a.dueAt}`.replace(/[^A-Za-z0-9.-]/g, '_');
  return { subject, text, messageId: `<sla.${id}@${opts.domain ?? 'aiguillage.local'}>` };
}
