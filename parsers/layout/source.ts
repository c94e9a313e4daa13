// Where a value was read, as a box in fractions of its page (domain SourceBox): the order page
// draws these over the rendered PDF page or fax image. Page units differ by reader (PDF points,
// image pixels); fractions make them alike and survive any rendering scale.
import type { SourceBox } from '../../domain/order';
import type { PageWords, PositionedWord, TableRow, TextLine } from './types';

type PageSize = Pick<PageWords, 'page' | 'width' | 'height'>;

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const round4 = (v: number) => Math.round(v * 10000) / 10000;

/** A box in page units → fractions of the page; null when the page's size is unknown (nothing to draw on). */
export function normaliseBox(pages: PageSize[], page: number, box: { x0: number; y0: number; x1: number; y1: number }): SourceBox | null {
  const size = pages.find((p) => p.page === page);
  if (!size?.width || !size.height) return null;
  const { width: w, height: h } = size;
  return { page: page - 1, x0: round4(clamp(box.x0 / w)), y0: round4(clamp(box.y0 / h)), x1: round4(clamp(box.x1 / w)), y1: round4(clamp(box.y1 / h)) };
}

/** The box of a table row: the union of its words (all of its physical lines). */
export function rowSource(row: TableRow, pages: PageSize[]): SourceBox | null {
  if (row.x0 === undefined || row.x1 === undefined) return null;
  return normaliseBox(pages, row.page, { x0: row.x0, y0: row.y0, x1: row.x1, y1: row.y1 });
}

const squash = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '');

function wordsBox(words: PositionedWord[]) {
  return { x0: Math.min(...words.map((w) => w.x0)), y0: Math.min(...words.map((w) => w.y0)), x1: Math.max(...words.map((w) => w.x1)), y1: Math.max(...words.map((w) => w.y1)) };
}

/** The part of a word's box that `value` covers, by its characters' share of the word (a text run may hold a whole title). */
function partOfWord(w: PositionedWord, value: string) {
  const at = w.text.toLowerCase().indexOf(value.toLowerCase());
  if (at < 0 || w.text.length === 0) return w;
  const per = (w.x1 - w.x0) / w.text.length;
  return { x0: w.x0 + at * per, y0: w.y0, x1: w.x0 + (at + value.length) * per, y1: w.y1 };
}

/**
 * Where `value` is printed: one word (or text run) holding it — "n°CF-2026/118" holds
 * "CF-2026/118" — else the fewest consecutive words (up to three) that spell it, ignoring case,
 * accents and punctuation. Null when the value is not printed as such.
 */
export function findValueSource(lines: TextLine[], pages: PageSize[], value: string | null | undefined): SourceBox | null {
  const want = squash(value ?? '');
  // Too short a value ("12") would match anywhere: better no box than a wrong one.
  if (want.length < 3) return null;
  for (let k = 1; k <= 3; k++) {
    for (const line of lines) {
      const ws = line.words;
      for (let i = 0; i + k <= ws.length; i++) {
        const run = ws.slice(i, i + k);
        if (!squash(run.map((w) => w.text).join('')).includes(want)) continue;
        return normaliseBox(pages, line.page, k === 1 ? partOfWord(run[0]!, value!) : wordsBox(run));
      }
    }
  }
  return null;
}

/** An ISO date as French documents print it: 05/03/2026, 5/3/26, 05.03.2026, 05-03-2026. */
export function findDateSource(lines: TextLine[], pages: PageSize[], iso: string | null | undefined): SourceBox | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return null;
  const [, y, mo, d] = m;
  const re = new RegExp(`(^|\\D)0?${Number(d)}[/.-]0?${Number(mo)}[/.-](${y}|${y!.slice(2)})(\\D|$)`);
  for (const line of lines) {
    const w = line.words.find((x) => re.test(x.text));
    if (w) return normaliseBox(pages, line.page, w);
  }
  return null;
}

/** Header sources found on the page, by Order field name; fields not found are left out. */
export function headerSources(lines: TextLine[], pages: PageSize[], fields: { poNumber?: string | null; orderDate?: string | null; requestedDeliveryDate?: string | null }): Record<string, SourceBox> {
  const out: Record<string, SourceBox> = {};
  const po = findValueSource(lines, pages, fields.poNumber);
  if (po) out.poNumber = po;
  const od = findDateSource(lines, pages, fields.orderDate);
  if (od) out.orderDate = od;
  const dd = findDateSource(lines, pages, fields.requestedDeliveryDate);
  // Order and delivery date may be the same day: the first printed date is the order's.
  if (dd && !(od && fields.orderDate === fields.requestedDeliveryDate)) out.requestedDeliveryDate = dd;
  return out;
}
