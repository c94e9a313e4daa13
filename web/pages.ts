// The pages, as functions from view models to HTML. French first: the words are the ADV team's.
import type { OrderState } from '../domain/order-model';
import type { RuleSet } from '../routing-rules/types';
import type { User } from './auth';
import { anomaliesOf, dueOf, slaOf, type Dashboard, type InboxRow, type Tally } from './model';
import type { OrderDiff } from '../domain/dedup';
import {
  CHANNEL_LABELS, STATUS_LABELS, channelTags, dateTime, dueLabel, esc, html, longDay, num, page, raw, slaBadge, statusBadge, type Html,
} from './html';
import { duplicatesToCheck, fieldSources, isOpen, undoTouchlessRefusal } from '../domain/order-state';
import { DEFAULT_SLA_CONFIG } from '../domain/sla';
import { PORTFOLIO_CLASSES, PORTFOLIO_LABELS, type PortfolioClass } from '../domain/portfolio';
import type { ErpView } from '../storage/read-model';
import type { QuarantineRecord } from '../storage/document-store';

/** Numbers as an agent types them back: "18,90", no grouping (so that the field reads again as is). */
const inputNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 6, useGrouping: false }));

const orderUrl = (id: string) => `/orders/${encodeURIComponent(id)}`;

export function loginPage(error: string | null, next: string): string {
  return page({
    title: 'Connexion',
    user: null,
    body: html`<div class="login panel"><h1>Connexion à l'espace ADV</h1>
      ${error ? html`<p class="flash err">${error}</p>` : ''}
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${next}">
        <label for="login">Identifiant</label><input id="login" name="login" type="text" autocomplete="username" required autofocus>
        <label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <p><button type="submit">Se connecter</button></p>
      </form></div>`,
  });
}

// ------------------------------------------------------------------ inbox

/** A page stays light with a long backlog: the most urgent rows, then a count of the others. */
const MAX_ROWS = 300;

const checkBadge = (n: number | undefined) =>
  n ? html` <span class="badge st-needs-review" title="Un document rattaché comme doublon probable attend votre décision : confirmer ou séparer.">${n > 1 ? `${n} doublons probables` : 'doublon probable'}</span>` : '';

const touchlessBadge = (t: InboxRow['touchless']) =>
  t ? html` <span class="badge st-entered" title="Pourquoi automatique ? ${t.reasons.join(' ; ')}">saisie automatiquement</span>` : '';

export function inboxRows(all: InboxRow[], now: number, empty: string): Html {
  if (all.length === 0) return html`<tr><td colspan="9" class="muted">${empty}</td></tr>`;
  const rows = all.slice(0, MAX_ROWS);
  const more = all.length - rows.length;
  return html`${more > 0 ? html`<tr><td colspan="9" class="muted small">Les ${MAX_ROWS} plus urgentes sur ${all.length} ; les autres par la recherche ou /api/workspace/inbox.</td></tr>` : ''}${rows.map(
    (r) => html`<tr data-order="${r.orderId}" class="${r.mine ? 'mine' : ''}">
      <td>${slaBadge(r.sla)}</td>
      <td class="n">${dueLabel(r.dueAt, now)}${r.dueComputed ? html`<span class="muted small" title="échéance calculée par la règle des 17 h">*</span>` : ''}</td>
      <td><a href="${orderUrl(r.orderId)}">${r.poNumber ?? '(sans n° de commande)'}</a></td>
      <td>${r.customerName ?? html`<span class="err">client inconnu</span>`}<br><span class="muted small">${r.customerId ?? ''}</span></td>
      <td>${channelTags(r.channels)}</td>
      <td>${statusBadge(r.status)}${checkBadge(r.duplicatesToCheck)}${touchlessBadge(r.touchless)}${r.classes.map((c) => html` <span class="badge st-needs-review" data-class="${c}">${PORTFOLIO_LABELS[c]}</span>`)}${r.erpNumber ? html` <span class="badge" title="Commande de vente dans l'ERP">ERP n° ${r.erpNumber}${r.erpState ? ` · ${ERP_STATE_LABELS[r.erpState] ?? r.erpState}` : ''}</span>` : r.erpRefusal ? html` <span class="err small" title="${r.erpRefusal}">refusée par l'ERP</span>` : ''}</td>
      <td class="n">${r.lines}</td>
      <td>${r.anomalies ? html`<span class="${r.blocking ? 'err' : 'warn'}">${r.anomalies} anomalie${r.anomalies > 1 ? 's' : ''}</span>` : html`<span class="muted">—</span>`}</td>
      <td>${r.agent ?? html`<span class="muted">non attribuée</span>`}<br><span class="muted small">${r.team ?? ''}</span></td>
    </tr>`,
  )}`;
}

const INBOX_HEAD = html`<thead><tr><th>SLA</th><th class="n">Échéance</th><th>Commande</th><th>Client</th><th>Canal</th><th>Statut</th><th class="n">Lignes</th><th>Anomalies</th><th>Agent / équipe</th></tr></thead>`;

export function inboxFragment(box: { mine: InboxRow[]; team: InboxRow[] }, now: number): Html {
  return html`<h2>Mes commandes (${box.mine.length})</h2>
    <table>${INBOX_HEAD}<tbody>${inboxRows(box.mine, now, 'Rien à saisir pour vous pour le moment.')}</tbody></table>
    <h2>Mon équipe (${box.team.length})</h2>
    <table>${INBOX_HEAD}<tbody>${inboxRows(box.team, now, "Rien d'autre en attente dans l'équipe.")}</tbody></table>`;
}

/** Filters of the open-order portfolio: all, or one class (rupture, limite de crédit, blocage financier, blocage de livraison, anomalie). */
function classFilter(classe: PortfolioClass | null): Html {
  const link = (c: PortfolioClass | null, label: string) => (c === classe ? html`<b>${label}</b>` : html`<a href="${c ? `/?classe=${c}` : '/'}">${label}</a>`);
  return html`<p class="small" id="classes">Filtrer : ${link(null, 'toutes')}${PORTFOLIO_CLASSES.map((c) => html` · ${link(c, PORTFOLIO_LABELS[c])}`)}</p>`;
}

export function inboxPage(user: User, csrf: string, box: { mine: InboxRow[]; team: InboxRow[] }, now: number, classe: PortfolioClass | null = null): string {
  return page({
    title: 'Corbeille',
    user,
    csrf,
    active: 'inbox',
    script: true,
    body: html`<h1>Corbeille ADV <span class="live">mise à jour automatique</span></h1>
      <p class="muted small">Commandes ouvertes ${user.role === 'manager' || user.role === 'admin' ? 'de toutes les équipes' : `des équipes ${user.teams.join(', ')}`}, la plus urgente d'abord. * échéance calculée par la règle « saisi avant 17 h ».</p>
      ${classFilter(classe)}
      <div data-live="/inbox/rows${classe ? `?classe=${classe}` : ''}">${inboxFragment(box, now)}</div>`,
  });
}

// ------------------------------------------------------------------ order page

export interface OrderPageData {
  user: User;
  csrf: string;
  state: OrderState;
  now: number;
  canAct: boolean;
  teams: { id: string; name: string }[];
  document: { sha256: string; html: Html } | null;
  diffs: { fileName: string; diff: OrderDiff }[];
  flash: { kind: 'ok' | 'err'; text: string } | null;
  /** What the ERP last said of the order (erp/watch.ts). */
  erpView?: ErpView;
}

const FIELD_LABELS: Record<string, string> = {
  poNumber: 'N° de commande', orderDate: 'Date de commande', requestedDeliveryDate: 'Livraison souhaitée', customerId: 'Client (code)', currency: 'Devise',
  customer: 'Client', shipTo: 'Livrer à', quantity: 'quantité', unitPrice: 'prix unitaire', unit: 'unité', description: 'désignation', sku: 'référence',
};
/** How a line's article was identified and what corroborates it (document readers), for the confidence's tooltip. */
function lineEvidence(l: OrderState['order']['lines'][number]): string {
  if (!l.evidence) return '';
  const by = l.evidence.corroboratedBy.length ? `corroborée par : ${l.evidence.corroboratedBy.join(' ; ')}` : 'rien ne la corrobore sur la ligne';
  return `Article : ${l.evidence.rule}${l.evidence.text ? ` (${l.evidence.text})` : ''} · ${by}`;
}

/** The dedup's evidence fields (domain/dedup.ts), as an agent reads them. */
const EVIDENCE_LABELS: Record<string, string> = {
  customer: 'client', poNumber: 'n° de commande', lines: 'lignes', shipTo: 'livraison', orderDate: 'date de commande', receivedAt: 'réception',
  signals: 'mentions', purpose: 'objet', channel: 'canaux', certainty: 'certitude', closest: 'la plus proche',
};
const evidenceLabel = (field: string) => EVIDENCE_LABELS[field] ?? field;
const ROLE_DOC: Record<string, string> = { original: 'original', duplicate: 'doublon', amendment: 'modificatif', cancellation: 'annulation', split: 'séparé' };
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '∅' : typeof v === 'number' ? num(v, 4) : String(v));

export function orderPage(d: OrderPageData): string {
  const s = d.state;
  const o = s.order;
  const due = dueOf(s);
  const editable = d.canAct && isOpen(s.status);
  const csrf = html`<input type="hidden" name="_csrf" value="${d.csrf}">`;
  const action = (name: string) => `${orderUrl(s.orderId)}/${name}`;
  const anomalies = anomaliesOf(s);
  const total = o.lines.reduce((t, l) => (l.quantity !== null && l.unitPrice !== null ? t + l.quantity * l.unitPrice : t), 0);
  const input = (name: string, value: unknown, low = false, size = 0) =>
    editable ? html`<input type="text" name="${name}" value="${value === null || value === undefined ? '' : typeof value === 'number' ? inputNumber(value) : String(value)}" class="${low ? 'low' : ''}"${raw(size ? ` size="${size}"` : '')}>` : html`${show(value)}`;

  // Which document each field comes from (the best one, an amendment, an agent, master data).
  const sources = new Map(fieldSources(s).map((f) => [f.field, f.label]));
  const source = (field: Parameters<typeof sources.get>[0]) => html` <span class="muted small source" data-source="${field}">source : ${sources.get(field) ?? '—'}</span>`;
  const header = html`<div class="panel"><form method="post" action="${action('correct')}" id="corrections">${csrf}
    <dl class="kv">
      <dt>Client</dt><dd>${o.customer.name ?? html`<span class="err">non identifié</span>`} ${o.customer.matchedBy ? html`<span class="muted small">(reconnu par ${o.customer.matchedBy})</span>` : ''}${source('customer')}</dd>
      <dt>Client (code)</dt><dd>${input('header.customerId', o.customer.id)}</dd>
      <dt>N° de commande</dt><dd data-hl="poNumber">${input('header.poNumber', o.poNumber)}${source('poNumber')}</dd>
      <dt>Date de commande</dt><dd data-hl="orderDate">${input('header.orderDate', o.orderDate)}${source('orderDate')}</dd>
      <dt>Livraison souhaitée</dt><dd data-hl="requestedDeliveryDate">${input('header.requestedDeliveryDate', o.requestedDeliveryDate)}${source('requestedDeliveryDate')}</dd>
      <dt>Livrer à</dt><dd>${[o.shipTo.code, o.shipTo.name, o.shipTo.street, [o.shipTo.postalCode, o.shipTo.city].filter(Boolean).join(' '), o.shipTo.country].filter(Boolean).join(' · ') || '—'}${source('shipTo')}</dd>
      <dt>Objet</dt><dd>${o.purpose === 'original' ? 'commande' : o.purpose === 'replace' ? 'annule et remplace' : 'annulation'} · lue par ${o.provenance.parser}${o.provenance.location ? ` (${o.provenance.location})` : ''} · confiance ${Math.round(o.confidence * 100)} %</dd>
    </dl>
    <h3>Lignes${source('lines')}</h3>
    <table class="lines"><thead><tr><th class="n">#</th><th>Référence</th><th>Réf. client</th><th>Désignation</th><th class="n">Quantité</th><th>Unité</th><th class="n">Prix unit.</th><th class="n">Confiance</th></tr></thead><tbody>
    ${o.lines.map((l) => {
      const low = l.confidence < 0.8 || l.doubts.length > 0;
      return html`<tr data-line="${l.lineNumber}" data-hl="line-${l.lineNumber}"><td class="n">${l.lineNumber}</td>
        <td>${input(`line.${l.lineNumber}.sku`, l.sku, low)}</td><td class="small">${l.customerPartNumber ?? ''}${l.ean ? html`<br><span class="muted">EAN ${l.ean}</span>` : ''}</td>
        <td class="desc">${input(`line.${l.lineNumber}.description`, l.description)}</td>
        <td class="n">${input(`line.${l.lineNumber}.quantity`, l.quantity, low, 6)}</td><td>${input(`line.${l.lineNumber}.unit`, l.unit, false, 4)}</td>
        <td class="n">${input(`line.${l.lineNumber}.unitPrice`, l.unitPrice, false, 7)}</td>
        <td class="n" title="${lineEvidence(l)}">${low ? html`<span class="warn">${Math.round(l.confidence * 100)} %</span>` : html`${Math.round(l.confidence * 100)} %`}</td></tr>
        ${l.doubts.length ? html`<tr data-hl="line-${l.lineNumber}"><td></td><td colspan="7" class="doubt">Doute : ${l.doubts.join(' ; ')}</td></tr>` : ''}`;
    })}
    </tbody></table>
    <p class="small muted">Montant connu : ${total.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${o.currency ?? ''}</p>
    ${editable ? html`<p><button type="submit" class="secondary">Enregistrer les corrections</button> <span class="muted small">Seuls les champs modifiés sont envoyés ; chaque correction est tracée.</span></p>` : ''}
  </form></div>`;

  const actions = editable
    ? html`<div class="panel actions">
        ${s.claimedBy !== d.user.login ? html`<form method="post" action="${action('claim')}">${csrf}<button type="submit">Prendre</button></form>` : ''}
        <form method="post" action="${action('erp')}">${csrf}<button type="submit" title="Crée la commande de vente dans l'ERP (une seule fois, même en cas de double clic) ; son numéro revient ici.">Créer dans l'ERP</button></form>
        <form method="post" action="${action('entered')}">${csrf}<input type="text" name="erpReference" placeholder="Réf. ERP (facultatif)" size="16"><button type="submit">Saisie faite</button></form>
        <form method="post" action="${action('reject')}">${csrf}<input type="text" name="reason" placeholder="Motif du rejet" size="22"><button type="submit" class="danger">Rejeter</button></form>
        <form method="post" action="${action('reassign')}">${csrf}<select name="team" aria-label="Équipe">${d.teams.filter((t) => t.id !== s.route?.team).map((t) => html`<option value="${t.id}">${t.name}</option>`)}</select>
          <input type="text" name="reason" placeholder="Motif" size="16"><button type="submit" class="secondary">Envoyer à l'équipe</button></form>
      </div>`
    : d.canAct
      ? ''
      : html`<p class="muted">Lecture seule : cette commande n'est pas dans vos équipes.</p>`;

  const checks = duplicatesPanel(s, d.canAct, csrf, action);
  const docs = documentsPanel(s);
  const diffs = diffsPanel(d.diffs);

  const body = html`<h1>Commande ${o.poNumber ?? '(sans n°)'} — ${o.customer.name ?? 'client inconnu'} ${statusBadge(s.status)} ${slaBadge(slaOf(s, d.now))}</h1>
    <p class="small">Échéance ${dueLabel(due.dueAt, d.now)}${due.computed ? ' (calculée par la règle des 17 h)' : ''} · reçue ${dateTime(s.sla.receivedAt)}
      ${s.sla.enteredAt ? html` · saisie ${dateTime(s.sla.enteredAt)}` : ''}${erpLine(s, d.erpView)} · équipe <b>${s.route?.team ?? '—'}</b> · agent <b>${s.claimedBy ?? s.route?.agent ?? 'non attribuée'}</b>${s.claimedBy ? ' (prise)' : ''}
      · <a href="/rules?order=${encodeURIComponent(s.orderId)}">pourquoi cette équipe ?</a> · <a href="/api/workspace/orders/${encodeURIComponent(s.orderId)}">JSON</a></p>
    ${d.flash ? html`<p class="flash ${d.flash.kind}" role="status">${d.flash.text}</p>` : ''}
    ${s.rejection ? html`<p class="flash err">Rejetée : ${s.rejection}</p>` : ''}
    ${actions}
    ${touchlessPanel(s, d.canAct, action, csrf, d.now)}
    ${checks}
    <div class="split"><div>
      ${header}
      ${anomalies.length ? html`<div class="panel"><h3>Anomalies (${anomalies.length})</h3><ul class="anom">${anomalies.map((a) => html`<li class="${a.severity === 'error' ? 'err' : 'warn'}">${a.where ? html`<b>${a.where}</b> : ` : ''}${a.message}</li>`)}</ul></div>` : ''}
      ${docs}${diffs}
      ${s.corrections.length ? html`<div class="panel"><h3>Corrections</h3><ul class="small">${s.corrections.map((c) => html`<li>${dateTime(c.at)} · ${c.by} · ${c.field} : ${show(c.from)} → <b>${show(c.to)}</b></li>`)}</ul></div>` : ''}
      <div class="panel"><h3>Historique</h3><ol class="hist small">${s.history.map((e) => html`<li>${dateTime(e.at)} — <b>${EVENT_LABELS[e.event] ?? e.event}</b>${e.by ? ` par ${e.by}` : ''}${e.detail ? html` — ${e.detail}` : ''}</li>`)}</ol></div>
    </div><div class="doc panel" id="source"><h3>Document source</h3>${d.document ? d.document.html : html`<p class="muted">Document introuvable dans le stockage.</p>`}</div></div>`;
  return page({ title: `Commande ${o.poNumber ?? s.orderId}`, user: d.user, csrf: d.csrf, body, script: true });
}

/** Probable duplicates awaiting an agent's decision (confirm, or split into an order of its own). */
function duplicatesPanel(s: OrderState, canAct: boolean, csrf: Html, action: (name: string) => string): Html | string {
  // A probable duplicate awaits a decision whatever the order's status: its e-mail may be entered already.
  const toCheck = duplicatesToCheck(s);
  return toCheck.length
    ? html`<div class="panel check" id="doublons"><h3><span class="badge st-needs-review">À vérifier</span> Doublon probable (${toCheck.length})</h3>
        <p class="small">Rattaché à cette commande sans preuve suffisante : rien ne distingue ce document d'une copie, mais rien n'exclut une nouvelle commande du client. Tant que personne n'a tranché, il ne compte pas pour l'échéance.</p>
        ${toCheck.map((doc) => {
          const ref = html`<input type="hidden" name="sha256" value="${doc.sha256}"><input type="hidden" name="index" value="${doc.index}">`;
          return html`<div class="check-doc"><p><a href="${orderUrl(s.orderId)}?doc=${doc.sha256}#source">${doc.fileName}</a> ${channelTags([doc.channel])} reçu ${dateTime(doc.receivedAt)}</p>
            ${doc.evidence?.length ? html`<ul class="small">${doc.evidence.map((e) => html`<li>${evidenceLabel(e.field)} : ${e.how}</li>`)}</ul>` : ''}
            ${canAct
              ? html`<form method="post" action="${action('confirm-duplicate')}">${csrf}${ref}<button type="submit">Confirmer le doublon</button></form>
                <form method="post" action="${action('split')}">${csrf}${ref}<input type="text" name="reason" placeholder="Motif (facultatif)" size="22"><button type="submit" class="secondary">Ce n'est pas un doublon</button>
                <span class="muted small">le document devient une commande à part, routée comme les autres</span></form>`
              : ''}</div>`;
        })}</div>`
    : '';
}

/** The order's documents, their roles and the evidence that matched them. */
function documentsPanel(s: OrderState): Html {
  const docLabel = (doc: OrderState['documents'][number]) =>
    doc.role === 'duplicate' && doc.probable ? html`<span class="warn">doublon probable</span>`
    : doc.role === 'duplicate' && doc.confirmedBy ? html`doublon <span class="muted small">(confirmé par ${doc.confirmedBy})</span>`
    : doc.role === 'split' && doc.splitTo ? html`séparé → <a href="${orderUrl(doc.splitTo)}">${doc.splitTo}</a>`
    : html`${ROLE_DOC[doc.role] ?? doc.role}`;
  return html`<div class="panel"><h3>Documents (${s.documents.length})</h3><table><thead><tr><th>Rôle</th><th>Canal</th><th>Fichier</th><th>Reçu</th><th>Preuve du rapprochement</th></tr></thead><tbody>
    ${s.documents.map((doc) => html`<tr><td>${docLabel(doc)}</td><td>${channelTags([doc.channel])}</td>
      <td><a href="${orderUrl(s.orderId)}?doc=${doc.sha256}#source">${doc.fileName}</a><br><span class="muted small">${doc.sha256.slice(0, 12)}…</span></td>
      <td>${dateTime(doc.receivedAt)}</td>
      <td class="small">${doc.evidence?.length ? doc.evidence.map((e) => html`${evidenceLabel(e.field)} : ${e.how}<br>`) : doc.role === 'duplicate' ? 'même client et même n° de commande' : ''}</td></tr>`)}
    </tbody></table></div>`;
}

/** What each amendment changed against the document before it. */
function diffsPanel(diffs: OrderPageData['diffs']): Html | string {
  return diffs.length
    ? html`<div class="panel"><h3>Ce que change le modificatif</h3>${diffs.map(
        (x) => html`<p class="small muted">${x.fileName}</p><ul class="small">
          ${x.diff.fields.map((h) => html`<li>${FIELD_LABELS[h.field] ?? h.field} : ${show(h.before)} → <b>${show(h.after)}</b></li>`)}
          ${x.diff.lines.map((l) => html`<li>${l.change === 'added' ? 'ajout' : l.change === 'removed' ? 'suppression' : 'modification'} ${l.sku ?? `ligne ${l.lineNumber}`} : ${l.changes.map((c) => html`${FIELD_LABELS[c.field] ?? c.field} ${show(c.before)} → <b>${show(c.after)}</b> `)}</li>`)}
          ${x.diff.identical ? html`<li>aucune différence lue</li>` : ''}</ul>`,
      )}</div>`
    : '';
}

/** "Saisie automatiquement": the ERP number, why (the policy's checks), and the undo while the day lasts. */
function touchlessPanel(s: OrderState, canAct: boolean, action: (a: string) => string, csrf: Html, now: number): Html | string {
  const t = s.touchless;
  if (!t) return '';
  const undoRefused = undoTouchlessRefusal(s, new Date(now).toISOString(), DEFAULT_SLA_CONFIG.timeZone);
  return html`<div class="panel touchless" id="automatique"><h3><span class="badge st-entered">${t.undone ? 'Saisie automatique annulée' : 'Saisie automatiquement'}</span>${s.erp ? html` ERP n° ${s.erp.number ?? s.erp.erpRef} (${ERP_STATE_LABELS[s.erp.state] ?? s.erp.state})` : ''}</h3>
    ${t.undone ? html`<p class="small">Annulée par ${t.undone.by} le ${dateTime(t.undone.at)}${t.undone.reason ? ` : ${t.undone.reason}` : ''} ; la vente est annulée dans l'ERP et la commande est à saisir.</p>` : ''}
    <details${t.undone ? '' : ' open'}><summary>Pourquoi automatique ?</summary><ul class="small">${t.reasons.map((r) => html`<li>${r}</li>`)}</ul><p class="muted small">Politique ${t.policyVersion} (touchless.yaml), ${dateTime(t.at)}.</p></details>
    ${canAct && undoRefused === null
      ? html`<form method="post" action="${action('undo-touchless')}">${csrf}<input type="text" name="reason" placeholder="Motif (facultatif)" size="22"><button type="submit" class="danger" title="Annule la vente dans l'ERP et rend la commande à son agent, à saisir.">Annuler la saisie automatique</button> <span class="muted small">possible aujourd'hui seulement</span></form>`
      : ''}</div>`;
}

export const EVENT_LABELS: Record<string, string> = {
  touchless: 'saisie automatiquement', 'touchless undone': 'saisie automatique annulée', 'not touchless': 'pas de saisie automatique',
  ...STATUS_LABELS, received: 'reçue', extracted: 'lue', routed: 'routée', 'needs-review': 'routée, à vérifier', claimed: 'prise', corrected: 'corrigée', reassigned: 'envoyée à une autre équipe',
  amended: 'modificatif reçu', 'duplicate attached': 'doublon rattaché', 'cancellation received': 'annulation reçue',
  'probable duplicate attached': 'doublon probable rattaché (à vérifier)', 'duplicate confirmed': 'doublon confirmé', 'document split': 'document séparé en nouvelle commande',
  'split from': 'séparée d’une autre commande', 'created in ERP': "créée dans l'ERP", 'ERP refused': "refusée par l'ERP",
};
const SHIPMENT_LABELS: Record<string, string> = { none: 'rien à expédier', waiting: 'à expédier', partially_sent: 'expédiée en partie', sent: 'expédiée', exception: 'incident d’expédition' };
const INVOICE_LABELS: Record<string, string> = { none: 'rien à facturer', pending: 'à facturer', partially_paid: 'payée en partie', paid: 'payée', exception: 'incident de facturation', waiting: 'à facturer' };
/** « Où en est ma commande ? » past entry: the sales order as the ERP last said (erp/watch.ts), else as created. */
export function erpLine(s: OrderState, view?: ErpView): Html | string {
  if (!s.erp) return '';
  const state = view?.state ?? s.erp.state;
  const more = [view?.shipmentState ? SHIPMENT_LABELS[view.shipmentState] ?? view.shipmentState : null, view?.invoiceState ? INVOICE_LABELS[view.invoiceState] ?? view.invoiceState : null].filter(Boolean).join(', ');
  return html` · <b class="erp-state">ERP n° ${s.erp.number ?? s.erp.erpRef} : ${ERP_STATE_LABELS[state] ?? state}${more ? ` (${more})` : ''}</b>${view ? html` <span class="muted small">lu ${dateTime(view.readAt)}</span>` : ''}`;
}

/** A sales order's state in the ERP (erp/connector.ts ErpOrderState), as agents say it. */
export const ERP_STATE_LABELS: Record<string, string> = {
  draft: 'brouillon', quotation: 'devis', confirmed: 'confirmée', processing: 'en cours', done: 'terminée', cancelled: 'annulée', sent: 'transmise',
};

// ------------------------------------------------------------------ dashboard

const tallyRow = (name: string, t: Tally) =>
  html`<tr><td>${name}</td><td class="n">${t.received}</td><td class="n">${t.receivedBeforeCutoff}</td><td class="n">${t.entered}</td><td class="n"><b>${t.toEnterToday}</b></td><td class="n">${t.atRisk || ''}</td><td class="n">${t.late ? html`<span class="err">${t.late}</span>` : ''}</td></tr>`;
const tallyTable = (title: string, rows: [string, Tally][], label: (k: string) => string = (k) => k) =>
  html`<div><h3>${title}</h3><table><thead><tr><th></th><th class="n">Reçues</th><th class="n">Avant clôture</th><th class="n">Saisies</th><th class="n">Reste à saisir</th><th class="n">À risque</th><th class="n">En retard</th></tr></thead>
  <tbody>${rows.length ? rows.map(([n, t]) => tallyRow(label(n), t)) : html`<tr><td colspan="7" class="muted">—</td></tr>`}</tbody></table></div>`;

const CHANNEL_COLORS: Record<string, string> = { email: '#2e90fa', fax: '#f79009', scan: '#7a5af8', edi: '#12b76a', api: '#667085', folder: '#ee46bc' };

/** Bars: volume per channel (stacked); line: share of orders due that day entered in time. */
export function chartSvg(days: Dashboard['days']): Html {
  const W = 900, H = 220, L = 36, R = 40, T = 12, B = 30;
  const iw = W - L - R, ih = H - T - B;
  const max = Math.max(1, ...days.map((d) => Object.values(d.byChannel).reduce((a, b) => a + (b ?? 0), 0)));
  const bw = iw / days.length;
  const bars: Html[] = [];
  days.forEach((d, i) => {
    let y = T + ih;
    for (const c of Object.keys(CHANNEL_COLORS)) {
      const v = d.byChannel[c as keyof typeof d.byChannel] ?? 0;
      if (!v) continue;
      const h = (v / max) * ih;
      y -= h;
      bars.push(html`<rect x="${(L + i * bw + 2).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${CHANNEL_COLORS[c]}"><title>${d.day} · ${CHANNEL_LABELS[c]} : ${v}</title></rect>`);
    }
  });
  const pts = days.map((d, i) => (d.due ? `${(L + i * bw + bw / 2).toFixed(1)},${(T + ih - (d.met / d.due) * ih).toFixed(1)}` : null));
  const segments: string[] = [];
  let cur: string[] = [];
  for (const p of pts) {
    if (p) cur.push(p);
    else {
      if (cur.length) segments.push(cur.join(' '));
      cur = [];
    }
  }
  if (cur.length) segments.push(cur.join(' '));
  const labels = days.map((d, i) => (i % 5 === 0 || i === days.length - 1 ? html`<text x="${(L + i * bw + bw / 2).toFixed(1)}" y="${H - 10}" text-anchor="middle">${d.day.slice(8)}/${d.day.slice(5, 7)}</text>` : ''));
  return html`<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Volume par canal et SLA tenu, 30 derniers jours">
    <line x1="${L}" y1="${T + ih}" x2="${W - R}" y2="${T + ih}" stroke="#d0d5dd"/>
    <text x="${L - 6}" y="${T + 8}" text-anchor="end">${max}</text><text x="${L - 6}" y="${T + ih}" text-anchor="end">0</text>
    <text x="${W - R + 6}" y="${T + 8}">100 %</text><text x="${W - R + 6}" y="${T + ih}">0 %</text>
    ${bars}${segments.map((s) => html`<polyline points="${s}" fill="none" stroke="#1d2939" stroke-width="2"/>`)}
    ${pts.map((p, i) => (p ? html`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="#1d2939"><title>${days[i]!.day} : ${days[i]!.met}/${days[i]!.due} saisies à temps</title></circle>` : ''))}
    ${labels}</svg>
    <p class="legend">${Object.entries(CHANNEL_COLORS).map(([c, col]) => html`<span><i style="background:${col}"></i>${CHANNEL_LABELS[c]}</span>`)}<span><i style="background:#1d2939;height:2px"></i>SLA tenu (part des commandes dues ce jour-là saisies à temps)</span></p>`;
}

/** Why a document is in the quarantine when its intake could not complete, in the users' words. */
const QUARANTINE_REASONS: Record<string, string> = {
  EXTRACTION_FAILED: 'Lecture impossible après plusieurs essais (lecteur en échec, bloqué ou trop long, disque plein…)',
  DELIVERY_FAILED: 'Commandes lues mais non transmises (après plusieurs essais, ou lecture conservée perdue : relancer la relit)',
  INTAKE_FAILED: 'Prise en charge interrompue sans verdict',
  EDI_CONTROL_NUMBER_REUSED: 'Numéro de contrôle EDI déjà reçu avec un autre contenu : non traité, le partenaire doit renvoyer sous un nouveau numéro',
  FILE_TOO_LARGE: 'Fichier trop volumineux : mis de côté sans être lu',
  PDF_TOO_COMPLEX: 'PDF endommagé ou trop coûteux à lire : refusé, demander un nouvel envoi',
};

/** The quarantine list; with `retry` (managers), a "Relancer" button per document. */
export function quarantineTable(q: QuarantineRecord[], retry?: { csrf: string }): Html {
  if (!q.length) return html`<p class="muted">Aucun document en quarantaine.</p>`;
  return html`<table><thead><tr><th>Reçu</th><th>Canal</th><th>Fichier</th><th>Raison</th>${retry ? html`<th></th>` : ''}</tr></thead><tbody>
    ${q.map((r) => html`<tr><td>${dateTime(r.receivedAt)}</td><td>${channelTags([r.channel])}</td><td>${r.fileName}<br><span class="muted small">${r.sha256.slice(0, 12)}…</span></td>
      <td class="small">${r.problems.map((p) => html`${QUARANTINE_REASONS[p.code] ? html`<strong>${QUARANTINE_REASONS[p.code]}</strong><br>` : ''}<span class="${p.severity === 'error' ? 'err' : 'warn'}">${p.code}</span> ${p.message}${p.where ? html` <span class="muted">(${p.where})</span>` : ''}<br>`)}
      ${r.retries?.length ? html`<span class="muted">Relancé ${r.retries.length} fois, dernière fois le ${dateTime(r.retries[r.retries.length - 1]!.at)} par ${r.retries[r.retries.length - 1]!.by}</span>` : ''}</td>
      ${retry ? html`<td><form method="post" action="/quarantine/${r.sha256}/retry"><input type="hidden" name="_csrf" value="${retry.csrf}"><button type="submit" title="Relire le document, une fois la cause corrigée">Relancer</button></form></td>` : ''}</tr>`)}
  </tbody></table>`;
}

/** Display names of teams and agents (from the rule set); ids are shown when unknown. */
export interface Names {
  teams: Record<string, string>;
  agents: Record<string, string>;
}

export function dashboardPage(user: User, csrf: string, d: Dashboard, now: number, names: Names = { teams: {}, agents: {} }, flash: { kind: 'ok' | 'err'; text: string } | null = null): string {
  const t = d.totals;
  return page({
    title: 'Tableau de bord',
    user,
    csrf,
    active: 'dashboard',
    body: html`<h1>Tableau de bord — ${longDay(d.today)}</h1>
      ${flash ? html`<p class="flash ${flash.kind}" role="status">${flash.text}</p>` : ''}
      <div class="cards">
        <div class="card"><div class="v" data-k="received">${t.received}</div><div class="l">reçues aujourd'hui</div></div>
        <div class="card"><div class="v" data-k="receivedBeforeCutoff">${t.receivedBeforeCutoff}</div><div class="l">reçues avant la clôture (${d.deadline})</div></div>
        <div class="card"><div class="v" data-k="entered">${t.entered}</div><div class="l">saisies aujourd'hui</div></div>
        <div class="card big"><div class="v" data-k="toEnterToday">${t.toEnterToday}</div><div class="l">Que nous reste-t-il à traiter avant la clôture ? (à saisir avant ${d.deadline})</div></div>
        <div class="card warn"><div class="v" data-k="atRisk">${t.atRisk}</div><div class="l">à risque</div></div>
        <div class="card bad"><div class="v" data-k="late">${t.late}</div><div class="l">en retard</div></div>
      </div>
      <h2>À saisir avant ${d.deadline} (${d.remaining.length})</h2>
      <table>${INBOX_HEAD}<tbody>${inboxRows(d.remaining, now, 'Tout est saisi pour aujourd’hui.')}</tbody></table>
      <div class="split">${tallyTable('Par équipe', d.byTeam, (k) => names.teams[k] ?? k)}${tallyTable('Par agent', d.byAgent, (k) => names.agents[k] ?? k)}</div>
      ${tallyTable('Par canal', d.byChannel, (k) => CHANNEL_LABELS[k] ?? k)}
      <h2 id="portefeuille">Portefeuille ouvert par statut</h2>
      <div class="cards">${PORTFOLIO_CLASSES.map((c) => html`<div class="card"><div class="v" data-class="${c}">${d.portfolio.totals[c]}</div><div class="l"><a href="/?classe=${c}">${PORTFOLIO_LABELS[c]}</a></div></div>`)}</div>
      <div class="split">${classTable('Par équipe', d.portfolio.byTeam, (k) => names.teams[k] ?? k)}${classTable('Par agent', d.portfolio.byAgent, (k) => names.agents[k] ?? k)}</div>
      <h2>Dans l'ERP</h2><p class="small" id="erp-states">${Object.keys(d.erpStates).length ? Object.entries(d.erpStates).map(([st, n]) => html`<span class="badge">${ERP_STATE_LABELS[st] ?? st} : <b data-state="${st}">${n}</b></span> `) : html`<span class="muted">aucune commande créée dans l'ERP sur la période</span>`}</p>
      ${d.toCheck.length ? html`<h2>Doublons probables à trancher (${d.toCheck.length})</h2>
      <p class="muted small">Un fax ou un scan rattaché sans preuve suffisante : tant qu'un agent ne l'a pas confirmé ou séparé, une commande peut s'y cacher.</p>
      <table>${INBOX_HEAD}<tbody>${inboxRows(d.toCheck, now, '')}</tbody></table>` : ''}
      <h2>30 derniers jours</h2><div class="panel">${chartSvg(d.days)}</div>
      <h2 id="quarantaine">Quarantaine (${d.quarantine.length})</h2>${quarantineTable(d.quarantine, user.role === 'manager' || user.role === 'admin' ? { csrf } : undefined)}`,
  });
}

const classTable = (title: string, rows: [string, Record<PortfolioClass, number>][], label: (k: string) => string) =>
  html`<div><h3>${title}</h3><table><thead><tr><th></th>${PORTFOLIO_CLASSES.map((c) => html`<th class="n">${PORTFOLIO_LABELS[c]}</th>`)}</tr></thead>
  <tbody>${rows.length ? rows.map(([k, r]) => html`<tr><td>${label(k)}</td>${PORTFOLIO_CLASSES.map((c) => html`<td class="n">${r[c] || ''}</td>`)}</tr>`) : html`<tr><td colspan="${PORTFOLIO_CLASSES.length + 1}" class="muted">—</td></tr>`}</tbody></table></div>`;

// ------------------------------------------------------------------ search

export function searchPage(user: User, csrf: string, q: string, rows: OrderState[], quarantine: QuarantineRecord[], now: number, views: Map<string, ErpView> = new Map()): string {
  return page({
    title: 'Où en est ma commande ?',
    user,
    csrf,
    active: 'search',
    body: html`<h1>Où en est ma commande ?</h1>
      <form method="get" action="/search"><input type="search" name="q" value="${q}" size="40" placeholder="Client, n° de commande, nom de fichier ou empreinte du document" autofocus> <button type="submit">Chercher</button></form>
      ${q ? html`<h2>${rows.length} commande${rows.length > 1 ? 's' : ''}</h2>
        ${rows.map((s) => {
          const last = s.history[s.history.length - 1];
          return html`<div class="panel"><b><a href="${orderUrl(s.orderId)}">${s.poNumber ?? '(sans n°)'}</a></b> — ${s.order.customer.name ?? s.customerId ?? 'client inconnu'} ${statusBadge(s.status)} ${slaBadge(slaOf(s, now))}
            <p class="small">Équipe ${s.route?.team ?? '—'} · agent ${s.claimedBy ?? s.route?.agent ?? 'non attribuée'} · reçue ${dateTime(s.sla.receivedAt)} par ${channelTags([...new Set(s.documents.map((x) => x.channel))])}
            · échéance ${dateTime(dueOf(s).dueAt)}${s.sla.enteredAt ? html` · <b>saisie ${dateTime(s.sla.enteredAt)}</b>` : ''}${erpLine(s, views.get(s.orderId))}${last ? html` · dernier événement : ${EVENT_LABELS[last.event] ?? last.event} ${dateTime(last.at)}` : ''}</p>
            <ol class="hist small">${s.history.map((e) => html`<li>${dateTime(e.at)} — ${EVENT_LABELS[e.event] ?? e.event}${e.by ? ` par ${e.by}` : ''}${e.detail ? ` — ${e.detail}` : ''}</li>`)}</ol></div>`;
        })}
        ${quarantine.length ? html`<h2>Documents en quarantaine</h2>${quarantineTable(quarantine)}` : ''}` : ''}`,
  });
}

// ------------------------------------------------------------------ rules

export function rulesPage(user: User, csrf: string, rules: { set: RuleSet | null; error: string | null; dir: string }, order: OrderState | null, explanation: Html | null): string {
  const set = rules.set;
  return page({
    title: 'Règles de routage',
    user,
    csrf,
    active: 'rules',
    body: html`<h1>Règles de routage <span class="muted small">(lecture seule)</span></h1>
      ${order ? html`<div class="panel"><h3>Pourquoi la commande <a href="${orderUrl(order.orderId)}">${order.poNumber ?? order.orderId}</a> est allée où elle est</h3>
        ${order.route ? html`<dl class="kv"><dt>Équipe</dt><dd><b>${order.route.team}</b>${order.route.agent ? ` / ${order.route.agent}` : ''}</dd><dt>Règle</dt><dd><code>${order.route.ruleId}</code></dd>
          <dt>Raison</dt><dd>${order.route.reason}</dd><dt>Version des règles</dt><dd><code>${order.route.rulesVersion || '—'}</code>${set && order.route.rulesVersion && order.route.rulesVersion !== set.version ? html` <span class="warn">(les règles ont changé depuis : version active ${set.version})</span>` : ''}</dd></dl>` : html`<p class="muted">Pas encore routée.</p>`}
        ${explanation ?? ''}</div>` : ''}
      ${rules.error ? html`<p class="flash err">Les règles de ${rules.dir} ne se chargent pas : ${rules.error}</p>` : ''}
      ${set ? html`<p>Règles actives : <code>${set.version}</code> — ${set.files.map((f) => f.split('/').pop()).join(', ')} · essayées dans l'ordre, la première qui s'applique décide ; sinon l'équipe <b>${set.fallback.team}</b>.</p>
        <table><thead><tr><th class="n">#</th><th>Règle</th><th>Description</th><th>Équipe</th><th>Compétence</th><th>Source</th></tr></thead><tbody>
        ${set.rules.map((r, i) => html`<tr id="rule-${r.id}" class="${order?.route?.ruleId === r.id ? 'mine' : ''}"><td class="n">${i + 1}</td><td><code>${r.id}</code></td><td>${r.description ?? ''}</td><td>${r.team}</td><td>${r.skill ?? ''}</td><td class="small muted">${r.source.file.split('/').pop()}:${r.source.line}</td></tr>`)}
        </tbody></table>
        <h2>Équipes</h2><table><thead><tr><th>Équipe</th><th>Répartition</th><th>Agents</th></tr></thead><tbody>
        ${set.teams.map((t) => html`<tr><td><b>${t.name}</b> <span class="muted small">${t.id}</span></td><td>${t.assignment === 'least-loaded' ? 'le moins chargé' : 'chacun son tour'}</td>
          <td class="small">${t.agents.map((a) => html`${a.name} <span class="muted">(${[a.skills.join(', '), a.capacity ? `${a.capacity} max` : '', a.absences.length ? `absent ${a.absences.map((x) => `${x.from}→${x.to}`).join(', ')}` : ''].filter(Boolean).join(' · ')})</span><br>`)}</td></tr>`)}
        </tbody></table>` : ''}`,
  });
}

export { esc };
