// HTML building blocks: escaping (every value goes through `esc` or the `html` tag), the page frame,
// and French formats for dates, amounts and SLA badges.
import type { SlaState } from '../domain/order-model';
import type { User } from './auth';
import { DEFAULT_SLA_CONFIG } from '../domain/sla';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
export const raw = (s: string): Html => new Html(s);

export function esc(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Tagged template: interpolated values are escaped unless they are Html; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}
function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === false || v === null || v === undefined) return '';
  return esc(v);
}

const TZ = DEFAULT_SLA_CONFIG.timeZone;
const fmtDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
const fmtTime = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });
const fmtDay = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

export const dateTime = (iso: string | null | undefined): string => (iso ? fmtDateTime.format(new Date(iso)).replace(' ', ' ') : '—');
export const timeOnly = (iso: string): string => fmtTime.format(new Date(iso));
export const longDay = (ymd: string): string => fmtDay.format(new Date(`${ymd}T12:00:00Z`));
export const num = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined ? '' : n.toLocaleString('fr-FR', { maximumFractionDigits: digits, useGrouping: true });

/** When a due time is today, the time is enough; otherwise day and time. */
export function dueLabel(iso: string, now: number): string {
  const same = fmtDay.format(new Date(iso)) === fmtDay.format(new Date(now));
  return same ? `aujourd'hui ${timeOnly(iso)}` : dateTime(iso);
}

export const SLA_LABELS: Record<SlaState, string> = { 'on-time': 'dans les temps', 'at-risk': 'à risque', late: 'en retard', met: 'tenu', missed: 'manqué' };
export function slaBadge(s: SlaState | null): Html {
  if (!s) return html`<span class="badge muted">hors délai</span>`;
  return html`<span class="badge sla-${s}">${SLA_LABELS[s]}</span>`;
}

export const STATUS_LABELS: Record<string, string> = {
  received: 'reçue', extracted: 'lue', 'needs-review': 'à vérifier', routed: 'à saisir', entered: 'saisie faite', rejected: 'rejetée', cancelled: 'annulée',
};
export const CHANNEL_LABELS: Record<string, string> = { email: 'e-mail', fax: 'fax', scan: 'scan', edi: 'EDI', api: 'API', folder: 'dossier' };
export const ROLE_LABELS: Record<string, string> = { agent: 'agent ADV', lead: "chef d'équipe", manager: 'responsable ADV', admin: 'administrateur' };

export function statusBadge(status: string): Html {
  return html`<span class="badge st-${status}">${STATUS_LABELS[status] ?? status}</span>`;
}
export const channelTags = (cs: string[]): Html => html`${cs.map((c) => html`<span class="tag ch-${c}">${CHANNEL_LABELS[c] ?? c}</span>`)}`;

export interface Frame {
  title: string;
  user: User | null;
  csrf?: string;
  active?: 'inbox' | 'dashboard' | 'search' | 'rules';
  body: Html;
  script?: boolean;
}

export function page(f: Frame): string {
  const u = f.user;
  const nav = u
    ? html`<nav>
        <a class="brand" href="/">Aiguillage</a>
        <a href="/" class="${f.active === 'inbox' ? 'on' : ''}">Corbeille</a>
        ${u.role !== 'agent' ? html`<a href="/dashboard" class="${f.active === 'dashboard' ? 'on' : ''}">Tableau de bord</a>` : ''}
        <a href="/search" class="${f.active === 'search' ? 'on' : ''}">Où en est ma commande ?</a>
        <a href="/rules" class="${f.active === 'rules' ? 'on' : ''}">Règles</a>
        <span class="who">${u.name} · ${ROLE_LABELS[u.role]}${u.teams.length ? ` · ${u.teams.join(', ')}` : ''}</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${f.csrf ?? ''}"><button class="link">Se déconnecter</button></form>
      </nav>`
    : html`<nav><span class="brand">Aiguillage</span></nav>`;
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(f.title)} · Aiguillage</title><link rel="stylesheet" href="/assets/app.css">
${f.csrf ? `<meta name="csrf-token" content="${esc(f.csrf)}">` : ''}
</head><body>${nav}<main>${f.body}</main>${f.script ? '<script src="/assets/app.js" defer></script>' : ''}</body></html>`;
}
