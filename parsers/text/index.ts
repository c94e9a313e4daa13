// Shared understanding of order text (email bodies, PDF text, OCR'd faxes): one call that turns a
// text into a draft order, built from the finer readers that callers may also use one by one.
import type { MasterData } from '../../domain/masterdata';
import { BARE_NUMBER_LABEL, NOT_PO_BEFORE_NUMBER, ORDER_TITLE } from './labels';
import { parisDay, type CustomerEvidence, type DraftLine, type DraftOrder, type ReadEvidence } from '../../domain/resolve';
import { readCurrency, findCopySignals, findCustomerEvidence, findDeadline, findDeliveryDate, findOrderDate, findPoNumber, findPurpose, findRelativeDeliveryDay, findShipTo, findGlns, findPoCandidates, isWeakPoLabel, looseDates, settleDayMonth, type EvidenceOptions, type Labelled, type ShipToReading, type ShipToText } from './header';
import { parseOrderLines, unreadOrderLines, unreadProseMentions } from './lines';
import { boundText } from '../caps';
import { findDates, weekPrintsOf } from './dates';
import { problem, type Problem } from '../../domain/order';

export * from './numbers';
export * from './dates';
export * from './header';
export * from './lines';

export interface OrderTextOptions extends EvidenceOptions {
  /** Provenance parser name ('email-body', 'pdf-text', 'ocr'). */
  parser: string;
  location?: string | null;
  /** Date the document was received: settles two-digit and missing years. */
  ref?: Date;
  /** Evidence the channel already has (sender address, fax number): the text adds to it. */
  customer?: CustomerEvidence;
  /** Header text read separately (an email subject), searched before the body. */
  subject?: string;
  /** Extra provenance signals from the channel. */
  signals?: string[];
  /** Lines already read by the caller (an HTML table): used instead of reading the text's lines. */
  lines?: DraftLine[];
  /** When the customer sent it (e-mail Date header, fax reception): the order date when none is printed. */
  sent?: SentAt;
  /** Typed by a person (an e-mail body): "pour le 25/11" in a sentence is the delivery date. */
  typed?: boolean;
  /** The caller reads more dates after this (OCR) and settles day or month first itself, on the whole page. */
  dayMonthLater?: boolean;
}

/** The moment a document left the customer, and what says so ("the e-mail's Date header"). */
export interface SentAt {
  at: string;
  what: string;
  /** The message carried no date of its own: this is when we received it. */
  byReceipt?: boolean;
}

export interface OrderTextReading {
  draft: DraftOrder;
  /** What was read, for review and for deciding whether this text holds an order at all. */
  found: { poLabel: string | null; lines: number; shipTo: ShipToText | null; linesCut: number; firstCutLine: number; textCut: boolean; unread: string[] };
}

/** An order with lines that name a product but were not read: below review, so an agent checks them. */
export const UNREAD_LINES_CONFIDENCE = 0.6;

/**
 * Text → one draft order (the caller decides, from `found`, whether it is an order at all).
 * Channel evidence wins over evidence in the text, since a quoted signature may be anyone's.
 */
export function readOrderText(whole: string, md: MasterData, opts: OrderTextOptions): OrderTextReading {
  const { text, linesCut, firstCutLine, textCut } = boundText(whole);
  const head = opts.subject ? `${opts.subject}\n${text}` : text;
  // A numbered label wins wherever it is; between equals, the subject (written for this order) wins.
  const inSubject = opts.subject ? findPoNumber(opts.subject) : null;
  const inText = findPoNumber(text);
  const po = inSubject && inText && isWeakPoLabel(inSubject.label) && !isWeakPoLabel(inText.label) ? inText : (inSubject ?? inText);
  const lines = opts.lines ?? parseOrderLines(text, md, { typed: opts.typed });
  // Lines naming a known product that no reader understood: the order may be short; never certain then.
  // And in a typed text, quantities asked for in a sentence that no line carries.
  const unread = opts.lines ? [] : [...unreadOrderLines(text, lines, md), ...(opts.typed ? unreadProseMentions(text, lines, md) : [])];
  const shipToFound: ShipToReading[] = [];
  const shipTo = findShipTo(text, md, shipToFound);
  const fromText = findCustomerEvidence(text, md, opts);
  const customer: CustomerEvidence = { ...fromText, ...stripEmpty(opts.customer ?? {}) };
  const signals = [...(opts.signals ?? []), ...findCopySignals(head)];
  const orderDate = findOrderDate(text, opts.ref);
  const labelledDelivery = findDeliveryDate(head, opts.ref);
  const requestedDeliveryDate = labelledDelivery ?? (opts.typed ? findDeadline(text, opts.ref) : null);
  const currency = readCurrency(text);
  const draft: DraftOrder = {
    poNumber: po?.value ?? null,
    orderDate,
    requestedDeliveryDate,
    purpose: findPurpose(head) ?? 'original',
    currency: currency.value,
    customer,
    lines,
    // The lines' own confidences count once resolved (a doubt resolve answers gives its cost back), not here.
    confidence: unread.length ? UNREAD_LINES_CONFIDENCE : 1,
    provenance: { parser: opts.parser, location: opts.location ?? null, signals: [...new Set(signals)] },
    evidence: {},
  };
  if (shipTo) draft.shipTo = shipTo;
  shipToGln(draft, text, md);
  const ev = draft.evidence!;
  if (po) ev.poNumber = poEvidence(po, findPoCandidates(head), head);
  if (currency.evidence) ev.currency = currency.evidence;
  if (orderDate) ev.orderDate = { source: 'document', rule: 'printed under an order-date label' };
  else applySentDate(draft, opts.sent);
  if (requestedDeliveryDate) ev.requestedDeliveryDate = { source: 'document', rule: labelledDelivery ? 'printed under a delivery-date label' : 'a date after a word of deadline ("pour le", "by", "bis") in a sentence' };
  else weekdayDelivery(draft, head, opts);
  if (shipTo && !shipTo.usual) ev.shipTo = { source: 'document', rule: `address under "${shipToFound[0]?.label ?? 'delivery'}"`, text: shipToFound[0]?.lines.join(' / ') ?? null };
  flagLooseDates(draft, head, opts.ref);
  flagWeekDelivery(draft, head, opts.ref);
  if (!opts.dayMonthLater) settleDayMonth(draft, head, opts.ref);
  return { draft, found: { poLabel: po?.label ?? null, lines: lines.length, shipTo, linesCut, firstCutLine, textCut, unread } };
}

/** The rule of a delivery date read as a weekday counted from the day the message was sent. */
export const WEEKDAY_FROM_SENT = 'a weekday named in the text, the first such day after the message was sent';

/**
 * "… pour lundi", "bis Freitag": the first such weekday after the day the customer sent the message.
 * Counted from the message's own Date (a fact of the channel, on the customer's day in Paris), it
 * is as certain as the lines beside it, which are flagged whenever a quantity asked for gave no
 * line; counted from the receipt, beside an order date printed for another day, or followed by a
 * printed date it may contradict, it stays flagged.
 */
function weekdayDelivery(draft: DraftOrder, head: string, opts: OrderTextOptions): void {
  const sentDay = opts.sent ? parisDay(opts.sent.at) : null;
  const from = sentDay ? new Date(`${sentDay}T00:00:00Z`) : opts.ref;
  const relative = from && !Number.isNaN(from.getTime()) ? findRelativeDeliveryDay(head, from) : null;
  if (!relative) return;
  draft.requestedDeliveryDate = relative.iso;
  const after = head.slice(head.indexOf(relative.words) + relative.words.length).slice(0, 24);
  const dated = findDates(after, from).some((d) => d.index <= 3);
  const ev = (draft.evidence ??= {});
  // An order date printed for another day than the message's: which one the weekday counts from is unsaid.
  const otherDay = ev.orderDate?.source === 'document' && draft.orderDate !== sentDay;
  if (opts.typed && opts.sent && !opts.sent.byReceipt && sentDay && !dated && !otherDay) ev.requestedDeliveryDate = { source: 'document', rule: `${WEEKDAY_FROM_SENT} (${opts.sent.what}, ${sentDay})`, text: relative.words, corroboratedBy: [`${opts.sent.what}: ${opts.sent.at}`] };
  else ev.requestedDeliveryDate = { source: 'document', rule: 'a weekday named in the text, taken as the next one', text: relative.words, flag: `"${relative.words}" names a weekday, not a date` };
}

/** A name the sender gave the document apart from its text: the e-mail's subject, the attachment's file name. */
export interface DocumentName {
  /** "the attachment's file name", "the e-mail's subject". */
  what: string;
  text: string;
}

const alnumTokens = (s: string): string[] => s.toUpperCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * The names that carry the PO number as a whole run of their words ("industrie_AB26_311_C.pdf" carries
 * « AB26-311-C », "PO_807655" carries « PO-807655 »; "scan_2381.pdf" does not carry « 238 »): the
 * sender's system named the file or the message after the number, independently of the printed label.
 */
export function namesCarrying(value: string, names: readonly DocumentName[]): DocumentName[] {
  const want = alnumTokens(value);
  if (want.join('').length < 4) return [];
  return names.filter((n) => {
    const have = alnumTokens(n.text);
    for (let i = 0; i + want.length <= have.length; i++) if (want.every((w, j) => have[i + j] === w)) return true;
    return false;
  });
}

/** A line that is only a title naming an order ("COMMANDE D'ACHAT", "Purchase order", "Bestellung"): the document's title. */
const TITLE_LINE = /^[ \t]*(?:bon[ \t]+de[ \t]+commande|commande(?:[ \t]+(?:d['’]achat|fournisseur))?|purchase[ \t]+order|order|bestellung|pedido|ordine|bestelbon|bestelling|inkooporder)[ \t]*$/imu;

/** An order word a few characters before a bare label on its line: "Bon pour commande (notre n° 5142)". */
const ORDER_WORD_BEFORE = /(?:commande|order|bestellung|auftrag|pedido|ordine|bestelling)[ \t(]{1,3}(?:(?:notre|votre|our|your|unsere|ihre|nuestro|nostro|onze)[ \t]+)?$/iu;

const leadingSpaces = (line: string): number => line.length - line.trimStart().length;
/** Label, a colon or a column gap (two spaces or more, or a tab), value: a row of a header's field block. */
const FIELD_ROW = /^[ \t]*\S(?:[^ \t:]|[ \t](?=[^\s:]))*(?: {2}|\t|[ \t]?:[ \t]*\S)/u;

/**
 * An order word as the label ("Purchase order   PO-984614") is a form's field, not a sentence, when it
 * opens a row of the header's field block — label, a column gap, the value alone after it — beside
 * another such row starting at the same column ("Order Date   Nov 18, 2026"), under a document title
 * naming an order, and it is the only number a weak label prints. In a sentence ("cde 238,
 * livraison …") or with a second weak-labelled number, the doubt stays.
 */
function orderFieldUnderTitle(po: Labelled, candidates: Labelled[], texts: readonly string[]): string | null {
  const title = texts.map((t) => TITLE_LINE.exec(t)).find((m) => m);
  if (!title || new Set([...candidates, ...texts.flatMap((t) => findPoCandidates(t))].filter((c) => isWeakPoLabel(c.label)).map((c) => c.value)).size > 1) return null;
  return texts.some((t) => isFieldRow(po, t.split('\n'))) ? `a field of the header's block under the document's title « ${title[0].trim()} »` : null;
}

/**
 * The order word and its number making a line of their own, a space apart (a column gap is a field
 * row's), the first line that names an order: the document's title ("Bestellung BST-260042", "Commande CF26-0042", bexio and WinBIZ print the number
 * nowhere else), when no other number has a weak label. In a sentence ("cde 238, livraison …") or
 * under a second weak-labelled number, the doubt stays.
 */
function orderTitleOfItsOwn(po: Labelled, candidates: Labelled[], texts: readonly string[]): string | null {
  if (!ORDER_TITLE.test(po.label) || po.value.length < 4) return null;
  if (new Set([...candidates, ...texts.flatMap((t) => findPoCandidates(t))].filter((c) => isWeakPoLabel(c.label)).map((c) => c.value)).size > 1) return null;
  for (const t of texts) {
    const line = t.split('\n').find((l) => ORDER_TITLE.test(l))?.trim() ?? '';
    if (!line.toLowerCase().startsWith(po.label.toLowerCase()) || !line.endsWith(po.value)) continue;
    const gap = line.slice(po.label.length, line.length - po.value.length);
    if (line.length >= po.label.length + po.value.length && /^ ?(?:(?:[:#]|n[°º]\.?) ?)?$/iu.test(gap)) return `the order word and the number make the document's title « ${line} », a line of their own`;
  }
  return null;
}

function isFieldRow(po: Labelled, lines: string[]): boolean {
  const at = lines.findIndex((l) => l.includes(po.value));
  const line = lines[at]?.trimEnd() ?? '';
  const label = line.trimStart();
  const gap = label.slice(po.label.length, label.length - po.value.length);
  if (!label.toLowerCase().startsWith(po.label.toLowerCase()) || !label.endsWith(po.value) || !/^[ \t]*(?::[ \t]*)?$/u.test(gap) || !/ {2}|\t|:/u.test(gap)) return false;
  const column = leadingSpaces(line);
  return [lines[at - 1], lines[at + 1]].some((l) => l !== undefined && l.trim() !== '' && leadingSpaces(l) === column && FIELD_ROW.test(l));
}

/**
 * What says a number under a weak label is the order's: a title naming an order just above it or as the
 * document's own title (its only such number), an order word right before the label, or a name the
 * sender gave the document apart from its text (the e-mail's subject, the attachment's file name).
 */
function weakLabelCorroboration(po: Labelled, candidates: Labelled[], text: string, names: readonly DocumentName[], rows?: string): string | null {
  const carried = namesCarrying(po.value, names);
  if (carried.length) return `${carried[0]!.what} carries it (« ${carried[0]!.text} »)`;
  if (!BARE_NUMBER_LABEL.test(po.label)) {
    const texts = rows === undefined ? [text] : [text, rows];
    return orderFieldUnderTitle(po, candidates, texts) ?? orderTitleOfItsOwn(po, candidates, texts);
  }
  const at = text.indexOf(po.value);
  const lines = text.slice(Math.max(0, at - 160), at).split('\n');
  // "Numéro" right under "Bon de commande": the title says what the number is.
  if (ORDER_TITLE.test(lines.slice(-4, -1).join(' '))) return 'under a title naming an order';
  const line = lines.at(-1)!;
  const label = line.toLowerCase().lastIndexOf(po.label.toLowerCase());
  if (label > 0 && ORDER_WORD_BEFORE.test(line.slice(Math.max(0, label - 40), label))) return 'an order word right before its label';
  // The header's blocks reordered ("COMMANDE D'ACHAT" centred above, "N° :" in a block of its own): the
  // document's title names an order, and this is the only number a bare label prints.
  const title = TITLE_LINE.exec(text);
  const bare = new Set(candidates.filter((c) => BARE_NUMBER_LABEL.test(c.label)).map((c) => c.value));
  // Not under a heading naming another party or document ("Client", "Fournisseur", "Facture"): its number, then.
  const heading = lines.slice(0, -1).filter((l) => l.trim()).at(-1)?.trim() ?? '';
  if (title && bare.size <= 1 && !NOT_PO_BEFORE_NUMBER.test(heading)) return `the document's title « ${title[0].trim()} » names an order, and it is the only number a bare label prints`;
  return null;
}

/**
 * How far a PO number is to be believed: its label; flagged when only a bare word ("Commande",
 * "N°") labels it and it is printed once with nothing that says it is the order's (weakLabelCorroboration),
 * or when another numbered label prints another number.
 */
export function poEvidence(po: Labelled, candidates: Labelled[], text: string, names: readonly DocumentName[] = [], rows?: string): ReadEvidence {
  const e: ReadEvidence = { source: 'document', rule: `label "${po.label}"`, text: po.value, corroboratedBy: [] };
  const times = text.split(po.value).length - 1;
  if (times > 1) e.corroboratedBy!.push(`printed ${times} times`);
  const rivals = [...new Set(candidates.filter((c) => !isWeakPoLabel(c.label) && c.value !== po.value && !c.value.includes(po.value) && !po.value.includes(c.value)).map((c) => c.value))];
  if (rivals.length) e.flag = `is printed beside another numbered order reference (${rivals.map((r) => `« ${r} »`).join(', ')})`;
  else if (isWeakPoLabel(po.label) && times < 2) {
    const why = weakLabelCorroboration(po, candidates, text, names, rows);
    if (why) e.corroboratedBy!.push(why);
    else e.flag = `is labelled only by "${po.label}"`;
  }
  return e;
}

/** A delivery point's GLN printed on the document designates the ship-to (or confirms the one read). */
export function shipToGln(draft: DraftOrder, text: string, md: MasterData): void {
  const gln = findGlns(text, md).find((g) => md.addressByGln(g)?.type === 'delivery');
  if (!gln || draft.shipTo?.usual) return;
  draft.shipTo = { ...(draft.shipTo ?? {}), gln };
}

/**
 * Dates the document prints that no label explained are the readers' blind spot: a delivery date
 * under a label we do not know, or a printed order date we replaced with the day it was sent. The
 * field then says so (flagged, with the date as printed) instead of passing as certain.
 */
export function flagLooseDates(draft: DraftOrder, text: string, ref?: Date): void {
  const ev = (draft.evidence ??= {});
  const loose = looseDates(text, [draft.orderDate, draft.requestedDeliveryDate], ref);
  if (loose.length === 0) return;
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const from = draft.orderDate ?? (ref ? ref.toISOString().slice(0, 10) : null);
  if (!draft.requestedDeliveryDate && from) {
    const later = loose.filter((d) => day(d.iso) > day(from) && day(d.iso) - day(from) <= 366);
    if (later.length) ev.requestedDeliveryDate = { source: 'document', rule: 'no delivery-date label read', text: later[0]!.text, flag: `the document prints ${later.map((d) => `« ${d.text} »`).join(', ')} under no label the reader knows: is it the requested delivery date?` };
  }
  if (draft.orderDate && ev.orderDate?.source === 'channel') {
    const near = loose.filter((d) => day(d.iso) <= day(draft.orderDate!) && day(draft.orderDate!) - day(d.iso) <= 31);
    if (near.length) ev.orderDate = { ...ev.orderDate, flag: `the document prints ${near.map((d) => `« ${d.text} »`).join(', ')} under no label the reader knows: is it the order date?` };
  }
}

/**
 * A delivery asked for by calendar week ("KW 45/2026") was read as the week's Monday: a day the
 * document does not print, so the field says so (flagged, with the week as printed).
 */
export function flagWeekDelivery(draft: DraftOrder, text: string, ref?: Date): void {
  const iso = draft.requestedDeliveryDate;
  const ev = draft.evidence?.requestedDeliveryDate;
  if (!iso || !ev || ev.flag) return;
  const weeks = weekPrintsOf(text, iso, ref);
  if (weeks.length) draft.evidence!.requestedDeliveryDate = { ...ev, text: weeks[0]!, flag: `the document asks for a week (« ${weeks[0]} »), not a day: read as its Monday ${iso}` };
}

/** No order date printed: the day the customer sent the document, saying so. */
export function applySentDate(draft: DraftOrder, sent: SentAt | undefined): void {
  const day = sent ? parisDay(sent.at) : null;
  if (!sent || !day) return;
  draft.orderDate = day;
  (draft.evidence ??= {}).orderDate = { source: 'channel', rule: `no order date printed: the day it was sent (${sent.what})`, text: sent.at };
}

function stripEmpty(ev: CustomerEvidence): CustomerEvidence {
  return Object.fromEntries(Object.entries(ev).filter(([, v]) => v)) as CustomerEvidence;
}

/** The problem that says which lines naming a product were not read (none when every one was). */
export function unreadLinesProblem(unread: string[], where: string): Problem | null {
  if (!unread.length) return null;
  const shown = unread.slice(0, 3).map((l) => `"${l.slice(0, 80)}"`).join(', ');
  return problem('LINES_UNREAD', `${where}: ${unread.length} line(s) or request(s) name a product of the catalog or a quantity but gave no order line (${shown}${unread.length > 3 ? ', …' : ''}); check the order's lines`, 'warning', 'lines');
}
