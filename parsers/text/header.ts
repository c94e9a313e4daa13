// The order's header read from free text (an email body, a PDF's text, an OCR'd fax): PO number,
// dates, who the buyer is, where to deliver, whether it replaces or cancels an earlier order, and
// whether it is only a copy of an order sent elsewhere. Pure: text in, values or null out.
import type { MasterData } from '../../domain/masterdata';
import { normalisePhone, normaliseSiret, normaliseVat, foldName } from '../../domain/masterdata';
import type { Address, Purpose } from '../../domain/order';
import type { CustomerEvidence, DraftOrder } from '../../domain/resolve';
import type { ReadEvidence } from '../../domain/evidence';
import { ambiguousPrints, dayMonthOrder, findDates, swapDayMonth } from './dates';
import { NOT_PO_QUALIFIER, ENGLISH_ORDER_WORDS, NOT_ENGLISH_ORDER_WORDS, BARE_NUMBER_LABEL, NOT_SHIP_TO_LABELS, SHIP_TO_LABELS, unleader, USUAL_ADDRESS, DELIVERY_DATE_LABELS, GENERIC_DATE_LABELS, NOT_PO_BEFORE_NUMBER, ORDER_DATE_LABELS, PO_LABELS, WEAK_PO_LABEL as WEAK_PO_LABEL_RE } from './labels';

export interface Labelled {
  value: string;
  /** The label as written in the text ("N° de commande"). */
  label: string;
}

const WEAK_PO_LABEL = WEAK_PO_LABEL_RE;

/** True for a bare label ("Commande 4512"), weaker evidence than "N° de commande : 4512". */
export function isWeakPoLabel(label: string): boolean {
  return WEAK_PO_LABEL.test(label.trim());
}
// A value may be a short letter prefix and numbers written with spaces ("OPM 771245", "BS 2026 288");
// the prefix is checked for capitals below, since the pattern itself ignores case.
const PO_VALUE = '((?:[A-Z]{2,5} (?=[A-Z0-9_/.-]*\\d))?(?:[A-Z0-9][A-Z0-9_/.-]*[A-Z0-9]|[0-9])(?: \\d[0-9/.-]*(?![\\p{L}]))?)';
// Label and value on one line: a label at the end of a line does not take the next line's text.
// The label must end at a word's end: "N° CDE26/0042" is label "N°" and value "CDE26/0042", never "26/0042".
// Labels never run over two lines: "COMMANDE D'ACHAT\nN°" is a title above a label.
const PO_LABEL_SOURCE = PO_LABELS.join('|').replaceAll('\\s', '[ \\t]');
const PO_RE = new RegExp(`(?<![\\p{L}\\d])(${PO_LABEL_SOURCE})(?:(?<=[°º.#])|(?![\\p{L}\\p{N}]))(?:[ \\t]*\\/[ \\t]*\\p{L}+\\.?)?[ \\t]*(?:(?:[:#=]|n[°ºo]\\.?|\\.)[ \\t]*){0,3}${PO_VALUE}`, 'giu');


/** Every PO number the text prints under a label, in reading order (strong and weak labels alike). */
export function findPoCandidates(raw: string): Labelled[] {
  const text = unleader(raw);
  PO_RE.lastIndex = 0;
  const out: Labelled[] = [];
  for (let m = PO_RE.exec(text); m; m = PO_RE.exec(text)) {
    // A reading refused below must not hide a label that starts inside it: retry from the next character.
    PO_RE.lastIndex = m.index + 1;
    const label = (m[1] ?? '').trim();
    let value = (m[2] ?? '').replace(/(?<!\.)\.+$/, '').replace(/^[-/.]+/, '');
    // "OPM 771245" keeps its prefix; "de 12 vis" is not a prefix but words.
    const [first, ...rest] = value.split(' ');
    if (rest.length && !/^[A-Z]{2,5}$/.test(first!) && !/\d/.test(first!)) continue;
    if (rest.length && /^\d/.test(first!) && !/^\d{2,4}$/.test(first!)) value = first!;
    // PO numbers hold a digit and are rarely under four characters ("commande de 12" is a quantity).
    // Three digits only when the clause ends there ("cde 238, livraison …"), never before a word ("commande de 120 vis").
    if (!/\d/.test(value) || value.length < 3 || (value.length === 3 && !/^[ \t]*(?:[,;)\n]|\.(?:\s|$)|$)/.test(text.slice(m.index + m[0].length)))) continue;
    if (findDates(value).some((d) => d.length >= value.length - 1)) continue;
    // "Supplier Order No. 99887", "Sales Order No.": the number of another party's order, never the buyer's PO.
    if (NOT_PO_QUALIFIER.test(text.slice(Math.max(text.lastIndexOf('\n', m.index) + 1, m.index - 30), m.index))) continue;
    if (BARE_NUMBER_LABEL.test(label)) {
      // A bare "N°" numbers many things: only a value glued in one token, and never after "Fournisseur", "TVA"…
      if (rest.length && !/\d/.test(first!)) continue;
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      const before = text.slice(Math.max(lineStart, m.index - 30), m.index);
      if (NOT_PO_BEFORE_NUMBER.test(before) || (/^no\.$/i.test(label) && tailOfOtherLabel(before))) continue;
      // A lone "#" numbers only what opens its line or column, glued to it: "#PO1045", never "Item #", "Vendor # 7412".
      if (label === '#' && (!/(?:^[ \t]*|[ \t]{3})$/.test(text.slice(lineStart, m.index)) || /^#[ \t]/.test(m[0]))) continue;
    }
    out.push({ value, label });
    PO_RE.lastIndex = m.index + m[0].length;
  }
  return out;
}

/**
 * An English bare "No." right after a word is the end of a longer label: "Phone No.", "VAT
 * Registration No.", and "Vendor Order No." (an order word, but another party's). Only an order
 * word with no such qualifier before it leaves the number to the order. (A French "n°" after a
 * word is not: "notre n° 5142", "Demande d'achat n° DA26…" number the order.)
 */
export function tailOfOtherLabel(before: string): boolean {
  // The word that ends `before` (one space and a dot after it at most), read backwards without a regex.
  let end = before.length;
  if (end > 0 && (before[end - 1] === ' ' || before[end - 1] === '\t')) end--;
  // OCR reads the qualifier's dot as a comma at times ("Reg, No." for "Req. No."): either ends the word.
  if (end > 0 && (before[end - 1] === '.' || before[end - 1] === ',')) end--;
  let start = end;
  while (start > 0 && /\p{L}/u.test(before[start - 1]!)) start--;
  if (start === end) return false;
  return !ORDER_WORD.test(before.slice(start, end)) || NOT_PO_QUALIFIER.test(before.slice(0, start));
}
const ORDER_WORD = /^(?:commande|order|bestellung|auftrag|pedido|ordine|bestelbon|bestelling|inkooporder|purchase)$/iu;

/**
 * The buyer's purchase-order number: "N° de commande : 4500123456", "PO# BC-2026-118", "Cde 88172",
 * "Bestell-Nr. 4711", "N° : CDE26/0042". The value must hold a digit, and a date ("Commande du
 * 23/11/2026") is never taken for it. A numbered label anywhere wins over a bare word met first.
 */
export function findPoNumber(text: string): Labelled | null {
  const all = findPoCandidates(text);
  return all.find((c) => !WEAK_PO_LABEL.test(c.label)) ?? all.find((c) => !BARE_NUMBER_LABEL.test(c.label)) ?? all[0] ?? null;
}

const ORDER_DATE_RE = new RegExp(`(?:${[...ORDER_DATE_LABELS, ...GENERIC_DATE_LABELS].join('|')})[ \\t]*(?:[:.][ \\t]*)?`, 'gimu');
const DELIVERY_RE = new RegExp(`(?<![\\p{L}])(?:${DELIVERY_DATE_LABELS.join('|')})[ \\t]*(?:[:.][ \\t]*)?(?:(?:le|am|il|el|op|on)[ \\t]+)?`, 'gimu');

// Words between a generic "Date" and its value that make it another date than the order's.
// "Date Printed", "Date Revised", "Date of Quote", "Date Required", "Date prévue": another day than the order's.
const NOT_ORDER_DATE = /livr|deliver|liefer|consegn|entreg|lever|d[ée]lai|echeance|[ée]ch[ée]ance|due|termin|plazo|expedi|ship|print|impression|revis|quot|valid|expir|requir|need|promis|expect|pr[ée]vu|receipt|accept|invoice|factur/i;

function dateAfter(labels: RegExp, raw: string, ref?: Date, reject?: RegExp): string | null {
  const text = unleader(raw);
  labels.lastIndex = 0;
  for (let m = labels.exec(text); m; m = labels.exec(text)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const d = findDates(after, ref)[0];
    const between = d ? after.slice(0, d.index) : '';
    // The date must follow the label closely (same line, nothing but punctuation or a weekday before it).
    if (d && d.index <= 12 && !between.includes('\n') && !(reject && reject.test(`${m[0]}${between}`))) return d.iso;
    if (m[0].length === 0) labels.lastIndex++;
  }
  return null;
}

/** "Date de commande : 23/11/2026", "Lyon, le 23 novembre 2026", "Order date: Nov 23, 2026". */
export function findOrderDate(text: string, ref?: Date): string | null {
  return dateAfter(ORDER_DATE_RE, text, ref, NOT_ORDER_DATE);
}

/** "Livraison souhaitée : 27/11/2026", "Date de livraison", "à livrer pour le", "Delivery date"; then in a sentence. */
export function findDeliveryDate(text: string, ref?: Date): string | null {
  return findLabelledDeliveryDate(text, ref) ?? findDeliveryDateInProse(text, ref);
}

/** A date right after a delivery-date label only (no sentence reading): "Date de livraison : 20.11.2026". */
export function findLabelledDeliveryDate(text: string, ref?: Date): string | null {
  return dateAfter(DELIVERY_RE, text, ref);
}

// A preposition that sets a deadline, right before a date: "pour le 25/11", "avant le 3/12", "by 03/11/2026", "bis zum 3.11.".
const DEADLINE = /(?<![\p{L}'’])(?:pour|avant|d['’]ici|by|before|bis|entro|para|antes|hasta|voor|uiterlijk)(?:[ \t]+(?:le|il|el|del|zum|dem|den|the))?[ \t]+(?=\d)/giu;

// An e-mail's own header and attribution lines: the dates there say when a message was sent.
const MAIL_HEADER_LINE = /a écrit|wrote|schrieb|ha scritto|escribi[óo]|schreef|^[ \t>*]*(?:sent|envoy[ée]|gesendet|inviato|enviado|verzonden|date|datum|data|fecha)[ \t*]*:/iu;

/**
 * "… et 29 CRO-S pour le 25/11, à livrer au …", "Pour le 13/10/2026 si possible.": in an order a
 * person typed, a date after a preposition of deadline is when the goods are wanted, delivery word
 * or not. Never on an e-mail's own header or quote lines ("Le 12/11/2026 à 10:42, X a écrit").
 * Not for printed documents, whose footers set other deadlines ("à régler avant le …").
 */
export function findDeadline(raw: string, ref?: Date): string | null {
  for (const line of unleader(raw).split('\n')) {
    if (MAIL_HEADER_LINE.test(line)) continue;
    DEADLINE.lastIndex = 0;
    for (let m = DEADLINE.exec(line); m; m = DEADLINE.exec(line)) {
      const d = findDates(line.slice(m.index + m[0].length), ref)[0];
      if (d && d.index === 0) return d.iso;
    }
  }
  return null;
}

// A verb or noun of delivery, then (in the same sentence) a preposition right before a date.
const DELIVERY_WORD = /(?<![\p{L}])(?:livr(?:er|ez|ée?s?|aison)|deliver(?:y|ed)?|liefer(?:n|ung)|anliefern|consegn(?:a|are|ate|ata)|entreg(?:a|ar|ad|ada)|lever(?:en|ing))(?![\p{L}])/giu;
// A deadline adverb may stand between ("bis spätestens 02.12.2026", "no later than 03/11/2026").
const BEFORE_DATE = /(?:^|[\s,])(?:(?:pour|avant|le|by|on|before|bis|zum|am|entro|il|para|antes|del|el|op|voor|uiterlijk)(?:[ \t]+(?:sp[äa]testens|uiterlijk|at[ \t]+the[ \t]+latest))?|no[ \t]+later[ \t]+than)[ \t]*$/iu;

/**
 * "Merci de nous livrer les articles suivants pour le 10/12/26", "please deliver the goods below by
 * 03/11/2026", "bitte liefern Sie bis zum 3.11.2026": the first date after a delivery word, in the
 * same sentence (80 characters at most), right after a preposition saying when.
 */
export function findDeliveryDateInProse(raw: string, ref?: Date): string | null {
  const text = unleader(raw);
  DELIVERY_WORD.lastIndex = 0;
  for (let m = DELIVERY_WORD.exec(text); m; m = DELIVERY_WORD.exec(text)) {
    let after = text.slice(m.index + m[0].length, m.index + m[0].length + 80);
    const stop = after.search(/\n|[.!?;](?:\s|$)/);
    if (stop >= 0) after = after.slice(0, stop + 1);
    const d = findDates(after, ref)[0];
    if (d && BEFORE_DATE.test(after.slice(0, d.index))) return d.iso;
  }
  return null;
}

/** A date printed on the document that no field took, with the text that prints it. */
export interface LooseDate {
  iso: string;
  text: string;
}

// An e-mail's own header lines (quoted "Le 12/11/2026 à 10:42, X a écrit", "Sent: …") date the mail, not the order.
const MAIL_DATE_LINE = /\d{1,2}[:h]\d{2}(?!\d)|a écrit|wrote|schrieb|ha scritto|escribi[óo]|schreef/iu;

/**
 * Dates the text prints with their year, other than `known` (the values the readers took): what an
 * unknown label may have held. Lines of an e-mail's own headers and quotes are left out.
 */
export function looseDates(text: string, known: (string | null | undefined)[], ref?: Date): LooseDate[] {
  const out: LooseDate[] = [];
  for (const line of text.split('\n')) {
    if (MAIL_DATE_LINE.test(line)) continue;
    for (const d of findDates(line, ref)) {
      if (d.yearInferred || known.includes(d.iso) || out.some((o) => o.iso === d.iso)) continue;
      out.push({ iso: d.iso, text: line.slice(d.index, d.index + d.length) });
    }
  }
  return out;
}

const WEEKDAYS: Record<string, number> = {
  dimanche: 0, lundi: 1, mardi: 2, mercredi: 3, jeudi: 4, vendredi: 5, samedi: 6,
  sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6,
  sonntag: 0, montag: 1, dienstag: 2, mittwoch: 3, donnerstag: 4, freitag: 5, samstag: 6,
  domenica: 0, lunedì: 1, lunedi: 1, martedì: 2, martedi: 2, mercoledì: 3, mercoledi: 3, giovedì: 4, giovedi: 4, venerdì: 5, venerdi: 5, sabato: 6,
  domingo: 0, lunes: 1, martes: 2, miércoles: 3, miercoles: 3, jueves: 4, viernes: 5, sábado: 6, sabado: 6,
  zondag: 0, maandag: 1, dinsdag: 2, woensdag: 3, donderdag: 4, vrijdag: 5, zaterdag: 6,
};
// A preposition ("pour lundi", "by Friday") or a word of delivery right before the day ("à livrer mardi", "Lieferung Freitag").
const RELATIVE_DAY = new RegExp(`(?<![\\p{L}])(?:pour|avant|d'ici|for|by|before|bis|zum|entro|per|para|antes\\s+del|hasta\\s+el|voor|uiterlijk|livrer|livraison|deliver|delivery|lieferung|liefern|consegna|consegnare|entrega|entregar|levering|leveren)[ \\t]+(?:(?:le|on|am|il|el|op)[ \\t]+)?(${Object.keys(WEEKDAYS).join('|')})(?![\\p{L}])`, 'iu');

/**
 * "… pour lundi", "by Friday": the next such weekday after the day it was sent (never that day
 * itself). A reading of intent, not a printed date: its evidence says so and flags it.
 */
export function findRelativeDeliveryDay(text: string, ref: Date): { iso: string; words: string } | null {
  const m = RELATIVE_DAY.exec(text);
  if (!m) return null;
  const want = WEEKDAYS[(m[1] ?? '').toLowerCase()];
  if (want === undefined) return null;
  const d = new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth(), ref.getUTCDate()));
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() !== want);
  return { iso: d.toISOString().slice(0, 10), words: m[0] };
}

// ------------------------------------------------------------------ day or month first

/** An order printed in English: at least three of its words, and more of them than of another language's. */
export function isEnglishOrder(text: string): boolean {
  const en = new Set([...text.matchAll(ENGLISH_ORDER_WORDS)].map((m) => m[0].toLowerCase().replace(/\s+/g, ' '))).size;
  const other = new Set([...text.matchAll(NOT_ENGLISH_ORDER_WORDS)].map((m) => m[0].toLowerCase())).size;
  return en >= 3 && en > other;
}

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/**
 * On an order printed in English, an all-numeric date such as "12/05/2026" is 5 December in the US
 * and 12 May in the UK. The readers take it day first; here the document settles it: another of its
 * dates that can only be read one way ("11/23/2026"), or an order date that fits the day the order
 * was received one way only. Settled month first, the values are read again; not settled, the field
 * is flagged with both readings. Orders in other languages write day first and are left alone.
 */
export function settleDayMonth(draft: DraftOrder, text: string, received?: Date): void {
  const ev = (draft.evidence ??= {});
  const fields = (['orderDate', 'requestedDeliveryDate'] as const).filter((f) => draft[f] && ev[f]?.source === 'document' && ambiguousPrints(text, draft[f]!, received).length);
  if (!fields.length || !isEnglishOrder(text)) return;
  const shown = dayMonthOrder(text);
  let settled = shown.order ? { order: shown.order, why: `the document prints « ${shown.witness} »` } : null;
  const day = received && !Number.isNaN(received.getTime()) ? received.toISOString().slice(0, 10) : null;
  if (!settled && day && fields.includes('orderDate')) {
    // Days from each reading to the receipt: within a month before it fits; within a week is how
    // orders are sent. The two readings of one print lie four weeks apart at least.
    const before = (iso: string | null, most: number) => !!iso && dayNumber(day) - dayNumber(iso) >= -1 && dayNumber(day) - dayNumber(iso) <= most;
    const other = swapDayMonth(draft.orderDate!);
    const [dayFirst, monthFirst] = [before(draft.orderDate!, 31), before(other, 31)];
    const [dayWeek, monthWeek] = [before(draft.orderDate!, 7), before(other, 7)];
    if (dayFirst !== monthFirst) settled = { order: monthFirst ? 'mdy' : 'dmy', why: `only that reading puts the order date just before the day it was received (${day})` };
    else if (dayWeek !== monthWeek) settled = { order: monthWeek ? 'mdy' : 'dmy', why: `only that reading puts the order date in the week before the day it was received (${day})` };
  }
  for (const f of fields) {
    const value = draft[f]!;
    const printed = ambiguousPrints(text, value, received)[0]!;
    const other = swapDayMonth(value);
    if (!settled) {
      ev[f] = { ...ev[f]!, text: printed, flag: `« ${printed} » reads ${value} day first or ${other} month first, and nothing on the document says which` };
      continue;
    }
    if (settled.order === 'mdy' && other) draft[f] = other;
    ev[f] = { ...ev[f]!, text: printed, corroboratedBy: [...(ev[f]!.corroboratedBy ?? []), `${settled.order === 'mdy' ? 'month' : 'day'} first: ${settled.why}`] };
  }
}

// ------------------------------------------------------------------ customer evidence

const VAT_RE = /\b(FR\s?[0-9A-Z]{2}\s?\d{3}\s?\d{3}\s?\d{3}|BE\s?0?\d{3}[\s.]?\d{3}[\s.]?\d{3}|DE\s?\d{3}\s?\d{3}\s?\d{3}|(?:AT|BG|CY|CZ|DK|EE|EL|ES|FI|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|CH|GB)\s?[0-9A-Z]{8,12})\b/g;
const SIRET_RE = /\b(?:siret|siren)\s*(?:n[°ºo]\.?\s*)?(?:[:.]\s*)?(\d[\d\s.]{7,19}\d)/gi;
const SIRET_BARE_RE = /\b(\d{3}\s?\d{3}\s?\d{3}\s?\d{5})\b/g;
const EMAIL_RE = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE_NUMBER = '(\\+?\\d[\\d\\s.()/-]{7,20}\\d)';
const FAX_RE = new RegExp(`\\b(?:fax|t[ée]l[ée]copie|t[ée]l[ée]copieur|facsimile)\\b\\s*(?:n[°ºo]\\.?\\s*)?(?:[:.]\\s*)?${PHONE_NUMBER}`, 'gi');
const PHONE_RE = new RegExp(`\\b(?:t[ée]l(?:[ée]phone)?|tel|phone|portable|mobile|ligne\\s+directe|standard)\\b\\.?\\s*(?:n[°ºo]\\.?\\s*)?(?:[:.]\\s*)?${PHONE_NUMBER}`, 'gi');

export interface EvidenceOptions {
  /** Email domains that are ours (the mailbox the order was sent to): never the customer's. */
  ourDomains?: string[];
  /** Phone and fax numbers that are ours. */
  ourPhones?: string[];
}

function all(re: RegExp, text: string, group = 1): string[] {
  re.lastIndex = 0;
  const out: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push((m[group] ?? m[0]).trim());
  return out;
}

/** Prefer the candidate that names a known customer; else the first, so the problem can show it. */
function pick(candidates: string[], known: (v: string) => boolean): string | null {
  return candidates.find(known) ?? candidates[0] ?? null;
}

/**
 * Everything in the text that can identify the buyer (VAT, SIRET, email addresses, fax and phone
 * numbers, a customer's name), leaving out what is ours: our VAT/SIRET/name (company.csv) and the
 * domains and numbers the caller says are ours, so a quoted reply with our signature is harmless.
 */
export function findCustomerEvidence(text: string, md: MasterData, opts: EvidenceOptions = {}): CustomerEvidence {
  const ourDomains = (opts.ourDomains ?? []).map((d) => d.toLowerCase());
  const ourPhones = new Set((opts.ourPhones ?? []).map((p) => normalisePhone(p)).filter(Boolean));
  const notOurPhone = (p: string) => !ourPhones.has(normalisePhone(p));

  const vats = all(VAT_RE, text).filter((v) => normaliseVat(v) && !md.isOurs({ vat: v }));
  const sirets = [...all(SIRET_RE, text), ...all(SIRET_BARE_RE, text)].filter((s) => normaliseSiret(s) && !md.isOurs({ siret: s }));
  const emails = all(EMAIL_RE, text, 0).filter((e) => {
    const domain = e.split('@')[1]?.toLowerCase() ?? '';
    return !ourDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
  });
  const faxes = all(FAX_RE, text).filter((p) => normalisePhone(p) && notOurPhone(p));
  const phones = all(PHONE_RE, text).filter((p) => normalisePhone(p) && notOurPhone(p));

  const ev: CustomerEvidence = {};
  const vat = pick(vats, (v) => !!md.customerByVat(v));
  if (vat) ev.vatNumber = normaliseVat(vat);
  const siret = pick(sirets, (s) => !!md.customerBySiret(s));
  if (siret) ev.siret = normaliseSiret(siret);
  const email = pick(emails, (e) => !!md.customerByEmail(e));
  if (email) ev.email = email.toLowerCase();
  const fax = pick(faxes, (p) => !!md.customerByPhone(p));
  if (fax) ev.fax = fax.replace(/\s+/g, ' ');
  const phone = pick(phones, (p) => !!md.customerByPhone(p));
  if (phone) ev.phone = phone.replace(/\s+/g, ' ');
  const name = findCustomerName(text, md);
  if (name) ev.name = name;
  const gln = findGlns(text, md).find((g) => !md.isOurs({ gln: g }) && (md.customerByGln(g) || md.addressByGln(g)));
  if (gln) ev.gln = gln;
  return ev;
}

const GLN_RE = /(?<!\d)(\d{13})(?!\d)/g;

/** 13-digit numbers that master data knows as a GLN (a customer's or one of its addresses'), in reading order. */
export function findGlns(text: string, md: MasterData): string[] {
  return all(GLN_RE, text).filter((g) => !!md.customerByGln(g) || !!md.addressByGln(g) || g === md.company.edifactGln);
}

/** A customer's name written in the text, when exactly one customer is named (signatures, letterheads). */
export function findCustomerName(text: string, md: MasterData): string | null {
  const folded = ` ${foldName(text)} `;
  const named = md.customers.filter((c) => {
    const n = foldName(c.name);
    return n.length >= 6 && folded.includes(` ${n} `);
  });
  return named.length === 1 ? (named[0]?.name ?? null) : null;
}

// ------------------------------------------------------------------ ship-to

const SHIP_TO_LABEL = new RegExp(`^[ \\t>]*(${SHIP_TO_LABELS.join('|')})(?![\\p{L}])[ \\t]*(?:[:.][ \\t]*)?(.*)$`, 'gimu');
// A bare "Livraison" or "Entrega" opens an address only with a colon or alone on its line ("Livraison souhaitée le…" is a date).
const BARE_SHIP_TO = /^(?:livraison|delivery|consegna|entrega|levering)$/i;
const USUAL = USUAL_ADDRESS;
const POSTAL_CITY = /^(?:(F|FR|B|BE|D|DE|CH|I|IT|E|ES|NL|L|LU|A|AT)[- ])?(\d{4} ?[A-Z]{2}(?![\p{L}])|\d{4,5})\s+(\p{L}[\p{L}'’.-]*(?:\s+[\p{L}'’.-]+)*?)(?:\s+(?:cedex|CEDEX)(?:\s*\d+)?)?(?:\s*[,-]\s*(France|Belgique|Belgium|Allemagne|Germany|Deutschland|Suisse|Schweiz|Switzerland|Italie|Italia|Italy|Espagne|Espa[ñn]a|Spain|Pays-Bas|Nederland|Netherlands|Luxembourg|Autriche|[ÖO]sterreich|Austria))?\s*$/u;
const STREET_WORD = /^\d|^(?:rue|avenue|av\.|bd|boulevard|chemin|route|place|quai|all[ée]e|impasse|zi|za|zac|parc|lieu-dit|via|viale|piazza|calle|avenida|plaza|pol[íi]gono|carrer|straße|strasse|weg|str\.|platz|laan|straat|plein|gracht)\b|(?:stra(?:ß|ss)e|str\.|weg|laan|straat)\s+\d/i;
const COUNTRY_LINE = /^(?:France|Belgique|Belgium|Allemagne|Germany|Deutschland|Suisse|Schweiz|Switzerland|Italie|Italia|Italy|Espagne|Espa[ñn]a|Spain|Pays-Bas|Nederland|Netherlands|Luxembourg|Autriche|[ÖO]sterreich|Austria)$/i;
const NOT_SHIP_TO_START = new RegExp(`^(?:${NOT_SHIP_TO_LABELS.join('|')})(?![\\p{L}])`, 'iu');
const NEXT_FIELD = /^[\p{L} .'’/-]{2,30}\s*:/u;

export type ShipToText = Partial<Address> & { usual?: boolean };

/** Where a ship-to was read: the label and the lines it was built from (evidence). */
export interface ShipToReading {
  label: string;
  lines: string[];
}

/**
 * The delivery address written after its label ("Livrer à", "Adresse de livraison", "Ship to",
 * "Lieferadresse", "Indirizzo di consegna", "Dirección de entrega", "Afleveradres"…): name, street,
 * postal code and city, on several lines or on one ("Lieu de livraison : 14 rue X, 69200 Vénissieux,
 * France"). "Adresse habituelle" → { usual: true }. Null when the text names no delivery place.
 */
export function findShipTo(text: string, md?: MasterData, found?: ShipToReading[]): ShipToText | null {
  SHIP_TO_LABEL.lastIndex = 0;
  for (let m = SHIP_TO_LABEL.exec(text); m; m = SHIP_TO_LABEL.exec(text)) {
    const label = m[1] ?? '';
    const rest = (m[2] ?? '').trim();
    if (BARE_SHIP_TO.test(label) && rest && !/[:.]\s*$/.test(m[0].slice(0, m[0].length - (m[2] ?? '').length))) continue;
    if (rest && findDates(rest).length > 0 && !POSTAL_CITY.test(rest.split(',').pop()!.trim())) continue; // "Livraison le 27/11"
    const start = m.index + m[0].length - (m[2] ?? '').length;
    const lines: string[] = [];
    const rows = text.slice(start).split(/\r?\n/);
    for (const [i, raw] of rows.entries()) {
      const l = countryOutOfParens(raw.replace(/^[>\s]+/, '').trim());
      if (!l) {
        if (lines.length) break;
        continue;
      }
      if (lines.length && (NEXT_FIELD.test(l) || l.includes('\t') || NOT_SHIP_TO_START.test(l))) break; // next labelled field
      lines.push(l);
      if (POSTAL_CITY.test(l)) {
        // "71636 Ludwigsburg" then "Deutschland": the country line under the town belongs to the address.
        const next = (rows[i + 1] ?? '').replace(/^[>\s]+/, '').trim();
        if (COUNTRY_LINE.test(next)) lines.push(next);
        break;
      }
      if (lines.length >= 6 || (lines.length === 1 && postalCityIn(l))) break;
    }
    if (lines.length === 0) continue;
    if (USUAL.test(lines.join(' '))) return { usual: true };
    const out = addressFromLines(lines, md);
    if (!out) continue;
    found?.push({ label, lines });
    return out;
  }
  return USUAL.test(text) ? { usual: true } : (shipToInSentence(text, md, found) ?? null);
}

const SHIP_TO_IN_SENTENCE = new RegExp(`(?<![\\p{L}])(${SHIP_TO_LABELS.join('|')})(?![\\p{L}])[ \\t]*:?[ \\t]*`, 'giu');

/**
 * "…, cde 886, livraison ZI Molina La Chazotte, 42650 Saint-Jean-Bonnefonds. Merci": a delivery
 * label inside a sentence, followed in the same sentence by an address that holds a postal code
 * and a town. Never a billing label's address, nor one with no town.
 */
function shipToInSentence(text: string, md: MasterData | undefined, found: ShipToReading[] | undefined): ShipToText | null {
  SHIP_TO_IN_SENTENCE.lastIndex = 0;
  for (let m = SHIP_TO_IN_SENTENCE.exec(text); m; m = SHIP_TO_IN_SENTENCE.exec(text)) {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 160).split('\n')[0]!;
    const end = rest.search(/\.(?:\s|$)/);
    const sentence = (end >= 0 ? rest.slice(0, end) : rest).trim();
    if (!sentence || !postalCityIn(sentence) || findDates(sentence).length) continue;
    const out = addressFromLines([sentence], md);
    if (!out?.postalCode) continue;
    found?.push({ label: (m[1] ?? '').trim(), lines: [sentence] });
    return out;
  }
  return null;
}

// A house number before its street word ("14 rue"), or the street word itself ("Route de Vienne").
const STREET_START = /(?<![\p{L}])(?:\d{1,4}(?:[ ,]+(?:bis|ter))?[ ,]+(?=\p{L})|(?:rue|avenue|av\.|bd|boulevard|chemin|route|place|quai|all[ée]e|impasse|zi|za|zac|via|viale|piazza|calle|avenida|plaza)(?![\p{L}]))/iu;
const TRAILING_POSTAL = /(?<![\p{L}\d])(?:(?:F|FR|B|BE|D|DE|CH|I|IT|E|ES|NL|L|LU|A|AT)-)?\d{4,5}[ \t]+\p{L}/u;

function splitOneLine(line: string): string[] {
  // Commas, or spaced dashes ("Dépôt Sud - 14 rue X - 69200 Lyon - France"), part it; a part that
  // still holds a street and its town ("Dépôt Sud 14 rue X 69200 Lyon": typed in one go, or a
  // cell whose line breaks were lost) is cut before its street and before its postal code.
  const parts = line.includes(',') ? line.split(',') : / [-–] /.test(line) ? line.split(/ [-–] /) : [line];
  return parts.map((x) => x.trim()).filter(Boolean).flatMap(splitStreetTown);
}

function splitStreetTown(part: string): string[] {
  if (POSTAL_CITY.test(part)) return [part];
  const pc = TRAILING_POSTAL.exec(part);
  if (!pc || pc.index === 0) return [part];
  const head = part.slice(0, pc.index).trim();
  const out: string[] = [];
  const street = STREET_START.exec(head);
  if (street && street.index > 0) out.push(head.slice(0, street.index).trim(), head.slice(street.index).trim());
  else out.push(head);
  out.push(part.slice(pc.index).trim());
  return out.filter(Boolean);
}

/** "48450 Etxebarri (España)" → "48450 Etxebarri, España": a country in brackets after the town. */
export function countryOutOfParens(line: string): string {
  if (!line.endsWith(')')) return line;
  const open = line.lastIndexOf('(');
  const inside = open >= 0 ? line.slice(open + 1, -1).trim() : '';
  return COUNTRY_LINE.test(inside) ? `${line.slice(0, open).trimEnd()}, ${inside}` : line;
}

/** A postal code and town inside a one-line address (after a comma, a spaced dash, or a street). */
function postalCityIn(line: string): boolean {
  return splitOneLine(countryOutOfParens(line)).some((p) => POSTAL_CITY.test(p.trim()));
}

/**
 * Lines of an address block (or one line with commas) → name, street, postal code, city, country;
 * null when it is our own address (an "enlèvement", a pickup at our premises, never a ship-to).
 */
export function addressFromLines(block: string[], md?: MasterData): ShipToText | null {
  // "14 rue Jean Moulin, 69200 Vénissieux, France" on one line: each comma a line; without commas,
  // "Dépôt Sud Route de Vienne 69008 Lyon" is cut before its street word and its postal code.
  const lines = block.length === 1 ? splitOneLine(countryOutOfParens(block[0]!)) : block.map(countryOutOfParens);
  const out: ShipToText = {};
  const pcIndex = lines.findIndex((l) => POSTAL_CITY.test(l));
  if (pcIndex >= 0) {
    const pc = POSTAL_CITY.exec(lines[pcIndex] ?? '')!;
    out.postalCode = pc[2] ?? null;
    out.city = (pc[3] ?? '').trim() || null;
    const countryWord = pc[4] ?? lines.slice(pcIndex + 1).find((l) => COUNTRY_LINE.test(l));
    out.country = countryOf(pc[1], countryWord, pc[2] ?? '');
    const before = lines.slice(0, pcIndex);
    if (before.length >= 2) {
      const streetAt = before.findIndex((l, i) => i > 0 && STREET_WORD.test(l));
      const cut = streetAt > 0 ? streetAt : 1;
      out.name = before.slice(0, cut).join(', ');
      out.street = before.slice(cut).join(', ');
    } else if (before.length === 1) {
      // One line before the city: a street if it starts with a number or a street word, else a name.
      const l = before[0] ?? '';
      if (STREET_WORD.test(l)) out.street = l;
      else out.name = l;
    }
  } else {
    out.name = lines[0] ?? null;
    if (lines.length > 1) out.street = lines.slice(1).join(', ');
  }
  // Our own address after "Livrer à" is an enlèvement (pickup), never the customer's ship-to.
  if (md && out.postalCode === md.company.postalCode && out.street && foldName(out.street) === foldName(md.company.street)) return null;
  return out;
}

function countryOf(prefix: string | undefined, word: string | undefined, postalCode: string): string | null {
  const p = (prefix ?? '').toUpperCase();
  const w = (word ?? '').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  if (p === 'B' || p === 'BE' || w.startsWith('belg')) return 'BE';
  if (p === 'D' || p === 'DE' || w.startsWith('allem') || w.startsWith('germ') || w.startsWith('deut')) return 'DE';
  if (p === 'CH' || w.startsWith('suisse') || w.startsWith('schweiz') || w.startsWith('switz')) return 'CH';
  if (p === 'I' || p === 'IT' || w.startsWith('itali')) return 'IT';
  if (p === 'E' || p === 'ES' || w.startsWith('espa') || w === 'spain') return 'ES';
  if (p === 'NL' || w.startsWith('pays-bas') || w.startsWith('nederl') || w.startsWith('nether')) return 'NL';
  if (p === 'L' || p === 'LU' || w === 'luxembourg') return 'LU';
  if (p === 'A' || p === 'AT' || w.startsWith('autri') || w.startsWith('oster') || w === 'austria') return 'AT';
  if (p === 'F' || p === 'FR' || w === 'france') return 'FR';
  return /^\d{5}$/.test(postalCode) ? 'FR' : null;
}

// ------------------------------------------------------------------ purpose and copies

const REPLACE = /annule\s+(?:et|&)\s+remplace|remplace\s+(?:la|notre)\s+(?:commande|cde|bc)|commande\s+modifi[ée]e|modification\s+(?:de|d['’]une|de\s+la)\s+(?:commande|cde)|modificatif|rectificati(?:f|ve)|amended\s+(?:purchase\s+)?order|revised\s+(?:purchase\s+)?order|order\s+(?:change|amendment)|replaces\s+(?:our\s+)?(?:purchase\s+)?order/i;
const CANCEL = /annulation\s+(?:de\s+(?:la\s+|notre\s+)?)?(?:commande|cde|bc)|annul(?:ez|er)\s+(?:la|notre)\s+(?:commande|cde)|merci\s+d['’]annuler|commande\s+annul[ée]e|cancel(?:lation\s+of|led)?\s+(?:our\s+|the\s+)?(?:purchase\s+)?order|order\s+cancel(?:l)?ation/i;

/** "annule et remplace", "commande modifiée" → replace; "annulation de commande" → cancel; else null. */
export function findPurpose(text: string): Purpose | null {
  if (REPLACE.test(text)) return 'replace';
  if (CANCEL.test(text)) return 'cancel';
  return null;
}

const COPY_SIGNALS: [RegExp, string][] = [
  [/(?<![\p{L}])(?:COPIE|Copie\s+(?:de\s+(?:la\s+)?commande|conforme))(?![\p{L}])/u, 'marked COPIE'],
  [/(?<![\p{L}])DUPLICATA(?![\p{L}])|\bduplicata\b/u, 'marked DUPLICATA'],
  [/(?<![\p{L}])COPY(?![\p{L}])/u, 'marked COPY'],
  [/confirmation\s+(?:de\s+(?:notre\s+|la\s+)?)?commande|pour\s+confirmation|order\s+confirmation|confirming\s+(?:our\s+)?order/i, 'confirmation of an order'],
  [/(?:transmise?|envoy[ée]e?|pass[ée]e?|re[çc]ue?)\s+(?:par|via|en)\s+EDI|d[ée]j[àa]\s+(?:transmise?|envoy[ée]e?|pass[ée]e?)|(?:sent|transmitted)\s+(?:via|by)\s+EDI|already\s+sent/i, 'already sent by another channel'],
  [/(?:envoy[ée]e?|transmise?)\s+par\s+fax|(?:sent|faxed)\s+by\s+fax|d[ée]j[àa]\s+faxée?/i, 'also sent by fax'],
];

/** Signals that this document repeats an order sent elsewhere (for deduplication and review). */
export function findCopySignals(text: string): string[] {
  return COPY_SIGNALS.filter(([re]) => re.test(text)).map(([, s]) => s);
}

/** Currency written in the text (EUR is the default later, once the customer is known). */
const CURRENCY_TOKEN = /€|£|\$|\b(?:EUR|CHF|GBP|USD)\b|\beuros?\b/giu;
const CURRENCY_CODE: Record<string, string> = { '€': 'EUR', eur: 'EUR', euro: 'EUR', euros: 'EUR', chf: 'CHF', '£': 'GBP', gbp: 'GBP', $: 'USD', usd: 'USD' };
const ORDER = ['EUR', 'CHF', 'GBP', 'USD'];

/** The currencies the text prints beside a number ("12,50 €", "CHF 3.02") and those it only names, euro first; one pass. */
function findCurrencies(text: string): { onAmounts: string[]; named: string[] } {
  const onAmounts = new Set<string>();
  const named = new Set<string>();
  for (const m of text.matchAll(CURRENCY_TOKEN)) {
    const code = CURRENCY_CODE[m[0].toLowerCase()];
    // Lower-case codes ("chf") are words, not currencies; "euro(s)" is a word in any case.
    if (!code || (/^[a-z]{3}$/u.test(m[0]) && m[0] !== 'eur')) continue;
    named.add(code);
    const before = text.slice(Math.max(0, m.index - 2), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    if (/\d\s?$/u.test(before) || /^\s?\d/u.test(after)) onAmounts.add(code);
  }
  return { onAmounts: ORDER.filter((c) => onAmounts.has(c)), named: ORDER.filter((c) => named.has(c)) };
}

/**
 * The order's currency as printed, with how it was read: the one printed beside amounts (else the one
 * named), flagged when the amounts, or the names when no amount carries one, are in several
 * currencies (nothing says which). Nothing printed: no value (resolve decides, with its evidence).
 */
export function readCurrency(text: string): { value: string | null; evidence?: ReadEvidence } {
  const { onAmounts, named } = findCurrencies(text);
  const found = onAmounts.length ? onAmounts : named;
  if (found.length === 0) return { value: null };
  const where = onAmounts.length ? 'beside amounts' : 'named';
  return { value: found[0]!, evidence: { source: 'document', rule: `currency printed ${where}`, text: found.join(', '), flag: found.length > 1 ? `is one of several currencies the document prints ${where} (${found.join(', ')})` : null } };
}
