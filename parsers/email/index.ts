// An email → its orders: the order typed in the body (text or HTML), the orders inside its
// attachments (each extracted by its own parser, with the email as context), and those of attached
// or forwarded messages. Who the customer is comes from the sender, or, when the sender is one of
// us or a fax gateway, from the forwarded author or the caller's fax number.
import { withPricesEvidence } from '../text/prices';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { foldName, type MasterData } from '../../domain/masterdata';
import { problem, type DocumentResult, type OrderLine, type Problem } from '../../domain/order';
import type { CustomerEvidence, DraftOrder } from '../../domain/resolve';
import { sniff } from '../sniff';
import { boundText, boundTextProblems } from '../caps';
import { findCopySignals, findCustomerEvidence, findDates, findOrderDate, findPoNumber, findPurpose, parseOrderLines, readOrderText, unreadLinesProblem, WEEKDAY_FROM_SENT, type SentAt } from '../text/index';
import type { ParseContext, Parser } from '../types';
import { detectFaxGateway, type FaxGateway } from './fax';
import { htmlToText } from './html';
import { cutAttachedMessages } from './mime';
import { splitSegments, type Segment } from './segments';

const FREEMAIL = /^(?:gmail\.com|googlemail\.com|hotmail\.[a-z.]+|outlook\.[a-z.]+|live\.[a-z.]+|yahoo\.[a-z.]+|orange\.fr|wanadoo\.fr|free\.fr|sfr\.fr|neuf\.fr|laposte\.net|bbox\.fr|icloud\.com|gmx\.[a-z.]+|aol\.com)$/i;
const REPLY_SUBJECT = /^\s*(?:re|r[ée]f|aw|sv|antw)\s*:/i;
const FORWARD_SUBJECT = /^\s*(?:tr|fwd?|wg|transf|fw)\s*:/i;
const ATTACHMENT_WORDS = /ci[- ]?joint|pi[èe]ce[s]?[- ]jointe|en\s+PJ\b|\bPJ\s*:|attached|attachment|enclosed|anbei|im\s+anhang|anlage|allegat[oa]|in\s+allegato|adjunt[oa]|bijlage|bijgevoegd/i;
// A confidentiality notice ("Ce message et toutes les pièces jointes sont confidentiels…") names attachments of any message.
const DISCLAIMER = /confidenti|destinataire|intended\s+recipient|vertraulich|riservat|confidencial|vertrouwelijk|disclaimer|avant\s+d['’]imprimer|before\s+printing/i;

/** The text without its paragraphs of legal notice, which speak of every message, not of this one. */
export function withoutDisclaimers(text: string): string {
  return text
    .split(/\n[ \t]*\n/)
    .filter((p) => !DISCLAIMER.test(p))
    .join('\n\n');
}
const NESTED_KINDS = new Set(['pdf', 'tiff', 'png', 'jpeg', 'x12', 'edifact', 'api-json', 'email']);
const EXTENSIONS: Record<string, string> = { pdf: 'pdf', tiff: 'tif', png: 'png', jpeg: 'jpg', x12: 'x12', edifact: 'edi', 'api-json': 'json', email: 'eml', text: 'txt' };

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  if (!a) return [];
  return (Array.isArray(a) ? a : [a]).flatMap((o) => o.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean);
}

function domainOf(address: string): string {
  return address.split('@').pop()?.toLowerCase() ?? '';
}

/**
 * Our own mail domains: those the channel names (mailbox, ourDomains), and the recipients' domains
 * that are neither a known customer's nor a public mailbox (the message was sent to us), plus any
 * domain spelling our company name ("fixations-rhone-alpes.fr").
 */
function ourDomains(md: MasterData, mail: ParsedMail, context: Record<string, string>): string[] {
  const set = new Set<string>();
  for (const d of (context.ourDomains ?? '').split(',')) if (d.trim()) set.add(d.trim().toLowerCase());
  if (context.mailbox?.includes('@')) set.add(domainOf(context.mailbox));
  const slug = foldName(md.company.name).replace(/ /g, '');
  const all = [...addresses(mail.to), ...addresses(mail.cc), ...addresses(mail.from), ...addresses(mail.replyTo)];
  for (const a of all) {
    const d = domainOf(a);
    const label = d.split('.').slice(0, -1).join('').replace(/[^a-z0-9]/g, '');
    if (slug.length >= 6 && (label === slug || (label.length >= 6 && slug.startsWith(label)))) set.add(d);
  }
  for (const a of addresses(mail.to)) {
    const d = domainOf(a);
    if (d && !FREEMAIL.test(d) && !md.customerByEmail(a) && !set.has(d) && !addresses(mail.from).some((f) => domainOf(f) === d)) set.add(d);
  }
  return [...set];
}

interface BodyReading {
  body: string;
  segments: Segment[];
  orderSegment: Segment | null;
  score: number;
}

function readBody(body: string, md: MasterData, isOursSegment: (s: Segment) => boolean): BodyReading {
  const segments = splitSegments(body);
  let orderSegment: Segment | null = null;
  let score = 0;
  // The customer's text first; failing that, one of us typing an order taken by phone (never
  // what we wrote earlier and the customer quotes back).
  const candidates = [...segments.filter((s) => !isOursSegment(s)), ...segments.filter((s) => isOursSegment(s) && s.kind === 'top')];
  for (const s of candidates) {
    const lines = parseOrderLines(s.text, md, { typed: true });
    const sc = lines.reduce((n, l) => n + (l.sku || l.customerPartNumber || l.ean ? 1 : 0) + (l.quantity !== null ? 1 : 0), 0);
    if (sc > 0) {
      orderSegment = s;
      score = sc;
      break;
    }
  }
  return { body, segments, orderSegment, score };
}

/** Phone numbers standing next to our own name, VAT or SIRET (a quoted signature) are ours. */
function ourPhonesIn(text: string, md: MasterData): string[] {
  const lines = text.split('\n');
  const marks = [md.company.vatNumber, md.company.siret.slice(0, 9), md.company.name.split(' ')[0] ?? ''].filter((m) => m.length >= 5).map(squeeze);
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (!marks.some((m) => squeeze(line).includes(m))) return;
    for (let k = Math.max(0, i - 2); k <= Math.min(lines.length - 1, i + 3); k++) out.push(...phoneNumbersIn(lines[k] ?? ''));
  });
  return out;
}

function squeeze(s: string): string {
  return s.replace(/[\s.]/g, '').toLowerCase();
}

function phoneNumbersIn(text: string): string[] {
  return [...text.matchAll(/(?:\+|\b0)\d[\d\s.()-]{7,18}\d/g)].map((m) => m[0]);
}

async function decode(raw: Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  for (const a of [mail.from, mail.to, mail.cc, mail.replyTo].flat()) if (a) repairMailboxes(a);
  return mail;
}

// Inside an encoded word: "=?UTF-8?B?…?=" holding "Name <addr>" whole (some mailers encode it so).
const ADDRESS_IN_NAME = /^([^<>]*)<([^<>\s@]{1,64}@[^<>\s@]{1,255})>\s*$/;

/**
 * A mailbox whose address was encoded together with its display name ("=?UTF-8?B?…?=" holding
 * "N. Fabre - Électricité Girard <acquisti@girard-elec.fr>") reaches us with an empty address and
 * the address inside the name: split it back, so that the sender's domain identifies the customer.
 */
export function repairMailboxes(a: AddressObject): void {
  for (const v of a.value) {
    if (v.address) continue;
    const m = ADDRESS_IN_NAME.exec(v.name ?? '');
    if (!m) continue;
    v.address = m[2]!;
    v.name = m[1]!.trim().replace(/^"(.*)"$/, '$1');
  }
}

/** The message with windows-1252 declared on every text part that declares no charset; null if none. */
export function labelUndeclaredCharset(raw: Buffer): Buffer | null {
  const s = raw.toString('latin1');
  let changed = false;
  let out = s.replace(/^(content-type:[ \t]*text\/(?:plain|html)\b)([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/gim, (all, head: string, params: string) => {
    if (/charset\s*=/i.test(params)) return all;
    changed = true;
    return `${head}; charset=windows-1252${params}`;
  });
  // A message with no Content-Type at all is text/plain (RFC 2045 §5.2).
  const headerEnd = out.search(/\r?\n\r?\n/);
  if (headerEnd >= 0 && !/^content-type:/im.test(out.slice(0, headerEnd))) {
    out = `Content-Type: text/plain; charset=windows-1252\r\n${out}`;
    changed = true;
  }
  return changed ? Buffer.from(out, 'latin1') : null;
}

function decodeText(b: Buffer): string {
  const utf8 = b.toString('utf8');
  // No charset on a text attachment: Windows software writes Latin-1, which is invalid UTF-8.
  return utf8.includes('\uFFFD') ? b.toString('latin1') : utf8;
}

/** What the message says about itself: who sent it for whom, where its order text is, its signals. */
interface Understanding {
  name: string;
  fromAddress: string;
  subject: string;
  domains: string[];
  gateway: FaxGateway | null;
  orderSegment: Segment | null;
  /** The customer's text (not ours), for evidence and for the PO of a cancellation. */
  customerText: string;
  customerEmail: string | null;
  customer: CustomerEvidence;
  ourPhones: string[];
  signals: string[];
  forwarded: boolean;
  ref: Date;
  /** When the customer sent it: the Date header, else the receipt time. */
  sent: SentAt | undefined;
}

/** The message's two bodies as the readers take them (parsers/limits.ts), with what was cut. */
interface Bodies {
  plain: string;
  html: string;
}

function boundBodies(mail: ParsedMail, name: string, problems: Problem[]): Bodies {
  const plain = boundText(mail.text ?? '');
  const html = boundText(typeof mail.html === 'string' ? htmlToText(mail.html) : '');
  problems.push(...boundTextProblems(plain, `${name} (text body)`, `${name} / body (text/plain)`), ...boundTextProblems(html, `${name} (HTML body)`, `${name} / body (text/html)`));
  return { plain: plain.text, html: html.text };
}

function understand(mail: ParsedMail, read: Bodies, kinds: string[], hasAttachedMessages: boolean, ctx: ParseContext): Understanding {
  const md = ctx.masterData;
  const sender = mail.from?.value[0];
  const fromAddress = (sender?.address ?? '').toLowerCase();
  const subject = mail.subject ?? '';
  const domains = ourDomains(md, mail, ctx.meta.context);
  const isOurAddress = (a: string | null) => !!a && domains.some((d) => domainOf(a) === d || domainOf(a).endsWith(`.${d}`));

  const plain = read.plain;
  const htmlBody = read.html;
  const gateway = detectFaxGateway({
    fromAddress,
    fromName: sender?.name ?? '',
    subject,
    text: plain || htmlBody,
    hasFaxImage: kinds.some((k) => k === 'tiff' || k === 'pdf' || k === 'png' || k === 'jpeg'),
  });
  const senderIsCustomerSide = !isOurAddress(fromAddress) && !gateway;
  const isOursSegment = (s: Segment) => (s.author ? isOurAddress(s.author) : s.kind === 'top' && !senderIsCustomerSide && !gateway);

  // Outlook sends both; the plain part of an HTML table is one cell per line, so the richer reading wins.
  // An HTML table keeps its columns; the plain part flattens them, so between equals the table wins.
  const bodies = htmlBody.includes('\t') ? [htmlBody, plain] : [plain, htmlBody];
  const readings = bodies.filter((b) => b.trim()).map((b) => readBody(b, md, isOursSegment));
  const best = readings.reduce<BodyReading | null>((a, r) => (!a || r.score > a.score ? r : a), null);
  const segments = best?.segments ?? [];
  const orderSegment = best?.orderSegment ?? null;
  const notOurs = segments.filter((s) => !isOursSegment(s));
  const typedByUs = !!orderSegment && isOursSegment(orderSegment);
  const ourText = segments.filter(isOursSegment).map((s) => s.text).join('\n');
  const ourPhones = [...ourPhonesIn(segments.map((s) => s.text).join('\n'), md), ...(typedByUs ? [] : phoneNumbersIn(ourText))];

  // The customer's address: the sender's; when the sender is one of us or a gateway, the author of
  // the forwarded text that holds the order, else of any forwarded text.
  let customerEmail: string | null = senderIsCustomerSide ? fromAddress || null : null;
  if (!customerEmail && orderSegment?.author && !isOurAddress(orderSegment.author)) customerEmail = orderSegment.author;
  customerEmail ??= notOurs.find((s) => s.author)?.author ?? null;
  const evidenceText = [...notOurs, ...(typedByUs && orderSegment ? [orderSegment] : [])].map((s) => s.text).join('\n');
  const customer: CustomerEvidence = {
    ...findCustomerEvidence(evidenceText, md, { ourDomains: domains, ourPhones }),
    ...(customerEmail ? { email: customerEmail } : {}),
    ...(gateway?.fax ? { fax: gateway.fax } : {}),
  };

  const signals: string[] = [];
  if (mail.inReplyTo) signals.push(`reply to ${mail.inReplyTo}`);
  const forwarded = FORWARD_SUBJECT.test(subject) || orderSegment?.kind === 'forward' || (hasAttachedMessages && !senderIsCustomerSide);
  if (forwarded) signals.push(`forwarded by ${fromAddress || 'unknown sender'}`);
  // An attached message knows it was forwarded only through its context.
  if (ctx.meta.context.forwardedBy && ctx.depth > 0) signals.push(`forwarded by ${ctx.meta.context.forwardedBy}`);
  if (typedByUs) signals.push(`typed by ${fromAddress}, one of us`);
  if (gateway) signals.push(`fax-to-email gateway (${gateway.style}${gateway.fax ? `, caller ${gateway.fax}` : ', caller withheld'})`);

  return {
    name: ctx.meta.fileName,
    fromAddress,
    subject,
    domains,
    gateway,
    orderSegment,
    customerText: notOurs.map((s) => s.text).join('\n'),
    customerEmail,
    customer,
    ourPhones,
    signals,
    forwarded,
    ref: validDate(ctx.meta.receivedAt) ?? mail.date ?? new Date(),
    sent: sentAt(mail, ctx),
  };
}

/** The order typed in the body, or a cancellation (which needs no lines); none when there is neither. */
function bodyDraft(u: Understanding, md: MasterData, problems: Problem[]): DraftOrder | null {
  const seg = u.orderSegment;
  if (seg) {
    const { draft, found } = readOrderText(seg.text, md, {
      parser: 'email-body',
      location: seg.kind === 'top' ? 'body' : `body, ${seg.kind === 'forward' ? 'forwarded' : 'quoted'} message${seg.author ? ` from ${seg.author}` : ''}`,
      ref: u.ref,
      customer: u.customer,
      subject: seg.subject && seg.subject !== u.subject ? `${u.subject}\n${seg.subject}` : u.subject,
      signals: u.signals,
      ourDomains: u.domains,
      ourPhones: u.ourPhones,
      sent: segmentSent(seg, u),
      typed: true,
    });
    const unread = unreadLinesProblem(found.unread, `${u.name} (${draft.provenance.location ?? 'body'})`);
    if (unread) problems.push(unread);
    // A forward whose original's date was not found: the Date header is the day it was forwarded.
    const ev = draft.evidence?.orderDate;
    if (u.forwarded && (seg.kind === 'top' || !seg.date)) {
      if (ev?.source === 'channel') ev.flag = "the message was forwarded and the forwarded message's own date was not found: the e-mail's Date may be later than the customer's";
      // A weekday counted from that Date may be a week late too.
      const dd = draft.evidence?.requestedDeliveryDate;
      if (dd?.rule.startsWith(WEEKDAY_FROM_SENT)) dd.flag = `"${dd.text}" names a weekday, counted from the forward's Date: the customer's message may be older`;
    }
    // "RE: Confirmation de commande" names the message answered, not this one.
    if (REPLY_SUBJECT.test(u.subject)) {
      const stale = findCopySignals(u.subject).filter((c) => !findCopySignals(seg.text).includes(c));
      draft.provenance.signals = (draft.provenance.signals ?? []).filter((x) => !stale.includes(x));
    }
    return draft;
  }
  const po = findPoNumber(u.subject) ?? findPoNumber(u.customerText);
  if (po && findPurpose(`${u.subject}\n${u.customerText}`) === 'cancel') {
    // "Annulation de notre commande n° 4512 du 12/11/2026": the order's printed date names it too.
    const orderDate = findOrderDate(`${u.subject}\n${u.customerText}`, u.ref);
    return { poNumber: po.value, orderDate, purpose: 'cancel', customer: u.customer, lines: [], provenance: { parser: 'email-body', location: 'body', signals: u.signals } };
  }
  return null;
}

export const parseEmail: Parser = async (bytes, ctx) => {
  const md = ctx.masterData;
  const name = ctx.meta.fileName;
  const problems: Problem[] = [];
  const { rest, messages } = cutAttachedMessages(bytes);
  let mail: ParsedMail;
  try {
    mail = await decode(rest);
    // 8-bit text with no charset is read as UTF-8; old French mailers wrote Windows-1252.
    if (`${mail.text ?? ''}${mail.html || ''}`.includes('\uFFFD')) {
      const relabelled = labelUndeclaredCharset(rest);
      if (relabelled) mail = await decode(relabelled);
    }
  } catch (e) {
    return { drafts: [], problems: [problem('EMAIL_UNREADABLE', `${name}: the message could not be decoded (${(e as Error).message})`, 'error', name)] };
  }
  const attachments = mail.attachments.filter((a) => a.content?.length);
  const kinds = attachments.map((a) => sniff(a.content));
  const u = understand(mail, boundBodies(mail, name, problems), kinds, messages.length > 0, ctx);
  const drafts: DraftOrder[] = [];
  const body = withPricesEvidence(bodyDraft(u, md, problems), { text: `${u.subject}\n${u.customerText}\n${u.orderSegment?.text ?? ''}`, partial: messages.length > 0 || attachments.some((a) => !a.related && a.contentDisposition !== 'inline') || problems.some((p) => p.code === 'TEXT_TOO_LONG' || p.code === 'LINE_TOO_LONG' || p.code === 'LINES_UNREAD') });
  if (body) drafts.push(body);

  // Attachments, recognised by their bytes; the email is their context.
  const context: Record<string, string> = { subject: u.subject, ourDomains: u.domains.join(',') };
  if (u.customerEmail) context.sender = u.customerEmail;
  if (u.gateway?.fax) context.fax = u.gateway.fax;
  if (mail.messageId) context.messageId = mail.messageId;
  if (u.sent?.what === DATE_HEADER) context.sentAt = u.sent.at;
  if (u.forwarded && u.fromAddress) context.forwardedBy = u.fromAddress;
  // "COPIE — déjà transmise par EDI, ne pas saisir" written in the message is said of the order it
  // carries: the attachments' orders get the signal too (a PDF copy seldom says so itself). Not from
  // the subject of a reply: "RE: Confirmation de commande" names the message answered.
  const messageSignals = findCopySignals(`${REPLY_SUBJECT.test(u.subject) ? '' : u.subject}\n${u.customerText}`);
  const attachmentSignals = [...new Set([...u.signals, ...messageSignals])];
  const resolved: DocumentResult[] = [];
  for (const [i, a] of attachments.entries()) {
    const kind = kinds[i]!;
    const fileName = a.filename ?? `piece-jointe-${i + 1}.${EXTENSIONS[kind] ?? 'bin'}`;
    const image = kind === 'png' || kind === 'jpeg';
    // Logos in signatures are inline images; a fax gateway's page images are the order itself.
    if (image && !u.gateway && (a.related || a.contentDisposition === 'inline' || a.content.length < 20_000)) continue;
    if (NESTED_KINDS.has(kind)) {
      resolved.push(await nested(ctx, a.content, fileName, context, problems, attachmentSignals));
    } else if (kind === 'text') {
      const bounded = boundText(decodeText(a.content));
      const text = bounded.text;
      problems.push(...boundTextProblems(bounded, `${name} / ${fileName}`));
      if (parseOrderLines(text, md).length) {
        drafts.push(readOrderText(text, md, { parser: 'email-attachment-text', location: fileName, ref: u.ref, customer: u.customer, subject: u.subject, signals: attachmentSignals, ourDomains: u.domains, ourPhones: u.ourPhones, sent: u.sent }).draft);
      }
    } else if (!a.related) {
      problems.push(problem('ATTACHMENT_NOT_READ', `${name}: attachment "${fileName}" (${a.contentType}) is not an order format Aiguillage reads (EDI, PDF, image, order JSON, text); an agent must open it`, 'warning', `${name} / ${fileName}`));
    }
  }
  for (const [i, m] of messages.entries()) {
    resolved.push(await nested(ctx, m.bytes, m.fileName ?? `message-joint-${i + 1}.eml`, context, problems, []));
  }

  const attachmentOrders = resolved.flatMap((r) => r.orders);
  // The body often repeats what the attached order says ("ci-joint notre commande 4500…"): keep one.
  // A body whose articles the catalog does not know ("merci de livrer les 2 palettes ci-jointes")
  // speaks of an attached order (or one forgotten), it is not an order of its own.
  const mentionsAttachment = ATTACHMENT_WORDS.test(`${u.subject}\n${withoutDisclaimers(u.customerText)}`);
  const unrecognised = (d: DraftOrder) => d.lines.length > 0 && d.lines.every((l) => !l.sku && !l.customerPartNumber && !l.ean);
  const kept = drafts.filter((d) => d.provenance.parser !== 'email-body' || !((unrecognised(d) && (mentionsAttachment || attachmentOrders.length > 0)) || attachmentOrders.some((o) => (d.poNumber && o.poNumber === d.poNumber) || sameLines(d, o.lines))));
  if (kept.length === 0 && attachmentOrders.length === 0) {
    const po = findPoNumber(u.subject) ?? findPoNumber(u.customerText);
    const parts = attachments.length + messages.length;
    const what = parts ? `neither the body nor its ${parts} attachment(s)` : 'the body holds no order lines and there is no attachment';
    // Only a message that says it attaches something, and attaches nothing, may have forgotten it.
    const forgot = parts === 0 && mentionsAttachment;
    const hint = forgot ? `; it mentions an attachment${po ? ` for order ${po.value}` : ''} but has none: perhaps it was forgotten` : po ? `; it mentions order ${po.value}` : '';
    problems.push(problem('EMAIL_NO_ORDER', `${name}: no order found in the message "${u.subject}" from ${u.fromAddress || 'an unknown sender'} (${what}${hint})`, 'error', name));
  }
  return { drafts: kept, problems, resolved };
};

async function nested(ctx: ParseContext, bytes: Buffer, fileName: string, context: Record<string, string>, problems: Problem[], signals: string[]): Promise<DocumentResult> {
  const r = await ctx.extractNested(bytes, fileName, context);
  if (r.orders.length === 0 && r.problems.length === 0) problems.push(problem('ATTACHMENT_EMPTY', `${ctx.meta.fileName}: attachment "${fileName}" holds no order`, 'info', `${ctx.meta.fileName} / ${fileName}`));
  // The attachment's reader cannot know it came through a fax gateway, a forward or a reply: say it for it.
  const orders = r.orders.map((o) => ({ ...o, provenance: { ...o.provenance, signals: [...new Set([...o.provenance.signals, ...signals])] } }));
  return { ...r, orders };
}

function sameLines(d: DraftOrder, lines: Pick<OrderLine, 'sku' | 'customerPartNumber' | 'ean' | 'quantity'>[]): boolean {
  if (!d.lines.length || d.lines.length !== lines.length) return false;
  return d.lines.every((l) => lines.some((o) => o.quantity === l.quantity && ((!!l.sku && o.sku === l.sku) || (!!l.customerPartNumber && o.customerPartNumber === l.customerPartNumber) || (!!l.ean && o.ean === l.ean))));
}

const DATE_HEADER = "the e-mail's Date header";

/** The Date header (an attached message keeps its own); a missing or absurd one gives the receipt time. */
/**
 * When the customer sent the order: a forwarded or quoted message's own date (its "Envoyé :",
 * "Gesendet:", "Date:" line or its "Le … a écrit" line) when it prints one, else the e-mail's.
 */
export function segmentSent(seg: Segment, u: Pick<Understanding, 'sent' | 'ref'>): SentAt | undefined {
  if (seg.kind === 'top' || !seg.date) return u.sent;
  const day = findDates(seg.date, u.ref)[0];
  // A day only (the time is not needed): noon UTC is that same day in Paris.
  return day ? { at: `${day.iso}T12:00:00.000Z`, what: `the ${seg.kind === 'forward' ? 'forwarded' : 'quoted'} message's date ("${seg.date.slice(0, 80)}")` } : u.sent;
}

function sentAt(mail: ParsedMail, ctx: ParseContext): SentAt | undefined {
  const received = validDate(ctx.meta.receivedAt);
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null;
  // A sender's clock days ahead of our receipt is wrong: the receipt time is then the better witness.
  if (date && (!received || date.getTime() <= received.getTime() + 86_400_000)) return { at: date.toISOString(), what: DATE_HEADER };
  if (ctx.meta.context.sentAt) return { at: ctx.meta.context.sentAt, what: DATE_HEADER };
  return received ? { at: received.toISOString(), what: 'the day it was received', byReceipt: true } : undefined;
}

function validDate(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
