// OCR'd pages → one draft order: the fax machine's header line gives the sender's number, a cover
// page is skipped, the table comes from parsers/layout (Tesseract's own lines, columns from the
// header words), the header fields from parsers/text, and every cell is checked against master
// data (snap.ts) so that a doubtful value is flagged rather than passed on as certain.
import { problem, type Problem } from '../../domain/order';
import { editDistance } from '../../domain/names';
import type { CustomerAddress, MasterData } from '../../domain/masterdata';
import { identifyCustomer, PO_DOUBTFUL, type CustomerEvidence, type DraftLine, type DraftOrder } from '../../domain/resolve';
import { extractTable, groupLines } from '../layout/table';
import { headerSources, rowSource } from '../layout/source';
import type { PageWords, PositionedWord, Table, TableRow, TextLine } from '../layout/types';
import { eanChecksumOk } from '../text/lines';
import { unreadDeliveryLabel } from './delivery-label';
import { matchDesignation, namesBetter, productNamedBy } from '../../domain/line-evidence';
import { applySentDate, findPoCandidates, flagLooseDates, parseOrderLines, findPoNumber, isWeakPoLabel, poEvidence, readOrderText, type Labelled } from '../text/index';
import { findDeliveryDate, findOrderDate, findShipTo, settleDayMonth, type ShipToText } from '../text/header';
import { readingText } from '../layout/reading';
import { type CodeSnapper, detectLocale, HEADERLESS_CONFIDENCE, isChargeRow, headerlessLines, matchShipTo, shipToFromBlocks, tableDeliveryDate } from '../layout/order';
import { labelValueLines } from '../layout/blocks';
import { normaliseUnit, parseNumber, parseQuantity, trailingNumber, type NumberLocale } from '../text/numbers';
import { checkLine, cleanNumberCell, correctQuantity, EDGE_JUNK, fixDigits, referenceCandidates, REVIEW_THRESHOLD, snapPhone, snapReference, type ReferenceCandidate } from './snap';
import { nearestVouched, NEAR_CODE_CONFIDENCE, rivalByNearPrice, type NearCode, type NearCodeLine } from './near-code';
import { cellsToReread, checkColumns, numberCell, type CellCrop, type CellRereads } from './reread';
import { settleNumbers, type SettledNumbers } from './settle';
import { rowAsPrinted, tableDecimals } from './decimals';

export interface OcrPage {
  /** 1-based. */
  page: number;
  words: PositionedWord[];
  meanConfidence: number;
  /** Size of the image the word boxes refer to (pixels), so that lines can be highlighted on it. */
  width?: number;
  height?: number;
}

export interface FaxHeader {
  from: string;
  page: number | null;
  pages: number | null;
  /** The raw line, for review. */
  text: string;
}

// "23/11/2026 10:42 DE: +33 4 78 12 34 57 QUINCAILLERIE DUPONT P.1/2", "FROM : 0478123457", "De 04 78…"
const FAX_FROM = /\b(?:DE|FROM|FAX|EXP(?:[ée]diteur)?)\s*(?:[:.]\s*)?(\+?[\dOoIlSB][\dOoIlSB\s().-]{7,22}[\dOoIlSB])/i;
const FAX_PAGE = /\bP(?:AGE|G)?\s*(?:[.:]\s*)?(\d{1,3})\s*[/|]\s*(\d{1,3})\b/i;
const FAX_STAMP = /\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}.{0,4}\d{1,2}[:h.]\d{2}|\d{1,2}[:h]\d{2}.{0,4}\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/i;

/** The sending machine's line: at the very top (some machines print it at the foot), with a date, a time and a number. */
export function readFaxHeader(lines: TextLine[]): FaxHeader | null {
  for (const line of [...lines.slice(0, 3), ...lines.slice(3).slice(-2)]) {
    const from = FAX_FROM.exec(line.text);
    if (!from || !FAX_STAMP.test(line.text)) continue;
    const p = FAX_PAGE.exec(line.text);
    return { from: from[1]!.trim(), page: p ? Number(p[1]) : null, pages: p ? Number(p[2]) : null, text: line.text };
  }
  return null;
}

// OCR glues the short words of a totals line ("TotalHT"); the table reader needs them apart.
const GLUED = /^(total|montant|prix|net)(ht|ttc|h\.t\.?)$/i;

// Long words of the header labels (PO number, dates, delivery address) in the languages the readers
// know: a fax's one wrong letter or stray accent ("Bestelinummer", "entréga") would hide the value.
const LABEL_WORDS = ['Bestellnummer', 'Bestelldatum', 'Bestellung', 'Liefertermin', 'Lieferdatum', 'Lieferadresse', 'Lieferanschrift', 'Auftragsnummer', 'commande', 'livraison', 'entrega', 'consegna', 'Bestelbon', 'levering', 'Leverdatum'];
const foldWord = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const LABEL_FOLDED = LABEL_WORDS.map((l) => [foldWord(l), l] as const);

/**
 * A word one misread letter (or a stray accent) away from a long label word → the label word; its
 * trailing punctuation ("Bestelinummer/Datum", "entréga:") is kept. Any other word as it is.
 */
export function labelWord(text: string): string {
  const m = /^(\p{L}{7,})(\P{L}.*)?$/u.exec(text);
  if (!m) return text;
  const word = m[1]!;
  const f = foldWord(word);
  const label = LABEL_FOLDED.find(([folded]) => folded === f || (Math.abs(f.length - folded.length) <= 1 && editDistance(f, folded) === 1))?.[1];
  // Only the case differs: the word as printed.
  if (!label || word.toLowerCase() === label.toLowerCase()) return text;
  const first = word[0] === word[0]!.toUpperCase() ? label[0]!.toUpperCase() : label[0]!.toLowerCase();
  return `${first}${label.slice(1)}${m[2] ?? ''}`;
}

// The three digits and decimals after a thousands space: "600,000", "440,00".
const THOUSANDS_TAIL = /^\d{3}[.,]\d{1,3}$/;
// The two halves of "08.12.2026" when the first dot is lost: a day (with letters OCR makes of digits), then month and year.
const SPLIT_DAY = /^([0-3OoIl]?[0-9OoIl])[.,]?$/;
const SPLIT_MONTH_YEAR = /^([01]?\d)[.,]((?:19|20)\d{2})([.,:;]?)$/;
// The two halves of "24.11.2026" when the second dot is lost: day and month, then the year.
const DAY_MONTH = /^(?:0?[1-9]|[12]\d|3[01])[.,](?:0?[1-9]|1[0-2])[.,]?$/;
const YEAR = /^((?:19|20)\d{2})([.,:;]?)$/;

/**
 * Day, month and year as three words of one line, each at most a letter's width from the next
 * ("26" "10" "2026": a fax dropped the dots of "26.10.2026") → that date as one word; null when
 * they are not (a day over 31, a month over 12, a wide gap: columns of a table).
 */
function datePartsLostDots(d: PositionedWord | undefined, m: PositionedWord, y: PositionedWord): PositionedWord | null {
  if (!d || d.lineId !== m.lineId || m.lineId !== y.lineId) return null;
  const year = YEAR.exec(y.text);
  if (!year || !/^\d{1,2}$/.test(d.text) || !/^\d{1,2}$/.test(m.text)) return null;
  const [day, month] = [Number(d.text), Number(m.text)];
  if (day < 1 || day > 31 || month < 1 || month > 12) return null;
  const h = Math.min(d.y1 - d.y0, m.y1 - m.y0, y.y1 - y.y0);
  if (m.x0 - d.x1 > 0.8 * h || y.x0 - m.x1 > 0.8 * h || m.x0 < d.x1 || y.x0 < m.x1) return null;
  return { ...d, text: `${d.text.padStart(2, '0')}.${m.text.padStart(2, '0')}.${year[1]}${year[2]}`, x1: y.x1, confidence: Math.min(d.confidence ?? 1, m.confidence ?? 1, y.confidence ?? 1) };
}

/** Pipes and brackets from ruled tables and dirty glass are not text. */
export function cleanWords(words: PositionedWord[]): PositionedWord[] {
  const out: PositionedWord[] = [];
  for (const w of words) {
    // A fax's "N°" often comes back as "N?", "n*" or "n'": the label the PO readers know.
    const text = w.text
      // A rule's remnant before a bracket ("_[POI-BEQ]") goes with it.
      .replace(/^_+(?=[|[\]{}])/, '')
      .replace(/^[|[\]{}]+|(?<![|[\]{}])[|[\]{}]+$/g, '')
      .replace(/[“”„]/g, '"')
      // A handwritten or faxed "l" read as "!" at a word's start ("!e 24.10.26", "!ivraison").
      .replace(/^!(?=\p{Ll})/u, 'l')
      .replace(/^([Nn])[?*'’]([.:]?)$/, '$1°$2')
      // …and its degree sign read as a letter or a digit ("Ne:", "N9.", "Nc:"): only with the
      // punctuation after it, which no word ("Ne pas plier") carries.
      .replace(/^([Nn])[ec9°º]\.?([.:])$/, '$1°$2')
      // A label's dot read as a comma, its colon as a semicolon, the "o" of "No." as a zero:
      // "Bestell-Nr,", "No,", "N0.", "n°;", "n\":" are "Bestell-Nr.", "No.", "No.", "n°:", "n°:".
      .replace(/^([Nn])["”]([.:;]?)$/, '$1°$2')
      .replace(/^((?:\p{L}+-)?[Nn][or°º]),$/u, '$1.')
      .replace(/^([Nn])0([.:])$/, '$1o$2')
      .replace(/^([Nn][°º]);$/, '$1:')
      // A dotted date with a dot read as a comma ("20,11.2026", "13.11,2026"): no number is written so.
      .replace(/^(\d{1,2})[.,](\d{1,2})[.,]((?:19|20)\d{2})([.,:;]?)$/, '$1.$2.$3$4')
      // A printout's dotted leader with a dot read as a comma (".,....:"): still a leader.
      .replace(/^[.,]+(?=[:;]?$)/, (m) => '.'.repeat(m.length));
    if (text === '') continue;
    // "N °": the degree sign read as a word of its own, glued back to its N.
    const prev = out.at(-1);
    // A number printed with a space between its thousands ("2 600,000", "24 440,00") that OCR cut
    // into two words: one word, so that the table reader keeps it in one column.
    if (prev && prev.lineId === w.lineId && /^\d{1,3}$/.test(prev.text) && THOUSANDS_TAIL.test(text) && w.x0 - prev.x1 <= 0.8 * Math.min(prev.y1 - prev.y0, w.y1 - w.y0)) {
      out[out.length - 1] = { ...prev, text: `${prev.text} ${text}`, x1: w.x1, confidence: Math.min(prev.confidence ?? 1, w.confidence ?? 1) };
      continue;
    }
    // A dotted date whose first dot the fax lost, its day read with a letter ("O8 12.2026"): one date.
    const day = prev && prev.lineId === w.lineId && SPLIT_DAY.exec(prev.text);
    const rest = day && SPLIT_MONTH_YEAR.exec(text);
    if (day && rest && w.x0 - prev.x1 < Math.max(1, w.y1 - w.y0)) {
      out[out.length - 1] = { ...prev, text: `${fixDigits(day[1]!).text.padStart(2, '0')}.${rest[1]}.${rest[2]}${rest[3]}`, x1: w.x1, confidence: Math.min(prev.confidence ?? 1, w.confidence ?? 1) };
      continue;
    }
    // A dotted date both of whose dots the fax lost ("26 10 2026"): three words a letter apart, one date.
    const lost = prev && datePartsLostDots(out.at(-2), prev, { ...w, text });
    if (lost) {
      out.splice(-2, 2, lost);
      continue;
    }
    // …or only its second ("24.11 2026").
    const year = prev && prev.lineId === w.lineId && DAY_MONTH.exec(prev.text) && YEAR.exec(text);
    if (year && w.x0 >= prev.x1 && w.x0 - prev.x1 <= 0.8 * Math.min(prev.y1 - prev.y0, w.y1 - w.y0)) {
      out[out.length - 1] = { ...prev, text: `${prev.text.replace(/[.,]$/, '').replace(',', '.')}.${year[1]}${year[2]}`, x1: w.x1, confidence: Math.min(prev.confidence ?? 1, w.confidence ?? 1) };
      continue;
    }
    if (/^[°º][.:]?$/.test(text) && prev && /^[Nn]$/.test(prev.text) && prev.lineId === w.lineId) {
      out[out.length - 1] = { ...prev, text: `${prev.text}${text}`, x1: w.x1 };
      continue;
    }
    // Lone dashes, colons and slashes are text ("Martin - Agence Beaune", "N° : 12"); the rest is noise.
    if (!/[\p{L}\p{N}€%°&+:/-]/u.test(text)) continue;
    const glued = GLUED.exec(text);
    if (!glued) {
      const label = labelWord(text);
      if (label !== text) {
        out.push({ ...w, text: label });
        continue;
      }
    }
    if (glued) {
      const cut = w.x0 + ((w.x1 - w.x0) * glued[1]!.length) / text.length;
      out.push({ ...w, text: glued[1]!, x1: cut }, { ...w, text: glued[2]!, x0: cut });
    } else out.push({ ...w, text });
  }
  return out;
}

export interface ImageOrderReading {
  draft: DraftOrder | null;
  problems: Problem[];
}

export interface ImageOrderContext {
  masterData: MasterData;
  fileName: string;
  /** Channel context: a fax gateway may pass the calling number ('fax'). */
  context?: Record<string, string>;
  receivedAt?: string;
  parser?: string;
  /** Number cells read again from their own crops (reread.ts), keyed by cellKey. */
  rereads?: CellRereads;
}

/** The number cells worth reading again from their crops (rows whose numbers fail a check), in the prepared images' pixels. */
export function cellsToReadAgain(pages: OcrPage[], md: MasterData): CellCrop[] {
  // Any customer's references: the customer is not identified yet.
  const candidates = referenceCandidates(md, null);
  const { extraction, locale } = pageLayout(pages);
  const table = extraction.table;
  return cellsToReread(table, (t) => readQuantityCell(t, locale).qty?.value ?? null, (row) => rowWorthRereading(row, md, candidates, locale, checkColumns(table, row.page)), locale);
}

/** OCR'd pages → one draft order, or problems saying why none could be read. */
export function readImageOrder(pages: OcrPage[], ctx: ImageOrderContext): ImageOrderReading {
  const md = ctx.masterData;
  const problems: Problem[] = [];
  const signals: string[] = [];
  const { cleaned, faxHeader, isMachineLine, extraction } = pageLayout(pages);
  const { table, outside } = extraction;
  const r: ImageReading = { pages, ctx, md, problems, signals, cleaned, faxHeader, textLines: () => outside.filter((l) => !isMachineLine(l)) };
  const headerless = !table || table.rows.length === 0 ? headerlessLines(r.textLines(), md, ocrCodeSnapper(md)) : null;
  if (!linesWithoutTable(r, table, headerless)) return { draft: null, problems };
  const firstTablePage = table?.headerPages[0] ?? table?.rows[0]?.page ?? 1;
  for (let p = 1; p < firstTablePage; p++) signals.push(`cover page ${p} skipped`);

  // Header fields: every line outside the table except the machine's own header line, read column
  // by column: the ship-to block sits beside other blocks ("Livrer à :" left, "Date cde :" right),
  // and line by line its address would interleave with the neighbour's fields. The same lines cut
  // at every wide gap stay as a fallback for the dates and the ship-to.
  const boxes = labelValueLines(r.textLines(), OCR_BOX_GAP);
  const headerLines = [...boxes, ...r.textLines().map((l) => l.text)];
  const headerText = headerLines.flatMap((t) => t.split(/\s{3,}/)).join('\n');
  const pageWidth = Math.max(0, ...pages.map((p) => p.width ?? 0)) || undefined;
  const readingHeader = [...boxes, readingText(r.textLines(), pageWidth)].join('\n');
  const poNumber = poNumberByLine(headerLines);
  const channelEvidence = faxEvidence(r);

  // Evidence in the text first, then the channel's: identify the customer before reading lines,
  // so that its own part numbers are among the candidates.
  const ref = ctx.receivedAt ? new Date(ctx.receivedAt) : undefined;
  const probe = readOrderText(readingHeader, md, { parser: ctx.parser ?? 'ocr', customer: channelEvidence, lines: [], dayMonthLater: true, ...(ref ? { ref } : {}) });
  const { customer } = identifyCustomer(probe.draft.customer, md);
  const lines = readLines(r, table, headerless, referenceCandidates(md, customer?.id ?? null));

  const reading = readOrderText(readingHeader, md, {
    parser: ctx.parser ?? 'ocr',
    customer: channelEvidence,
    lines,
    signals,
    location: `${pages.length} page(s)`,
    dayMonthLater: true,
    ...(ref ? { ref } : {}),
  });
  const draft = reading.draft;
  const ev = (draft.evidence ??= {});
  if (poNumber) {
    draft.poNumber = poNumber.value;
    ev.poNumber = poEvidence(poNumber, headerLines.flatMap((l) => findPoCandidates(l)), headerLines.join('\n'));
    const joined = joinCutPo(poNumber.value, headerLines);
    if (joined) {
      draft.poNumber = joined.value;
      ev.poNumber = { ...ev.poNumber, text: joined.printed, flag: `was read as « ${joined.printed} », a space OCR may have put inside it` };
    }
  }
  flagDoubtfulPo(r, draft);
  fixPoDigits(r, draft);
  const wholeLines = readDates(r, draft, { headerText, ref, table });
  readGarbledDeliveryLabel(r, draft, ref);
  flagLooseDates(draft, `${readingHeader}\n${wholeLines}`, ref);
  settleDayMonth(draft, [readingHeader, wholeLines, (table?.columns ?? []).map((c) => c.label).join('  '), ...(table?.rows.map((row) => row.text) ?? [])].join('\n'), ref);
  readShipTo(r, draft, headerText, customer?.id ?? null);
  const sources = headerSources(r.textLines(), cleaned, draft);
  if (Object.keys(sources).length) draft.sources = sources;
  finalConfidence(r, draft, lines);
  return { draft, problems };
}

/** How far under a row of labels (in line heights) a faxed or scanned form's row of values may start. */
const OCR_BOX_GAP = 2.5;

/** One image order being read: what every step shares. */
interface ImageReading {
  pages: OcrPage[];
  ctx: ImageOrderContext;
  md: MasterData;
  problems: Problem[];
  signals: string[];
  cleaned: PageWords[];
  faxHeader: FaxHeader | null;
  /** The lines outside the table but the fax machine's own header line (a new array at each call). */
  textLines: () => TextLine[];
}

type PageLayout = ReturnType<typeof cleanPages> & { extraction: ReturnType<typeof extractTable>; locale: NumberLocale };
// The same pages are laid out once: to choose the cells to read again, then to read the order.
const layouts = new WeakMap<OcrPage[], PageLayout>();

/** The pages cleaned and their table found (cleanPages, extractTable), once per pages array. */
function pageLayout(pages: OcrPage[]): PageLayout {
  const known = layouts.get(pages);
  if (known) return known;
  const cleaned = cleanPages(pages);
  const found = extractTable(cleaned.cleaned, { alignRows: true, titlesMayBeLost: true });
  // How the document writes its numbers: "2,100" is 2100 in an English order, 2.1 in a French one
  // (the text PDF reader's rule: whichever makes more rows' quantity × price = amount).
  const locale = found.table ? detectLocale(found.table) : ('fr' as const);
  const extraction = found.table ? { ...found, table: asPrintedTable(found.table, locale) } : found;
  const layout = { ...cleaned, extraction, locale };
  layouts.set(pages, layout);
  return layout;
}

/** What rowAsPrinted said of a row whose number cells it read as their column prints them. */
const asPrintedDoubts = new WeakMap<TableRow, string>();

/** The table's number cells read as each column prints its decimals (decimals.ts), once for the cells to re-read and the lines. */
function asPrintedTable(table: Table, locale: NumberLocale): Table {
  const decimals = tableDecimals(table, locale);
  if (Object.keys(decimals).length === 0) return table;
  const quantityOf = (t: string) => readQuantityCell(t, locale).qty?.value ?? null;
  const rows = table.rows.map((row) => {
    const read = rowAsPrinted(row, decimals, locale, (role) => (role === 'quantity' ? quantityOf : numberCell(locale)));
    if (read.doubt) asPrintedDoubts.set(read.row, read.doubt);
    return read.row;
  });
  return { ...table, rows };
}

/** A code OCR misread in a row without a header → the catalog value it is close to (any customer's: none identified yet), no rival as close. */
function ocrCodeSnapper(md: MasterData): CodeSnapper {
  const candidates = referenceCandidates(md, null);
  return (token) => {
    const s = snapReference(token, 0.5, candidates);
    return s.value && s.candidate && s.distance > 0 && s.rivals.length === 0 ? s.candidate.value : null;
  };
}

/** The pages' words cleaned, and the fax machine's header line found (its date is the transmission's, not the order's). */
function cleanPages(pages: OcrPage[]): { cleaned: PageWords[]; faxHeader: FaxHeader | null; isMachineLine: (l: TextLine) => boolean } {
  let faxHeader: FaxHeader | null = null;
  const cleaned: PageWords[] = [];
  const headerLineKeys = new Set<string>();
  for (const p of pages) {
    const words = cleanWords(p.words);
    const lines = groupLines({ page: p.page, words });
    const fh = readFaxHeader(lines);
    if (fh) {
      faxHeader ??= fh;
      // The machine's line is not the order's: its date is the transmission's, not the order's.
      headerLineKeys.add(`${p.page}:${lines.find((l) => l.text === fh.text)?.words[0]?.lineId ?? ''}`);
    }
    cleaned.push({ page: p.page, words, ...(p.width && p.height ? { width: p.width, height: p.height } : {}) });
  }
  const isMachineLine = (l: TextLine) => headerLineKeys.has(`${l.page}:${l.words[0]?.lineId ?? ''}`);
  return { cleaned, faxHeader, isMachineLine };
}

/**
 * Without table rows, the lines read from the text (a list, or columns without a header row), with a
 * problem saying so; false (and the error) when there is neither a table nor such lines.
 */
function linesWithoutTable(r: ImageReading, table: ReturnType<typeof extractTable>['table'], headerless: ReturnType<typeof headerlessLines> | null): boolean {
  const { ctx, pages, problems } = r;
  // Neither a table nor aligned columns: a list written by hand or typed as text ("12 x BOU-M8",
  // "13 CAD-40 (Cadenas…)"), read as a typed e-mail's would be, every line flagged.
  const listed = headerless && headerless.lines.length === 0 ? listLines(r.textLines(), r.md) : [];
  if (listed.length) {
    headerless!.lines.push(...listed);
    problems.push(problem('LINES_FROM_TEXT', `${ctx.fileName}: no table on the page: ${listed.length} line(s) read from the text as a list; check them`, 'warning', 'lines'));
  } else if (headerless?.lines.length) {
    // A printout without a header row (an AS/400 screen, a typed list): read by content, flagged.
    problems.push(problem('TABLE_WITHOUT_HEADER', `${ctx.fileName}: no header row names the columns: ${headerless.lines.length} line(s) read from their content; check them`, 'warning', 'lines'));
  } else if (!table || table.rows.length === 0) {
    const words = pages.reduce((n, p) => n + p.words.length, 0);
    problems.push(
      problem(
        'NO_ORDER_TABLE',
        words === 0
          ? `${ctx.fileName}: no text could be read on ${pages.length} page(s) (blank, or too faint for OCR)`
          : `${ctx.fileName}: no order table (a header row with Réf./Désignation and Qté) was found on ${pages.length} page(s)`,
        'error',
        ctx.fileName,
      ),
    );
    return false;
  }
  return true;
}

/** The calling fax number (the gateway's, else the header line's, snapped to a known one) as customer evidence. */
function faxEvidence(r: ImageReading): CustomerEvidence {
  const { ctx, faxHeader, signals } = r;
  const channelEvidence: CustomerEvidence = {};
  const gatewayFax = ctx.context?.fax ?? ctx.context?.callerId;
  const faxRead = gatewayFax ?? (faxHeader ? faxHeader.from : null);
  let faxDoubt: string | null = null;
  if (faxRead) {
    const snapped = gatewayFax ? { value: gatewayFax, doubt: null } : snapPhone(faxRead, r.md);
    if (snapped.value) channelEvidence.fax = snapped.value;
    faxDoubt = snapped.doubt;
  }
  if (faxHeader) signals.push(`fax header: ${faxHeader.text}`);
  if (faxDoubt) signals.push(faxDoubt);
  if (faxHeader?.pages && faxHeader.pages !== r.pages.length) {
    r.problems.push(problem('FAX_PAGES_MISSING', `${ctx.fileName}: the fax header announces ${faxHeader.pages} page(s) but ${r.pages.length} arrived`, 'warning', ctx.fileName));
  }
  return channelEvidence;
}

/** A "#" column read as the reference holds the row's position ("6"), no code: the row without it. */
function withoutPosition(row: TableRow): TableRow {
  const { reference, ...rest } = row.cells;
  return reference && /^\d{1,3}[.:;]?$/.test(reference.text.trim()) ? { ...row, cells: rest } : row;
}

/** The order lines: those read without a table, then each table row's, checked against the table's total. */
function readLines(r: ImageReading, table: ReturnType<typeof extractTable>['table'], headerless: ReturnType<typeof headerlessLines> | null, candidates: ReferenceCandidate[]): DraftLine[] {
  const { md, problems, ctx } = r;
  const lines: DraftLine[] = (headerless?.lines ?? []).map((l, i) => {
    const row = headerless!.rows[i];
    return row ? checkHeaderlessAmount(l, row, md) : l;
  });
  const { locale } = pageLayout(r.pages);
  const thousandths = table ? thousandthsColumn(table.rows.map((row) => row.cells.quantity?.text ?? ''), locale) : false;
  for (const row of table?.rows ?? []) {
    // Freight, packing, a delivery fee: a charge, not an article (as the text PDF reader says).
    if (isChargeRow(withoutPosition(row))) {
      const where = `page ${row.page}, row ${row.index}`;
      problems.push(problem('CHARGE_ROW', `${ctx.fileName}: ${where}: "${row.cells.description!.text}" is a charge, not an article: not made an order line`, 'info', where));
      continue;
    }
    const line = readRow(row, lines.length + 1, { candidates, md, problems, fileName: ctx.fileName, rereads: ctx.rereads, locale, thousandths });
    // Neither a reference the catalog knows nor a quantity: no order line can be made of it. The
    // agent is told where it is (a line the document holds is then missing, never invented).
    if (line && line.quantity === null && !line.customerPartNumber && !(line.sku && md.product(line.sku))) {
      const where = `page ${row.page}, row ${row.index}`;
      problems.push(problem('OCR_ROW_UNREADABLE', `${ctx.fileName}: ${where}: neither a catalog reference nor a quantity could be read ("${row.text.slice(0, 80)}"); not taken as a line: check it on the document`, 'warning', where));
      continue;
    }
    const source = line ? rowSource(row, r.cleaned) : null;
    if (line) lines.push(source ? { ...line, source } : line);
  }
  if (table) checkTotal(lines, table.totalLines, problems, ctx.fileName, pageLayout(r.pages).locale);
  if (table?.inferred) flagInferredColumns(lines.slice(headerless?.lines.length ?? 0), table.inferred, problems, ctx.fileName);
  return lines;
}

/** Columns whose role came from their content, not a title read: every table line says so and goes to review. */
function flagInferredColumns(lines: DraftLine[], notes: string[], problems: Problem[], fileName: string): void {
  if (!lines.length) return;
  problems.push(problem('COLUMNS_INFERRED', `${fileName}: a column's role was inferred from its content, not read from its title (${notes.join('; ')}); check the lines`, 'warning', 'lines'));
  for (const l of lines) {
    l.doubts = [...(l.doubts ?? []), `column role inferred from content: ${notes.join('; ')}`];
    l.confidence = Math.min(l.confidence ?? 1, HEADERLESS_CONFIDENCE);
  }
}

// A PO that OCR itself barely believed ("20266-00871" at 0.00) is flagged, not passed on as certain:
// the agent checks it, and the dedup does not take it for another order's number.
function flagDoubtfulPo(r: ImageReading, draft: DraftOrder): void {
  const poConfidence = draft.poNumber ? valueConfidence(r.textLines(), draft.poNumber) : null;
  if (poConfidence === null || !draft.poNumber) return;
  const corroboration = poCorroboration(draft.poNumber, r.ctx);
  if (corroboration) {
    const ev = draft.evidence?.poNumber;
    if (ev) ev.corroboratedBy = [...(ev.corroboratedBy ?? []), corroboration];
    // Its dash read as a space ("M3 434098"): the subject or file name prints the number whole.
    const printed = / /.test(draft.poNumber) ? poPrintedWith(draft.poNumber, r.ctx) : null;
    if (printed && ev) [ev.text, draft.poNumber] = [draft.poNumber, printed];
    return;
  }
  const confusable = poConfusable(draft.poNumber);
  // Under review confidence the OCR doubt below says it already.
  if (confusable && poConfidence >= REVIEW_THRESHOLD && poConfidence < CONFUSABLE_PO_CONFIDENCE) {
    const ev = ((draft.evidence ??= {}).poNumber ??= { source: 'document', rule: 'printed under a PO label', text: draft.poNumber });
    ev.flag ??= `may be misread: OCR (${poConfidence.toFixed(2)}) may have taken « ${confusable} », next to a ${/\d/.test(confusable) ? 'letter' : 'digit'}, for its look-alike`;
  }
  if (!(poConfidence < REVIEW_THRESHOLD)) return;
  const shown = poConfidence.toFixed(2);
  draft.provenance.signals = [...new Set([...(draft.provenance.signals ?? []), `${PO_DOUBTFUL} (OCR ${shown})`])];
  r.problems.push(problem('OCR_PO_DOUBTFUL', `${r.ctx.fileName}: the PO number « ${draft.poNumber} » was read with low OCR confidence (${shown}): check it on the document`, 'warning', 'poNumber'));
  draft.confidence = Math.min(draft.confidence ?? 1, PO_DOUBT_CONFIDENCE);
}

// Under this OCR confidence, a PO mixing letters and digits whose look-alike character sits where
// letters and digits meet ("26CMS59234", "AB2G-350") may be misread: flagged (PO_UNCONFIRMED).
// Dev faxes and scans read their right POs at 0.89–0.97.
const CONFUSABLE_PO_CONFIDENCE = 0.86;
const LOOK_ALIKE = /[0OQDIl1S5B8Z2G6]/;

/** The first look-alike character (0/O, 1/I/l, 5/S, 8/B, 2/Z, 6/G) next to the other kind, in a PO of letters and digits; null when none. */
export function poConfusable(po: string): string | null {
  if (!/\p{L}/u.test(po) || !/\d/.test(po)) return null;
  const kind = (c: string | undefined) => (c === undefined ? null : /\d/.test(c) ? 'd' : /\p{L}/u.test(c) ? 'l' : null);
  for (let i = 0; i < po.length; i++) {
    const c = po[i]!;
    const k = kind(c);
    if (!k || !LOOK_ALIKE.test(c)) continue;
    const other = k === 'd' ? 'l' : 'd';
    if (kind(po[i - 1]) === other || kind(po[i + 1]) === other) return c;
  }
  return null;
}

const squash = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The same PO in what came with the fax (its e-mail's subject, its file name): what corroborates it, or null. */
export function poCorroboration(po: string, ctx: Pick<ImageOrderContext, 'fileName' | 'context'>): string | null {
  const want = squash(po);
  if (want.length < 4) return null;
  const subject = ctx.context?.subject;
  if (subject && squash(subject).includes(want)) return "the same PO in the e-mail's subject";
  return squash(ctx.fileName).includes(want) ? 'the same PO in the file name' : null;
}

/**
 * The PO as the e-mail's subject or the file name prints it, when it is the one read with a
 * space where those print a dash, a slash or a dot ("M3 434098" read, "M3-434098" sent); null otherwise.
 */
export function poPrintedWith(po: string, ctx: Pick<ImageOrderContext, 'fileName' | 'context'>): string | null {
  const parts = po.split(' ');
  const tokens = [ctx.context?.subject ?? '', ctx.fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '')].flatMap((t) => t.split(/[\s_]+/));
  for (const t of tokens) {
    const seps = /^([A-Za-z0-9]+)((?:[-/.][A-Za-z0-9]+)+)$/.exec(t) ? t.split(/[-/.]/) : null;
    if (seps && seps.length === parts.length && seps.every((s, i) => s === parts[i])) return t;
  }
  return null;
}

// What follows a PO cut at a space OCR put in it: "LT/26" + "/ 0815", "AB26-354" + " -C", "CDE26" + "/ 0412".
const CUT_TAIL = /^(?:[/-] ?| ?[/-])([A-Za-z0-9][A-Za-z0-9/-]*)/;

/** A PO the label readers cut at a space, joined with its tail (flagged by the caller); null when the PO was not cut. */
export function joinCutPo(value: string, lines: string[]): { value: string; printed: string } | null {
  for (const line of lines) {
    const at = line.indexOf(value);
    if (at < 0) continue;
    const m = CUT_TAIL.exec(line.slice(at + value.length));
    if (!m) return null;
    return { value: `${value}${m[0].replaceAll(' ', '')}`, printed: `${value}${m[0]}` };
  }
  return null;
}

// Letters OCR makes of digits; between two digits of a PO number they are the digit ("700B1").
const PO_DIGIT: Record<string, string> = { B: '8', O: '0', o: '0', I: '1', l: '1' };

/** A PO number of digits with a letter OCR made of one of them between two digits: the digit, flagged. */
export function fixPoDigits(r: Pick<ImageReading, 'problems' | 'ctx'>, draft: DraftOrder): void {
  const po = draft.poNumber;
  if (!po || (po.match(/\d/g) ?? []).length < 5) return;
  const fixed = po.replace(/(?<=\d)[BOoIl](?=\d)/g, (c) => PO_DIGIT[c]!);
  if (fixed === po) return;
  draft.poNumber = fixed;
  draft.provenance.signals = [...new Set([...(draft.provenance.signals ?? []), `${PO_DOUBTFUL} (read as ${po})`])];
  r.problems.push(problem('OCR_PO_DOUBTFUL', `${r.ctx.fileName}: the PO number was read as « ${po} »; a letter between digits was taken for the digit it resembles (« ${fixed} »): check it on the document`, 'warning', 'poNumber'));
  draft.confidence = Math.min(draft.confidence ?? 1, PO_DOUBT_CONFIDENCE);
}

/** The order and delivery dates, from the header (or the day it was sent); returns the header's whole lines. */
function readDates(r: ImageReading, draft: DraftOrder, { headerText, ref, table }: { headerText: string; ref: Date | undefined; table: Table | null }): string {
  const { ctx } = r;
  const ev = (draft.evidence ??= {});
  // Column by column keeps "Date :   03/12/2026" together; a lone line holding two blocks side by
  // side ("N° de commande : …   Date : …") reads only once cut at its wide gap.
  // Then each printed line whole: a label and its value a wide gap apart ("Date   29-Oct-2026").
  const wholeLines = r.textLines().map((l) => l.text).join('\n');
  draft.orderDate ??= findOrderDate(headerText, ref) ?? findOrderDate(wholeLines, ref);
  if (!draft.requestedDeliveryDate) {
    draft.requestedDeliveryDate = findDeliveryDate(headerText, ref) ?? findDeliveryDate(wholeLines, ref);
    if (draft.requestedDeliveryDate) ev.requestedDeliveryDate = { source: 'document', rule: 'printed under a delivery-date label' };
    // Only per line, in a delivery-date column: the same reading as the text PDF's.
    const perLine = draft.requestedDeliveryDate ? null : tableDeliveryDate(table, ref);
    if (perLine) {
      draft.requestedDeliveryDate = perLine.iso;
      ev.requestedDeliveryDate = { source: 'document', rule: perLine.rule, text: perLine.text, ...(perLine.flag ? { flag: perLine.flag } : {}) };
    }
  }
  if (draft.orderDate) ev.orderDate ??= { source: 'document', rule: 'printed under an order-date label' };
  // No order date printed: the day the fax arrived (the receiving server's clock, never the sending
  // machine's header line, which is often wrong).
  else if (ctx.receivedAt) applySentDate(draft, { at: ctx.context?.sentAt ?? ctx.receivedAt, what: ctx.context?.sentAt ? "the e-mail's Date header" : 'the day it was received', ...(ctx.context?.sentAt ? {} : { byReceipt: true }) });
  return wholeLines;
}

/**
 * No delivery date read, but a delivery-date label OCR garbled ("Datc Required:") or whose value it
 * could not read: the date after it, flagged, or the field flagged as printed but unread.
 */
function readGarbledDeliveryLabel(r: ImageReading, draft: DraftOrder, ref: Date | undefined): void {
  const ev = (draft.evidence ??= {});
  if (draft.requestedDeliveryDate || ev.requestedDeliveryDate) return;
  const found = unreadDeliveryLabel(r.textLines(), ref);
  if (!found) return;
  if (found.date) {
    draft.requestedDeliveryDate = found.date.iso;
    const flag = found.date.garbled ? `the date after « ${found.label} » was read as « ${found.date.text} », ${found.date.garbled}: check it` : `the label « ${found.label} » was read with OCR errors: check the date`;
    ev.requestedDeliveryDate = { source: 'document', rule: `after « ${found.label} », a delivery-date label as OCR read it`, text: found.date.text, flag };
  } else {
    ev.requestedDeliveryDate = { source: 'document', rule: 'delivery-date label, value unreadable', text: found.label, flag: `a delivery-date label is printed (« ${found.label} ») but OCR could not read its date: check it on the document` };
  }
}

/**
 * A delivery block read without a postal code because a fax's speck sits in its city line ("85748
 * Garching be! Munchen"): read again with the specks off the words (label colons go too, so only
 * when the first reading found the block), kept only when that finds the postal code.
 */
function withoutSpecks(first: ShipToText | null, r: ImageReading): ShipToText | null {
  if (!first || first.usual || first.postalCode) return first;
  const clean = r.textLines().map((l) => ({ ...l, words: l.words.map((w) => ({ ...w, text: w.text.replace(/(?<=\p{L})[!:;]+$/u, '') })) }));
  const again = shipToFromBlocks(clean, r.md);
  return again?.postalCode ? again : first;
}

/** The ship-to, read column by column first (the line-split text only when that found no delivery block), then checked. */
function readShipTo(r: ImageReading, draft: DraftOrder, headerText: string, customerId: string | null): void {
  const ev = (draft.evidence ??= {});
  const shipTo = withoutSpecks(shipToFromBlocks(r.textLines(), r.md), r) ?? draft.shipTo ?? findShipTo(headerText, r.md);
  if (shipTo && !shipTo.usual) ev.shipTo = { source: 'document', rule: 'address block under its label' };
  if (!shipTo) return;
  const checked = checkShipTo(shipTo, customerId, r.md, r.ctx.fileName);
  draft.shipTo = checked.shipTo;
  if (checked.signal) draft.provenance.signals = [...(draft.provenance.signals ?? []), checked.signal];
  if (checked.problem) {
    r.problems.push(checked.problem);
    draft.confidence = Math.min(draft.confidence ?? 1, SHIP_TO_DOUBT);
  }
}

/** The order's confidence (no lines, a page OCR could barely read), and the lines to review. */
function finalConfidence(r: ImageReading, draft: DraftOrder, lines: DraftLine[]): void {
  // A page OCR could barely read casts doubt on its header fields too, not only on its lines.
  const pageConf = Math.min(...r.pages.filter((p) => p.words.length > 0).map((p) => p.meanConfidence), 1);
  draft.confidence = round2(Math.min(draft.confidence ?? 1, lines.length ? 1 : 0.3, pageConf < 0.5 ? 0.6 : 1));
  const doubtful = lines.filter((l) => (l.confidence ?? 1) < REVIEW_THRESHOLD);
  if (doubtful.length > 0) {
    r.problems.push(
      problem(
        'OCR_NEEDS_REVIEW',
        `${r.ctx.fileName}: ${doubtful.length} of ${lines.length} line(s) read with low confidence: ${doubtful.map((l) => `line ${l.lineNumber} (${(l.doubts ?? []).join('; ')})`).join(' · ')}`,
        'warning',
        doubtful.map((l) => `line ${l.lineNumber}`).join(', '),
      ),
    );
  }
}

/** Order confidence when the PO number itself is doubtful: below the review threshold. */
const PO_DOUBT_CONFIDENCE = 0.6;

const squashed = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * OCR's own confidence in a printed value: the lowest of the words that spell it (one word holding it,
 * or up to three consecutive words); null when it is not printed as such or the words carry none.
 */
export function valueConfidence(lines: TextLine[], value: string): number | null {
  const want = squashed(value);
  if (!want) return null;
  for (let k = 1; k <= 3; k++) {
    for (const line of lines) {
      for (let i = 0; i + k <= line.words.length; i++) {
        const run = line.words.slice(i, i + k);
        if (!squashed(run.map((w) => w.text).join('')).includes(want)) continue;
        // The fewest words that spell it: each of them carries part of the value.
        const known = run.map((w) => w.confidence).filter((c): c is number => typeof c === 'number');
        return known.length ? Math.min(...known) : null;
      }
    }
  }
  return null;
}


/**
 * The PO number read line by line: OCR drops colons, and across lines a title ("BON DE COMMANDE")
 * would take the next line's label for its value.
 */
function poNumberByLine(lines: string[]): Labelled | null {
  let weak: Labelled | null = null;
  for (const l of lines) {
    const found = findPoNumber(l);
    if (!found) continue;
    if (!isWeakPoLabel(found.label)) return found;
    weak ??= found;
  }
  return weak;
}

type RowCell = NonNullable<TableRow['cells']['reference']>;
type Snapped = ReturnType<typeof snapReference>;

// A misread header label ("Ré£.") leaves the reference column unnamed, and a column cut in the
// wrong place moves the code into its neighbour ("Notre code" / "Votre réf."): every cell that may
// hold a code is tried, and the one closest to the catalog wins (the reference column on a tie).
function referenceCell(row: TableRow, candidates: ReferenceCandidate[]): { cell: RowCell; best: Snapped } | null {
  const codeCells = [row.cells.reference, row.cells.customerReference, row.cells.other].filter((c): c is NonNullable<typeof c> => !!c);
  const snapCell = (cell: RowCell) => {
    // A rule's remnant between a position and the code ("T17__FER-PORTE") parts words as a space does.
    const words = cell.text.split(/ |_{2,}/).filter(Boolean);
    // So does a single one after a position ("13_FOR-HSs6"); the word as read is tried too.
    const parts = words.flatMap((w) => (w.includes('_') ? w.split('_').filter(Boolean) : []));
    return [...new Set([...words, ...parts, ...(words.length > 1 ? [words.join('')] : [])])].map((w) => snapReference(w, cell.confidence, candidates)).reduce((a, b) => (b.distance < a.distance || (b.distance === a.distance && b.value && !a.value) ? b : a));
  };
  const snapped = codeCells.map((cell) => ({ cell, best: snapCell(cell) }));
  const refCell = snapped.reduce<(typeof snapped)[number] | null>((a, b) => (!a || (b.best.value && (!a.best.value || b.best.distance < a.best.distance)) ? b : a), null)?.cell;
  const found = refCell ? snapped.find((x) => x.cell === refCell)! : null;
  if (found?.best.value) return found;
  // No code cell names a known article: ours printed in the designation ("[EQU-100] Équerre…", a
  // sub-line "Ihre Materialnummer: GAN-CUI" under the buyer's own number), as the text PDF reader finds it.
  return codeInDesignation(row.cells.description, candidates) ?? found;
}

/** A designation's word that may be a code: four characters at least, letters with digits, a dash between two, or capitals only. */
// A code whose dash OCR lost ("Uw artikelnummer: PATANG") is a capitalised word of five letters or more.
const codeLike = (t: string) => t.length >= 4 && ((/\d/.test(t) && /\p{L}/u.test(t)) || /[\p{L}\d]-[\p{L}\d]/u.test(t) || /^\p{Lu}{5,}$/u.test(t));

/**
 * A catalog code or a cross reference inside a designation cell, snapped as a reference cell is:
 * the closest word naming one article (exactly, or without a rival; two articles as close: none), never surer
 * than 0.9, flagged as found there.
 */
export function codeInDesignation(cell: RowCell | undefined, candidates: ReferenceCandidate[]): { cell: RowCell; best: Snapped } | null {
  if (!cell) return null;
  const hits = cell.text
    .split(/[\s,;:()[\]]+/)
    .filter(codeLike)
    .map((t) => snapReference(t, cell.confidence, candidates))
    .filter((b) => b.value && (b.distance === 0 || b.rivals.length === 0));
  if (hits.length === 0) return null;
  const closest = Math.min(...hits.map((h) => h.distance));
  const best = hits.filter((h) => h.distance === closest);
  if (new Set(best.map((h) => h.value)).size > 1) return null;
  return { cell, best: { ...best[0]!, confidence: Math.min(best[0]!.confidence, 0.9), doubt: best[0]!.doubt ?? 'reference found inside the designation' } };
}

/** The line's reference as snapped to the catalog (or kept as read), with its confidence and, when unsure, its rivals. */
function readReference(ref: { cell: RowCell; best: Snapped } | null, doubts: string[]): { sku: string | null; customerPartNumber: string | null; refConfidence: number; ambiguous: ReferenceCandidate[] } {
  let sku: string | null = null;
  let customerPartNumber: string | null = null;
  let refConfidence = 0.3;
  let ambiguous: ReferenceCandidate[] = [];
  if (ref) {
    // OCR may split a reference ("VIS- 440") or glue junk before it ("J CBF-C6"): each word and
    // the whole cell were tried, the closest to the catalog kept.
    const { best } = ref;
    refConfidence = best.confidence;
    if (best.doubt) doubts.push(best.doubt);
    if (best.candidate?.kind === 'customerPart') customerPartNumber = best.candidate.value;
    sku = best.value;
    if (!sku) ambiguous = best.rivals;
    if (!sku) {
      // Kept as read for the agent, never invented; resolve reports it as unknown.
      customerPartNumber = null;
      sku = ref.cell.text.replace(EDGE_JUNK, '').replace(/\s+/g, '') || null;
    }
  } else doubts.push('no reference printed on this line');
  return { sku, customerPartNumber, refConfidence, ambiguous };
}

// A reading between two codes ("VIS-4560": VIS-450 or VIS-560) is settled by the printed price
// when it is the list price of exactly one of them; the amount check must then hold too.
function settleByListPrice(ambiguous: ReferenceCandidate[], unitPrice: number, md: MasterData, refText: string, doubts: string[]): ReferenceCandidate | null {
  const skus = [...new Set(ambiguous.map((c) => c.sku))];
  const priced = skus.filter((s) => {
    const lp = md.product(s)?.listPrice;
    return lp !== null && lp !== undefined && Math.abs(lp - unitPrice) < 0.005;
  });
  if (priced.length !== 1) return null;
  const chosen = ambiguous.find((c) => c.sku === priced[0])!;
  doubts.push(`reference read as ${refText}: ${skus.join(' or ')}; the unit price ${unitPrice.toFixed(2).replace('.', ',')} is the list price of ${chosen.sku}`);
  return chosen;
}

/**
 * A reading between two codes ("GOU-MI0": GOU-M10 or BOU-M10) settled by the designation printed
 * on the row when it names exactly one of them (telling words, twice as well as any other
 * candidate, or ahead by a telling word the other lacks: "8x40" in "Cheville nylon 8x40" between
 * CHV-6 and CHV-8); the amount check must then hold too, as for the price.
 */
export function settleByDesignation(ambiguous: ReferenceCandidate[], description: string, md: MasterData, refText: string, doubts: string[]): ReferenceCandidate | null {
  const skus = [...new Set(ambiguous.map((c) => c.sku))];
  if (skus.length < 2) return null;
  const scored = skus.map((sku) => ({ sku, m: matchDesignation(description, sku, md) })).sort((a, b) => b.m.read - a.m.read);
  const [best, next] = [scored[0]!, scored[1]!];
  if (!namesBetter(best.m.read, next.m.read)) return null;
  const chosen = ambiguous.find((c) => c.sku === best.sku)!;
  doubts.push(`reference read as ${refText}: ${skus.join(' or ')}; the designation names ${chosen.sku} (${best.m.shared.join(', ')})`);
  return chosen;
}

/** A code no entry is close enough to, or between two, settled by the line's designation or price (near-code.ts). */
function nearArticle(ref: { cell: RowCell; best: Snapped } | null, ambiguous: ReferenceCandidate[], line: NearCodeLine, md: MasterData): NearCode | null {
  const read = ref?.cell.text.replace(EDGE_JUNK, '').trim() ?? '';
  if (!ref || !read) return null;
  return ambiguous.length > 1 ? rivalByNearPrice(ambiguous, read, line, md) : nearestVouched(ref.best, read, line, md);
}

/** The confidence of an article known by its designation alone: under review. */
const NAMED_ONLY = 0.45;

/**
 * No quantity cell, but the unit column starts with a number ("10:67" for "10 Stk"): the quantity
 * pushed into its neighbour by a column cut. Taken as a faint reading, so that only quantity × unit
 * price = amount can make it sure.
 */
export function quantityInUnitCell(unit: RowCell | undefined): RowCell | undefined {
  const m = unit ? /^(\d{1,6}(?:[.,]\d{1,3})?)(?!\d)/.exec(unit.text.trim()) : null;
  return m ? { text: m[1]!, confidence: Math.min(unit!.confidence, FAINT_SHIFTED) } : undefined;
}

/** The confidence of a quantity found in the unit column: under review unless the amount confirms it. */
const FAINT_SHIFTED = 0.5;

/** The row's numbers read and checked (checkLine), the reference settled by the price or the designation when two codes are equally close. */
function checkRowNumbers(cells: SettledNumbers['cells'], reference: ReturnType<typeof readReference>, { md, refText, doubts, unit, locale, description }: { md: MasterData; refText: string; doubts: string[]; unit?: RowCell | undefined; locale: NumberLocale; description?: string | undefined }) {
  const qtyCell = cells.quantity ?? quantityInUnitCell(unit);
  if (!cells.quantity && qtyCell) doubts.push(`no quantity in its column; ${qtyCell.text} read at the start of the unit column ("${unit?.text}")`);
  const { qty, changed: qtyChanged } = readQuantityCell(qtyCell?.text ?? '', locale);
  const qFix = { changed: qtyChanged };
  const pFix = cleanNumberCell(cells.unitPrice?.text ?? '');
  const aFix = cleanNumberCell(cells.amount?.text ?? '');
  const unitPrice = parseNumber(pFix.text, locale);
  const amount = parseNumber(aFix.text, locale);
  let { sku, customerPartNumber } = reference;
  const ambiguous = reference.ambiguous.length > 1;
  const chosen = (ambiguous && unitPrice !== null ? settleByListPrice(reference.ambiguous, unitPrice, md, refText, doubts) : null) ?? (ambiguous && description ? settleByDesignation(reference.ambiguous, description, md, refText, doubts) : null);
  if (chosen) {
    sku = chosen.sku;
    customerPartNumber = chosen.kind === 'customerPart' ? chosen.value : null;
  }
  const product = sku ? md.product(sku) : undefined;
  const check = checkLine({
    quantity: qty?.value ?? null,
    unitPrice,
    amount,
    // A cell that needed cleaning may have lost a digit with the junk: only the amount can vouch for it.
    quantityConfidence: qFix.changed ? Math.min(0.65, qtyCell?.confidence ?? 0) : (qtyCell?.confidence ?? 0),
    priceConfidence: (cells.unitPrice?.confidence ?? 0) * (pFix.changed ? 0.8 : 1),
    amountConfidence: (cells.amount?.confidence ?? 0) * (aFix.changed ? 0.8 : 1),
    listPrice: product?.listPrice ?? null,
    ...(qtyCell ? { quantityText: qtyCell.text } : {}),
    ...(cells.unitPrice ? { priceText: cells.unitPrice.text } : {}),
  });
  return { qty, qFix, unitPrice, amount, check, sku, customerPartNumber, settled: chosen !== null };
}

/**
 * Worth reading its number cells again: a row naming an article (snapped to the catalog or the
 * cross references) whose quantity its own checks leave unread, contradicted, or (with no price
 * and amount to check it) faint. A quantity the amount confirmed or corrected is left alone.
 */
export function rowWorthRereading(row: TableRow, md: MasterData, candidates: ReferenceCandidate[], locale: NumberLocale = 'fr', checkable = false): boolean {
  const reference = withEan(readReference(referenceCell(row, candidates), []), row.cells.ean, md, []);
  const description = designationRead(row.cells.description?.text);
  if (!namesArticle(reference, description, md)) return false;
  const { check, amount, unitPrice } = checkRowNumbers({ ...pick(row.cells, 'quantity'), ...pick(row.cells, 'unitPrice'), ...pick(row.cells, 'amount') }, reference, { md, refText: '', doubts: [], unit: row.cells.unit, locale, description });
  if (check.quantity.value === null) return true;
  if (amount !== null && unitPrice !== null) return check.quantity.confidence < CORRECTED_ALONE_CONFIDENCE;
  // A price without its amount (or the reverse) under columns printing both: the lost cell's crop may give the check back.
  if (checkable && (unitPrice !== null || amount !== null)) return true;
  return check.quantity.confidence < REVIEW_THRESHOLD;
}

/**
 * The row names an article of the catalog: its code snapped to one (or to a cross reference), or,
 * code unread or between two, a designation naming one clearly (the same rule as for the line
 * itself: domain/line-evidence.ts). Only such a row has its cells read again and their
 * re-readings believed: a re-reading never makes a line of an address or a note.
 */
export function namesArticle(reference: Pick<ReturnType<typeof readReference>, 'sku' | 'customerPartNumber' | 'ambiguous'>, description: string | undefined, md: MasterData): boolean {
  if (reference.customerPartNumber || (reference.sku && md.product(reference.sku))) return true;
  if (!description) return false;
  if (reference.ambiguous.length > 1) return settleByDesignation(reference.ambiguous, description, md, '', []) !== null;
  return productNamedBy(description, md) !== null;
}

// A size in a designation ("M10x50", "6x30", "4x40") with a digit OCR read as its look-alike
// letter ("Mi0x50", "4xA0" is not one: only I, i, l, O, o, each beside a digit of the size).
const GARBLED_SIZE = /(?<![\p{L}\d])([A-Za-z]?)([\dIilOo]{1,4})([x×])([\dIilOo]{1,4})(?![\p{L}\d])/gu;
const SIZE_DIGIT: Record<string, string> = { I: '1', i: '1', l: '1', O: '0', o: '0' };

/**
 * The designation as the catalog's matching should see it: sizes OCR garbled read as the digits
 * they are ("Sechskantschraube Mi0x50" names M10x50). Only for matching; the line keeps the text as read.
 */
export function designationRead(text: string | undefined): string | undefined {
  return text?.replace(GARBLED_SIZE, (whole, prefix: string, a: string, x: string, b: string) => {
    if (!/\d/.test(a) || !/\d/.test(b)) return whole;
    const digits = (g: string) => g.replace(/[IilOo]/g, (c) => SIZE_DIGIT[c]!);
    return `${prefix}${digits(a)}${x}${digits(b)}`;
  });
}

/** What checkLine gives a correction only the amount vouches for (snap.ts). */
const CORRECTED_ALONE_CONFIDENCE = 0.6;

function pick<K extends 'quantity' | 'unitPrice' | 'amount'>(cells: TableRow['cells'], k: K): Partial<Record<K, NonNullable<TableRow['cells'][K]>>> {
  const c = cells[k];
  return c ? ({ [k]: c } as Partial<Record<K, NonNullable<TableRow['cells'][K]>>>) : {};
}

/** A GTIN the catalog knows, with a valid check digit, in an EAN cell as OCR read it ("‘3760123450706", "7 3760123450492"); null when none. */
export function eanInCell(text: string, md: MasterData): { ean: string; sku: string } | null {
  const runs = text.split(/\s+/).map((w) => w.replace(/\D/g, ''));
  const joined = text.replace(/\D/g, '');
  const found = new Map<string, string>();
  for (const run of [...runs, joined]) {
    // A digit of junk glued to either end ("73760123450492"): every 13- and 8-digit window.
    for (const n of [13, 8]) {
      for (let i = 0; i + n <= run.length && run.length - n <= 2; i++) {
        const code = run.slice(i, i + n);
        const product = eanChecksumOk(code) ? md.productByEan(code) : undefined;
        if (product) found.set(code, product.sku);
      }
    }
  }
  if (found.size !== 1 || new Set(found.values()).size !== 1) return null;
  const [ean, sku] = [...found][0]!;
  return { ean, sku };
}

/** Under this OCR confidence of the reference, an EAN of the same article confirms it (lifted to EAN_CONFIRMED). */
const EAN_CONFIRMED = 0.9;
/** A reference unread or unknown, given by the EAN alone (check digit valid, known to the catalog): just above review. */
const EAN_ALONE = 0.8;

/**
 * The line's EAN as a second witness for its reference: the same article confirms it; a reference
 * OCR could not read or snap takes the article the EAN names (the check digit and the catalog vouch
 * for it), saying so. A different article is left to resolve (ITEM_CONFLICT).
 */
function withEan(reference: ReturnType<typeof readReference>, cell: RowCell | undefined, md: MasterData, doubts: string[]): ReturnType<typeof readReference> & { ean?: string } {
  const byEan = cell ? eanInCell(cell.text, md) : null;
  if (!byEan) return reference;
  const known = !!reference.customerPartNumber || !!(reference.sku && md.product(reference.sku));
  if (known) {
    const same = reference.sku === byEan.sku || md.crossReferences.some((x) => x.customerPartNumber === reference.customerPartNumber && x.sku === byEan.sku);
    return { ...reference, ean: byEan.ean, refConfidence: same ? Math.max(reference.refConfidence, EAN_CONFIRMED) : reference.refConfidence };
  }
  doubts.push(`reference ${reference.sku ? `read as "${reference.sku}"` : 'unread'}; the EAN ${byEan.ean} (check digit valid) is ${byEan.sku}'s`);
  return { ...reference, sku: byEan.sku, customerPartNumber: null, refConfidence: EAN_ALONE, ambiguous: [], ean: byEan.ean };
}

interface RowContext {
  candidates: ReferenceCandidate[];
  md: MasterData;
  problems: Problem[];
  fileName: string;
  rereads: CellRereads | undefined;
  locale: NumberLocale;
  /** The quantity column prints three decimals ("12,000 ST"): a cell that lost its mark is read as its siblings. */
  thousandths?: boolean;
}

const decimalMark = (locale: NumberLocale) => (locale === 'en' ? '.' : ',');

/**
 * A quantity column printed with three decimals, as SAP prints it ("12,000", "1.400,000"): three
 * cells at least, two thirds of those holding a number.
 */
export function thousandthsColumn(texts: string[], locale: NumberLocale): boolean {
  const mark = decimalMark(locale);
  const numbers = texts.map((t) => t.trim()).filter((t) => /^\d/.test(t));
  const three = numbers.filter((t) => {
    const n = (/^[\d .,']+/.exec(t)?.[0] ?? '').trim();
    return n.length >= 5 && n[n.length - 4] === mark && /\d{3}$/.test(n);
  }).length;
  return three >= 3 && three >= (numbers.length * 2) / 3;
}

/** What a quantity a thousandths column printed as "n,000" becomes when OCR read its mark wrong ("50.000") or lost it ("1400000"). */
const SIBLING_QUANTITY_CONFIDENCE = 0.6;

/**
 * A quantity cell of a thousandths column whose whole-number ",000" OCR read with the other mark
 * ("50.000": fifty, not fifty thousand) or without one ("1400000": 1 400), read as its siblings
 * are, below review; null when the cell reads as they do.
 */
export function asThousandthsSibling(cell: RowCell | undefined, locale: NumberLocale): RowCell | null {
  if (!cell) return null;
  const mark = decimalMark(locale);
  const other = mark === ',' ? '.' : ',';
  const m = /^(\d+)([.,]?)000(?![\d.,])(.*)$/.exec(cell.text.trim());
  if (!m || (m[2] !== other && !(m[2] === '' && m[1]!.length >= 1 && m[1]!.length <= 4))) return null;
  return { text: `${m[1]}${mark}000${m[3]}`, confidence: Math.min(cell.confidence, SIBLING_QUANTITY_CONFIDENCE) };
}

function readRow(printed: TableRow, lineNumber: number, { candidates, md, problems, fileName, rereads, locale, thousandths }: RowContext): DraftLine | null {
  const where = `page ${printed.page}, row ${printed.index}`;
  const sibling = thousandths ? asThousandthsSibling(printed.cells.quantity, locale) : null;
  const row = sibling ? { ...printed, cells: { ...printed.cells, quantity: sibling } } : printed;
  const ref = referenceCell(row, candidates);
  // A row without a single digit cannot be an order line (remarks, "Merci de confirmer…"); a
  // real line lost that way would still show in the total check.
  if (!/\d/.test(row.text)) return null;
  const doubts: string[] = sibling ? [`quantity read as "${printed.cells.quantity!.text}" in a column of three-decimal quantities: taken as ${sibling.text}`] : [];
  const asPrintedDoubt = asPrintedDoubts.get(printed);
  if (asPrintedDoubt) doubts.push(asPrintedDoubt);
  const reference = withEan(readReference(ref, doubts), row.cells.ean, md, doubts);
  let { sku, customerPartNumber, refConfidence } = reference;
  // The page's numbers, or its cells' re-readings where the page's fail a check (settle.ts); only
  // on a row naming a known article (a re-reading never makes a line of an address or a note).
  const known = !!reference.customerPartNumber || !!(reference.sku && md.product(reference.sku));
  const description = designationRead(row.cells.description?.text);
  // A re-read quantity of a thousandths column is read as its siblings are too ("319,000": 319).
  const quantityOf = (t: string) => readQuantityCell((thousandths ? asThousandthsSibling({ text: t, confidence: 1 }, locale)?.text : null) ?? t, locale).qty?.value ?? null;
  const settledNumbers = settleNumbers(row, namesArticle(reference, description, md) ? rereads : undefined, quantityOf, numberCell(locale));
  const { evidence, cap } = settledNumbers;
  const reread = thousandths && evidence && settledNumbers.cells.quantity ? asThousandthsSibling(settledNumbers.cells.quantity, locale) : null;
  const cells = reread ? { ...settledNumbers.cells, quantity: { text: reread.text, confidence: settledNumbers.cells.quantity!.confidence } } : settledNumbers.cells;
  if (evidence) doubts.push(evidence);
  const qtyCell = cells.quantity;

  const { qty, qFix, unitPrice, amount, check, sku: checkedSku, customerPartNumber: checkedPart, settled } = checkRowNumbers(cells, reference, { md, refText: ref?.cell.text ?? '', doubts, unit: row.cells.unit, locale, description });
  sku = checkedSku;
  customerPartNumber = checkedPart;
  // No code the catalog knows (unread, cut at the page's edge, the buyer's own unlisted number), but
  // a designation naming one article and numbers that agree: that article, under review.
  const named = !known && !settled && check.amountAgrees ? productNamedBy(description, md) : null;
  if (named) {
    doubts.push(`no known code read${sku ? ` (« ${sku} »)` : ''}; the designation names ${named.sku} (${named.shared.join(', ')}) and quantity × price = amount`);
    [sku, customerPartNumber, refConfidence] = [named.sku, null, Math.min(refConfidence, NAMED_ONLY)];
  }
  const near = !known && !settled && !named ? nearArticle(ref, reference.ambiguous, { description, unitPrice, amountAgrees: check.amountAgrees }, md) : null;
  if (near) {
    doubts.push(near.doubt);
    [sku, customerPartNumber, refConfidence] = [near.candidate.sku, near.candidate.kind === 'customerPart' ? near.candidate.value : null, NEAR_CODE_CONFIDENCE];
  }
  const product = sku ? md.product(sku) : undefined;
  if (qFix.changed && qty && !check.amountAgrees && !check.quantity.doubt) doubts.push(`quantity read as "${qtyCell?.text}", taken as ${qty.value}`);
  if (check.quantity.doubt) doubts.push(check.quantity.doubt);
  if (check.unitPrice.doubt) doubts.push(check.unitPrice.doubt);
  // A snapped reference whose list price matches the printed price is confirmed by it (a code only near one stays under review).
  if (!near && product && unitPrice !== null && product.listPrice !== null && Math.abs(product.listPrice - unitPrice) < 0.005 && refConfidence < 0.9 && refConfidence >= 0.5) {
    refConfidence = Math.max(refConfidence, 0.85);
  }
  // Settled by the price or the designation, with the amount agreeing: just above review; otherwise an agent checks it.
  if (settled) refConfidence = check.amountAgrees && !check.unitPrice.doubt ? 0.72 : 0.6;
  // A price the check had to derive or correct counts; a faint but consistent one does not.
  const priceConfidence = check.unitPrice.doubt ? check.unitPrice.confidence : 1;
  const confidence = round2(Math.min(refConfidence, check.quantity.confidence || 0.3, priceConfidence, cap));
  if (check.quantity.value === null)
    problems.push(problem('OCR_QUANTITY_UNREADABLE', `${fileName}: ${where}: the quantity "${qtyCell?.text ?? ''}" could not be read`, 'warning', `${where} / quantity`));
  const printedNumber = Number(row.cells.lineNumber?.text.replace(EDGE_JUNK, ''));
  return {
    lineNumber: Number.isInteger(printedNumber) && printedNumber > 0 ? printedNumber : lineNumber,
    sku,
    customerPartNumber,
    ...(reference.ean ? { ean: reference.ean } : {}),
    description: row.cells.description?.text ?? null,
    quantity: check.quantity.value,
    unit: qty?.unit ?? null,
    unitPrice: check.unitPrice.value,
    amount,
    confidence,
    doubts,
  };
}

/** Lines of a page holding no table, read as free text (a list of "quantity × reference"), flagged. */
export function listLines(lines: TextLine[], md: MasterData): DraftLine[] {
  // A designation glued to its code by OCR ("CAD-40(Cadenas"): the bracket opens a word of its own.
  const snapped = new Map<string, string>();
  const texts = lines.map((l) => codeThenCount(snapCodeWords(l.text, md, snapped).replace(/(?<=[^\s(])\(/g, ' ('), md));
  const read = parseOrderLines(texts.join('\n'), md);
  return read.map((l, i) => {
    const was = l.sku ? snapped.get(l.sku) : undefined;
    const doubts = [...(l.doubts ?? []), ...(was ? [`SKU read as ${was}, snapped to ${l.sku}`] : []), 'read from the text of a page without a table'];
    return { ...l, lineNumber: i + 1, confidence: Math.min(l.confidence ?? 1, HEADERLESS_CONFIDENCE), doubts };
  });
}

// A line holding only a code, maybe a speck or rule OCR read as a mark ("!", "|", "—"), then a whole number.
const CODE_THEN_COUNT = /^([A-Z][A-Z0-9]{1,7}-[A-Z0-9]{1,8})\s+(?:[^\p{L}\p{N}\s]{1,2}\s+)?(\d{1,5})$/u;

/**
 * A handwritten list line giving a catalog code and then how many ("GIL-HV ! 140"): written as
 * "code x count" so that the list reader takes the number for the quantity. Only when the code is
 * one the catalog knows and nothing else stands on the line; the line stays flagged as read from text.
 */
export function codeThenCount(text: string, md: MasterData): string {
  const m = CODE_THEN_COUNT.exec(text.trim());
  if (!m || !md.product(m[1]!)) return text;
  return `${m[1]} x ${m[2]}`;
}

// A word shaped like an article code: letters and digits joined by a dash ("CHV-METS", "BOU-M8").
const CODE_WORD = /(?<![A-Za-z0-9-])[A-Z][A-Z0-9]{1,7}-[A-Z0-9]{1,8}(?![A-Za-z0-9-])/g;

/**
 * A line's text with each code-shaped word OCR misread ("CHV-METS" for CHV-MET8) snapped to the one
 * catalog SKU it is close to (snap.ts, no rival as close), so that the list reader knows it;
 * `snapped` records SKU → the word as read, for the line's doubt.
 */
function snapCodeWords(text: string, md: MasterData, snapped: Map<string, string>): string {
  const skus = md.products.map((p) => ({ value: p.sku, sku: p.sku, kind: 'sku' as const }));
  return text.replace(CODE_WORD, (word) => {
    if (md.product(word)) return word;
    const s = snapReference(word, 0.5, skus);
    if (!s.value || s.rivals.length > 0 || s.distance === 0) return word;
    snapped.set(s.value, word);
    return s.value;
  });
}

/**
 * A line read without a header row whose amount contradicts quantity × price ("13,600 PAA 2,800
 * 36,40": a fax's 0 read as 6): the amount, last on the row, says which quantity OCR misread.
 * Corrected only when one misreading explains it; the line stays below review either way.
 */
export function checkHeaderlessAmount(line: DraftLine, row: TextLine, md: MasterData): DraftLine {
  const { quantity, unitPrice } = line;
  if (quantity === null || quantity === undefined || unitPrice === null || unitPrice === undefined) return line;
  const last = trailingNumber(row.text.trim(), (c) => c === '.' || c === ',' || c === "'");
  const amount = last ? parseNumber(cleanNumberCell(last).text) : null;
  // No amount column: the last number is the price itself, and says nothing of the quantity.
  if (amount === null || Math.round(amount * 100) === Math.round(unitPrice * 100) || Math.round(quantity * unitPrice * 100) === Math.round(amount * 100)) return line;
  const fix = correctQuantity(quantity, unitPrice, amount, (line.sku ? md.product(line.sku)?.listPrice : null) ?? null);
  if (!fix || fix.price !== unitPrice) return line;
  return { ...line, quantity: fix.quantity, confidence: Math.min(line.confidence ?? 1, 0.6), doubts: [...(line.doubts ?? []), `quantity read as ${quantity}, taken as ${fix.quantity}: amount ${amount} = ${fix.quantity} × ${unitPrice}`] };
}

// A rule or a speck after the number, read as a letter or two of its own ("16 l", "5 J", "60 !", "223 LL"): not a unit.
const TRAILING_JUNK_WORD = /^(.*\d)\s*[lIiLJj!|\])}]{1,2}$/;
// A mark before it, read as a short word of its own ("Le 140", "_ 12", "i. 8"): the number, changed (so doubted unless the amount agrees).
const LEADING_JUNK_WORD = /^[\p{L}_!|.,'’]{1,2}[.,:;]?\s+(\d[\d\s.,]*)$/u;

/**
 * A quantity cell as OCR left it → the quantity: edge junk first ("576,", "16|", "5]", "372)"),
 * then, if that still does not read, a lone junk glyph after the number ("16 l", "5J").
 * `changed` says the cell needed cleaning, so that only the amount may vouch for it.
 */
export function readQuantityCell(text: string, locale: NumberLocale = 'fr'): { qty: ReturnType<typeof parseQuantity>; changed: boolean } {
  // A number and a unit word glued together ("1DS", "12ST"), as printed: before the letters
  // beside digits are taken for digits ("1DS" would become "10S", no unit at all).
  const asPrinted = parseQuantity(text.trim().replace(EDGE_JUNK, ''), locale);
  if (asPrinted?.unit && /^[\d.,\s']+\p{L}+$/u.test(text.trim())) return { qty: asPrinted, changed: false };
  const fix = cleanNumberCell(text);
  const qty = parseQuantity(fix.text, locale);
  if (qty) return { qty, changed: fix.changed };
  const junk = TRAILING_JUNK_WORD.exec(text.trim()) ?? LEADING_JUNK_WORD.exec(text.trim());
  if (!junk) {
    const garbled = garbledUnit(text, locale);
    return { qty: garbled, changed: garbled !== null || fix.changed };
  }
  const again = cleanNumberCell(junk[1]!);
  return { qty: parseQuantity(again.text, locale), changed: true };
}

/**
 * A number then a unit word with one letter misread ("264 Kaiton" for 264 Karton): that unit. Never
 * any other word ("21200 Beaune" is an address). The caller counts it as cleaned, so only the amount can make it sure.
 */
function garbledUnit(text: string, locale: NumberLocale): ReturnType<typeof parseQuantity> {
  const words = text.trim().split(/\s+/);
  const word = words[words.length - 1]!;
  if (words.length < 2 || !/^\p{L}{3,12}$/u.test(word)) return null;
  const unit = unitOneLetterOff(word);
  const q = unit ? parseQuantity(cleanNumberCell(words.slice(0, -1).join(' ')).text, locale) : null;
  return q && q.unit === null ? { value: q.value, unit } : null;
}

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzäöüé'];

/** The unit a word names with one letter changed, when exactly that gives one. */
function unitOneLetterOff(word: string): string | null {
  const found = new Set<string>();
  for (let i = 0; i < word.length; i++) for (const c of LETTERS) {
    const unit = normaliseUnit(word.slice(0, i) + c + word.slice(i + 1));
    if (unit) found.add(unit);
  }
  return found.size === 1 ? [...found][0]! : null;
}

/** The order total printed under the table, checked against the lines. */
function checkTotal(lines: DraftLine[], totalLines: TextLine[], problems: Problem[], fileName: string, locale: NumberLocale): void {
  // The net total, in any language the table reader knows ("Total HT", "Summe netto", "Base imponible"), never the one with tax.
  const ht = totalLines.find((l) => /total\s*h\.?t|total\b|totale|summe|gesamt|imponib|totaal/i.test(l.text) && !/ttc|tva|iva|mwst|vat|brutto|btw/i.test(l.text));
  if (!ht) return;
  const n = trailingNumber(ht.text, (c) => c === '.' || c === ',' || /\s/.test(c));
  const printed = n && n.length > 1 ? parseNumber(cleanNumberCell(n).text, locale) : null;
  if (printed === null) return;
  if (lines.some((l) => l.quantity === null || l.unitPrice === null || l.unitPrice === undefined)) return;
  const sum = Math.round(lines.reduce((s, l) => s + (l.quantity ?? 0) * (l.unitPrice ?? 0), 0) * 100) / 100;
  if (Math.abs(sum - printed) > 0.02) {
    problems.push(problem('OCR_TOTAL_MISMATCH', `${fileName}: the lines add up to ${sum.toFixed(2)} but the order total reads ${printed.toFixed(2)} (a line may be missing or misread)`, 'warning', `page ${ht.page} / total`));
    for (const l of lines) {
      l.confidence = Math.min(l.confidence ?? 1, 0.65);
      l.doubts = [...(l.doubts ?? []), `order total ${printed.toFixed(2)} ≠ sum of lines ${sum.toFixed(2)}`];
    }
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Below the review threshold: an order whose ship-to master data cannot confirm goes to an agent. */
const SHIP_TO_DOUBT = 0.6;

export interface ShipToCheck {
  shipTo: NonNullable<DraftOrder['shipTo']>;
  /** Provenance: master data replaced what OCR read. */
  signal: string | null;
  /** The ship-to could not be confirmed: the order must be reviewed. */
  problem: Problem | null;
}

/**
 * A ship-to read by OCR, checked against the customer's delivery addresses in addresses.csv.
 * OCR misreads street and city far more often than a postal code master data can confirm, so a
 * postal code matching exactly one delivery address takes that address whole (master data wins);
 * a postal code matching none, or several that nothing else separates, is flagged for review.
 */
export function checkShipTo(read: NonNullable<DraftOrder['shipTo']>, customerId: string | null, md: MasterData, fileName: string): ShipToCheck {
  if (read.usual || !customerId) return { shipTo: read, signal: null, problem: null };
  const delivery = md.addressesOf(customerId, 'delivery');
  const printed = [read.name, read.street, read.postalCode, read.city].filter(Boolean).join(', ');
  const doubt = (why: string): ShipToCheck => ({
    shipTo: read,
    signal: null,
    problem: problem('OCR_SHIP_TO_UNCONFIRMED', `${fileName}: the ship-to read as "${printed}" ${why}; check it before confirming the order`, 'warning', 'shipTo'),
  });
  const known = (a: CustomerAddress) => ({ code: a.code, gln: a.gln, name: a.name, street: a.street, postalCode: a.postalCode, city: a.city, country: a.country });
  if (!read.postalCode) {
    // The postal code line lost: the street and the town, both printed in full, may still name one address.
    const text = fold(printed);
    const named = delivery.filter((a) => fold(a.street).length >= 6 && text.includes(fold(a.street)) && text.includes(fold(a.city)));
    if (named.length === 1) return { shipTo: known(named[0]!), signal: `ship-to ${named[0]!.code} from master data (street and town; postal code unreadable in "${printed}")`, problem: null };
    return printed ? doubt('has no readable postal code') : { shipTo: read, signal: null, problem: null };
  }
  const samePc = delivery.filter((a) => a.postalCode === read.postalCode);
  if (samePc.length === 0) {
    const listed = delivery.map((a) => `${a.code} ${a.postalCode} ${a.city}`).join(', ');
    return doubt(`matches none of the customer's delivery addresses${listed ? ` (${listed})` : ''}`);
  }
  // Several depots in one town: the printed street or name must say which.
  const matched = samePc.length === 1 ? samePc[0]! : samePc.find((a) => a.code === matchShipTo(read, customerId, md).code);
  if (!matched) return doubt(`matches ${samePc.length} delivery addresses in ${read.postalCode} (${samePc.map((a) => a.code).join(', ')}) and nothing says which`);
  const same = fold(read.city) === fold(matched.city) && fold(read.street) === fold(matched.street);
  return {
    shipTo: known(matched),
    signal: same ? null : `ship-to ${matched.code} from master data (postal code ${matched.postalCode}; read as "${printed}")`,
    problem: null,
  };
}

function fold(s: string | null | undefined): string {
  return (s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
}
